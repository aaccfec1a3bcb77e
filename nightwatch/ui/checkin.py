"""The check-in page opened from a checkpoint's QR code: one big tap for whoever is on patrol.

Opening the link records nothing (chat apps prefetch links); only the tap does. Someone not signed
in learns which point this is, once the link verifies, and signs in to come straight back here.
"""
from __future__ import annotations

from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import streamlit as st

from nightwatch.access import PATROLLING, Actor, Forbidden
from nightwatch.checkins import CheckInOutcome, CheckInRefused, PointCard
from nightwatch.services import checkins as service
from nightwatch.signing import CHECKIN_PATH
from nightwatch.ui.auth import sign_in_form
from nightwatch.ui.checkin_location import location_choice
from nightwatch.ui.lang import t
from nightwatch.ui.plain import plain_t
from nightwatch.ui.store import store

MAX_ID_DIGITS = 12
MAX_SIGNATURE_LENGTH = 64


def read_link() -> tuple[int, str] | None:
    """The checkpoint id and signature from the URL, or None when missing or garbled."""
    cp, sig = st.query_params.get("cp", ""), st.query_params.get("sig", "")
    if not (cp.isascii() and cp.isdigit() and len(cp) <= MAX_ID_DIGITS):
        return None
    if not sig or len(sig) > MAX_SIGNATURE_LENGTH or not sig.isascii():
        return None
    return int(cp), sig


def show_check_in(actor: Actor) -> None:
    """The whole page: what the link is, and what this person may do with it."""
    st.header(t("page.checkin"))
    link = read_link()
    if link is None:
        st.warning(t("checkin.link_missing"))
        return
    if not actor.signed_in:
        _for_viewer(actor, link)
    elif actor.is_coordinator:
        _poster_test(actor, link)
    elif actor.role in PATROLLING:
        _for_patrol(actor, link)
    else:
        st.info(t("checkin.merchant"))
    _links(actor)


def _for_viewer(actor: Actor, link: tuple[int, str]) -> None:
    """Which point this is (only for a link that verifies), and the sign-in that comes back here."""
    try:
        card = service.inspect_link(session_factory=store().session_factory, actor=actor,
                                    checkpoint_id=link[0], signature=link[1])
    except CheckInRefused as refused:
        st.error(t(refused.key))
        return
    st.info(t("checkin.sign_in_for", point=card.name))
    sign_in_form(next_path=f"{CHECKIN_PATH}?{urlencode({'cp': str(link[0]), 'sig': link[1]})}")
    st.caption(t("checkin.sign_in_link_hint"))


def _poster_test(actor: Actor, link: tuple[int, str]) -> None:
    """A coordinator checks that a printed code works; nothing is recorded."""
    try:
        card = service.verify_poster(session_factory=store().session_factory, actor=actor,
                                     checkpoint_id=link[0], signature=link[1])
    except (CheckInRefused, Forbidden) as refused:
        st.error(t(refused.key))
        return
    st.success(t("checkin.poster_ok", point=card.name, district=card.district))
    st.caption(t("checkin.poster_note"))


def _card_of(actor: Actor, link: tuple[int, str]) -> PointCard | str:
    """The verified point, or the refusal's key; asked once per page load so a refusal is recorded once."""
    key = f"checkin_card_{link[0]}_{link[1]}"
    if key not in st.session_state:
        try:
            st.session_state[key] = service.inspect_link(session_factory=store().session_factory, actor=actor,
                                                         checkpoint_id=link[0], signature=link[1])
        except CheckInRefused as refused:
            st.session_state[key] = refused.key
    return st.session_state[key]


def _for_patrol(actor: Actor, link: tuple[int, str]) -> None:
    """The point, the optional location and the big button; the confirmation once tapped."""
    card = _card_of(actor, link)
    if isinstance(card, str):
        st.error(t(card))
        return
    st.subheader(t("checkin.point", point=card.name))
    st.caption(card.district)
    done_key = f"checkin_outcome_{link[0]}_{link[1]}"
    if done_key in st.session_state:
        _confirmation(st.session_state[done_key])
        return
    phone = location_choice()
    st.write("")
    if st.button(t("checkin.tap"), type="primary", icon=":material/where_to_vote:", width="stretch",
                 key="checkin_tap"):
        try:
            st.session_state[done_key] = service.check_in(
                session_factory=store().session_factory, actor=actor, checkpoint_id=link[0],
                signature=link[1], phone=phone)
        except (CheckInRefused, Forbidden) as refused:
            st.error(t(refused.key))
            return
        st.rerun()
    st.caption(t("checkin.tap_hint"))


def _confirmation(outcome: CheckInOutcome) -> None:
    """What was counted: point and local time, once-only for a repeat, distance, shift and the next point."""
    time = outcome.at.astimezone(ZoneInfo(outcome.timezone)).strftime("%H:%M")
    if outcome.duplicate:
        st.info(t("checkin.duplicate", time=time), icon=":material/repeat_one:")
    else:
        st.success(t("checkin.done", point=outcome.checkpoint_name, time=time), icon=":material/check_circle:")
    if outcome.distance_m is not None:
        metres = f"{outcome.distance_m:.0f}"
        if outcome.flagged:
            radius = f"{outcome.radius_m:.0f}" if outcome.radius_m is not None else "?"
            st.warning(t("checkin.far", metres=metres, radius=radius), icon=":material/wrong_location:")
        else:
            st.caption(t("checkin.distance", metres=metres))
    if outcome.shift_id is None:
        st.write(t("checkin.no_shift"))
    elif outcome.shift_label:
        st.write(plain_t("checkin.on_shift", label=outcome.shift_label))
    else:
        st.write(t("checkin.on_shift_unnamed"))
    if outcome.attended:
        st.caption(t("checkin.attended"))
    if outcome.next_point:
        st.markdown(f"### :material/arrow_forward: {t('checkin.next_point', point=outcome.next_point)}")


def _links(actor: Actor) -> None:
    """Onward: the route progress for people on patrol, and home."""
    if actor.signed_in and actor.role in PATROLLING:
        st.page_link("pages/55_routes.py", label=t("checkin.to_routes"), icon=":material/route:")
    st.page_link("app.py", label=t("checkin.to_home"), icon=":material/home:")
