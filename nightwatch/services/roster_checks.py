"""The roster's checks: refusals, the clash, rest and availability checks, row locks, the guarded save."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.errors import is_overlap
from db.models import Assignment, Availability, Person, Shift
from nightwatch.services.roster_views import describe, shift_slot
from nightwatch.shifts import MIN_REST, HeldShift, short_rest
from nightwatch.vocab import HOLDING_STATUSES


class RosterRefused(Exception):
    """A roster change was refused; `key` is a catalog key, `values` fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


class ShiftClash(RosterRefused):
    """The person already holds a shift that shares an instant with this one; names that shift."""

    def __init__(self, other_shift_id: int, **values: object) -> None:
        super().__init__("roster.clash", **values)
        self.other_shift_id = other_shift_id


class RestTooShort(RosterRefused):
    """Less than the minimum rest to the person's neighbouring night; pass override_reason to go ahead."""

    def __init__(self, hours: float, **values: object) -> None:
        super().__init__("roster.rest_short", hours=f"{hours:.1f}", minimum=f"{MIN_REST.total_seconds() / 3600:.0f}",
                         **values)
        self.hours = hours


def check_clash(session: Session, shift: Shift, person_id: int) -> None:
    """Refuse when the person holds another shift sharing an instant with this one."""
    other = session.scalar(select(Assignment.shift_id).where(
        Assignment.person_id == person_id, Assignment.status.in_(HOLDING_STATUSES), Assignment.shift_id != shift.id,
        Assignment.starts_at < shift.ends_at, Assignment.ends_at > shift.starts_at).limit(1))
    if other is not None:
        raise ShiftClash(other, **describe(session, get_shift(session, other)))


def check_rest(session: Session, shift: Shift, person_id: int, override_reason: str | None) -> list[str]:
    """Refuse too little rest to a neighbouring night unless a reason overrides it; the warning when it does."""
    near = session.execute(select(Shift).join(Assignment, Assignment.shift_id == Shift.id).where(
        Assignment.person_id == person_id, Assignment.status.in_(HOLDING_STATUSES), Shift.id != shift.id,
        Shift.starts_at < shift.ends_at + MIN_REST, Shift.ends_at > shift.starts_at - MIN_REST)).scalars().all()
    held = [HeldShift(s.duty_date, shift_slot(s)) for s in near]
    gap = short_rest(shift_slot(shift), shift.duty_date, held)
    if gap is None:
        return []
    if not (override_reason or "").strip():
        neighbour = min(near, key=lambda s: min(abs(s.ends_at - shift.starts_at), abs(shift.ends_at - s.starts_at)))
        raise RestTooShort(gap / timedelta(hours=1), **describe(session, neighbour))
    return ["roster.rest_overridden"]


def check_availability(session: Session, shift: Shift, person_id: int) -> list[str]:
    """A warning when the person said they cannot patrol on this night of the week."""
    available = session.scalar(select(Availability.available).where(
        Availability.person_id == person_id, Availability.weekday == shift.duty_date.weekday()))
    return ["roster.unavailable"] if available is False else []


def save(session: Session, assignment: Assignment, shift: Shift) -> None:
    """Flush in a savepoint, so the database's overlap refusal becomes a ShiftClash naming the other shift."""
    try:
        with session.begin_nested():
            session.add(assignment)
            session.flush()
    except IntegrityError as error:
        if not is_overlap(error):
            raise
        check_clash(session, shift, assignment.person_id)
        raise RosterRefused("roster.clash_unknown") from error


def get_shift(session: Session, shift_id: int) -> Shift:
    """A shift by id, or the refusal that it does not exist."""
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise RosterRefused("roster.no_shift")
    return shift


def lock_shift(session: Session, shift_id: int) -> None:
    """Hold the shift's row so racing sign-ups count its places one after another."""
    session.execute(select(Shift.id).where(Shift.id == shift_id).with_for_update(key_share=True))


def lock_person(session: Session, person_id: int) -> Person | None:
    """Hold the person's row so racing bookings of one person check clashes one after another."""
    session.execute(select(Person.id).where(Person.id == person_id).with_for_update(key_share=True))
    return session.get(Person, person_id)
