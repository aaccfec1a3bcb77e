"""A responder's own tasks on both backends: acknowledge, arrive, close; never someone else's; never the reporter."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import Dispatch, Tip
from dispatch_world import NOW, add_tip, build
from nightwatch.access import Forbidden
from nightwatch.services import dispatch as svc
from nightwatch.services import tasks, tonight
from nightwatch.vocab import DispatchStatus, Outcome, TipStatus


def sent(factory, world, people, **tip):
    tip_id = add_tip(factory, world, **tip)
    ids = svc.dispatch(session_factory=factory, actor=world.coordinator, tip_id=tip_id, person_ids=people, now=NOW)
    return tip_id, ids


def tip_row(factory, tip_id):
    with factory() as s:
        return s.get_one(Tip, tip_id)


def test_acknowledge_arrive_close_own_task_moves_the_tip_with_server_times(session_factory):
    w = build(session_factory)
    tip, [mine] = sent(session_factory, w, [w.near])
    me = w.actor(w.near)
    assert [t.dispatch_id for t in tasks.my_tasks(session_factory=session_factory, actor=me, now=NOW)] == [mine]
    tasks.acknowledge(session_factory=session_factory, actor=me, dispatch_id=mine, now=NOW + timedelta(minutes=1))
    tasks.arrive(session_factory=session_factory, actor=me, dispatch_id=mine, now=NOW + timedelta(minutes=2))
    tasks.close(session_factory=session_factory, actor=me, dispatch_id=mine, outcome=Outcome.MEDIATED,
                note="双方和解", now=NOW + timedelta(minutes=9))
    row = tip_row(session_factory, tip)
    assert row.status is TipStatus.CLOSED and row.outcome is Outcome.MEDIATED
    assert (row.acknowledged_at, row.on_scene_at, row.closed_at) == (
        NOW + timedelta(minutes=1), NOW + timedelta(minutes=2), NOW + timedelta(minutes=9))
    with session_factory() as s:
        d = s.get_one(Dispatch, mine)
    assert d.status is DispatchStatus.CLOSED and d.note == "双方和解"
    assert tasks.my_tasks(session_factory=session_factory, actor=me, now=NOW) == []


def test_a_volunteer_closing_a_tip_not_dispatched_to_them_is_refused(session_factory):
    w = build(session_factory)
    tip, [theirs] = sent(session_factory, w, [w.near])
    for step in (lambda a: tasks.close(session_factory=session_factory, actor=a, dispatch_id=theirs,
                                       outcome=Outcome.FALSE_ALARM, note="", now=NOW),
                 lambda a: tasks.acknowledge(session_factory=session_factory, actor=a, dispatch_id=theirs, now=NOW)):
        with pytest.raises(Forbidden) as refused:
            step(w.actor(w.mid))
        assert refused.value.key == "tasks.not_yours"
    assert tip_row(session_factory, tip).status is TipStatus.DISPATCHED
    with pytest.raises(Forbidden):
        tasks.close(session_factory=session_factory, actor=w.coordinator, dispatch_id=theirs,
                    outcome=Outcome.FOUND, note="", now=NOW)


def test_the_first_acknowledgement_moves_the_tip_a_second_only_the_dispatch(session_factory):
    w = build(session_factory)
    tip, [a, b] = sent(session_factory, w, [w.near, w.mid])
    tasks.acknowledge(session_factory=session_factory, actor=w.actor(w.near), dispatch_id=a, now=NOW + timedelta(minutes=1))
    tasks.acknowledge(session_factory=session_factory, actor=w.actor(w.mid), dispatch_id=b, now=NOW + timedelta(minutes=2))
    assert tip_row(session_factory, tip).acknowledged_at == NOW + timedelta(minutes=1)
    tasks.close(session_factory=session_factory, actor=w.actor(w.mid), dispatch_id=b, outcome=Outcome.MEDIATED,
                note="", now=NOW + timedelta(minutes=5))
    with session_factory() as s:
        assert s.get_one(Dispatch, a).status is DispatchStatus.CANCELLED
    with pytest.raises(tasks.TasksRefused):
        tasks.arrive(session_factory=session_factory, actor=w.actor(w.near), dispatch_id=a, now=NOW + timedelta(minutes=6))


def test_closing_as_referred_hands_the_tip_to_110(session_factory):
    w = build(session_factory)
    tip, [mine] = sent(session_factory, w, [w.near])
    tasks.close(session_factory=session_factory, actor=w.actor(w.near), dispatch_id=mine, outcome=Outcome.REFERRED,
                note="转派出所", now=NOW + timedelta(minutes=3))
    assert tip_row(session_factory, tip).status is TipStatus.REFERRED


@pytest.mark.parametrize("anonymous", [True, False])
def test_my_tasks_never_carry_the_reporter_or_caller(session_factory, anonymous):
    w = build(session_factory)
    sent(session_factory, w, [w.near], anonymous=anonymous)
    [task] = tasks.my_tasks(session_factory=session_factory, actor=w.actor(w.near), now=NOW)
    shown = repr(task)
    for secret in ("王小姐", "13712345678", "老李", "merchant-li", "桂花糕老店"):
        assert secret not in shown
    assert task.location_note == "东西巷12号门口" and task.lat is not None and task.grid == "一号网格"
    assert not {"reporter", "caller_name", "caller_phone", "shop"} & set(vars(task))


def test_a_coordinator_has_no_tasks_page_of_their_own(session_factory):
    w = build(session_factory)
    with pytest.raises(Forbidden):
        tasks.my_tasks(session_factory=session_factory, actor=w.coordinator, now=NOW)
    with session_factory() as s:
        assert not s.scalars(select(Dispatch)).all()


def test_an_escalated_task_stays_on_the_responders_home_until_closed(session_factory):
    w = build(session_factory)
    tip, [mine] = sent(session_factory, w, [w.near])
    svc.escalate(session_factory=session_factory, actor=w.coordinator, tip_id=tip, now=NOW + timedelta(minutes=10))
    me = w.actor(w.near)
    with session_factory() as s:
        assert s.get_one(Dispatch, mine).status is DispatchStatus.ESCALATED
    night = tonight.my_night(session_factory=session_factory, actor=me, now=NOW + timedelta(minutes=11))
    assert [task.status for task in night.tasks] == [DispatchStatus.ESCALATED]
