"""The 图表 tab: tips by hour × weekday, twelve weeks of trends, categories and outcomes, each exportable."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from nightwatch.brief import HELPED_OUTCOMES
from nightwatch.figures import Dashboard
from nightwatch.heatmap import hour_label
from nightwatch.kpi import NIGHT_ORDER, night_hour_rank
from nightwatch.services.dashboard import WeekPoint
from nightwatch.ui.charts import bar_chart, hour_grid_chart, trend_chart
from nightwatch.ui.lang import t
from nightwatch.ui.table import show_table

SERIES = {"tips": "#d9480f", "hazards": "#f08c00", "turnout": "#1971c2"}


def hour_frame(grid: list[tuple[int, int, int]]) -> tuple[pd.DataFrame, list[str]]:
    """Every weekday × night hour (zeros too, so the grid is whole), with the hour order to draw."""
    counts = {(weekday, hour): n for weekday, hour, n in grid}
    hours = sorted(set(NIGHT_ORDER) | {hour for _, hour, _ in grid}, key=night_hour_rank)
    frame = pd.DataFrame([{
        t("dashboard.col.weekday"): t(f"weekday.{weekday}"), t("dashboard.col.hour"): hour_label(hour),
        t("dashboard.col.count"): counts.get((weekday, hour), 0),
    } for weekday in range(7) for hour in hours])
    return frame, [hour_label(hour) for hour in hours]


def trend_frame(points: list[WeekPoint]) -> pd.DataFrame:
    """The weekly series in long form: week, series, value."""
    return pd.DataFrame([{
        t("dashboard.col.week"): point.week.isoformat(), t("dashboard.col.series"): t(f"dashboard.series.{name}"),
        t("dashboard.col.count"): getattr(point, name),
    } for point in points for name in SERIES])


def counts_frame(counts: dict[str, int], vocabulary: str, column: str) -> pd.DataFrame:
    """A vocabulary's counts as (label, count), largest first."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return pd.DataFrame([{t(column): t(f"{vocabulary}.{key}"), t("dashboard.col.count"): n} for key, n in ranked],
                        columns=[t(column), t("dashboard.col.count")])


def _data(frame: pd.DataFrame, name: str) -> None:
    """The chart's data as a table with its downloads, folded away."""
    with st.expander(t("dashboard.chart.data")):
        show_table(frame, name=name, key=name)


def show_charts(board: Dashboard, grid: list[tuple[int, int, int]], trend: list[WeekPoint]) -> None:
    """The four charts, each followed by its data."""
    count = t("dashboard.col.count")
    st.subheader(t("dashboard.chart.hours"))
    frame, hour_order = hour_frame(grid)
    if grid:
        st.vega_lite_chart(frame, hour_grid_chart(frame, hour=t("dashboard.col.hour"),
                                                  weekday=t("dashboard.col.weekday"), count=count,
                                                  hour_order=hour_order,
                                                  weekday_order=[t(f"weekday.{d}") for d in range(7)]),
                           width="stretch")
    else:
        st.caption(t("dashboard.chart.empty"))
    _data(frame, "dashboard-hours")

    st.subheader(t("dashboard.chart.trend"))
    weekly = trend_frame(trend)
    drawn = weekly.assign(**{t("dashboard.col.week"): pd.to_datetime(weekly[t("dashboard.col.week")])})
    for column, (name, colour) in zip(st.columns(len(SERIES)), SERIES.items(), strict=True):
        title = t(f"dashboard.series.{name}")
        one = drawn[drawn[t("dashboard.col.series")] == title]
        column.vega_lite_chart(one, trend_chart(week=t("dashboard.col.week"), value=count, title=title,
                                                colour=colour), width="stretch")
    _data(weekly, "dashboard-trend")

    left, right = st.columns(2)
    with left:
        st.subheader(t("dashboard.chart.categories"))
        categories = counts_frame(board.current.tips_by_category, "tip_category", "dashboard.col.category")
        _bars(categories, t("dashboard.col.category"), "dashboard-categories", "#d9480f")
    with right:
        st.subheader(t("dashboard.chart.outcomes"))
        helped = {k: v for k, v in board.current.helped_by_outcome.items() if k in HELPED_OUTCOMES}
        outcomes = counts_frame(helped, "outcome", "dashboard.col.outcome")
        _bars(outcomes, t("dashboard.col.outcome"), "dashboard-outcomes", "#2f9e44")


def _bars(frame: pd.DataFrame, label: str, name: str, colour: str) -> None:
    """A bar chart of counts, or a note when there are none, then its data."""
    if frame.empty:
        st.caption(t("dashboard.chart.empty"))
    else:
        st.vega_lite_chart(frame, bar_chart(frame, label=label, count=t("dashboard.col.count"), colour=colour),
                           width="stretch")
    _data(frame, name)
