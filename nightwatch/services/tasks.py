"""A responder's tasks: the tips dispatched to them, and acknowledging, arriving and closing each.

Only the person a dispatch was sent to may move it. The tip follows through nightwatch.tips:
the first acknowledgement acknowledges the tip, the first arrival puts it on scene, a close closes it.
A task never shows who reported the tip or how to reach them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from db.models import Dispatch, District, Grid, Tip
from nightwatch.access import PATROLLING, Actor, Forbidden, require_role
from nightwatch.privacy import mask_phones_in
from nightwatch.services.audit import record
from nightwatch.text import optional_text
from nightwatch.tips import TipEvent, TipTransitionRefused, advance, apply_state, state_of
from nightwatch.vocab import OPEN_TIP_STATUSES, DispatchStatus, Outcome, TipCategory, TipStatus, Urgency

WAITING = (DispatchStatus.SENT, DispatchStatus.ESCALATED)
OPEN = (*WAITING, DispatchStatus.ACKNOWLEDGED, DispatchStatus.ON_SCENE)
# dispatch step → (dispatch statuses it may come from, tip event, tip statuses where the tip moves too)
STEPS = {
    "acknowledge": (WAITING, TipEvent.ACKNOWLEDGE, (TipStatus.DISPATCHED,)),
    "arrive": ((*WAITING, DispatchStatus.ACKNOWLEDGED), TipEvent.ARRIVE, (TipStatus.DISPATCHED, TipStatus.ACKNOWLEDGED)),
    "close": (OPEN, TipEvent.CLOSE, (TipStatus.DISPATCHED, TipStatus.ACKNOWLEDGED, TipStatus.ON_SCENE)),
}
OUTCOMES = (Outcome.MEDIATED, Outcome.FOUND, Outcome.RETURNED, Outcome.REFERRED, Outcome.FALSE_ALARM, Outcome.RESOLVED)


class TasksRefused(Exception):
    """A task step was refused; the message is a catalog key."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Task:
    """A tip dispatched to me: what, where exactly, how long it has waited; never who reported it."""

    dispatch_id: int
    tip_id: int
    category: TipCategory
    urgency: Urgency
    status: DispatchStatus
    tip_status: TipStatus
    text: str
    location_note: str | None
    lat: float | None
    lon: float | None
    grid: str | None
    received_at: datetime
    sent_at: datetime
    waited_min: int
    timezone: str = "Asia/Shanghai"


def my_tasks(*, session_factory: sessionmaker, actor: Actor, now: datetime) -> list[Task]:
    """The actor's open dispatches, newest first."""
    require_role(actor, PATROLLING)
    if actor.person_id is None:
        return []
    with session_factory() as session:
        rows = session.execute(
            select(Dispatch.id, Tip.id, Tip.category, Tip.urgency, Dispatch.status, Tip.status, Tip.text,
                   Tip.location_note, Tip.lat, Tip.lon, Grid.name, Tip.received_at, Dispatch.sent_at, District.timezone)
            .join(Tip, Tip.id == Dispatch.tip_id).join(District, District.id == Tip.district_id)
            .outerjoin(Grid, Grid.id == Tip.grid_id)
            .where(Dispatch.person_id == actor.person_id, Dispatch.status.in_(OPEN))
            .order_by(Dispatch.sent_at.desc(), Dispatch.id.desc())
        ).all()
    # Free text may quote a phone number; a responder sees it masked like every non-coordinator.
    return [Task(*r[:6], mask_phones_in(r[6] or ""), *r[7:13], max(0, int((now - r[11]).total_seconds() // 60)), r[13])
            for r in rows]


def _own_dispatch(session: Session, actor: Actor, dispatch_id: int) -> Dispatch:
    """The dispatch, locked, when it was sent to the actor's own person."""
    require_role(actor, PATROLLING)
    dispatch = session.scalar(select(Dispatch).where(Dispatch.id == dispatch_id).with_for_update())
    if dispatch is None or actor.person_id is None or dispatch.person_id != actor.person_id:
        raise Forbidden("tasks.not_yours")
    return dispatch


def _move(session_factory: sessionmaker, actor: Actor, dispatch_id: int, name: str, now: datetime,
          outcome: Outcome | None = None, note: str | None = None) -> None:
    sources, event, tip_moves_from = STEPS[name]
    with session_factory.begin() as session:
        dispatch = _own_dispatch(session, actor, dispatch_id)
        if dispatch.status not in sources:
            raise TasksRefused(f"tasks.cannot_{name}")
        tip = session.scalar(select(Tip).where(Tip.id == dispatch.tip_id).with_for_update())
        before = {"dispatch": dispatch.status.value, "tip": tip.status.value}
        if tip.status in tip_moves_from:
            if event is TipEvent.CLOSE and outcome is Outcome.REFERRED:
                event = TipEvent.REFER
            try:
                apply_state(tip, advance(state_of(tip), event, now, outcome if event is TipEvent.CLOSE else None))
            except TipTransitionRefused as refused:
                raise TasksRefused(refused.key) from refused
        elif tip.status not in OPEN_TIP_STATUSES:
            raise TasksRefused("tasks.tip_not_open")
        _stamp(dispatch, name, now, outcome, note)
        if name == "close":
            tip.outcome_note = tip.outcome_note or dispatch.note
            session.execute(update(Dispatch).where(Dispatch.tip_id == tip.id, Dispatch.id != dispatch.id,
                                                   Dispatch.status.in_(OPEN))
                            .values(status=DispatchStatus.CANCELLED, closed_at=now))
        record(session, actor, f"task.{name}", "dispatch", dispatch.id, district_id=tip.district_id, before=before,
               after={"dispatch": dispatch.status.value, "tip": tip.status.value,
                      **({"outcome": outcome.value} if outcome else {})})


def _stamp(dispatch: Dispatch, name: str, now: datetime, outcome: Outcome | None, note: str | None) -> None:
    """Set the dispatch's own status and timestamp for the step."""
    if name == "acknowledge":
        dispatch.status, dispatch.acknowledged_at = DispatchStatus.ACKNOWLEDGED, now
    elif name == "arrive":
        dispatch.status, dispatch.on_scene_at = DispatchStatus.ON_SCENE, now
        dispatch.acknowledged_at = dispatch.acknowledged_at or now
    else:
        dispatch.status, dispatch.closed_at, dispatch.outcome = DispatchStatus.CLOSED, now, outcome
        dispatch.note = optional_text(note)


def acknowledge(*, session_factory: sessionmaker, actor: Actor, dispatch_id: int, now: datetime) -> None:
    """Say 收到: I have seen it and am going."""
    _move(session_factory, actor, dispatch_id, "acknowledge", now)


def arrive(*, session_factory: sessionmaker, actor: Actor, dispatch_id: int, now: datetime) -> None:
    """Say 到场: I am on scene."""
    _move(session_factory, actor, dispatch_id, "arrive", now)


def close(*, session_factory: sessionmaker, actor: Actor, dispatch_id: int, outcome: Outcome, note: str,
          now: datetime) -> None:
    """Say 办结 with an outcome and a note; the tip closes (or is referred, for 'referred')."""
    if outcome not in OUTCOMES:
        raise TasksRefused("tasks.bad_outcome")
    _move(session_factory, actor, dispatch_id, "close", now, Outcome(outcome), note)
