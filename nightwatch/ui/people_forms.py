"""Forms under the people table: add a person, move or deactivate several, and weekly availability."""
from __future__ import annotations

import streamlit as st

from nightwatch.access import Actor
from nightwatch.services import people
from nightwatch.services.people import PersonFields, PersonRow
from nightwatch.services.people_teams import TeamRow
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.people_common import (
    REFUSALS,
    factory,
    keep,
    refusal_text,
    renew,
    save_then_rerun,
    show_kept,
    version,
)
from nightwatch.ui.plain import plain_t
from nightwatch.vocab import RoleKind

NO_TEAM = 0


def _person_label(rows: list[PersonRow]) -> dict[int, str]:
    return {r.id: f"{r.name} · {r.team or t('people.no_team')}" for r in rows}


def add_person_form(actor: Actor, district_id: int, teams: list[TeamRow], grids: dict[int, str]) -> None:
    """A form for one new person; a refusal keeps what was typed, a success starts a blank form."""
    show_kept("add")
    team_names = {tm.id: tm.name for tm in teams if tm.active}
    v = version("add")
    with st.form(f"people_add_{v}", clear_on_submit=False):
        left, right = st.columns(2)
        name = left.text_input(t("people.col.name"), max_chars=80, key=f"people_add_name_{v}")
        phone = right.text_input(t("people.col.phone"), max_chars=20, help=t("people.phone_help"),
                                 key=f"people_add_phone_{v}")
        role = left.selectbox(t("people.col.role"), list(RoleKind), format_func=vocab_label)
        skills = right.multiselect(t("people.col.skills"), list(RoleKind), format_func=vocab_label)
        team = left.selectbox(t("people.col.team"), list(team_names), format_func=team_names.get, index=None,
                              placeholder=t("people.no_team"))
        grid = right.selectbox(t("people.col.grid"), list(grids), format_func=grids.get, index=None,
                               placeholder=t("people.no_grid"))
        submitted = st.form_submit_button(t("people.add"), type="primary", key=f"people_add_go_{v}")
    if submitted:
        fields = PersonFields(name=name, phone=phone, role_kind=role, skills=tuple(skills), team_id=team,
                              home_grid_id=grid)
        save_then_rerun(
            lambda: people.add_person(session_factory=factory(), actor=actor, district_id=district_id, fields=fields),
            fresh=("add", "editor"), scope="add", done=plain_t("people.added", name=name.strip()))


def move_form(actor: Actor, district_id: int, rows: list[PersonRow], teams: list[TeamRow]) -> None:
    """Move several people of the table to a team, or deactivate / bring them back."""
    show_kept("move")
    labels = _person_label(rows)
    chosen = st.multiselect(t("people.pick_people"), list(labels), format_func=labels.get,
                            key=f"people_pick_{version('move')}", placeholder=t("people.pick_placeholder"))
    targets = {NO_TEAM: t("people.no_team"), **{tm.id: tm.name for tm in teams if tm.active}}
    target_col, move_col, off_col, on_col = st.columns([3, 1, 1, 1], vertical_alignment="bottom")
    target = target_col.selectbox(t("people.move_to"), list(targets), format_func=targets.get, key="people_target")
    try:
        if move_col.button(t("people.move"), disabled=not chosen, key="people_move"):
            moved = people.move_people(session_factory=factory(), actor=actor, district_id=district_id,
                                       person_ids=chosen, team_id=target or None)
            _done(t("people.moved", count=moved, team=targets[target]))
        for column, active in ((off_col, False), (on_col, True)):
            word = "people.reactivate" if active else "people.deactivate"
            if column.button(t(word), disabled=not chosen, key=f"people_{word}"):
                changed = people.set_people_active(session_factory=factory(), actor=actor, district_id=district_id,
                                                   person_ids=chosen, active=active)
                _done(t("people.activated" if active else "people.deactivated", count=changed))
    except REFUSALS as refused:
        st.error(refusal_text(refused))


def _done(text: str) -> None:
    renew("move")
    renew("editor")
    keep("move", "success", text)
    st.rerun()


def availability_form(actor: Actor, district_id: int, rows: list[PersonRow]) -> None:
    """The nights of the week one person can patrol."""
    show_kept("availability")
    labels = _person_label(rows)
    person = st.selectbox(t("people.availability_person"), list(labels), format_func=labels.get, index=None,
                          placeholder=t("people.pick_placeholder"), key="people_avail_person")
    if person is None:
        return
    nights = people.availability_of(session_factory=factory(), actor=actor, district_id=district_id,
                                    person_id=person)
    with st.form(f"people_avail_{person}"):
        columns = st.columns(7)
        chosen = [columns[day].checkbox(t(f"weekday.{day}"), value=nights[day]) for day in range(7)]
        submitted = st.form_submit_button(t("people.availability_save"))
    if submitted:
        try:
            people.set_availability(session_factory=factory(), actor=actor, district_id=district_id,
                                    person_id=person, nights=chosen)
        except REFUSALS as refused:
            st.error(refusal_text(refused))
            return
        keep("availability", "success", plain_t("people.availability_saved", name=labels[person].split(" · ")[0]))
        st.rerun()
