"""The 指标 tab: KPI tiles with 环比 and 同比, the 1-3-5 table, and every figure as an exportable table."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from nightwatch import brief
from nightwatch.figures import Dashboard
from nightwatch.response_times import MEASURES, targets_of
from nightwatch.ui.lang import current_language, t
from nightwatch.ui.table import show_table

# Which way is good news: fewer tips is; more hazards found is neither; for the rest, more is better.
GOOD_WHEN = {"tips": "down", "hazards_found": None}
COLUMNS = 4


def _tile(row: brief.KpiRow, lang: str) -> None:
    """One KPI: its value, 环比 as the metric's delta, 同比 underneath (a line of its own, never cut short)."""
    change = row.previous
    moved = change.kind in ("up", "down")
    with st.container(border=True):
        st.metric(t(f"kpi.label.{row.key}"), brief.value_text(row, lang),
                  delta=brief.row_change_text(row, "previous", lang), delta_arrow=change.kind if moved else "off",
                  delta_color=_colour(row.key, change.kind), delta_description=t("dashboard.col.previous"))
        st.caption(t("dashboard.vs_last_year", change=brief.row_change_text(row, "last_year", lang)))


def _colour(key: str, kind: str) -> str:
    """Green for good news, red for bad, grey for neither or for no movement."""
    good = GOOD_WHEN.get(key, "up")
    if kind not in ("up", "down") or good is None:
        return "gray"
    return "green" if kind == good else "red"


def figures_frame(board: Dashboard, lang: str) -> pd.DataFrame:
    """Every KPI as a row: value, 环比, 同比 (what the tiles show, for export)."""
    return pd.DataFrame([{
        t("dashboard.col.kpi"): t(f"kpi.label.{row.key}"), t("dashboard.col.value"): brief.value_text(row, lang),
        t("dashboard.col.previous"): brief.row_change_text(row, "previous", lang),
        t("dashboard.col.last_year"): brief.row_change_text(row, "last_year", lang),
    } for row in brief.kpi_rows(board)])


def response_frame(board: Dashboard) -> pd.DataFrame:
    """The 1-3-5 measures of the period: targets, tips measured, share within target, median minutes."""
    response = board.current.response
    targets = response.targets if response and response.targets else targets_of(None)
    target_of = {"react": f'{targets["react_min"]:g}', "acknowledge": f'{targets["acknowledge_min"]:g}',
                 "reach": f'{targets["reach_hotspot_min"]:g} / {targets["reach_anywhere_min"]:g}'}
    rows = []
    for measure in MEASURES:
        median = response.median_s.get(measure) if response else None
        rows.append({
            t("dashboard.col.measure"): t(f"dashboard.measure.{measure}"),
            t("dashboard.col.target"): target_of[measure],
            t("dashboard.col.counted"): response.counted.get(measure, 0) if response else 0,
            t("dashboard.col.met"): brief.percent_text(response.met_rate.get(measure)) if response else None,
            t("dashboard.col.median"): round(median / 60, 1) if median is not None else None,
        })
    return pd.DataFrame(rows)


def show_kpis(board: Dashboard) -> None:
    """The tiles, then the 1-3-5 table and all figures as tables to export."""
    lang = current_language()
    if not board.current.active:
        st.info(t("dashboard.inactive"))
    rows = brief.kpi_rows(board)
    for start in range(0, len(rows), COLUMNS):
        for column, row in zip(st.columns(COLUMNS), rows[start:start + COLUMNS], strict=False):
            with column:
                _tile(row, lang)
    now = board.current
    st.caption(" · ".join([t("dashboard.overdue_now", n=board.overdue_now),
                           t("dashboard.turnout_split", on_time=now.on_time, late=now.late)]))
    st.subheader(t("dashboard.response_title"))
    if now.response is None or all(rate is None for rate in now.response.met_rate.values()):
        st.caption(t("dashboard.response_few"))
    show_table(response_frame(board), name="dashboard-response", key="dashboard_response")
    with st.expander(t("dashboard.table.figures")):
        show_table(figures_frame(board, lang), name="dashboard-figures", key="dashboard_figures")
