"""The dashboard page's body: district and period, then figures, charts and the weekly brief in tabs."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import streamlit as st

from nightwatch import brief
from nightwatch.access import Actor, scoped_actor
from nightwatch.kpi import (
    PERIOD_KINDS,
    Period,
    last_year_period,
    period_of,
    previous_period,
)
from nightwatch.services import dashboard as service
from nightwatch.services.brief import weekly_brief
from nightwatch.ui.brief import show_brief
from nightwatch.ui.dashboard_charts import show_charts
from nightwatch.ui.dashboard_kpis import show_kpis
from nightwatch.ui.district import chosen_district
from nightwatch.ui.lang import current_language, t
from nightwatch.ui.store import store

TTL = 60  # seconds: figures of the past change little, and a minute keeps tonight's fresh enough
OLDEST = timedelta(days=3 * 366)


# Every cached read is keyed on the viewer's role and districts, so no scope sees another's figures.
@st.cache_data(ttl=TTL, show_spinner=False)
def _board(url: str, role: str, district_ids: frozenset[int], district_id: int, first: date, last: date):
    return service.dashboard(session_factory=store().session_factory, actor=scoped_actor(role, district_ids),
                             district_id=district_id, period=Period(first, last), now=datetime.now(UTC))


@st.cache_data(ttl=TTL, show_spinner=False)
def _week(url: str, role: str, district_ids: frozenset[int], district_id: int, day: date):
    return weekly_brief(session_factory=store().session_factory, actor=scoped_actor(role, district_ids),
                        district_id=district_id, day=day, now=datetime.now(UTC))


@st.cache_data(ttl=TTL, show_spinner=False)
def _grid(url: str, role: str, district_ids: frozenset[int], district_id: int, first: date, last: date):
    return service.hour_grid(session_factory=store().session_factory, actor=scoped_actor(role, district_ids),
                             district_id=district_id, period=Period(first, last))


@st.cache_data(ttl=TTL, show_spinner=False)
def _trend(url: str, role: str, district_ids: frozenset[int], district_id: int, last: date):
    return service.weekly_trend(session_factory=store().session_factory, actor=scoped_actor(role, district_ids),
                                district_id=district_id, last=last)


def _period(today: date) -> Period:
    """The chosen period: a named one, or a custom range of duty dates."""
    kind = st.segmented_control(t("dashboard.period"), PERIOD_KINDS, default="this_week", key="dashboard_period",
                                format_func=lambda k: t(f"dashboard.period.{k}"), required=True)
    custom = None
    if kind == "custom":
        picked = st.date_input(t("dashboard.custom_dates"), value=(today - timedelta(days=29), today),
                               min_value=today - OLDEST, max_value=today, key="dashboard_custom")
        chosen = tuple(picked) if isinstance(picked, (tuple, list)) else (picked,)
        custom = Period(chosen[0], chosen[-1]) if chosen else Period(today, today)
    return period_of(kind or "this_week", today, custom)


def show_dashboard(actor: Actor) -> None:
    """The whole page body below the title."""
    district_id = chosen_district(actor)
    if district_id is None:
        st.info(t("dashboard.no_district"))
        return
    scope = (store().url, str(actor.role), actor.district_ids, district_id)
    today = service.today_of(store().session_factory, district_id, datetime.now(UTC))
    period = _period(today)
    board = _board(*scope, period.first, period.last)
    lang = current_language()
    st.caption(t("dashboard.bases", period=brief.period_text(period, lang),
                 previous=brief.period_text(previous_period(period), lang),
                 last_year=brief.period_text(last_year_period(period), lang)))
    figures_tab, charts_tab, brief_tab = st.tabs([t("dashboard.tab.kpis"), t("dashboard.tab.charts"),
                                                  t("dashboard.tab.brief")])
    with figures_tab:
        show_kpis(board)
    with charts_tab:
        show_charts(board, _grid(*scope, period.first, period.last), _trend(*scope, period.last))
    with brief_tab:
        show_brief(actor, lambda day: _week(*scope, day), today)
