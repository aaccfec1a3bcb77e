"""Changing or deleting a logged outreach event: pick one the actor may edit, change it, save or delete."""
from __future__ import annotations

from datetime import date

import streamlit as st

from nightwatch.access import Actor, Forbidden
from nightwatch.outreach import OutreachRefused
from nightwatch.services import outreach_list
from nightwatch.services.outreach_list import EventRow, FormChoices
from nightwatch.ui import outreach_form
from nightwatch.ui.lang import t
from nightwatch.ui.store import store

PICK_KEY = "outreach_pick"
LOADED_KEY = "outreach_loaded"


def _load(actor: Actor) -> None:
    """Selectbox callback: fill the edit form with the picked event's values."""
    event_id = st.session_state.get(PICK_KEY)
    outreach_form.clear(outreach_form.EDIT)
    if event_id is None:
        return
    try:
        form = outreach_list.event_input(session_factory=store().session_factory, actor=actor, event_id=event_id)
    except (OutreachRefused, Forbidden):
        return
    outreach_form.fill(outreach_form.EDIT, form)
    st.session_state[LOADED_KEY] = event_id


def show_edit(actor: Actor, district_id: int, editable: list[EventRow], choices: FormChoices, today: date,
              when: dict[int, str]) -> None:
    """An expander to change the events of the period the actor may edit (and delete, for coordinators)."""
    with st.expander(t("outreach.edit_title"), icon=":material/edit:"):
        if not editable:
            st.caption(t("outreach.nothing_to_edit"))
            return
        rows = {row.id: row for row in editable}
        if st.session_state.get(PICK_KEY) not in rows:
            st.session_state[PICK_KEY] = None
        picked = st.selectbox(t("outreach.pick_event"), [None, *rows], key=PICK_KEY, on_change=_load, args=(actor,),
                              format_func=lambda i: "—" if i is None else f"{when[i]} · {rows[i].title}")
        if picked is None:
            return
        if st.session_state.get(LOADED_KEY) != picked:
            _load(actor)
        outreach_form.fields(outreach_form.EDIT, choices, today, actor=actor, district_id=district_id)
        outreach_form.show_error(outreach_form.EDIT)
        save_col, delete_col = st.columns(2)
        save_col.button(t("outreach.save_changes"), type="primary", icon=":material/save:", key="outreach_edit.save",
                        on_click=outreach_form.save_edit, args=(actor, picked), width="stretch")
        if rows[picked].may_delete:
            delete_col.button(t("outreach.delete"), icon=":material/delete:", key="outreach_edit.delete",
                              on_click=outreach_form.delete, args=(actor, picked, rows[picked].title),
                              width="stretch")
