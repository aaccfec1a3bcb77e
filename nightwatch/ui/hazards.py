"""/hazards: the coordinator's board, or a phone's cards for patrols and merchants."""
from __future__ import annotations

from datetime import timedelta

import streamlit as st

from nightwatch.access import Actor
from nightwatch.services import hazard_reinspection
from nightwatch.ui.district import chosen_district
from nightwatch.ui.hazards_board import show_board
from nightwatch.ui.hazards_cards import show_cards
from nightwatch.ui.hazards_common import now_utc
from nightwatch.ui.lang import t
from nightwatch.ui.store import store
from nightwatch.vocab import AccountRole

# Booking waiting re-inspections is cheap but need not run on every rerun of every viewer.
BOOKING_EVERY = timedelta(minutes=5)


def book_waiting(actor: Actor, district_id: int | None) -> None:
    """Book waiting re-inspections of the district onto patrols now on the roster, at most every few minutes."""
    if district_id is None:
        return
    now = now_utc()
    last = st.session_state.get(f"_hz_booked_{district_id}")
    if last is not None and now - last < BOOKING_EVERY:
        return
    hazard_reinspection.book_pending_for(session_factory=store().session_factory, district_ids=[district_id], now=now)
    st.session_state[f"_hz_booked_{district_id}"] = now


def show_hazards(actor: Actor) -> None:
    """The page for whoever opened it."""
    st.title(f":material/report_problem: {t('page.hazards')}")
    district_id = chosen_district(actor)
    if district_id is None and actor.role is not AccountRole.MERCHANT:
        st.info(t("hazards.no_district"))
        return
    book_waiting(actor, district_id)
    if actor.is_coordinator:
        show_board(actor, district_id)
    else:
        show_cards(actor, district_id)
