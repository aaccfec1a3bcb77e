"""复查任务 on /my_tasks: re-inspections booked on my patrols, with before/after photos and Pass / Fail."""
from __future__ import annotations

import streamlit as st

from nightwatch.access import Actor
from nightwatch.services import hazard_reinspection
from nightwatch.services.hazard_reinspection import Reinspection
from nightwatch.ui.district import chosen_district
from nightwatch.ui.hazards import book_waiting
from nightwatch.ui.hazards_common import (
    local,
    now_utc,
    run,
    show_flash,
    show_photo,
    uploaded,
)
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.native_words import photo_field
from nightwatch.ui.plain import plain, plain_t
from nightwatch.ui.store import store


def show_reinspections(actor: Actor) -> None:
    """The 复查任务 section: nothing at all when there is none to do."""
    if actor.person_id is None:
        return
    book_waiting(actor, chosen_district(actor))
    due = hazard_reinspection.my_reinspections(session_factory=store().session_factory, actor=actor, now=now_utc())
    show_flash()
    if not due:
        return
    st.subheader(f":material/fact_check: {t('hazards.tasks_title')}")
    for check in due:
        with st.container(border=True):
            _card(actor, check)


def _card(actor: Actor, check: Reinspection) -> None:
    """What was wrong, what was done, the photos, and the result buttons."""
    st.markdown(f"**{vocab_label(check.category)}** · #{check.hazard_id}")
    if check.description:
        st.markdown(plain(check.description))
    patrol = (f"{local(check.shift_starts_at)}–{local(check.shift_ends_at, '%H:%M')}" if check.shift_starts_at
              else str(check.duty_date))
    st.caption(" · ".join(part for part in (plain_t("hazards.where_is", where=check.where or "—"),
                                            t("hazards.on_patrol", patrol=patrol),
                                            plain_t("hazards.grid_is", grid=check.grid) if check.grid else "") if part))
    if check.rectify_note:
        st.caption(plain_t("hazards.rectify_note_is", note=check.rectify_note))
    before, after = st.columns(2)
    with before:
        show_photo(check.photo_path, "hazards.photo_before")
    with after:
        show_photo(check.after_photo_path, "hazards.photo_after")
    st.text_input(t("hazards.check_note"), key=f"hz.t.note.{check.id}", max_chars=500)
    photo_field(t("hazards.check_photo"), key=f"hz.t.photo.{check.id}")
    with st.container(horizontal=True):
        st.button(t("hazards.pass"), type="primary", icon=":material/check:", key=f"hz.t.pass.{check.id}",
                  on_click=_record, args=(actor, check.id, True))
        st.button(t("hazards.fail"), icon=":material/close:", key=f"hz.t.fail.{check.id}",
                  on_click=_record, args=(actor, check.id, False))


def _record(actor: Actor, inspection_id: int, passed: bool) -> None:
    """Send the result; a refused one keeps the note and photo."""
    run(lambda: hazard_reinspection.record_result(
        session_factory=store().session_factory, actor=actor, inspection_id=inspection_id, passed=passed,
        note=st.session_state.get(f"hz.t.note.{inspection_id}", ""), photo=uploaded(f"hz.t.photo.{inspection_id}"),
        now=now_utc()), "hazards.check_passed_ok" if passed else "hazards.check_failed_ok")
