"""Route progress (/routes): each route's walk on a night for coordinators, and a walker's own route tonight."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import Row, Select, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Assignment, CheckIn, Checkpoint, District, Person, Route, RouteStop, Shift, Team
from nightwatch.access import COORDINATING, PATROLLING, Actor, Forbidden, require_district, require_role
from nightwatch.nights import duty_date_of, window_of_night
from nightwatch.progress import Progress, Stop, Tap, progress_of, walk_start
from nightwatch.vocab import HOLDING_STATUSES


@dataclass(frozen=True)
class RouteProgress:
    """One route on one night: who walks it, its shift window, and its progress."""

    route_id: int
    name: str
    team: str | None
    timezone: str
    walkers: tuple[str, ...]
    starts_at: datetime | None
    ends_at: datetime | None
    progress: Progress


@dataclass(frozen=True)
class MyCheckIn:
    """One of the walker's own check-ins tonight."""

    at: datetime
    point: str
    flagged: bool


@dataclass(frozen=True)
class MyRoute:
    """A walker's route shift tonight: the route's progress, where to go next, and their own check-ins."""

    route: RouteProgress
    night: date
    next_lat: float | None
    next_lon: float | None
    check_ins: tuple[MyCheckIn, ...]


@dataclass(frozen=True)
class RouteBoard:
    """The routes of a night the board shows (the first by name that match), and how many match in all."""

    routes: list[RouteProgress]
    total: int


def night_progress(*, session_factory: sessionmaker, actor: Actor, district_id: int, night: date,
                   now: datetime | None = None) -> list[RouteProgress]:
    """Each active route of the district on the night, with its walkers' names (coordinators only)."""
    return night_board(session_factory=session_factory, actor=actor, district_id=district_id, night=night,
                       now=now).routes


def night_board(*, session_factory: sessionmaker, actor: Actor, district_id: int, night: date,
                now: datetime | None = None, search: str = "", limit: int | None = None) -> RouteBoard:
    """The district's active routes on the night matching `search` (route, team or a walker on its shift that
    night), the first `limit` by name with their progress, and how many match (coordinators only)."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    now = now or datetime.now(timezone.utc)
    with session_factory() as session:
        tz = session.scalar(select(District.timezone).where(District.id == district_id))
        matching = _matching(district_id, night, search.strip())
        total = session.scalar(select(func.count()).select_from(matching.subquery()))
        routes = session.execute(
            select(Route.id, Route.name, Team.name).outerjoin(Team, Team.id == Route.team_id)
            .where(Route.id.in_(matching)).order_by(Route.name, Route.id).limit(limit)).all()
        route_ids = [route_id for route_id, _, _ in routes]
        stops = _stops(session, route_ids)
        shifts = session.execute(
            select(Shift.id, Shift.route_id, Shift.starts_at, Shift.ends_at)
            .where(Shift.district_id == district_id, Shift.duty_date == night, Shift.route_id.in_(route_ids))).all()
        holders = _holders(session, [shift_id for shift_id, *_ in shifts])
        checkpoints = {stop.checkpoint_id for route_stops in stops.values() for stop in route_stops}
        rows = _check_ins(session, checkpoints, night, tz)
        # Grouped once: a district has a hundred routes and thousands of check-ins a night.
        shifts_of: dict[int, list[Row]] = defaultdict(list)
        for shift in shifts:
            shifts_of[shift.route_id].append(shift)
        at_point: dict[int, list[int]] = defaultdict(list)
        for index, row in enumerate(rows):
            at_point[row.checkpoint_id].append(index)
        result = []
        for route_id, name, team in routes:
            own = shifts_of.get(route_id, [])
            people = dict(pair for s in own for pair in holders.get(s.id, ()))
            on_route = [rows[i] for i in sorted({i for stop in stops.get(route_id, [])
                                                 for i in at_point.get(stop.checkpoint_id, ())})]
            taps = [Tap(r.checkpoint_id, r.at, r.name) for r in _walked(on_route, {s.id for s in own}, set(people))]
            result.append(_route_progress(route_id, name, team, tz, stops.get(route_id, []), own,
                                          tuple(people.values()), taps, now))
        return RouteBoard(result, total)


def _matching(district_id: int, night: date, search: str) -> Select:
    """The ids of the district's active routes whose name, team or a walker on the night's shift holds `search`."""
    query = select(Route.id).where(Route.district_id == district_id, Route.active.is_(True))
    if not search:
        return query
    walked_by = (select(Shift.route_id).join(Assignment, Assignment.shift_id == Shift.id)
                 .join(Person, Person.id == Assignment.person_id)
                 .where(Shift.district_id == district_id, Shift.duty_date == night, Shift.route_id.is_not(None),
                        Assignment.status.in_(HOLDING_STATUSES), Person.name.icontains(search, autoescape=True)))
    teams = select(Team.id).where(Team.name.icontains(search, autoescape=True))
    return query.where(or_(Route.name.icontains(search, autoescape=True), Route.team_id.in_(teams),
                           Route.id.in_(walked_by)))


def my_route(*, session_factory: sessionmaker, actor: Actor, now: datetime | None = None) -> MyRoute | None:
    """The walker's current or next route shift tonight with its progress; None when they have none."""
    require_role(actor, PATROLLING)
    if actor.person_id is None:
        raise Forbidden("progress.no_person")
    now = now or datetime.now(timezone.utc)
    with session_factory() as session:
        tz = session.scalar(select(District.timezone).join(Person, Person.district_id == District.id)
                            .where(Person.id == actor.person_id))
        if tz is None:
            return None
        night = duty_date_of(now, tz)
        shift = session.execute(
            select(Shift.id, Shift.route_id, Shift.starts_at, Shift.ends_at)
            .join(Assignment, Assignment.shift_id == Shift.id)
            .where(Assignment.person_id == actor.person_id, Assignment.status.in_(HOLDING_STATUSES),
                   Assignment.ends_at > now, Shift.duty_date == night, Shift.route_id.is_not(None))
            .order_by(Shift.starts_at)).first()
        if shift is None:
            return None
        route_name, team = session.execute(select(Route.name, Team.name).outerjoin(Team, Team.id == Route.team_id)
                                           .where(Route.id == shift.route_id)).one()
        stops = _stops(session, [shift.route_id]).get(shift.route_id, [])
        walkers = {person_id for person_id, _ in _holders(session, [shift.id]).get(shift.id, ())}
        rows = _walked(_check_ins(session, {stop.checkpoint_id for stop in stops}, night, tz), {shift.id}, walkers)
        # Colleagues' taps move the route on, but only the walker's own carry a name.
        taps = [Tap(r.checkpoint_id, r.at, r.name if r.person_id == actor.person_id else None) for r in rows]
        route = _route_progress(shift.route_id, route_name, team, tz, stops, [shift], (), taps, now)
        lat = lon = None
        if route.progress.next_point is not None:
            lat, lon = session.execute(select(Checkpoint.lat, Checkpoint.lon).where(
                Checkpoint.id == route.progress.next_point.stop.checkpoint_id)).one()
        window = window_of_night(night, tz)
        mine = session.execute(
            select(CheckIn.at, Checkpoint.name, CheckIn.flagged)
            .join(Checkpoint, Checkpoint.id == CheckIn.checkpoint_id)
            .where(CheckIn.person_id == actor.person_id, CheckIn.at >= window.starts_at,
                   CheckIn.at < window.ends_at, CheckIn.duty_date == night).order_by(CheckIn.at)).all()
        return MyRoute(route, night, lat, lon, tuple(MyCheckIn(at, point, flagged) for at, point, flagged in mine))


def _stops(session: Session, route_ids: list[int]) -> dict[int, list[Stop]]:
    """The stops of the routes in order, with their checkpoints' names."""
    stops: dict[int, list[Stop]] = defaultdict(list)
    if not route_ids:
        return stops
    for route_id, position, checkpoint_id, name, minutes in session.execute(
        select(RouteStop.route_id, RouteStop.position, RouteStop.checkpoint_id, Checkpoint.name,
               RouteStop.minutes_from_previous).join(Checkpoint, Checkpoint.id == RouteStop.checkpoint_id)
        .where(RouteStop.route_id.in_(route_ids)).order_by(RouteStop.route_id, RouteStop.position)
    ):
        stops[route_id].append(Stop(position, checkpoint_id, name, minutes))
    return stops


def _holders(session: Session, shift_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """The people (id, name) holding each shift, by name."""
    holders: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if not shift_ids:
        return holders
    for shift_id, person_id, name in session.execute(
        select(Assignment.shift_id, Person.id, Person.name).join(Person, Person.id == Assignment.person_id)
        .where(Assignment.shift_id.in_(shift_ids), Assignment.status.in_(HOLDING_STATUSES)).order_by(Person.name)
    ):
        holders[shift_id].append((person_id, name))
    return holders


def _check_ins(session: Session, checkpoint_ids: set[int], night: date, tz: str) -> list[Row]:
    """The night's check-ins on the points, read by (checkpoint, time) within the night's window."""
    if not checkpoint_ids:
        return []
    window = window_of_night(night, tz)
    return list(session.execute(
        select(CheckIn.checkpoint_id, CheckIn.at, CheckIn.person_id, CheckIn.shift_id, Person.name)
        .outerjoin(Person, Person.id == CheckIn.person_id)
        .where(CheckIn.checkpoint_id.in_(checkpoint_ids), CheckIn.at >= window.starts_at,
               CheckIn.at < window.ends_at, CheckIn.duty_date == night)))


def _walked(rows: list[Row], shift_ids: set[int], walker_ids: set[int]) -> list[Row]:
    """The check-ins that belong to a route's walk: on its shifts, or by its walkers outside any shift.

    Grid workers on their rounds scan the same lane-corner codes, and those scans are not the route's walk,
    not even when the same person walks the route later that night. Without a route shift, all count.
    """
    if not shift_ids:
        return rows
    return [r for r in rows if r.shift_id in shift_ids or (r.shift_id is None and r.person_id in walker_ids)]


def _route_progress(route_id: int, name: str, team: str | None, tz: str, stops: list[Stop], shifts,
                    walkers: tuple[str, ...], taps: list[Tap], now: datetime) -> RouteProgress:
    """One route's progress from its shifts that night (earliest start, latest end) and the night's taps."""
    points = {stop.checkpoint_id for stop in stops}
    own = [tap for tap in taps if tap.checkpoint_id in points]
    starts = min((s.starts_at for s in shifts), default=None)
    ends = max((s.ends_at for s in shifts), default=None)
    if not walkers:
        walkers = tuple(dict.fromkeys(tap.person for tap in sorted(own, key=lambda tap: tap.at) if tap.person))
    progress = progress_of(stops, own, start=walk_start(starts, own, stops), end=ends, now=now)
    return RouteProgress(route_id, name, team, tz, walkers, starts, ends, progress)
