"""/my_tasks on a phone: one card per dispatched tip, with 收到 / 到场 / 办结 (outcome and note)."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

from nightwatch.access import Actor
from nightwatch.services import tasks
from nightwatch.services.tasks import Task
from nightwatch.ui.dispatch_common import act, now_utc, show_flash
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.plain import plain, plain_t
from nightwatch.ui.store import store
from nightwatch.vocab import DispatchStatus, Outcome, Urgency

URGENT = (Urgency.HIGH, Urgency.CRITICAL)


def show_my_tasks(actor: Actor) -> None:
    """The responder's open tasks as cards, newest first."""
    st.title(f":material/task_alt: {t('page.my_tasks')}")
    if actor.person_id is None:
        st.info(t("tasks.no_person"))
        return
    show_flash()
    mine = tasks.my_tasks(session_factory=store().session_factory, actor=actor, now=now_utc())
    if not mine:
        st.info(t("tasks.none"))
        return
    for task in mine:
        with st.container(border=True):
            _card(actor, task)


def _card(actor: Actor, task: Task) -> None:
    colour = "red" if task.urgency in URGENT else "orange"
    st.markdown(f"**{vocab_label(task.category)}** :{colour}-badge[{vocab_label(task.urgency)}] · #{task.tip_id}")
    if task.text:
        st.markdown(plain(task.text))
    if task.location_note:
        st.markdown(plain_t("tasks.where", where=task.location_note))
    facts = [t("tasks.waited", n=task.waited_min, sent=f"{task.sent_at.astimezone(ZoneInfo(task.timezone)):%H:%M}"),
             t("tasks.status", status=vocab_label(task.status))]
    if task.grid:
        facts.insert(0, t("tasks.grid", grid=task.grid))
    st.caption(" · ".join(facts))
    if task.lat is not None:
        st.caption(t("tasks.point", lat=f"{task.lat:.5f}", lon=f"{task.lon:.5f}"))
    _buttons(actor, task)


def _buttons(actor: Actor, task: Task) -> None:
    waiting = task.status in (DispatchStatus.SENT, DispatchStatus.ESCALATED)
    with st.container(horizontal=True):
        if waiting:
            st.button(t("tasks.acknowledge"), key=f"ack_{task.dispatch_id}", type="primary",
                      icon=":material/thumb_up:", on_click=_step, args=(actor, task.dispatch_id, "acknowledge"))
        if task.status is not DispatchStatus.ON_SCENE:
            st.button(t("tasks.arrive"), key=f"arrive_{task.dispatch_id}", type="secondary" if waiting else "primary",
                      icon=":material/location_on:", on_click=_step, args=(actor, task.dispatch_id, "arrive"))
    with st.expander(t("tasks.finish"), icon=":material/done_all:", expanded=task.status is DispatchStatus.ON_SCENE):
        st.selectbox(t("tasks.outcome"), list(tasks.OUTCOMES), key=f"outcome_{task.dispatch_id}",
                     format_func=vocab_label)
        st.text_area(t("tasks.note"), key=f"note_{task.dispatch_id}", max_chars=500, height=80)
        st.button(t("tasks.finish"), key=f"close_{task.dispatch_id}", type="primary", icon=":material/done_all:",
                  on_click=_close, args=(actor, task.dispatch_id))


def _step(actor: Actor, dispatch_id: int, name: str) -> None:
    call = tasks.acknowledge if name == "acknowledge" else tasks.arrive
    done = "tasks.acknowledged_ok" if name == "acknowledge" else "tasks.arrived_ok"
    act(lambda: call(session_factory=store().session_factory, actor=actor, dispatch_id=dispatch_id, now=now_utc()),
        lambda _: t(done), fallback="tasks.refused")


def _close(actor: Actor, dispatch_id: int) -> None:
    outcome = Outcome(st.session_state[f"outcome_{dispatch_id}"])
    note = st.session_state.get(f"note_{dispatch_id}", "")
    act(lambda: tasks.close(session_factory=store().session_factory, actor=actor, dispatch_id=dispatch_id,
                            outcome=outcome, note=note, now=now_utc()),
        lambda _: t("tasks.closed_ok"), fallback="tasks.refused")
