"""Who is on duty at a moment, where they were last known to be, and how each grid is staffed."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from db.models import (
    Assignment,
    CheckIn,
    Checkpoint,
    District,
    Person,
    Shift,
    Team,
)
from nightwatch.nights import Slot, duty_date_of, format_slot, window_of_night
from nightwatch.situation import OnDuty
from nightwatch.vocab import HOLDING_STATUSES, TeamType


class Holding(NamedTuple):
    """One person holding a shift that is running at the moment (a tuple: a city district's map builds 100 a run)."""

    shift_id: int
    grid_id: int | None
    start: tuple[float, float] | None  # where its holders are before their first check-in (Shift.start_lat)
    start_source: str  # "post", "route" or "grid"
    required: dict[str, int]
    slot: Slot
    person_id: int
    name: str
    phone: str
    role: str
    team: str | None
    team_type: TeamType | None


# Built once: the map asks on every rerun, and building a statement costs more than running it.
HOLDINGS = (
    select(Shift.id, Shift.grid_id, Shift.start_lat, Shift.start_lon, Shift.start_source, Shift.required,
           Shift.starts_at, Shift.ends_at, Person.id, Person.name, Person.phone,
           func.coalesce(Assignment.role_kind, Person.role_kind), Team.name, Team.team_type)
    .join(Assignment, (Assignment.shift_id == Shift.id) & Assignment.status.in_(HOLDING_STATUSES))
    .join(Person, Person.id == Assignment.person_id)
    .outerjoin(Team, Team.id == func.coalesce(Shift.team_id, Person.team_id))
    # A bound on the start as well as the duty date, so the index on (district, start) reads days, not years.
    .where(Shift.district_id == bindparam("district"),
           Shift.duty_date.between(bindparam("night_before"), bindparam("night")),
           Shift.starts_at >= bindparam("earliest"), Shift.starts_at <= bindparam("at"),
           Shift.ends_at > bindparam("at"))
    .order_by(Person.name)
)
# The latest check-in of each person and shift, found by the database: a busy night holds hundreds per district.
_LATEST = (
    select(CheckIn.person_id, CheckIn.shift_id, func.max(CheckIn.at).label("at"))
    .where(CheckIn.district_id == bindparam("district"), CheckIn.at >= bindparam("earliest"),
           CheckIn.at <= bindparam("at"), CheckIn.person_id.in_(bindparam("people", expanding=True)))
    .group_by(CheckIn.person_id, CheckIn.shift_id)
    .subquery()
)
LAST_CHECK_INS = (
    select(CheckIn.person_id, CheckIn.shift_id, CheckIn.at, Checkpoint.lat, Checkpoint.lon)
    .join(_LATEST, (_LATEST.c.person_id == CheckIn.person_id) & (_LATEST.c.shift_id == CheckIn.shift_id)
          & (_LATEST.c.at == CheckIn.at))
    .join(Checkpoint, Checkpoint.id == CheckIn.checkpoint_id)
)


def holdings_at(session: Session, district: District, at: datetime) -> list[Holding]:
    """Everyone holding a shift of the district that runs at `at`."""
    night = duty_date_of(at, district.timezone)
    earliest = window_of_night(night - timedelta(days=2), district.timezone).starts_at
    rows = session.execute(HOLDINGS, {"district": district.id, "night_before": night - timedelta(days=1),
                                      "night": night, "earliest": earliest, "at": at}).all()
    return [Holding(r[0], r[1], None if r[2] is None or r[3] is None else (r[2], r[3]), r[4], r[5] or {},
                    Slot(r[6], r[7]), *r[8:]) for r in rows]


def staffed_by_grid(holdings: list[Holding]) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, int]]]:
    """People on duty per grid by role kind, and what the running shifts of each grid require."""
    staffed: dict[int, Counter[str]] = {}
    required: dict[int, Counter[str]] = {}
    counted: set[int] = set()
    for holding in holdings:
        if holding.grid_id is None:
            continue
        staffed.setdefault(holding.grid_id, Counter())[holding.role] += 1
        if holding.shift_id not in counted:
            counted.add(holding.shift_id)
            required.setdefault(holding.grid_id, Counter()).update(holding.required)
    return {g: dict(c) for g, c in staffed.items()}, {g: dict(c) for g, c in required.items()}


def people_on_duty(session: Session, district: District, at: datetime, holdings: list[Holding]) -> tuple[OnDuty, ...]:
    """Each person on duty at their last check-in of the shift, else their shift's start (post, route or grid).

    (The dispatch screen asks services.nearby_duty, which reads the same evidence for the nearest few only.)
    """
    if not holdings:
        return ()
    seen = _last_check_ins(session, district.id, at, holdings)
    shown: dict[Slot, str] = {}  # people on one shift share its wording; format it once
    people = []
    for h in holdings:
        if h.person_id in seen:
            ((lat, lon), when), source = seen[h.person_id], "checkin"
        elif h.start is not None:
            (lat, lon), when, source = h.start, h.slot.starts_at, h.start_source
        else:
            continue
        if h.slot not in shown:
            shown[h.slot] = format_slot(h.slot, district.timezone, duty_date_of(h.slot.starts_at, district.timezone))
        people.append(OnDuty(h.person_id, h.name, h.role, h.team, h.team_type, lat, lon, when, source,
                             shown[h.slot], h.phone, h.grid_id))
    return tuple(people)


def _last_check_ins(session: Session, district_id: int, at: datetime, holdings: list[Holding]
                    ) -> dict[int, tuple[tuple[float, float], datetime]]:
    """Each person's latest check-in on the shift they hold, up to `at`."""
    earliest = min(h.slot.starts_at for h in holdings)
    rows = session.execute(LAST_CHECK_INS, {"district": district_id, "earliest": earliest, "at": at,
                                            "people": sorted({h.person_id for h in holdings})}).all()
    shift_of = {h.person_id: h.shift_id for h in holdings}
    latest: dict[int, tuple[tuple[float, float], datetime]] = {}
    for person_id, shift_id, when, lat, lon in rows:
        if shift_id == shift_of[person_id] and lat is not None and (
                person_id not in latest or when > latest[person_id][1]):
            latest[person_id] = ((lat, lon), when)
    return latest
