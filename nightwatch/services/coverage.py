"""The coverage board of a district's week, and who could fill one of its shifts."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from db.models import Assignment, Availability, District, DutyPost, Grid, Person, Route, Shift
from nightwatch.access import COORDINATING, Actor, Forbidden, require_district, require_role
from nightwatch.coverage import Board, ShiftRow, build_board, shift_staffed, week_of
from nightwatch.gapfill import Held, clashes
from nightwatch.geo import haversine_m
from nightwatch.services.roster_views import shift_slot
from nightwatch.shifts import MIN_REST, kinds_of, remaining, when_text
from nightwatch.vocab import HOLDING_STATUSES


@dataclass(frozen=True)
class ShiftLine:
    """A shift on the board: where and when it reads, required and filling by role kind."""

    shift_id: int
    grid_id: int
    duty_date: date
    where: str
    when: str
    required: dict[str, int]
    staffed: dict[str, int]
    ends_at: datetime

    @property
    def short(self) -> dict[str, int]:
        """Role kinds still missing on this shift."""
        return remaining(self.required, self.staffed)


@dataclass(frozen=True)
class CoverageBoard:
    """A district's board for some nights, with names for its rows and its shifts for the cells."""

    district_id: int
    district: str
    timezone: str
    grids: dict[int, str]
    board: Board
    shifts: dict[int, ShiftLine]


def board(*, session_factory: sessionmaker, actor: Actor, district_id: int, first_night: date, nights: int = 7,
          by_hour: bool = False) -> CoverageBoard:
    """Grids × nights (or × hours of the night) of a district, staffed against required; for its coordinators."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    dates = week_of(first_night, nights)
    with session_factory() as session:
        name, tz = session.execute(select(District.name, District.timezone).where(District.id == district_id)).one()
        grids = dict(session.execute(select(Grid.id, Grid.name).where(Grid.district_id == district_id)
                                     .order_by(Grid.id)).all())
        placed = _placed_week(session, district_id, dates)
        shifts = [shift for shift, _ in placed]
        holding = holding_roles(session, [s.shift_id for s in shifts])
    places = {shift.shift_id: where for shift, where in placed}
    whens: dict[tuple, str] = {}  # a week's shifts share a handful of slots
    lines = {s.shift_id: ShiftLine(
        s.shift_id, s.grid_id, s.duty_date, places[s.shift_id], _when(s, tz, whens), dict(s.required),
        dict(shift_staffed(s.required, holding.get(s.shift_id, ()))), s.ends_at) for s in shifts}
    return CoverageBoard(district_id, name, tz, grids,
                         build_board(list(grids), dates, shifts, holding, by_hour=by_hour, tz=tz), lines)


def _when(shift: ShiftRow, tz: str, seen: dict[tuple, str]) -> str:
    key = (shift.starts_at, shift.ends_at, shift.duty_date)
    if key not in seen:
        seen[key] = when_text(shift_slot(shift), shift.duty_date, tz)
    return seen[key]


def week_shifts(session: Session, district_id: int, dates: tuple[date, ...]) -> list[ShiftRow]:
    """The district's shifts on these nights that belong to a grid (their own, their route's or their post's)."""
    return [shift for shift, _ in _placed_week(session, district_id, dates)]


def _placed_week(session: Session, district_id: int, dates: tuple[date, ...]) -> list[tuple[ShiftRow, str]]:
    """The week's shifts with the name of their place (post, else route, else grid), in one query."""
    grid = func.coalesce(Shift.grid_id, Route.grid_id, DutyPost.grid_id)
    own = aliased(Grid)
    place = func.coalesce(DutyPost.name, Route.name, own.name, "?")
    rows = session.execute(
        select(Shift.id, grid, Shift.duty_date, Shift.starts_at, Shift.ends_at, Shift.required, place)
        # Places of the district only (a campaign checks its place is): PostgreSQL then reads the district's
        # routes, posts and grids by index instead of hashing the whole city's (2.0 of 2.6 ms at city scale).
        .outerjoin(Route, (Route.id == Shift.route_id) & (Route.district_id == district_id))
        .outerjoin(DutyPost, (DutyPost.id == Shift.duty_post_id) & (DutyPost.district_id == district_id))
        .outerjoin(own, (own.id == Shift.grid_id) & (own.district_id == district_id))
        .where(Shift.district_id == district_id, Shift.duty_date >= dates[0], Shift.duty_date <= dates[-1],
               grid.is_not(None))
        .order_by(Shift.starts_at, Shift.id)
    ).all()
    return [(ShiftRow(r[0], r[1], r[2], r[3], r[4], {k: int(v) for k, v in (r[5] or {}).items()}), r[6])
            for r in rows]


def filled_role() -> ColumnElement[str]:
    """The role kind an assignment fills: its own, else its person's, looked up only when it has none.

    Joining every person instead, PostgreSQL hashed the city's 20,000 people to name a week's 141 assignments,
    each of which had its own kind (6.2 ms against 1.9 ms at city scale).
    """
    own = select(Person.role_kind).where(Person.id == Assignment.person_id).scalar_subquery()
    return func.coalesce(Assignment.role_kind, own)


def holding_roles(session: Session, shift_ids: list[int]) -> dict[int, list[str]]:
    """Per shift, the role kinds its holding assignments fill (the person's own kind when none was set)."""
    rows = session.execute(
        select(Assignment.shift_id, filled_role())
        .where(Assignment.shift_id.in_(shift_ids), Assignment.status.in_(HOLDING_STATUSES))
    ).all()
    roles: dict[int, list[str]] = defaultdict(list)
    for shift_id, role in rows:
        roles[shift_id].append(str(role))
    return roles


def held_shifts(session: Session, person_ids: list[int], start: datetime, end: datetime) -> dict[int, list[Held]]:
    """Per person, the holding assignments that reach within the minimum rest of [start, end)."""
    rows = session.execute(
        select(Assignment.person_id, Shift.duty_date, Assignment.starts_at, Assignment.ends_at)
        .join(Shift, Shift.id == Assignment.shift_id)
        .where(Assignment.person_id.in_(person_ids), Assignment.status.in_(HOLDING_STATUSES),
               Assignment.starts_at < end + MIN_REST, Assignment.ends_at > start - MIN_REST)
    ).all()
    held: dict[int, list[Held]] = defaultdict(list)
    for person_id, night, starts_at, ends_at in rows:
        held[person_id].append(Held(night, starts_at, ends_at))
    return held


def unavailable_days(session: Session, person_ids: list[int]) -> dict[int, dict[int, bool]]:
    """Per person, weekday → available, from the availability rows."""
    days: dict[int, dict[int, bool]] = defaultdict(dict)
    for person_id, weekday, available in session.execute(
            select(Availability.person_id, Availability.weekday, Availability.available)
            .where(Availability.person_id.in_(person_ids))):
        days[person_id][weekday] = bool(available)
    return days


def grid_centres(session: Session, district_id: int) -> dict[int, tuple[float, float]]:
    """Each grid's centre, where it has one."""
    rows = session.execute(select(Grid.id, Grid.center_lat, Grid.center_lon).where(Grid.district_id == district_id))
    return {g: (lat, lon) for g, lat, lon in rows if lat is not None and lon is not None}


@dataclass(frozen=True)
class CellCandidate:
    """Someone who could fill a short role of a shift; `clash` says why not right now (a catalog key)."""

    person_id: int
    name: str
    role_kind: str  # the short role they would fill
    home_grid: str | None
    distance_m: float | None
    clash: str | None  # coverage.clash_overlap, coverage.clash_rest, coverage.clash_unavailable or None


def candidates(*, session_factory: sessionmaker, actor: Actor, shift_id: int) -> list[CellCandidate]:
    """People of the shift's district who fit its short roles: free ones first, then the nearest home grid."""
    require_role(actor, COORDINATING)
    with session_factory() as session:
        shift = session.get(Shift, shift_id)
        if shift is None:
            raise Forbidden("access.other_district")
        require_district(actor, shift.district_id)
        same_night = week_shifts(session, shift.district_id, (shift.duty_date,))
        grid_id = next((s.grid_id for s in same_night if s.shift_id == shift_id), shift.grid_id)
        short = remaining(dict(shift.required or {}), Counter(holding_roles(session, [shift_id])[shift_id]))
        people = session.execute(select(Person).where(Person.district_id == shift.district_id, Person.active)
                                 .order_by(Person.name, Person.id)).scalars().all()
        ids = [p.id for p in people]
        held = held_shifts(session, ids, shift.starts_at, shift.ends_at)
        days = unavailable_days(session, ids)
        centres = grid_centres(session, shift.district_id)
        names = dict(session.execute(select(Grid.id, Grid.name).where(Grid.district_id == shift.district_id)).all())
    own = Held(shift.duty_date, shift.starts_at, shift.ends_at)
    found = []
    for person in people:
        role = next((k for k in kinds_of(person.role_kind, person.skills or ()) if k in short), None)
        if role is None:
            continue
        found.append(CellCandidate(
            person.id, person.name, role, names.get(person.home_grid_id),
            _distance(person.home_grid_id, grid_id, centres), _clash(own, held.get(person.id, []),
                                                                     days.get(person.id, {}))))
    return sorted(found, key=lambda c: (c.clash is not None, c.distance_m is None, c.distance_m or 0, c.name))


def _distance(home: int | None, grid: int | None, centres: dict[int, tuple[float, float]]) -> float | None:
    if home is not None and home == grid:
        return 0.0
    if home not in centres or grid not in centres:
        return None
    return haversine_m(*centres[home], *centres[grid])


def _clash(own: Held, held: list[Held], availability: dict[int, bool]) -> str | None:
    if any(own.starts_at < h.ends_at and h.starts_at < own.ends_at for h in held):
        return "coverage.clash_overlap"
    if any(clashes(own, h, MIN_REST) for h in held):
        return "coverage.clash_rest"
    if availability.get(own.duty_date.weekday(), True) is False:
        return "coverage.clash_unavailable"
    return None

