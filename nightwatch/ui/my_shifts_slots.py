"""/my_shifts sections about taking shifts: open slots, colleagues' offers, my swaps."""
from __future__ import annotations

from datetime import datetime

import streamlit as st

from nightwatch.access import Actor
from nightwatch.nights import Slot, overlaps
from nightwatch.services import roster, swaps
from nightwatch.services.my_shifts import MyShiftRow
from nightwatch.services.roster import AssignOutcome, OpenSlot
from nightwatch.services.swap_lists import SwapRow, my_swaps, offers_for_me
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.my_shifts_common import act, role_name, roles_text
from nightwatch.ui.plain import plain, plain_t
from nightwatch.ui.store import store
from nightwatch.vocab import OPEN_SWAP_STATUSES, AssignmentStatus, SwapStatus

PAGE = 6
SHOWN_KEY = "_my_shifts_slots_shown"
TAKEN = (AssignmentStatus.ASSIGNED, AssignmentStatus.CONFIRMED, AssignmentStatus.DONE, AssignmentStatus.NO_SHOW)


def show_open_slots(actor: Actor, now: datetime, mine: list[MyShiftRow]) -> None:
    """Coming shifts I can fill and that do not overlap mine, soonest first, a few at a time."""
    st.subheader(t("my_shifts.slots"))
    held = [Slot(r.starts_at, r.ends_at) for r in mine if r.status in TAKEN]
    slots = [s for s in roster.open_slots(session_factory=store().session_factory, actor=actor, now=now)
             if s.my_status not in TAKEN and not any(overlaps(Slot(s.starts_at, s.ends_at), h) for h in held)]
    slots.sort(key=lambda s: (s.full, s.starts_at))  # places to fill before waitlists
    if not slots:
        st.info(t("my_shifts.no_slots"))
        return
    shown = st.session_state.get(SHOWN_KEY, PAGE)
    for slot in slots[:shown]:
        with st.container(border=True):
            _slot_card(actor, slot)
    if len(slots) > shown:
        st.button(t("my_shifts.more", n=min(PAGE, len(slots) - shown)), key="slots_more",
                  on_click=lambda: st.session_state.__setitem__(SHOWN_KEY, shown + PAGE))


def _slot_card(actor: Actor, slot: OpenSlot) -> None:
    st.markdown(f"**{slot.where}** · {slot.when}")
    night = t("my_shifts.night", date=slot.duty_date.isoformat(), weekday=t(f"weekday.{slot.duty_date.weekday()}"))
    if slot.my_status == AssignmentStatus.WAITLISTED:
        st.caption(f"{night} · {t('my_shifts.on_waitlist')}")
        return
    st.caption(f"{night} · {t('my_shifts.full') if slot.full else t('my_shifts.needs', roles=roles_text(slot.needs))}"
               if slot.full or slot.needs else night)
    st.button(t("my_shifts.join_waitlist") if slot.full else t("my_shifts.sign_up"), key=f"signup_{slot.shift_id}",
              type="secondary" if slot.full else "primary", icon=":material/how_to_reg:",
              on_click=_sign_up, args=(actor, slot.shift_id))


def _sign_up(actor: Actor, shift_id: int) -> None:
    act(lambda: roster.sign_up(session_factory=store().session_factory, actor=actor, shift_id=shift_id),
        _signed_up)


def _signed_up(outcome: object) -> str:
    waitlisted = isinstance(outcome, AssignOutcome) and outcome.status == AssignmentStatus.WAITLISTED
    return t("my_shifts.waitlisted_ok") if waitlisted else t("my_shifts.signed_up_ok")


def show_offers(actor: Actor, now: datetime) -> None:
    """Colleagues' offers I may take."""
    offers = offers_for_me(session_factory=store().session_factory, actor=actor, now=now)
    st.subheader(t("my_shifts.offers"))
    if not offers:
        st.caption(t("my_shifts.no_offers"))
        return
    for offer in offers:
        with st.container(border=True):
            st.markdown(f"**{plain(offer.where)}** · {offer.when}")
            parts = [plain_t("my_shifts.offered_by", name=offer.offered_by)]
            if offer.offered_to:
                parts.append(t("my_shifts.for_you"))
            if offer.role_kind:
                parts.append(t("my_shifts.role", role=role_name(offer.role_kind)))
            st.caption(" · ".join(parts))
            if offer.note:
                st.text(offer.note)
            st.button(t("my_shifts.accept"), key=f"accept_{offer.swap_id}", type="primary",
                      icon=":material/handshake:", on_click=_accept, args=(actor, offer.swap_id))


def _accept(actor: Actor, swap_id: int) -> None:
    act(lambda: swaps.accept(session_factory=store().session_factory, actor=actor, swap_id=swap_id),
        lambda status: t("my_shifts.swapped_ok") if status == SwapStatus.APPROVED else t("my_shifts.accepted_ok"))


def show_my_swaps(actor: Actor, now: datetime) -> None:
    """Offers I made or took lately, and a take-back button on my open ones."""
    rows = my_swaps(session_factory=store().session_factory, actor=actor, now=now)
    if not rows:
        return
    st.subheader(t("my_shifts.my_swaps"))
    for row in rows:
        with st.container(border=True):
            _swap_card(actor, row)


def _swap_card(actor: Actor, row: SwapRow) -> None:
    st.markdown(f"**{row.where}** · {row.when}")
    status = vocab_label(row.status)
    if row.offered_by_id == actor.person_id:
        parts = [t("my_shifts.swap_mine", status=status)]
        if row.offered_to:
            parts.append(plain_t("my_shifts.swap_to", name=row.offered_to))
        if row.taken_by:
            parts.append(plain_t("my_shifts.swap_taker", name=row.taken_by))
        st.caption(" · ".join(parts))
        if row.status in OPEN_SWAP_STATUSES:
            st.button(t("my_shifts.cancel"), key=f"cancel_{row.swap_id}", on_click=_cancel, args=(actor, row.swap_id))
    else:
        st.caption(plain_t("my_shifts.swap_taken", name=row.offered_by, status=status))


def _cancel(actor: Actor, swap_id: int) -> None:
    act(lambda: swaps.cancel(session_factory=store().session_factory, actor=actor, swap_id=swap_id),
        lambda _: t("my_shifts.cancelled_ok"))
