"""One hazard for a coordinator: photos, its steps so far, and the buttons for the step it can take next."""
from __future__ import annotations

import streamlit as st

from nightwatch.access import Actor
from nightwatch.services import hazard_reads, hazard_reinspection, hazards
from nightwatch.services.hazard_reads import HazardDetail
from nightwatch.ui.hazards_common import (
    badge,
    local,
    now_utc,
    run,
    show_photo,
    tonight,
    uploaded,
)
from nightwatch.ui.lang import action_label, t, vocab_label
from nightwatch.ui.native_words import photo_field
from nightwatch.ui.plain import plain, plain_t
from nightwatch.ui.store import store
from nightwatch.vocab import HazardStatus

FIXABLE = (HazardStatus.VERIFIED, HazardStatus.ASSIGNED, HazardStatus.REOPENED)


def show_detail(actor: Actor, hazard_id: int) -> None:
    """The hazard's facts, before/after photos, steps and next actions."""
    found = hazard_reads.detail(session_factory=store().session_factory, actor=actor, hazard_id=hazard_id,
                                today=tonight())
    row = found.hazard
    st.markdown(f"**#{row.id} {vocab_label(row.category)}** {badge(row.status)}"
                + (f" :red-badge[{t('hazards.overdue_days', n=row.days_overdue)}]" if row.overdue else ""))
    st.markdown(plain(row.description) or "—")
    facts = [plain_t("hazards.where_is", where=row.where or "—"), t("hazards.due", due=row.due_on or "—"),
             plain_t("hazards.party", party=row.responsible_party or "—")]
    if row.assignee:
        facts.append(plain_t("hazards.assignee_is", name=row.assignee))
    if row.reopen_count:
        facts.append(t("hazards.reopened_times", n=row.reopen_count))
    st.caption(" · ".join(facts))
    before, after = st.columns(2)
    with before:
        show_photo(row.photo_path, "hazards.photo_before")
    with after:
        show_photo(row.after_photo_path, "hazards.photo_after")
    if found.rectify_note:
        st.caption(plain_t("hazards.rectify_note_is", note=found.rectify_note))
    _history(found)
    _actions(actor, found)


def _history(found: HazardDetail) -> None:
    """The audited steps and the re-inspections, oldest first."""
    with st.expander(t("hazards.history"), icon=":material/history:"):
        for step in found.steps:
            who = f" · {plain(step.actor)}" if step.actor else ""
            st.markdown(f"- {local(step.at)} {action_label(step.action)}{who}")
        for check in found.inspections:
            result = (t("hazards.check_waiting") if check.done_at is None
                      else t("hazards.check_passed") if check.passed else t("hazards.check_failed"))
            st.markdown(f"- {t('hazards.check_on', night=check.duty_date)}: {result}"
                        + (f" — {plain(check.note)}" if check.note else ""))


def _actions(actor: Actor, found: HazardDetail) -> None:
    """The buttons for the step the hazard may take now; each carries the status shown."""
    row, factory = found.hazard, store().session_factory
    common = {"session_factory": factory, "actor": actor, "hazard_id": row.id, "expected": row.status}
    if row.status is HazardStatus.REPORTED:
        st.button(t("hazards.verify"), type="primary", icon=":material/verified:", key=f"hz.verify.{row.id}",
                  on_click=lambda: run(lambda: hazards.verify(**common, now=now_utc()), "hazards.verified_ok"))
    if row.status in FIXABLE:
        _assign_form(actor, row, common)
        _rectify_form(row, common)
    if row.status is HazardStatus.RECTIFIED:
        waiting = [c for c in found.inspections if c.done_at is None]
        if waiting:
            st.info(t("hazards.check_booked", night=waiting[-1].duty_date))
            _result_buttons(actor, waiting[-1].id)
    if row.status is HazardStatus.REINSPECTED:
        st.button(t("hazards.close"), type="primary", icon=":material/task_alt:", key=f"hz.close.{row.id}",
                  on_click=lambda: run(lambda: hazards.close(**common, now=now_utc()), "hazards.closed_ok"))
    if row.status is HazardStatus.CLOSED:
        st.button(t("hazards.reopen"), icon=":material/restart_alt:", key=f"hz.reopen.{row.id}",
                  on_click=lambda: run(lambda: hazards.reopen(**common, now=now_utc()), "hazards.reopened_ok"))


def _assign_form(actor: Actor, row, common: dict) -> None:
    """Pick the follow-up person and the responsible party (交办)."""
    people = dict(hazard_reads.people_of(session_factory=store().session_factory, actor=actor,
                                         district_id=row.district_id))
    with st.expander(t("hazards.assign"), icon=":material/assignment_ind:", expanded=row.status is not
                     HazardStatus.ASSIGNED):
        st.selectbox(t("hazards.assignee"), list(people), key=f"hz.assignee.{row.id}",
                     format_func=lambda pid: people.get(pid, "—"))
        st.text_input(t("hazards.responsible_party"), value=row.responsible_party or "", key=f"hz.party.{row.id}",
                      max_chars=120)

        def _assign() -> None:
            state = st.session_state
            run(lambda: hazards.assign(**common, assignee_id=state.get(f"hz.assignee.{row.id}"),
                                       responsible_party=state.get(f"hz.party.{row.id}"), now=now_utc()),
                "hazards.assigned_ok")

        st.button(t("hazards.assign"), type="primary", key=f"hz.assign.{row.id}", on_click=_assign)


def _rectify_form(row, common: dict) -> None:
    """Record the fix with its after photo (the 复查 is booked by the service)."""
    with st.expander(t("hazards.rectify"), icon=":material/build:"):
        photo_field(t("hazards.photo_after"), key=f"hz.after.{row.id}")
        st.text_area(t("hazards.rectify_note"), key=f"hz.rnote.{row.id}", max_chars=500, height=70)

        def _rectify() -> None:
            run(lambda: hazards.rectify(**common, photo=uploaded(f"hz.after.{row.id}"),
                                        note=st.session_state.get(f"hz.rnote.{row.id}", ""), now=now_utc()),
                "hazards.rectified_ok")

        st.button(t("hazards.rectify"), type="primary", key=f"hz.rectify.{row.id}", on_click=_rectify)


def _result_buttons(actor: Actor, inspection_id: int) -> None:
    """A coordinator may record the 复查 themselves."""
    st.text_input(t("hazards.check_note"), key=f"hz.cnote.{inspection_id}", max_chars=500)

    def _record(passed: bool) -> None:
        run(lambda: hazard_reinspection.record_result(
            session_factory=store().session_factory, actor=actor, inspection_id=inspection_id, passed=passed,
            note=st.session_state.get(f"hz.cnote.{inspection_id}", ""), now=now_utc()),
            "hazards.check_passed_ok" if passed else "hazards.check_failed_ok")

    with st.container(horizontal=True):
        st.button(t("hazards.pass"), type="primary", icon=":material/check:", key=f"hz.pass.{inspection_id}",
                  on_click=_record, args=(True,))
        st.button(t("hazards.fail"), icon=":material/close:", key=f"hz.fail.{inspection_id}",
                  on_click=_record, args=(False,))
