"""/my_shifts on a phone: please-confirm cards, my coming shifts, open slots, swaps, past shifts, .ics."""
from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import streamlit as st

from nightwatch.access import Actor
from nightwatch.services import my_shifts, reminders, roster, swaps
from nightwatch.services.my_shifts import MyShiftRow
from nightwatch.services.swap_lists import Colleague, colleagues
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.my_shifts_common import act, role_name, show_flash
from nightwatch.ui.my_shifts_slots import show_my_swaps, show_offers, show_open_slots
from nightwatch.ui.store import store
from nightwatch.ui.table import show_table
from nightwatch.vocab import AssignmentStatus


def show_my_shifts(actor: Actor) -> None:
    """Draw the volunteer's own view, sections in the order a phone user needs them."""
    st.title(f":material/event_available: {t('page.my_shifts')}")
    if actor.person_id is None:
        st.info(t("my_shifts.no_person"))
        return
    now = datetime.now(timezone.utc)
    show_flash()
    mine = my_shifts.my_shifts(session_factory=store().session_factory, actor=actor, now=now)
    _please_confirm(actor, now)
    _upcoming(actor, mine.upcoming, now)
    _calendar(actor, now)
    show_open_slots(actor, now, mine.upcoming)
    show_offers(actor, now)
    show_my_swaps(actor, now)
    _past(mine)


def _please_confirm(actor: Actor, now: datetime) -> None:
    due = reminders.my_reminders(session_factory=store().session_factory, actor=actor, now=now)
    if not due:
        return
    st.subheader(f":material/notifications_active: {t('my_shifts.please_confirm')}")
    for reminder in due:
        with st.container(border=True):
            st.markdown(f"**{reminder.where}** · {reminder.when}")
            st.caption(t("my_shifts.confirm_hint", hours=reminder.window_hours))
            st.button(t("my_shifts.confirm"), key=f"remind_{reminder.assignment_id}", type="primary",
                      icon=":material/check_circle:", on_click=_confirm, args=(actor, reminder.assignment_id))


def _confirm(actor: Actor, assignment_id: int) -> None:
    act(lambda: reminders.confirm(session_factory=store().session_factory, actor=actor, assignment_id=assignment_id),
        lambda _: t("my_shifts.confirmed_ok"))


def _upcoming(actor: Actor, rows: list[MyShiftRow], now: datetime) -> None:
    st.subheader(t("my_shifts.upcoming"))
    if not rows:
        st.info(t("my_shifts.no_upcoming"))
        return
    people = colleagues(session_factory=store().session_factory, actor=actor)
    for row in rows:
        with st.container(border=True):
            _shift_card(actor, row, now, people)


def _shift_card(actor: Actor, row: MyShiftRow, now: datetime, people: list[Colleague]) -> None:
    st.markdown(f"**{row.where}** · {row.when}")
    state = t("my_shifts.on_now") if row.on_now(now) else vocab_label(row.status)
    parts = [t("my_shifts.night", date=row.duty_date.isoformat(), weekday=t(f"weekday.{row.duty_date.weekday()}")),
             state]
    if row.role_kind:
        parts.append(t("my_shifts.role", role=role_name(row.role_kind)))
    if row.swap_status is not None:
        parts.append(t("my_shifts.offer_open", status=vocab_label(row.swap_status)))
    st.caption(" · ".join(parts))
    if row.starts_at <= now:
        return
    held = row.status in (AssignmentStatus.ASSIGNED, AssignmentStatus.CONFIRMED)
    with st.container(horizontal=True):
        if held and not row.confirmed:
            st.button(t("my_shifts.confirm"), key=f"confirm_{row.assignment_id}", type="primary",
                      on_click=_confirm, args=(actor, row.assignment_id))
        st.button(t("my_shifts.withdraw"), key=f"withdraw_{row.assignment_id}", on_click=_withdraw,
                  args=(actor, row.assignment_id))
    if held and row.swap_id is None:
        with st.expander(t("my_shifts.offer"), icon=":material/swap_horiz:"):
            _offer_form(actor, row, people)


def _withdraw(actor: Actor, assignment_id: int) -> None:
    act(lambda: roster.withdraw(session_factory=store().session_factory, actor=actor, assignment_id=assignment_id),
        lambda _: t("my_shifts.withdrawn_ok"))


def _offer_form(actor: Actor, row: MyShiftRow, people: list[Colleague]) -> None:
    labels = {None: t("my_shifts.anyone")}
    labels.update({c.id: t("my_shifts.same_team", name=c.name) if c.same_team else c.name for c in people})
    with st.form(f"offer_{row.assignment_id}", border=False):
        to = st.selectbox(t("my_shifts.offer_to"), list(labels), format_func=labels.get)
        note = st.text_input(t("my_shifts.offer_note"), max_chars=swaps.NOTE_MAX)
        if st.form_submit_button(t("my_shifts.offer_send"), icon=":material/send:"):
            act(lambda: swaps.offer(session_factory=store().session_factory, actor=actor,
                                    assignment_id=row.assignment_id, to_person_id=to, note=note),
                lambda _: t("my_shifts.offered_ok"))
            st.rerun()


def _past(mine: my_shifts.MyShifts) -> None:
    st.subheader(t("my_shifts.past"))
    rows = mine.past
    if not rows:
        st.info(t("my_shifts.no_past"))
        return
    with st.container(horizontal=True):
        st.metric(t("my_shifts.hours_total"), f"{mine.total_hours:.1f}", width="content")
        st.metric(t("my_shifts.points_total"), mine.total_points, width="content")
    show_table(pd.DataFrame({
        t("my_shifts.col_night"): [r.duty_date.strftime("%m-%d") for r in rows],
        t("my_shifts.col_where"): [r.where for r in rows],
        t("my_shifts.col_status"): [vocab_label(r.status) for r in rows],
        t("my_shifts.col_hours"): [r.hours for r in rows],
        t("my_shifts.col_points"): [r.points for r in rows],
    }), name="my-past-shifts", key="my_past_shifts")


def _calendar(actor: Actor, now: datetime) -> None:
    ics = my_shifts.my_calendar(session_factory=store().session_factory, actor=actor, now=now,
                                name=t("my_shifts.calendar_name"))
    st.download_button(t("my_shifts.calendar"), ics, file_name="nightwatch-my-shifts.ics",
                       mime="text/calendar", icon=":material/calendar_add_on:", on_click="ignore")
