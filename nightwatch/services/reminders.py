"""Reminders to confirm a shift, and confirming it.

`reminders_due` is the hook for the outbound webhook of the tips issue: that sender does not
exist yet; when it does, it calls `reminders_due(session_factory=…, now=…)` on a timer and
sends each reminder once, keyed by `DueReminder.key` (the in-app cards need no such memory).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from db.models import Assignment, District, Person, Shift
from db.types import utcnow
from nightwatch.access import PATROLLING, Actor, require_role
from nightwatch.config import Settings
from nightwatch.nights import Slot, format_slot
from nightwatch.reminders import CONFIRMABLE, WINDOWS, reminder_for
from nightwatch.services import notices
from nightwatch.services.audit import record
from nightwatch.services.roster_views import where_of
from nightwatch.vocab import AssignmentStatus
from nightwatch.webhook import reminder_payload


class ConfirmRefused(Exception):
    """A confirmation was refused; the message is a catalog key."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class DueReminder:
    """A "please confirm" due now: whose, which shift, and which window (24 h or 2 h)."""

    key: str
    assignment_id: int
    person_id: int
    person: str
    district_id: int
    where: str
    when: str
    starts_at: datetime
    window_hours: int


def reminders_due(*, session_factory: sessionmaker, now: datetime,
                  person_id: int | None = None) -> list[DueReminder]:
    """Every unconfirmed held shift starting within the widest window, with the reminder due now."""
    horizon = max(WINDOWS)
    with session_factory() as session:
        query = (
            select(Assignment, Person.name, Shift, District.timezone)
            .join(Shift, Shift.id == Assignment.shift_id).join(Person, Person.id == Assignment.person_id)
            .join(District, District.id == Shift.district_id)
            .where(Assignment.status.in_(CONFIRMABLE), Assignment.confirmed_at.is_(None),
                   Assignment.starts_at > now, Assignment.starts_at <= now + horizon)
            .order_by(Assignment.starts_at, Assignment.id)
        )
        if person_id is not None:
            query = query.where(Assignment.person_id == person_id)
        rows = session.execute(query).all()
        names = where_of(session, [shift for _, _, shift, _ in rows])
    due = []
    for assignment, name, shift, tz in rows:
        reminder = reminder_for(assignment.id, assignment.person_id, assignment.starts_at, assignment.status,
                                assignment.confirmed_at, now)
        if reminder is None:
            continue
        when = format_slot(Slot(assignment.starts_at, assignment.ends_at), tz, shift.duty_date)
        due.append(DueReminder(reminder.key, assignment.id, assignment.person_id, name, shift.district_id,
                               names[shift.id][0], when, assignment.starts_at, reminder.hours))
    return due


def my_reminders(*, session_factory: sessionmaker, actor: Actor, now: datetime) -> list[DueReminder]:
    """The actor's own shifts waiting for a confirmation now."""
    require_role(actor, PATROLLING)
    if actor.person_id is None:
        return []
    return reminders_due(session_factory=session_factory, now=now, person_id=actor.person_id)


def confirm(*, session_factory: sessionmaker, actor: Actor, assignment_id: int,
            now: datetime | None = None) -> None:
    """Confirm one's own shift (any time before it ends); confirming twice changes nothing."""
    require_role(actor, PATROLLING)
    now = now or utcnow()
    with session_factory.begin() as session:
        assignment = session.get(Assignment, assignment_id)
        if assignment is None or actor.person_id is None or assignment.person_id != actor.person_id:
            raise ConfirmRefused("my_shifts.not_yours")
        if assignment.status not in CONFIRMABLE:
            raise ConfirmRefused("my_shifts.cannot_confirm")
        if now >= assignment.ends_at:
            raise ConfirmRefused("my_shifts.shift_over")
        if assignment.confirmed_at is not None:
            return
        before = {"status": str(assignment.status)}
        assignment.status, assignment.confirmed_at = AssignmentStatus.CONFIRMED, now
        district_id = session.scalar(select(Shift.district_id).where(Shift.id == assignment.shift_id))
        record(session, actor, "assignment.confirm", "assignment", assignment.id, district_id=district_id,
               before=before, after={"status": AssignmentStatus.CONFIRMED.value, "confirmed_at": now.isoformat()})




def send_reminders(*, session_factory: sessionmaker, settings: Settings | None, now: datetime) -> int:
    """Post each due reminder once to the configured group robot; returns how many were sent now."""
    if not notices.enabled(settings):
        return 0
    due = reminders_due(session_factory=session_factory, now=now)
    keys = []
    with session_factory.begin() as session:
        for reminder in due:
            key = f"reminder:{reminder.key}"
            body = reminder_payload(settings.webhook_kind, reminder.person, reminder.where, reminder.when,
                                    reminder.window_hours)
            if notices.enqueue(session, key=key, kind="reminder", district_id=reminder.district_id, body=body):
                keys.append(key)
    sent = notices.send_pending(session_factory=session_factory, settings=settings, keys=keys) if keys else {}
    return sum(1 for status in sent.values() if status == "sent")
