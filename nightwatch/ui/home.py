"""The home page for each role: tonight at a glance, as each person needs it."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from nightwatch.access import PATROLLING, Actor
from nightwatch.nights import DEFAULT_TIMEZONE, duty_date_of
from nightwatch.services import overview, tonight
from nightwatch.ui.auth import sign_in_form
from nightwatch.ui.district import chosen_district
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.store import store
from nightwatch.ui.table import show_table
from nightwatch.vocab import AccountRole, RoleKind, TipCategory, TipStatus, Urgency

GRIDS_SHOWN = 30


def show_home(actor: Actor) -> None:
    """Draw the home page the actor's role needs."""
    now = datetime.now(timezone.utc)
    if not actor.signed_in:
        _viewer()
    elif actor.is_coordinator:
        _coordinator(actor, now)
    elif actor.role in PATROLLING:
        _patroller(actor, now)
    elif actor.role is AccountRole.MERCHANT:
        _merchant(actor)


def _night_caption(now: datetime, tz: str = DEFAULT_TIMEZONE) -> None:
    night = duty_date_of(now, tz)
    st.caption(t("home.night_of", date=night.isoformat(), weekday=t(f"weekday.{night.weekday()}"),
                 time=now.astimezone(ZoneInfo(tz)).strftime("%H:%M")))


def _viewer() -> None:
    st.title(f":material/nightlight: {t('app.name')}")
    st.write(t("app.tagline"))
    if st.query_params.get("signin") == "invalid":
        st.error(t("auth.link_invalid"))
    st.subheader(t("auth.sign_in"))
    sign_in_form()


def _coordinator(actor: Actor, now: datetime) -> None:
    district_id = chosen_district(actor)
    st.title(f":material/nightlight: {t('home.title')}")
    if district_id is None:
        st.info(t("home.no_districts"))
        return
    view = tonight.district_tonight(session_factory=store().session_factory, actor=actor,
                                    district_id=district_id, now=now)
    _night_caption(now, view.timezone)
    short = [cover for cover in view.grids if cover.short]
    with st.container(horizontal=True, gap="large"):
        st.metric(t("home.open_tips"), view.open_tip_count, width="content")
        st.metric(t("home.grids_short"), f"{len(short)} / {len(view.grids)}", width="content")
        st.metric(t("home.on_duty_now"), sum(view.on_duty_by_role.values()), width="content")
    st.subheader(t("home.open_tips_of", district=view.district))
    if view.open_tips:
        _open_tips(view)
    else:
        st.success(t("home.no_open_tips"))
    st.subheader(t("home.grids_tonight"))
    _grids(view.grids)
    if view.on_duty_by_role:
        st.caption(t("home.on_duty_roles", roles=_staffing(view.on_duty_by_role, _role_names())))
    if actor.is_admin:
        _all_districts(now)


def _open_tips(view: tonight.DistrictTonight) -> None:
    """The most urgent open tips, oldest first, and how many wait in all when there are more."""
    zone, label = ZoneInfo(view.timezone), _labels()
    tips = view.open_tips
    if view.open_tip_count > len(tips):
        st.caption(t("home.tips_cut", shown=len(tips), total=view.open_tip_count))
    show_table(pd.DataFrame({
        t("tip.received"): [tip.received_at.astimezone(zone).strftime("%m-%d %H:%M") for tip in tips],
        t("tip.waited"): [t("tip.minutes", n=tip.waited_minutes) for tip in tips],
        t("tip.category"): [label[tip.category] for tip in tips],
        t("tip.urgency"): [label[tip.urgency] for tip in tips],
        t("tip.status"): [label[tip.status] for tip in tips],
        t("tip.grid"): [tip.grid or "" for tip in tips],
    }), name="open-tips", key="home_open_tips")


def _grids(grids: list[tonight.GridCover]) -> None:
    """The grids shortest of people first; a big district shows the first ones, its files hold them all."""
    roles = _role_names()
    frame = pd.DataFrame({
        t("home.grid"): [cover.grid for cover in grids],
        t("home.required"): [_staffing(cover.required, roles) for cover in grids],
        t("home.staffed"): [_staffing(cover.staffed, roles) for cover in grids],
        t("home.short"): [_staffing(cover.short, roles) or "✓" for cover in grids],
    })
    if len(grids) > GRIDS_SHOWN:
        st.caption(t("home.grids_cut", shown=GRIDS_SHOWN, total=len(grids)))
    show_table(frame.head(GRIDS_SHOWN), name="grids-tonight", key="home_grids", export=lambda: frame)


def _labels() -> dict:
    """The labels of the vocabularies an open tip shows, looked up once per run rather than per row."""
    return {member: vocab_label(member) for vocabulary in (TipCategory, Urgency, TipStatus) for member in vocabulary}


def _role_names() -> tuple[dict[str, str], str]:
    """Role kinds' labels and the list separator, looked up once per table."""
    return {role.value: vocab_label(role) for role in RoleKind}, t("list.separator")


def _staffing(counts: dict[str, int], words: tuple[dict[str, str], str]) -> str:
    """Role counts as people read them: 民警 1、辅警 2."""
    names, separator = words
    return separator.join(f"{names.get(role, role)} {count}" for role, count in counts.items())


def _all_districts(now: datetime) -> None:
    glances = overview.tonight(session_factory=store().session_factory, now=now)
    st.subheader(t("home.by_city"))
    show_table(pd.DataFrame({
        t("home.city"): [g.city for g in glances],
        t("home.district"): [g.name for g in glances],
        t("home.grids"): [g.grids for g in glances],
        t("home.people"): [g.people for g in glances],
        t("home.shifts_tonight"): [g.shifts_tonight for g in glances],
        t("home.on_duty_now"): [g.on_duty_now for g in glances],
        t("home.open_tips"): [g.open_tips for g in glances],
        t("home.hazards_open"): [g.open_hazards for g in glances],
    }), name="districts-tonight", key="home_districts")


def _patroller(actor: Actor, now: datetime) -> None:
    st.title(f":material/nightlight: {t('home.hello', name=actor.display_name or actor.login)}")
    _night_caption(now)
    mine = tonight.my_night(session_factory=store().session_factory, actor=actor, now=now)
    st.subheader(t("home.my_shift"))
    if mine.next_shift is None:
        st.info(t("home.no_shift"))
    else:
        shift = mine.next_shift
        state = t("home.on_now") if shift.on_now else vocab_label(shift.status)
        with st.container(border=True):
            st.markdown(f"**{shift.where}**")
            st.markdown(f"{shift.when} · {t('home.duty_date', date=shift.duty_date.isoformat())}")
            st.caption(state)
    st.subheader(t("home.my_tasks"))
    if not mine.tasks:
        st.success(t("home.no_tasks"))
    for task in mine.tasks:
        with st.container(border=True):
            st.markdown(f"**{vocab_label(task.category)}** · {vocab_label(task.urgency)} · {vocab_label(task.status)}")
            st.caption(" · ".join(part for part in (task.grid, task.location_note) if part))


def _merchant(actor: Actor) -> None:
    factory = store().session_factory
    name = tonight.shop_name(session_factory=factory, actor=actor)
    st.header(f":material/storefront: {name or t('home.my_shop')}")
    st.subheader(t("home.my_tips"))
    tips = tonight.my_tips(session_factory=factory, actor=actor)
    if not tips:
        st.info(t("home.no_tips"))
        return
    # Cards rather than a table: a merchant reads these on a phone, where table columns get cut off.
    zone = ZoneInfo(DEFAULT_TIMEZONE)
    for tip in tips:
        with st.container(border=True):
            st.markdown(f"**{vocab_label(tip.category)}** · {vocab_label(tip.status)}")
            st.caption(tip.received_at.astimezone(zone).strftime("%m-%d %H:%M"))
            st.text(tip.text)
