"""The outreach page's body: the log form, the period's filters, totals, map and list, and editing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pandas as pd
import streamlit as st

from nightwatch.access import Actor, Forbidden
from nightwatch.nights import duty_date_of, wall_clock
from nightwatch.outreach import OutreachRefused, OutreachTotals, period_window
from nightwatch.services import outreach_list
from nightwatch.services.outreach_list import EventRow, FormChoices
from nightwatch.ui import outreach_form
from nightwatch.ui.district import chosen_district
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.outreach_edit import show_edit
from nightwatch.ui.outreach_map import show_events_map
from nightwatch.ui.store import store
from nightwatch.ui.table import show_table
from nightwatch.vocab import OutreachKind

PERIOD_DAYS = 30


@dataclass(frozen=True)
class Filters:
    """The list's period (as UTC instants of whole nights), kind and team."""

    start: datetime
    end: datetime
    kind: OutreachKind | None
    team_id: int | None


def show_outreach(actor: Actor) -> None:
    """Everything on /outreach for the district chosen in the menu."""
    district_id = chosen_district(actor)
    if district_id is None:
        st.info(t("outreach.no_district_yet"))
        return
    factory = store().session_factory
    try:
        choices = outreach_list.form_choices(session_factory=factory, actor=actor, district_id=district_id)
    except (Forbidden, OutreachRefused) as refused:
        st.warning(t(refused.key))
        return
    today = duty_date_of(datetime.now(timezone.utc), choices.timezone)
    st.caption(t("outreach.intro"))
    flash = st.session_state.pop(outreach_form.FLASH_KEY, None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    _log_form(actor, district_id, choices, today)
    filters = _filters(choices, today)
    rows = outreach_list.events(session_factory=factory, actor=actor, district_id=district_id, start=filters.start,
                                end=filters.end, kind=filters.kind, team_id=filters.team_id)
    totals = outreach_list.period_totals(session_factory=factory, actor=actor, district_id=district_id,
                                         start=filters.start, end=filters.end, kind=filters.kind,
                                         team_id=filters.team_id)
    _totals(totals)
    when = {row.id: when_text(row, choices.timezone) for row in rows}
    st.subheader(t("outreach.list"))
    if rows:
        wide = {t("outreach.col.materials"): st.column_config.TextColumn(width="large")}
        show_table(events_frame(rows, when), name="outreach", key="outreach_list", column_config=wide)
    else:
        st.info(t("outreach.empty"))
    st.subheader(t("outreach.map"))
    show_events_map(rows, when, outreach_list.grid_outlines(session_factory=factory, actor=actor,
                                                            district_id=district_id))
    show_edit(actor, district_id, [row for row in rows if row.may_edit], choices, today, when)


def _log_form(actor: Actor, district_id: int, choices: FormChoices, today: date) -> None:
    """The form in an expander, open for patrols (who come here to log) and closed for coordinators."""
    with st.expander(t("outreach.log_title"), expanded=not actor.is_coordinator, icon=":material/add_circle:"):
        if not choices.teams and not actor.is_coordinator:
            st.info(t("outreach.patrol_no_team"))
            return
        outreach_form.fields(outreach_form.NEW, choices, today, actor=actor, district_id=district_id)
        outreach_form.show_error(outreach_form.NEW)
        st.button(t("outreach.save"), type="primary", icon=":material/save:", key="outreach_new.save",
                  on_click=outreach_form.save_new, args=(actor, district_id), width="stretch")


def _filters(choices: FormChoices, today: date) -> Filters:
    """Period of nights, kind and team; one column each on desktop, stacked on a phone."""
    period_col, kind_col, team_col = st.columns([2, 1, 1])
    period = period_col.date_input(t("outreach.filter.period"), value=(today - timedelta(days=PERIOD_DAYS - 1), today),
                                   key="outreach_period")
    first, last = (period[0], period[-1]) if isinstance(period, tuple) and period else (today, today)
    kinds: list[OutreachKind | None] = [None, *OutreachKind]
    kind = kind_col.selectbox(t("outreach.filter.kind"), kinds, key="outreach_kind",
                              format_func=lambda k: t("outreach.filter.all") if k is None else vocab_label(k))
    names = {c.id: c.name for c in choices.district_teams}
    team = team_col.selectbox(t("outreach.filter.team"), [None, *names], key="outreach_team",
                              format_func=lambda tid: t("outreach.filter.all") if tid is None else names[tid])
    start, end = period_window(first, last, choices.timezone)
    return Filters(start, end, kind, team)


def _totals(totals: OutreachTotals) -> None:
    """The period's figures as metrics, materials by kind after them."""
    st.markdown(f"**{t('outreach.totals')}**")
    figures = [(t("outreach.metric.events"), totals.events), (t("outreach.metric.reached"), totals.reached),
               (t("outreach.metric.installs"), totals.installs),
               (t("outreach.metric.handed_out"), totals.handed_out)]
    for column, (name, value) in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(name, f"{value:,}")
    if totals.materials:
        items = list(totals.materials.items())
        for column, (item, count) in zip(st.columns(max(len(items), 3)), items, strict=False):
            column.metric(material_label(item), f"{count:,}")


def material_label(item: str) -> str:
    """A material's name; a kind no longer in the vocabulary as stored."""
    key = f"outreach.material.{item}"
    try:
        return t(key)
    except KeyError:
        return item


def when_text(row: EventRow, tz: str) -> str:
    """``11-20 19:30–21:00`` by the night it belongs to, ``(+1)`` past midnight."""
    night = duty_date_of(row.starts_at, tz)
    text = f"{night:%m-%d} {wall_clock(row.starts_at, tz, night)}"
    return text + (f"–{wall_clock(row.ends_at, tz, night)}" if row.ends_at else "")


def events_frame(rows: list[EventRow], when: dict[int, str]) -> pd.DataFrame:
    """The list as shown and exported: translated headings, materials as words, no ids."""
    sep = t("list.separator")
    return pd.DataFrame([{
        t("outreach.col.when"): when[row.id], t("outreach.col.kind"): vocab_label(row.kind),
        t("outreach.col.title"): row.title, t("outreach.col.where"): row.where or "—",
        t("outreach.col.team"): row.team or "—", t("outreach.col.reached"): row.people_reached,
        t("outreach.col.installs"): row.app_installs,
        t("outreach.col.materials"): sep.join(f"{material_label(k)} {v}" for k, v in row.materials.items()) or "—",
        t("outreach.col.note"): row.note or "",
    } for row in rows])
