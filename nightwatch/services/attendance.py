"""Attendance: check-ins mark people present, the sweep marks no-shows and credits attended time.

Who runs the sweep: anything periodic (a scheduler, a CLI command); it is idempotent, so running
it often, or twice at once, does no harm beyond the database serialising the two writers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Assignment, CheckIn, District, Person, PointsEntry, Shift
from nightwatch import attendance
from nightwatch.access import COORDINATING, Actor, require_district, require_role
from nightwatch.nights import Slot, duty_date_of, format_slot
from nightwatch.privacy import mask_phone
from nightwatch.services.audit import record
from nightwatch.services.roster_views import where_of
from nightwatch.vocab import AssignmentStatus

OPEN = (AssignmentStatus.ASSIGNED, AssignmentStatus.CONFIRMED)
# The sweep writes as the system itself, never as whoever happened to trigger it.
SWEEPER = Actor(login="system:attendance")
POINTS_REASON = "shift_done"
UNCONFIRMED_AHEAD = timedelta(hours=24)


def record_check_in(session: Session, check_in: CheckIn) -> Assignment | None:
    """Mark the person present on the shift their check-in falls in, on their first check-in there.

    Runs in the caller's transaction (the check-in service). A check-in after a no-show was
    marked still counts: the person came late, and is present from then.
    """
    if check_in.person_id is None:
        return None
    query = select(Assignment).where(
        Assignment.person_id == check_in.person_id, Assignment.starts_at <= check_in.at,
        Assignment.ends_at > check_in.at, Assignment.status.in_((*OPEN, AssignmentStatus.NO_SHOW)))
    if check_in.shift_id is not None:
        query = query.where(Assignment.shift_id == check_in.shift_id)
    assignment = session.scalars(query.order_by(Assignment.starts_at)).first()
    if assignment is None or not attendance.is_present(_slot(assignment), check_in.at):
        return None
    if assignment.attended_at is None or check_in.at < assignment.attended_at:
        assignment.attended_at = check_in.at
    if assignment.status == AssignmentStatus.NO_SHOW:
        assignment.status = AssignmentStatus.CONFIRMED if assignment.confirmed_at else AssignmentStatus.ASSIGNED
    return assignment


@dataclass(frozen=True)
class SweepReport:
    """What one sweep changed."""

    no_shows: int
    closed: int
    points_entries: int


# How long after a shift ends a late check-in may still turn its no-show into attendance.
NO_SHOW_REOPENS_FOR = timedelta(days=1)


def sweep(*, session_factory: sessionmaker, district_id: int, now: datetime) -> SweepReport:
    """Mark no-shows an hour in, close finished attended shifts as DONE and credit their hours once."""
    with session_factory.begin() as session:
        rows = session.execute(
            select(Assignment, Person.role_kind)
            .join(Shift, Shift.id == Assignment.shift_id).join(Person, Person.id == Assignment.person_id)
            .where(Shift.district_id == district_id, Assignment.starts_at <= now,
                   # A no-show can still turn present by a late check-in, but only while its shift is recent.
                   Assignment.status.in_(OPEN) | ((Assignment.status == AssignmentStatus.NO_SHOW)
                                                  & (Assignment.ends_at > now - NO_SHOW_REOPENS_FOR)))
        ).all()
        no_shows = [a for a, _ in rows if a.status in OPEN and attendance.is_no_show(_slot(a), a.attended_at, now)]
        for assignment in no_shows:
            assignment.status = AssignmentStatus.NO_SHOW
        finished = [(a, role) for a, role in rows if a.attended_at is not None and a.ends_at <= now]
        entries = _credit(session, finished)
        if no_shows or finished:
            record(session, SWEEPER, "attendance.sweep", "district", district_id, district_id=district_id,
                   after={"no_shows": sorted(a.id for a in no_shows),
                          "closed": sorted(a.id for a, _ in finished), "points_entries": entries})
        return SweepReport(len(no_shows), len(finished), entries)


def _credit(session: Session, finished: list[tuple[Assignment, str]]) -> int:
    """Close each finished attended assignment and write its ledger line unless one exists."""
    ids = [a.id for a, _ in finished]
    credited = set(session.scalars(select(PointsEntry.assignment_id).where(
        PointsEntry.assignment_id.in_(ids), PointsEntry.reason == POINTS_REASON))) if ids else set()
    written = 0
    for assignment, role_kind in finished:
        assignment.status = AssignmentStatus.DONE
        if assignment.id in credited:
            continue
        hours = attendance.attended_hours(_slot(assignment), assignment.attended_at)
        session.add(PointsEntry(
            person_id=assignment.person_id, assignment_id=assignment.id, at=assignment.ends_at, hours=hours,
            points=attendance.points_for(hours, assignment.role_kind or role_kind), reason=POINTS_REASON,
            detail={"shift_id": assignment.shift_id, "attended_at": assignment.attended_at.isoformat()}))
        written += 1
    return written


@dataclass(frozen=True)
class Flag:
    """A shift a coordinator should look at: nobody confirmed it yet, or nobody came."""

    assignment_id: int
    person: str
    phone_masked: str
    where: str
    when: str
    starts_at: datetime
    confirmed: bool


@dataclass(frozen=True)
class CoordinatorFlags:
    """Unconfirmed shifts starting within a day, and tonight's no-shows."""

    unconfirmed: list[Flag]
    no_shows: list[Flag]


def coordinator_flags(*, session_factory: sessionmaker, actor: Actor, district_id: int,
                      now: datetime) -> CoordinatorFlags:
    """What needs cover: unconfirmed shifts starting in the next 24 h, and no-shows of tonight."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    with session_factory() as session:
        tz = session.scalar(select(District.timezone).where(District.id == district_id))
        night = duty_date_of(now, tz)
        rows = session.execute(
            select(Assignment, Person.name, Person.phone, Shift)
            .join(Shift, Shift.id == Assignment.shift_id).join(Person, Person.id == Assignment.person_id)
            # The nights (a day either side) let the (district, duty date) index skip the district's history.
            .where(Shift.district_id == district_id,
                   Shift.duty_date >= duty_date_of(now - timedelta(hours=36), tz) - timedelta(days=1),
                   Shift.duty_date <= duty_date_of(now + UNCONFIRMED_AHEAD, tz) + timedelta(days=1),
                   Assignment.starts_at <= now + UNCONFIRMED_AHEAD, Assignment.ends_at > now - timedelta(hours=36),
                   Assignment.status.in_((*OPEN, AssignmentStatus.NO_SHOW)))
            .order_by(Assignment.starts_at, Person.name)
        ).all()
        names = where_of(session, [shift for *_, shift in rows])
    unconfirmed, no_shows = [], []
    for assignment, name, phone, shift in rows:
        flag = Flag(assignment.id, name, mask_phone(phone), names[shift.id][0],
                    format_slot(_slot(assignment), tz, shift.duty_date), assignment.starts_at,
                    assignment.confirmed_at is not None)
        if assignment.status == AssignmentStatus.ASSIGNED and assignment.confirmed_at is None \
                and now < assignment.starts_at:
            unconfirmed.append(flag)
        elif shift.duty_date == night and (assignment.status == AssignmentStatus.NO_SHOW or
                                           attendance.is_no_show(_slot(assignment), assignment.attended_at, now)):
            no_shows.append(flag)
    return CoordinatorFlags(unconfirmed, no_shows)


def _slot(assignment: Assignment) -> Slot:
    return Slot(assignment.starts_at, assignment.ends_at)
