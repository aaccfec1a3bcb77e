"""A volunteer's own shifts: coming and past (with hours and points), and their .ics calendar."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from db.models import Assignment, District, PointsEntry, Shift, SwapOffer
from nightwatch import attendance
from nightwatch.access import PATROLLING, Actor, require_role
from nightwatch.calendar import CalendarShift, shifts_ics
from nightwatch.nights import Slot, format_slot
from nightwatch.services.roster_views import where_of
from nightwatch.vocab import HOLDING_STATUSES, OPEN_SWAP_STATUSES, AssignmentStatus, SwapStatus

PAST_LIMIT = 30
CALENDAR_BACK = timedelta(days=30)
SHOWN = (*HOLDING_STATUSES, AssignmentStatus.WAITLISTED)


@dataclass(frozen=True)
class MyShiftRow:
    """One of my shifts: where and when, my status, my open swap offer, hours and points once done."""

    assignment_id: int
    shift_id: int
    duty_date: date
    where: str
    when: str
    starts_at: datetime
    ends_at: datetime
    status: AssignmentStatus
    confirmed: bool
    attended: bool
    role_kind: str | None
    swap_id: int | None
    swap_status: SwapStatus | None
    hours: float
    points: int
    district: str

    def on_now(self, now: datetime) -> bool:
        """True while the shift runs."""
        return self.starts_at <= now < self.ends_at


@dataclass(frozen=True)
class MyShifts:
    """My coming (and current) shifts, soonest first, and my past ones, newest first."""

    upcoming: list[MyShiftRow]
    past: list[MyShiftRow]
    total_hours: float  # everything the ledger ever credited
    total_points: int


def my_shifts(*, session_factory: sessionmaker, actor: Actor, now: datetime) -> MyShifts:
    """The actor's own shifts, split at `now`; past ones carry the ledger's hours and points."""
    rows = _rows(session_factory, actor, now, since=None)
    if actor.person_id is None:
        return MyShifts([], [], 0.0, 0)
    upcoming = [r for r in rows if r.ends_at > now]
    past = [r for r in reversed(rows) if r.ends_at <= now and r.status in HOLDING_STATUSES][:PAST_LIMIT]
    with session_factory() as session:
        hours, points = session.execute(
            select(func.coalesce(func.sum(PointsEntry.hours), 0), func.coalesce(func.sum(PointsEntry.points), 0))
            .where(PointsEntry.person_id == actor.person_id)).one()
    return MyShifts(upcoming, past, round(float(hours), 2), int(points))


def my_calendar(*, session_factory: sessionmaker, actor: Actor, now: datetime, name: str) -> bytes:
    """My held shifts of the last 30 days and to come, as an iCalendar file."""
    rows = _rows(session_factory, actor, now, since=now - CALENDAR_BACK)
    shifts = [CalendarShift(r.assignment_id, r.starts_at, r.ends_at, r.where, r.district)
              for r in rows if r.status in HOLDING_STATUSES]
    return shifts_ics(shifts, name=name, stamp=now)


def _rows(session_factory: sessionmaker, actor: Actor, now: datetime, since: datetime | None) -> list[MyShiftRow]:
    """The actor's held and waitlisted assignments, soonest first."""
    require_role(actor, PATROLLING)
    if actor.person_id is None:
        return []
    with session_factory() as session:
        query = (select(Assignment, Shift, District.timezone, District.name)
                 .join(Shift, Shift.id == Assignment.shift_id).join(District, District.id == Shift.district_id)
                 .where(Assignment.person_id == actor.person_id, Assignment.status.in_(SHOWN))
                 .order_by(Assignment.starts_at))
        if since is not None:
            query = query.where(Assignment.ends_at > since)
        found = session.execute(query).all()
        ids = [a.id for a, *_ in found]
        ledger = {row.assignment_id: (row.hours, row.points) for row in session.execute(
            select(PointsEntry.assignment_id, PointsEntry.hours, PointsEntry.points)
            .where(PointsEntry.assignment_id.in_(ids)))} if ids else {}
        offers = {row.assignment_id: (row.id, row.status) for row in session.execute(
            select(SwapOffer.id, SwapOffer.assignment_id, SwapOffer.status)
            .where(SwapOffer.assignment_id.in_(ids), SwapOffer.status.in_(OPEN_SWAP_STATUSES)))} if ids else {}
        places = where_of(session, [shift for _, shift, *_ in found])
    return [_row(a, s, tz, district, places[s.id][0], ledger.get(a.id), offers.get(a.id), now)
            for a, s, tz, district in found]


def _row(a: Assignment, shift: Shift, tz: str, district: str, where: str, credited: tuple | None,
         offer: tuple | None, now: datetime) -> MyShiftRow:
    slot = Slot(a.starts_at, a.ends_at)
    if credited is not None:
        hours, points = float(credited[0]), int(credited[1])
    else:
        # Not swept yet: what the sweep will credit, so the volunteer sees it the morning after.
        hours = attendance.attended_hours(slot, a.attended_at) if a.ends_at <= now else 0.0
        points = attendance.points_for(hours, a.role_kind)
    return MyShiftRow(a.id, shift.id, shift.duty_date, where, format_slot(slot, tz, shift.duty_date), a.starts_at,
                      a.ends_at, AssignmentStatus(a.status), a.confirmed_at is not None, a.attended_at is not None,
                      a.role_kind, offer[0] if offer else None, SwapStatus(offer[1]) if offer else None, hours,
                      points, district)
