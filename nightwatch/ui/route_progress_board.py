"""The coordinator's route progress board: a summary row per route, then each route stop by stop."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd
import streamlit as st

from nightwatch.access import Actor
from nightwatch.nights import Slot, duty_date_of, format_slot, wall_clock
from nightwatch.progress import LATE_TOLERANCE, Progress, StopStatus
from nightwatch.services import roster_choices
from nightwatch.services.route_progress import RouteProgress, night_board
from nightwatch.ui.lang import t
from nightwatch.ui.plain import plain_t
from nightwatch.ui.store import store
from nightwatch.ui.table import show_table

NIGHT_KEY = "routes_night"
OPEN_KEY = "routes_open"
SEARCH_KEY = "routes_search"
SHOWN = 30  # routes on the board at once; the search reaches the rest
LIVE_SECONDS = 30


def clock(instant: datetime | None, tz: str, night: date) -> str:
    """HH:MM in the district's time, with (+1) once past midnight of the night; a dash for no time."""
    return "—" if instant is None else wall_clock(instant, tz, night)


STATUS_COLOURS = {
    StopStatus.VISITED_ON_TIME: "#2e7d32",
    StopStatus.VISITED_LATE: "#ef6c00",
    StopStatus.MISSED: "#c62828",
    StopStatus.DUE: "#f9a825",
    StopStatus.PENDING: "#9e9e9e",
}


def status_label(status: StopStatus) -> str:
    """A stop's state with its icon, in the viewer's language."""
    return t(f"progress.status.{status.value}")


def coloured(frame: pd.DataFrame):
    """The table with each stop state (and out-of-order visit) in its colour; the grid draws no emoji."""
    colours = {status_label(status): colour for status, colour in STATUS_COLOURS.items()}
    colours[t("progress.walked.out_of_order")] = STATUS_COLOURS[StopStatus.VISITED_LATE]
    return frame.style.map(lambda value: f"color: {colours[value]}; font-weight: 600" if value in colours else "")


def show_board(actor: Actor, district_id: int) -> date:
    """The night picker and the board; tonight's board refreshes itself. Returns the night shown."""
    now = datetime.now(timezone.utc)
    tonight = roster_choices.tonight(session_factory=store().session_factory, actor=actor,
                                     district_id=district_id, now=now)
    night = _night_picker(tonight)
    st.caption(t("progress.caption", date=night.isoformat(), minutes=int(LATE_TOLERANCE.total_seconds() // 60)))
    if night == tonight:
        st.fragment(run_every=LIVE_SECONDS)(_board)(actor, district_id, night, live=True)
    else:
        _board(actor, district_id, night, live=False)
    return night


def _night_picker(tonight: date) -> date:
    """A date input whose choice holds across reruns in a plain session key; tonight by default."""
    if not isinstance(st.session_state.get(NIGHT_KEY), date):
        st.session_state[NIGHT_KEY] = tonight

    def _chosen() -> None:
        st.session_state[NIGHT_KEY] = st.session_state["_routes_night_input"]

    st.session_state["_routes_night_input"] = st.session_state[NIGHT_KEY]
    st.date_input(t("progress.night"), key="_routes_night_input", on_change=_chosen)
    return st.session_state[NIGHT_KEY]


def _board(actor: Actor, district_id: int, night: date, *, live: bool) -> None:
    """The first routes by name that match the search: a summary, then one expander each with its stops."""
    now = datetime.now(timezone.utc)
    search = st.text_input(t("progress.search"), max_chars=40, key=SEARCH_KEY, placeholder=t("progress.search_hint"))
    board = night_board(session_factory=store().session_factory, actor=actor, district_id=district_id,
                        night=night, now=now, search=search, limit=SHOWN)
    routes = board.routes
    if not routes:
        st.info(t("progress.no_match" if search.strip() else "progress.no_routes"))
        return
    if live and duty_date_of(now, routes[0].timezone) == night:
        st.caption(t("progress.live", time=clock(now, routes[0].timezone, night)))
    if board.total > len(routes):
        st.caption(t("progress.count_cut", shown=len(routes), total=board.total))
    show_table(_summary(routes, night), name="route-progress", key="routes_summary", column_config={
        t("progress.col.percent"): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d%%"),
    })
    opened = _opened(district_id, routes)
    for route in routes:
        key = f"route_{route.route_id}_open"
        box = st.expander(plain_t("progress.route_title", name=route.name, percent=route.progress.percent),
                          expanded=route.route_id in opened, key=key, on_change=_toggled,
                          args=(opened, route.route_id, key))
        if box.open:  # closed routes cost nothing but their label
            with box:
                _route_detail(route, night)


def _opened(district_id: int, routes: list[RouteProgress]) -> set[int]:
    """The district's routes this session has open; its first one until the viewer opens or closes any."""
    by_district = st.session_state.setdefault(OPEN_KEY, {})
    return by_district.setdefault(district_id, {routes[0].route_id})


def _toggled(opened: set[int], route_id: int, key: str) -> None:
    """Remember a route opened or closed, so it stays so when its completion (in its label) changes."""
    if st.session_state[key]:
        opened.add(route_id)
    else:
        opened.discard(route_id)


def _summary(routes: list[RouteProgress], night: date) -> pd.DataFrame:
    """One row per route: team, walkers, completion and stop counts, the last check-in."""
    columns = [t(f"progress.col.{name}") for name in
               ("route", "team", "walkers", "percent", "on_time", "late", "missed", "laps", "last")]
    no_shift = t("progress.no_shift")  # labels once per table, not per route: a district has a hundred routes
    return pd.DataFrame([(
        route.name, route.team or "—", "、".join(route.walkers) or no_shift, progress.percent,
        progress.count(StopStatus.VISITED_ON_TIME), progress.count(StopStatus.VISITED_LATE),
        progress.count(StopStatus.MISSED), progress.laps, clock(progress.last_at, route.timezone, night),
    ) for route in routes for progress in (route.progress,)], columns=columns)


def _route_detail(route: RouteProgress, night: date) -> None:
    """A route's shift, its stops against the plan, and the order it was walked in."""
    progress, tz = route.progress, route.timezone
    if route.starts_at is not None and route.ends_at is not None:
        st.caption(t("progress.shift", when=format_slot(Slot(route.starts_at, route.ends_at), tz, night)))
    elif progress.started_at is not None:
        st.caption(t("progress.first_tap_start", time=clock(progress.started_at, tz, night)))
    if not progress.stops:
        st.info(t("progress.no_stops"))
        return
    show_table(coloured(stop_table(progress, tz, night, with_people=True)), name=f"route-{route.route_id}-stops",
               key=f"route_{route.route_id}_stops")
    st.markdown(f"**{t('progress.walked')}**")
    if not progress.visits:
        st.caption(t("progress.walked.none"))
        return
    show_table(coloured(pd.DataFrame([{
        t("progress.walked.at"): clock(visit.at, tz, night),
        t("progress.stop.point"): f"{visit.position + 1}. {visit.name}",
        t("progress.stop.who"): "、".join(visit.people),
        t("progress.walked.lap"): visit.lap,
        t("progress.walked.order"): t("progress.walked.out_of_order" if visit.out_of_order
                                      else "progress.walked.in_order"),
    } for visit in progress.visits])), name=f"route-{route.route_id}-walked", key=f"route_{route.route_id}_walked")


def stop_table(progress: Progress, tz: str, night: date, *, with_people: bool) -> pd.DataFrame:
    """The stops in route order: planned time, first check-in, who (coordinators only) and state."""
    rows = []
    for state in progress.stops:
        row = {
            t("progress.stop.order"): state.stop.position + 1,
            t("progress.stop.point"): state.stop.name,
            t("progress.stop.expected"): clock(state.expected_at, tz, night),
            t("progress.stop.first"): clock(state.first_at, tz, night),
        }
        if with_people:
            row[t("progress.stop.who")] = "、".join(state.first_by)
        row[t("progress.stop.status")] = status_label(state.status)
        row[t("progress.stop.visits")] = state.visits
        rows.append(row)
    return pd.DataFrame(rows)
