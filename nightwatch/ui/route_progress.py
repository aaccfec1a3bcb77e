"""/routes: the coordinator's board of every route tonight, or a walker's own route and next point (phone)."""
from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from nightwatch.access import Actor, Forbidden
from nightwatch.progress import StopStatus
from nightwatch.services.route_progress import MyRoute, my_route
from nightwatch.ui.checkin_alerts import show_check_in_alerts
from nightwatch.ui.district import chosen_district
from nightwatch.ui.lang import t
from nightwatch.ui.plain import plain_t
from nightwatch.ui.route_progress_board import LIVE_SECONDS, clock, show_board
from nightwatch.ui.store import store

MARKS = {
    StopStatus.VISITED_ON_TIME: ":green[:material/check_circle:]",
    StopStatus.VISITED_LATE: ":orange[:material/check_circle:]",
    StopStatus.MISSED: ":red[:material/cancel:]",
    StopStatus.DUE: ":orange[:material/schedule:]",
}


def show_routes(actor: Actor) -> None:
    """The page for the actor's role: the district board for coordinators, their own route for walkers."""
    st.title(f":material/route: {t('page.routes')}")
    if actor.is_coordinator:
        district_id = chosen_district(actor)
        if district_id is None:
            st.info(t("progress.no_district"))
            return
        night = show_board(actor, district_id)
        show_check_in_alerts(actor, district_id, night)
        return
    st.fragment(run_every=LIVE_SECONDS)(_mine)(actor)


def _mine(actor: Actor) -> None:
    """The walker's route shift tonight: the next point big, their progress, the stops, their check-ins."""
    now = datetime.now(timezone.utc)
    try:
        mine = my_route(session_factory=store().session_factory, actor=actor, now=now)
    except Forbidden as refused:
        st.info(t(refused.key))
        return
    if mine is None:
        st.info(t("progress.no_route_tonight"))
        st.page_link("pages/45_my_shifts.py", label=t("progress.see_my_shifts"), icon=":material/event_available:")
        return
    st.subheader(plain_t("progress.mine_title", name=mine.route.name))
    _next_point(mine, now)
    progress = mine.route.progress
    st.progress(progress.percent / 100, text=t("progress.bar", visited=progress.visited, total=len(progress.stops),
                                                 laps=progress.laps))
    _stops(mine)
    _check_ins(mine)


def _next_point(mine: MyRoute, now: datetime) -> None:
    """Where to go next, with the planned time and how far behind or ahead of it."""
    tz, night = mine.route.timezone, mine.night
    nxt = mine.route.progress.next_point
    if nxt is None:
        if mine.route.ends_at is not None and now >= mine.route.ends_at:
            st.success(t("progress.done"))
        return
    with st.container(border=True):
        st.markdown(f"## :material/location_on: {t('progress.next_point', name=nxt.stop.name)}")
        if nxt.expected_at is None:
            st.markdown(t("progress.next_lap", lap=nxt.lap))
            return
        minutes = round(nxt.behind.total_seconds() / 60)
        pace = (t("progress.behind", minutes=minutes) if minutes > 0 else
                t("progress.ahead", minutes=-minutes) if minutes < 0 else t("progress.on_plan"))
        colour = "red" if minutes > 0 else "green"
        st.markdown(f"{t('progress.next_expected', time=clock(nxt.expected_at, tz, night))} · :{colour}[{pace}]")


def _stops(mine: MyRoute) -> None:
    """The route's stops in order, ticked once visited."""
    tz, night = mine.route.timezone, mine.night
    st.markdown(f"**{t('progress.my_stops')}**")
    lines = []
    for state in mine.route.progress.stops:
        mark = MARKS.get(state.status, ":material/radio_button_unchecked:")
        visited = t("progress.stop_visited", time=clock(state.first_at, tz, night)) if state.first_at else ""
        lines.append("- " + t("progress.stop_line", mark=mark, order=state.stop.position + 1, name=state.stop.name,
                              expected=clock(state.expected_at, tz, night), visited=visited))
    st.markdown("\n".join(lines))


def _check_ins(mine: MyRoute) -> None:
    """The walker's own check-ins tonight, in time order."""
    st.markdown(f"**{t('progress.my_check_ins')}**")
    if not mine.check_ins:
        st.caption(t("progress.no_check_ins"))
        return
    st.markdown("\n".join(
        f"- {clock(check_in.at, mine.route.timezone, mine.night)} · {check_in.point}"
        + (f" {t('progress.flagged')}" if check_in.flagged else "") for check_in in mine.check_ins))
