"""The night tab of /roster: pick a night, see its shifts, assign and withdraw people."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone

import pandas as pd
import streamlit as st

from nightwatch.access import Actor, Forbidden
from nightwatch.services import roster, roster_choices
from nightwatch.services.roster import RestTooShort, RosterRefused, ShiftRow
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.plain import plain_t
from nightwatch.ui.roster_common import factory, role_name, role_names, said, say, show_message, words
from nightwatch.ui.table import show_table
from nightwatch.vocab import AssignmentStatus

NIGHT_KEY = "roster_night"  # shared with other pages: the night the coordinator is looking at
PENDING_KEY = "_roster_pending_override"
SHOWN_PEOPLE = 50  # people offered at once; the search reaches the rest


def night_tab(actor: Actor, district_id: int) -> None:
    """The chosen night's shifts, then the assign and withdraw controls."""
    night = _night_picker(actor, district_id)
    rows = roster.night_roster(session_factory=factory(), actor=actor, district_id=district_id, duty_date=night)
    st.caption(t("roster.night_caption", date=night.isoformat()))
    if not rows:
        st.info(t("roster.no_shifts"))
        return
    show_table(_table(rows), name="roster-night", key="roster_night_table")
    shifts = {r.shift_id: t("roster.shift_label", where=r.where, when=r.when) for r in rows}
    left, right = st.columns(2)
    with left:
        _assign(actor, shifts)
    with right:
        _withdraw(actor, rows, shifts)


def _night_picker(actor: Actor, district_id: int) -> date:
    """A date input whose choice holds across pages in a plain session key."""
    if not isinstance(st.session_state.get(NIGHT_KEY), date):
        st.session_state[NIGHT_KEY] = roster_choices.tonight(session_factory=factory(), actor=actor,
                                                             district_id=district_id, now=datetime.now(timezone.utc))

    def _chosen() -> None:
        st.session_state[NIGHT_KEY] = st.session_state["_roster_night_input"]

    st.session_state["_roster_night_input"] = st.session_state[NIGHT_KEY]
    st.date_input(t("roster.night"), key="_roster_night_input", on_change=_chosen)
    return st.session_state[NIGHT_KEY]


def _staffing(row: ShiftRow, role: Callable[[str | None], str]) -> str:
    if not row.required:
        return f"{t('roster.unlimited')} ({sum(row.held.values())})"
    return " · ".join(f"{role(kind)} {row.held.get(kind, 0)}/{need}" for kind, need in row.required.items())


def _people(holders, role: Callable[[str | None], str]) -> str:
    return "、".join(t("roster.holder", name=h.name, role=role(h.role_kind)) for h in holders)


def _table(rows: list[ShiftRow]) -> pd.DataFrame:
    role = role_names()
    kinds = {kind: vocab_label(kind) for kind in {r.kind for r in rows}}
    return pd.DataFrame({
        t("roster.col.where"): [r.where for r in rows],
        t("roster.col.when"): [r.when for r in rows],
        t("roster.col.kind"): [kinds[r.kind] for r in rows],
        t("roster.col.staffing"): [_staffing(r, role) for r in rows],
        t("roster.col.people"): [_people(r.holders, role) for r in rows],
        t("roster.col.waitlist"): [_people(r.waitlist, role) for r in rows],
    })


def _assign(actor: Actor, shifts: dict[int, str]) -> None:
    """Choose a shift and a person who fits it; clash and rest messages show under the button."""
    st.markdown(f"**{t('roster.assign_heading')}**")
    shift_id = st.selectbox(t("roster.pick_shift"), list(shifts), key="roster_assign_shift", format_func=shifts.get)
    search = st.text_input(t("roster.find_person"), max_chars=40, key="roster_assign_search",
                           placeholder=t("roster.find_person_hint"))
    found = roster_choices.candidates(session_factory=factory(), actor=actor, shift_id=shift_id, search=search)
    if not found:
        st.info(t("roster.no_person_found" if search.strip() else "roster.no_fitting_people"))
        show_message("assign")  # the one just assigned may have been the last who fit
        return
    people = {c.person_id: c for c in found[:SHOWN_PEOPLE]}
    if len(found) > len(people):
        st.caption(t("roster.people_cut", shown=len(people), total=len(found)))
    role_of = role_names()
    labels = {i: t("roster.holder", name=c.name, role=role_of(c.role_kind)) for i, c in people.items()}
    person_id = st.selectbox(t("roster.pick_person"), list(people), key="roster_assign_person",
                             format_func=labels.get)
    role = st.selectbox(t("roster.pick_role"), [None, *people[person_id].kinds], key="roster_assign_role",
                        format_func=lambda k: t("roster.role_auto") if k is None else role_name(k))
    if st.button(t("roster.assign"), key="roster_assign_button", type="primary"):
        _run_assign(actor, shift_id, person_id, role, None, people[person_id].name)
    pending = st.session_state.get(PENDING_KEY)
    if pending and pending[:3] == (shift_id, person_id, role):
        st.warning(pending[3])
        reason = st.text_input(t("roster.override_reason"), key="roster_override_reason")
        if st.button(t("roster.override"), key="roster_override_button", disabled=not reason.strip()):
            _run_assign(actor, shift_id, person_id, role, reason.strip(), people[person_id].name)
    show_message("assign")


def _run_assign(actor: Actor, shift_id: int, person_id: int, role: str | None, reason: str | None, name: str) -> None:
    """Call the service; keep its outcome, or its refusal, for the rerun that redraws the table."""
    st.session_state.pop(PENDING_KEY, None)
    try:
        outcome = roster.assign(session_factory=factory(), actor=actor, shift_id=shift_id, person_id=person_id,
                                role_kind=role, override_reason=reason)
    except RestTooShort as short:
        st.session_state[PENDING_KEY] = (shift_id, person_id, role, words(short.key, short.values))
    except (RosterRefused, Forbidden) as refused:
        said("assign", refused)
    else:
        done = "roster.waitlisted_ok" if outcome.status is AssignmentStatus.WAITLISTED else "roster.assigned"
        notes = [t(w) for w in outcome.warnings if w != "roster.waitlisted"]
        say("assign", "warning" if notes else "success", " ".join([plain_t(done, name=name), *notes]))
    st.rerun()


def _withdraw(actor: Actor, rows: list[ShiftRow], shifts: dict[int, str]) -> None:
    """Take someone off a shift of the night, picked shift first; the waitlist moves up."""
    staffed = [r.shift_id for r in rows if r.holders or r.waitlist]
    if not staffed:
        show_message("withdraw")
        return
    st.markdown(f"**{t('roster.withdraw_heading')}**")
    shift_id = st.selectbox(t("roster.pick_shift"), staffed, key="roster_withdraw_shift", format_func=shifts.get)
    row = next(r for r in rows if r.shift_id == shift_id)
    role = role_names()
    choices = {h.assignment_id: t("roster.holder_waiting" if h.status is AssignmentStatus.WAITLISTED
                                  else "roster.holder", name=h.name, role=role(h.role_kind))
               for h in (*row.holders, *row.waitlist)}
    chosen = st.selectbox(t("roster.withdraw_person"), list(choices), key="roster_withdraw_pick",
                          format_func=choices.get)
    if st.button(t("roster.withdraw"), key="roster_withdraw_button"):
        try:
            roster.withdraw(session_factory=factory(), actor=actor, assignment_id=chosen)
        except (RosterRefused, Forbidden) as refused:
            said("withdraw", refused)
        else:
            say("withdraw", "success", t("roster.withdrawn"))
        st.rerun()
    show_message("withdraw")
