"""The roster: coordinators assign people, volunteers sign up and withdraw, a full shift keeps a waitlist.

Correct under concurrent writers: each write locks the shift row, then the person row
(``FOR NO KEY UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serialises writers)
before counting, and the database's overlap guard has the last word, turned into ShiftClash.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from db.errors import is_retryable
from db.models import Assignment, Shift
from db.types import utcnow
from nightwatch.access import COORDINATING, PATROLLING, Actor, Forbidden, covers_district, require_district, require_role
from nightwatch.services.audit import record
from nightwatch.services.roster_checks import (
    RestTooShort,
    RosterRefused,
    ShiftClash,
    check_availability,
    check_clash,
    check_rest,
    get_shift,
    lock_person,
    lock_shift,
    save,
)
from nightwatch.services.roster_views import Holder, OpenSlot, ShiftRow, describe, held_by_role, night_roster, open_slots
from nightwatch.shifts import fits, kinds_of, pick_role, waiting_role
from nightwatch.vocab import HOLDING_STATUSES, AssignmentStatus

__all__ = [
    "AssignOutcome", "Holder", "OpenSlot", "RestTooShort", "RosterRefused", "ShiftClash", "ShiftRow",
    "assign", "assign_in", "night_roster", "open_slots", "rebalance_in", "sign_up", "withdraw",
]

T = TypeVar("T")
# PostgreSQL may pick a deadlock or serialisation victim among racing writers; run it again this often.
RETRIES = 5


@dataclass(frozen=True)
class AssignOutcome:
    """Where the person stands after an assignment or sign-up, and warnings (catalog keys) to show."""

    assignment_id: int
    status: AssignmentStatus
    warnings: tuple[str, ...]


def assign(*, session_factory: sessionmaker, actor: Actor, shift_id: int, person_id: int,
           role_kind: str | None = None, override_reason: str | None = None,
           now: datetime | None = None) -> AssignOutcome:
    """Put a person of the district on a shift (waitlisted when their roles are full); for its coordinators."""
    require_role(actor, COORDINATING)
    now = now or utcnow()

    def work(session: Session) -> AssignOutcome:
        shift = get_shift(session, shift_id)
        require_district(actor, shift.district_id)
        return _outcome(*_place(session, shift, person_id, role_kind, override_reason, now, actor))

    return _write(session_factory, work)


def sign_up(*, session_factory: sessionmaker, actor: Actor, shift_id: int, now: datetime | None = None) -> AssignOutcome:
    """A volunteer or team leader signs themselves up for a coming shift; waitlisted when it is full."""
    require_role(actor, PATROLLING)
    if actor.person_id is None:
        raise RosterRefused("roster.no_person")
    now = now or utcnow()

    def work(session: Session) -> AssignOutcome:
        shift = get_shift(session, shift_id)
        if shift.starts_at <= now:
            raise RosterRefused("roster.started")
        return _outcome(*_place(session, shift, actor.person_id, None, None, now, actor))

    return _write(session_factory, work)


def withdraw(*, session_factory: sessionmaker, actor: Actor, assignment_id: int, now: datetime | None = None) -> None:
    """Take a person off a coming shift (their own, or any for its coordinators); the waitlist moves up."""
    now = now or utcnow()

    def work(session: Session) -> None:
        assignment = session.get(Assignment, assignment_id)
        if assignment is None:
            raise RosterRefused("roster.no_assignment")
        shift = get_shift(session, assignment.shift_id)
        own = actor.person_id is not None and actor.person_id == assignment.person_id and actor.role in PATROLLING
        if not own and not (actor.is_coordinator and covers_district(actor, shift.district_id)):
            raise Forbidden("access.other_district" if actor.is_coordinator else "access.role")
        lock_shift(session, shift.id)
        lock_person(session, assignment.person_id)
        session.refresh(assignment)
        status = AssignmentStatus(assignment.status)
        if status not in (*HOLDING_STATUSES, AssignmentStatus.WAITLISTED):
            raise RosterRefused("roster.not_active")
        if shift.starts_at <= now:
            raise RosterRefused("roster.started")
        assignment.status = AssignmentStatus.WITHDRAWN
        session.flush()
        record(session, actor, "assignment.withdraw", "assignment", assignment.id, district_id=shift.district_id,
               before={"status": status.value}, after={"status": AssignmentStatus.WITHDRAWN.value,
                                                       "shift_id": shift.id, "person_id": assignment.person_id})
        if status in HOLDING_STATUSES:
            _promote(session, shift, actor)

    _write(session_factory, work)


def assign_in(session: Session, *, shift: Shift, person_id: int, role_kind: str | None,
              override_reason: str | None, now: datetime, actor: Actor) -> Assignment:
    """Put a person on a shift inside the caller's transaction; raises ShiftClash, RestTooShort or RosterRefused.

    The caller checks the actor's right to do so; this checks the person, the role, the clash and the rest.
    """
    return _place(session, shift, person_id, role_kind, override_reason, now, actor)[0]


def _place(session: Session, shift: Shift, person_id: int, role_kind: str | None, override_reason: str | None,
           now: datetime, actor: Actor) -> tuple[Assignment, tuple[str, ...]]:
    """Assign or waitlist under the shift's and the person's locks; the assignment and its warnings."""
    if shift.ends_at <= now:
        raise RosterRefused("roster.ended")
    lock_shift(session, shift.id)
    person = lock_person(session, person_id)
    if person is None or not person.active:
        raise RosterRefused("roster.person_unknown")
    if person.district_id != shift.district_id:
        raise Forbidden("access.other_district")
    kinds = kinds_of(person.role_kind, person.skills or ())
    required = dict(shift.required or {})
    if (role_kind is not None and role_kind not in kinds) or not fits(kinds, required):
        raise RosterRefused("roster.role_unfit", **describe(session, shift))
    existing = session.scalar(select(Assignment).where(Assignment.shift_id == shift.id,
                                                       Assignment.person_id == person_id))
    if existing is not None and existing.status in HOLDING_STATUSES:
        raise RosterRefused("roster.already_on", **describe(session, shift))
    role = pick_role(kinds, required, held_by_role(session, shift.id), role_kind)
    warnings: list[str] = []
    if role is None:
        status, role = AssignmentStatus.WAITLISTED, waiting_role(kinds, required, role_kind)
        warnings.append("roster.waitlisted")
        if existing is not None and existing.status == AssignmentStatus.WAITLISTED:
            return existing, tuple(warnings)
    else:
        status = AssignmentStatus.ASSIGNED
        check_clash(session, shift, person_id)
        warnings += check_rest(session, shift, person_id, override_reason)
        warnings += check_availability(session, shift, person_id)
    assignment = existing or Assignment(shift_id=shift.id, person_id=person_id)
    assignment.status, assignment.role_kind = status, role
    assignment.starts_at, assignment.ends_at = shift.starts_at, shift.ends_at
    assignment.override_reason = override_reason if "roster.rest_overridden" in warnings else None
    save(session, assignment, shift)
    record(session, actor, f"assignment.{status.value}", "assignment", assignment.id, district_id=shift.district_id,
           after={"shift_id": shift.id, "person_id": person_id, "role_kind": role, "status": status.value,
                  "override_reason": assignment.override_reason})
    return assignment, tuple(warnings)


def _promote(session: Session, shift: Shift, actor: Actor) -> None:
    """Move the first waitlisted people who fit the freed places and hold nothing overlapping onto the shift."""
    required = dict(shift.required or {})
    waiting = session.scalars(select(Assignment).where(
        Assignment.shift_id == shift.id, Assignment.status == AssignmentStatus.WAITLISTED,
    ).order_by(Assignment.updated_at, Assignment.id)).all()
    for candidate in waiting:
        held = held_by_role(session, shift.id)
        person = lock_person(session, candidate.person_id)
        if person is None or not person.active:
            continue
        role = pick_role(kinds_of(person.role_kind, person.skills or ()), required, held, candidate.role_kind)
        if role is None:
            continue
        try:
            check_clash(session, shift, candidate.person_id)
            candidate.status, candidate.role_kind = AssignmentStatus.ASSIGNED, role
            save(session, candidate, shift)
        except RosterRefused:
            session.refresh(candidate)
            continue
        record(session, actor, "assignment.promote", "assignment", candidate.id, district_id=shift.district_id,
               before={"status": AssignmentStatus.WAITLISTED.value},
               after={"status": AssignmentStatus.ASSIGNED.value, "role_kind": role, "shift_id": shift.id})


def rebalance_in(session: Session, *, shift: Shift, actor: Actor) -> None:
    """After a shift's staffing changed: holders beyond a role's need wait again (latest first), then the waitlist moves up."""
    lock_shift(session, shift.id)
    required = dict(shift.required or {})
    holders = session.scalars(select(Assignment).where(
        Assignment.shift_id == shift.id, Assignment.status.in_((AssignmentStatus.ASSIGNED, AssignmentStatus.CONFIRMED)),
    ).order_by(Assignment.updated_at.desc(), Assignment.id.desc())).all()
    # Unconfirmed people step back before anyone who confirmed they are coming.
    holders = sorted(holders, key=lambda a: a.status == AssignmentStatus.CONFIRMED)
    if required:
        held = held_by_role(session, shift.id)
        for holder in holders:
            role = holder.role_kind or ""
            if held[role] > required.get(role, 0):
                held[role] -= 1
                before = AssignmentStatus(holder.status).value
                holder.status = AssignmentStatus.WAITLISTED
                record(session, actor, "assignment.waitlisted", "assignment", holder.id, district_id=shift.district_id,
                       before={"status": before}, after={"status": AssignmentStatus.WAITLISTED.value,
                                                         "shift_id": shift.id, "reason": "staffing_changed"})
        session.flush()
    _promote(session, shift, actor)


def _outcome(assignment: Assignment, warnings: tuple[str, ...]) -> AssignOutcome:
    return AssignOutcome(assignment.id, AssignmentStatus(assignment.status), warnings)


def _write(session_factory: sessionmaker, work: Callable[[Session], T]) -> T:
    """Run the work in a write transaction, again when PostgreSQL gave it up as a deadlock victim."""
    for attempt in range(RETRIES):
        try:
            with session_factory.begin() as session:
                return work(session)
        except DBAPIError as error:
            if not is_retryable(error) or attempt == RETRIES - 1:
                raise
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")
