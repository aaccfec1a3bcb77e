"""Dispatching a tip (情指行): send responders, escalate when nobody answers, refer to 110, merge duplicates.

Every tip status change goes through nightwatch.tips.advance; every write is audited; only
coordinators of the tip's district (and administrators) may do any of it.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from db.models import Dispatch, District, Person, Tip, TipFollower
from nightwatch.access import COORDINATING, Actor, require_district, require_role
from nightwatch.config import Settings
from nightwatch.services import heat_rollup, notices
from nightwatch.services.audit import record
from nightwatch.services.dispatch_board import escalate_after_min, notice_facts, ranked_candidates
from nightwatch.text import optional_text
from nightwatch.tips import TipEvent, TipTransitionRefused, advance, apply_state, state_of
from nightwatch.vocab import OPEN_DISPATCH_STATUSES, DispatchStatus, TipStatus
from nightwatch.webhook import payload


class DispatchRefused(Exception):
    """A dispatch step was refused; the message is a catalog key, `values` fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def locked_tip(session: Session, actor: Actor, tip_id: int) -> Tip:
    """The tip, locked for this write, once the actor is known to coordinate its district."""
    require_role(actor, COORDINATING)
    tip = session.scalar(select(Tip).where(Tip.id == tip_id).with_for_update())
    if tip is None:
        raise DispatchRefused("dispatch.no_tip")
    require_district(actor, tip.district_id)
    return tip


def step(tip: Tip, event: TipEvent, at: datetime, **extra: object) -> None:
    """Move the tip through the life cycle, refusing in the dispatch area's words."""
    try:
        apply_state(tip, advance(state_of(tip), event, at, **extra))
    except TipTransitionRefused as refused:
        raise DispatchRefused(refused.key) from refused


def _send(session: Session, actor: Actor, tip: Tip, person_ids: list[int], now: datetime, kind: str,
          settings: Settings | None) -> tuple[list[int], str | None]:
    """Add one dispatch per new person, move the tip on, audit, queue a notice; returns ids and notice key."""
    taken = set(session.scalars(select(Dispatch.person_id).where(Dispatch.tip_id == tip.id)))
    people = session.scalars(select(Person).where(Person.id.in_(person_ids))).all()
    if any(p.district_id != tip.district_id or not p.active for p in people) or len(people) != len(set(person_ids)):
        raise DispatchRefused("dispatch.not_in_district")
    fresh = [p for p in sorted(people, key=lambda p: person_ids.index(p.id)) if p.id not in taken]
    if not fresh:
        raise DispatchRefused("dispatch.already_sent")
    step(tip, TipEvent.DISPATCH, now)
    distances = {r.candidate.person_id: r.distance_m for r in ranked_candidates(session, tip, now)}
    rows = [Dispatch(tip_id=tip.id, person_id=p.id, sent_by_account_id=actor.account_id, sent_at=now,
                     distance_m=distances.get(p.id)) for p in fresh]
    session.add_all(rows)
    session.flush()
    ids = [row.id for row in rows]
    record(session, actor, f"tip.{kind}", "tip", tip.id, district_id=tip.district_id,
           after={"status": tip.status.value, "dispatch_ids": ids, "person_ids": [p.id for p in fresh]})
    key = None
    if notices.enabled(settings):
        key = f"{kind}:{tip.id}:{ids[0]}"
        body = payload(settings.webhook_kind, notice_facts(session, tip, [p.name for p in fresh], now, kind))
        notices.enqueue(session, key=key, kind=kind, district_id=tip.district_id, body=body)
    return ids, key


def _after(session_factory: sessionmaker, settings: Settings | None, key: str | None, background: bool) -> None:
    """Send the queued notice once the write has committed, never inside it."""
    if key is None:
        return
    if background:
        notices.send_soon(session_factory=session_factory, settings=settings, keys=[key])
    else:
        notices.send_pending(session_factory=session_factory, settings=settings, keys=[key])


def dispatch(*, session_factory: sessionmaker, actor: Actor, tip_id: int, person_ids: Iterable[int], now: datetime,
             settings: Settings | None = None, background: bool = False) -> list[int]:
    """Send the tip to one or more people of its district; returns the new dispatch ids."""
    chosen = list(dict.fromkeys(person_ids))
    if not chosen:
        raise DispatchRefused("dispatch.nobody_chosen")
    with session_factory.begin() as session:
        tip = locked_tip(session, actor, tip_id)
        ids, key = _send(session, actor, tip, chosen, now, "dispatch", settings)
    _after(session_factory, settings, key, background)
    return ids


def escalate(*, session_factory: sessionmaker, actor: Actor, tip_id: int, now: datetime, broadcast: bool = False,
             settings: Settings | None = None, background: bool = False) -> list[int]:
    """When nobody acknowledged within the district's window: the next nearest, or the grid's people on duty."""
    with session_factory.begin() as session:
        tip = locked_tip(session, actor, tip_id)
        if tip.status is not TipStatus.DISPATCHED:
            raise DispatchRefused("dispatch.escalate_when_" + tip.status.value)
        window = escalate_after_min(session.get(District, tip.district_id))
        last_sent = max(d.sent_at for d in tip.dispatches)
        if now - last_sent < timedelta(minutes=window):
            left = int((timedelta(minutes=window) - (now - last_sent)).total_seconds() // 60) + 1
            raise DispatchRefused("dispatch.escalate_too_soon", minutes=left)
        ranked = [r for r in ranked_candidates(session, tip, now) if not r.already_sent]
        grid_people = [r.candidate.person_id for r in ranked if r.grid_id is not None and r.grid_id == tip.grid_id]
        if broadcast or not ranked:
            targets, kind = grid_people, "broadcast"
        else:
            targets, kind = [ranked[0].candidate.person_id], "escalation"
        if not targets:
            raise DispatchRefused("dispatch.nobody_left")
        session.execute(update(Dispatch).where(Dispatch.tip_id == tip.id, Dispatch.status == DispatchStatus.SENT)
                        .values(status=DispatchStatus.ESCALATED, escalated_at=now))
        ids, key = _send(session, actor, tip, targets, now, kind, settings)
    _after(session_factory, settings, key, background)
    return ids


def _stop_dispatches(session: Session, tip_id: int, now: datetime) -> None:
    session.execute(update(Dispatch).where(Dispatch.tip_id == tip_id, Dispatch.status.in_(OPEN_DISPATCH_STATUSES))
                    .values(status=DispatchStatus.CANCELLED, closed_at=now))


def refer_to_110(*, session_factory: sessionmaker, actor: Actor, tip_id: int, note: str, now: datetime) -> None:
    """Record that the tip was handed to the police (110); open dispatches stand down."""
    with session_factory.begin() as session:
        tip = locked_tip(session, actor, tip_id)
        before = tip.status.value
        step(tip, TipEvent.REFER, now)
        tip.outcome_note = optional_text(note)
        _stop_dispatches(session, tip.id, now)
        record(session, actor, "tip.refer", "tip", tip.id, district_id=tip.district_id,
               before={"status": before}, after={"status": tip.status.value, "note": tip.outcome_note})


def merge(*, session_factory: sessionmaker, actor: Actor, duplicate_id: int, original_id: int, now: datetime) -> None:
    """Fold a duplicate into its original; the duplicate's reporter follows the original from now on."""
    if duplicate_id == original_id:
        raise DispatchRefused("dispatch.merge_same")
    with session_factory.begin() as session:
        first, second = sorted((duplicate_id, original_id))  # lock in id order: two merges never deadlock
        tips = {first: locked_tip(session, actor, first), second: locked_tip(session, actor, second)}
        duplicate, original = tips[duplicate_id], tips[original_id]
        if original.district_id != duplicate.district_id:
            raise DispatchRefused("dispatch.merge_other_district")
        if original.status in (TipStatus.MERGED,) or original.merged_into_id is not None:
            raise DispatchRefused("dispatch.merge_into_merged")
        before = duplicate.status.value
        step(duplicate, TipEvent.MERGE, now)
        duplicate.merged_into_id = original.id
        heat_rollup.count_tip(session, duplicate, -1)  # one incident, not two, on the heatmap
        _stop_dispatches(session, duplicate.id, now)
        session.execute(update(TipFollower).where(TipFollower.tip_id == duplicate.id).values(tip_id=original.id))
        session.add(TipFollower(tip_id=original.id, account_id=duplicate.reporter_account_id,
                                shop_id=duplicate.shop_id, merged_tip_id=duplicate.id, added_at=now))
        record(session, actor, "tip.merge", "tip", duplicate.id, district_id=duplicate.district_id,
               before={"status": before}, after={"status": duplicate.status.value, "merged_into": original.id})
