"""/hazards for coordinators: filters, the table with exports, one hazard's detail, rates, tonight's 复查, a map."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from nightwatch.access import Actor
from nightwatch.services import hazard_rates, hazard_reads, hazard_reinspection
from nightwatch.services.hazard_reads import HazardFilter, HazardRow
from nightwatch.ui.hazards_common import TZ, local, show_flash, tonight
from nightwatch.ui.hazards_detail import show_detail
from nightwatch.ui.hazards_map import show_hazard_map
from nightwatch.ui.hazards_report import report_form
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.store import store
from nightwatch.ui.table import show_table
from nightwatch.vocab import HazardCategory, HazardStatus

OVERDUE_STYLE = "background-color: rgba(230, 60, 60, 0.18)"


def show_board(actor: Actor, district_id: int) -> None:
    """The coordinator's whole hazards page for one district."""
    show_flash()
    report_form(actor, district_id)
    wanted = _filters(actor, district_id)
    rows = hazard_reads.hazards(session_factory=store().session_factory, actor=actor, district_id=district_id,
                                today=tonight(), wanted=wanted)
    listed, rates, checks, mapped = st.tabs([t("hazards.tab_list"), t("hazards.tab_rates"),
                                             t("hazards.tab_checks"), t("hazards.tab_map")])
    with listed:
        _table(rows)
        _detail_picker(actor, rows)
    with rates:
        _rates(actor, district_id, wanted)
    with checks:
        _checks(actor, district_id)
    with mapped:
        show_hazard_map([row for row in rows if row.status is not HazardStatus.CLOSED])


def _filters(actor: Actor, district_id: int) -> HazardFilter:
    """Status, category, grid, overdue only and the nights found between."""
    grids = dict(hazard_reads.grids_of(session_factory=store().session_factory, actor=actor, district_id=district_id))
    today = tonight()
    with st.container(border=True):
        first, second, third = st.columns(3)
        statuses = first.multiselect(t("hazards.status"), list(HazardStatus), key="hz.f.status", placeholder=t("hazards.all"),
                                     format_func=vocab_label)
        categories = second.multiselect(t("hazards.category"), list(HazardCategory), key="hz.f.category", placeholder=t("hazards.all"),
                                        format_func=vocab_label)
        grid_ids = third.multiselect(t("hazards.grid"), list(grids), key="hz.f.grid", placeholder=t("hazards.all"), format_func=grids.get)
        left, right = st.columns([2, 1])
        span = left.date_input(t("hazards.found_between"), value=(today - timedelta(days=90), today),
                               key="hz.f.span", max_value=today + timedelta(days=1))
        overdue = right.toggle(t("hazards.overdue_only"), key="hz.f.overdue")
    start, end = (span[0], span[-1]) if isinstance(span, tuple) and span else (None, None)
    return HazardFilter(tuple(statuses), tuple(categories), tuple(grid_ids), overdue, _noon(start),
                        _noon(end + timedelta(days=1)) if end else None)


def _noon(night: date | None) -> datetime | None:
    """A night's start for filtering: noon local on its duty date."""
    return datetime.combine(night, time(12), TZ) if night else None


def _frame(rows: list[HazardRow]) -> pd.DataFrame:
    """The shown table: translated columns, words not codes, overdue nights counted."""
    return pd.DataFrame({
        t("hazards.col_id"): [row.id for row in rows],
        t("hazards.col_category"): [vocab_label(row.category) for row in rows],
        t("hazards.col_status"): [vocab_label(row.status) for row in rows],
        t("hazards.col_where"): [row.where for row in rows],
        t("hazards.col_grid"): [row.grid or "" for row in rows],
        t("hazards.col_party"): [row.responsible_party or "" for row in rows],
        t("hazards.col_found"): [local(row.found_at, "%Y-%m-%d %H:%M") for row in rows],
        t("hazards.col_due"): [str(row.due_on or "") for row in rows],
        t("hazards.col_overdue"): [row.days_overdue for row in rows],
        t("hazards.col_reopened"): [row.reopen_count for row in rows],
    })


def _table(rows: list[HazardRow]) -> None:
    """The table with overdue rows tinted; the download holds exactly these rows and columns."""
    if not rows:
        st.info(t("hazards.none_found"))
        return
    overdue = t("hazards.col_overdue")
    st.caption(t("hazards.count", n=len(rows), overdue=sum(row.overdue for row in rows)))
    frame = _frame(rows)
    styled = frame.style.apply(lambda r: [OVERDUE_STYLE if r[overdue] > 0 else ""] * len(r), axis=1)
    show_table(styled, name="hazards", key="hazards_list", height=min(420, 38 + 35 * len(rows)))


def _detail_picker(actor: Actor, rows: list[HazardRow]) -> None:
    """Choose one hazard to see and move on."""
    labels = {row.id: f"#{row.id} {vocab_label(row.category)} · {row.where or '—'}" for row in rows}
    if not labels:
        return
    chosen = st.selectbox(t("hazards.pick"), list(labels), key="hz.pick", format_func=labels.get)
    with st.container(border=True):
        show_detail(actor, chosen)


def _percent(rate: float | None) -> str:
    """A rate as a percentage, or the words for no data."""
    return t("hazards.no_data") if rate is None else f"{rate:.0%}"


def _rates(actor: Actor, district_id: int, wanted: HazardFilter) -> None:
    """整改率 of the district as metrics, then per grid and per category."""
    found = hazard_rates.rates(session_factory=store().session_factory, actor=actor, district_id=district_id,
                               found_from=wanted.found_from, found_before=wanted.found_before)
    first, second, third = st.columns(3)
    first.metric(t("hazards.rate"), _percent(found.district.rate))
    second.metric(t("hazards.found_count"), found.district.found)
    third.metric(t("hazards.rectified_count"), found.district.rectified)
    for key, title, rates, label in (("grid", "hazards.by_grid", found.by_grid, lambda r: r.label or "—"),
                                     ("category", "hazards.by_category", found.by_category,
                                      lambda r: vocab_label(r.label))):
        st.markdown(f"**{t(title)}**")
        show_table(pd.DataFrame({
            t(f"hazards.col_{key}"): [label(r) for r in rates],
            t("hazards.found_count"): [r.found for r in rates],
            t("hazards.rectified_count"): [r.rectified for r in rates],
            t("hazards.rate"): [_percent(r.rate) for r in rates],
        }), name=f"hazard-rates-{key}", key=f"hazard_rates_{key}")


def _checks(actor: Actor, district_id: int) -> None:
    """The re-inspections due on a chosen night, booked or still waiting for a patrol."""
    night = st.date_input(t("hazards.checks_night"), value=tonight(), key="hz.checks.night")
    due = hazard_reinspection.due_on_night(session_factory=store().session_factory, actor=actor,
                                           district_id=district_id, duty_date=night)
    if not due:
        st.info(t("hazards.checks_none"))
        return
    show_table(pd.DataFrame({
        t("hazards.col_id"): [c.hazard_id for c in due],
        t("hazards.col_category"): [vocab_label(c.category) for c in due],
        t("hazards.col_where"): [c.where for c in due],
        t("hazards.col_grid"): [c.grid or "" for c in due],
        t("hazards.col_patrol"): [f"{local(c.shift_starts_at, '%H:%M')}–{local(c.shift_ends_at, '%H:%M')}"
                                  if c.shift_id else t("hazards.unbooked") for c in due],
    }), name="hazard-reinspections", key="hazard_checks")
