"""The people on duty nearest a point, found by the database: the dispatch screen asks once per tip it opens.

Everything a ranking needs comes back in one statement: who holds a running shift of the district,
where they were last seen on it (their last check-in, else their post, route start or grid centre),
their team, the dispatches they already carry and whether this tip was sent to them. The database
keeps only the nearest few, so what crosses into Python does not grow with the district.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import (
    CTE,
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from db.models import (
    Assignment,
    CheckIn,
    Checkpoint,
    Dispatch,
    DutyPost,
    Grid,
    LastPosition,
    Person,
    RouteStop,
    Shift,
    Team,
)
from db.types import UTCDateTime
from nightwatch.geo import haversine_m
from nightwatch.nights import duty_date_of, window_of_night
from nightwatch.vocab import HOLDING_STATUSES, OPEN_DISPATCH_STATUSES, TeamType


class Nearby(NamedTuple):
    """Someone on duty near the point: where and since when they were seen, and what they already carry."""

    person_id: int
    name: str
    role_kind: str
    team: str | None
    team_type: TeamType | None
    grid_id: int | None
    lat: float
    lon: float
    seen_at: datetime
    source: str  # "checkin", "post", "route" or "grid"
    load: int
    already_sent: bool


def _word(word: str) -> ColumnElement[str]:
    """One of our own words, written into the statement rather than bound (it keeps the statement short)."""
    return literal_column(f"'{word}'", String)


def _one_of(column, values: tuple[StrEnum, ...]) -> ColumnElement[bool]:
    """`column IN ('a', 'b')`, our own words written into the statement when it is compiled.

    PostgreSQL plans a prepared statement once for any parameters: with the statuses as parameters its plan
    read every dispatch a person ever had; with them written in, it reads the partial index of open ones.
    """
    return column.in_([_word(value) for value in values])


def _running_shifts() -> CTE:
    """The shifts of :district running at :at, each with where its holders start: post, route start or grid centre.

    Materialized, so the database plans it apart from the people (planning one statement of ten joins took
    longer than running it) and places each shift once, not once per person holding it.
    """
    at = bindparam("at")
    start = aliased(Checkpoint)
    # The route's first stop that has a point: where a walker is before their first check-in.
    first_located = (select(RouteStop.checkpoint_id)
                     .join(Checkpoint, Checkpoint.id == RouteStop.checkpoint_id)
                     .where(RouteStop.route_id == Shift.route_id, Checkpoint.lat.is_not(None))
                     .order_by(RouteStop.position).limit(1).scalar_subquery())
    by_post, by_route = DutyPost.lat.is_not(None), start.lat.is_not(None)
    return (
        select(Shift.id.label("shift_id"), Shift.grid_id.label("grid_id"), Shift.team_id.label("team_id"),
               Shift.starts_at.label("starts_at"),
               case((by_post, DutyPost.lat), (by_route, start.lat), else_=Grid.center_lat).label("lat"),
               case((by_post, DutyPost.lon), (by_route, start.lon), else_=Grid.center_lon).label("lon"),
               case((by_post, _word("post")), (by_route, _word("route")), else_=_word("grid")).label("source"))
        .outerjoin(DutyPost, DutyPost.id == Shift.duty_post_id)
        .outerjoin(start, start.id == first_located)
        .outerjoin(Grid, Grid.id == Shift.grid_id)
        # A bound on the start as well as the duty date, so the index on (district, start) reads days, not years.
        # Without the duty date PostgreSQL judged the prepared statement's generic plan dearer and planned it
        # anew on every run (395 custom plans in 400 runs, 1.7x slower).
        .where(Shift.district_id == bindparam("district"),
               Shift.duty_date.between(bindparam("night_before"), bindparam("night")),
               Shift.starts_at >= bindparam("earliest"), Shift.starts_at <= at, Shift.ends_at > at)
        .cte("running").prefix_with("MATERIALIZED")
    )


def _placed_holdings() -> Select:
    """People holding a running shift of :district at :at, each where they were last seen on it.

    Only what places and orders them: their names and teams are read for the few kept (see `_described`).
    """
    at = bindparam("at")
    running = _running_shifts()
    live = and_(LastPosition.seen_at >= running.c.starts_at, LastPosition.seen_at <= at)
    lat = case((live, LastPosition.lat), else_=running.c.lat)
    lon = case((live, LastPosition.lon), else_=running.c.lon)
    source = case((live, _word("checkin")), else_=running.c.source)
    seen_at = case((live, LastPosition.seen_at), else_=running.c.starts_at)
    return (
        select(Assignment.person_id.label("person_id"), Assignment.role_kind.label("role_kind"),
               running.c.team_id, running.c.grid_id, lat.label("lat"), lon.label("lon"), seen_at.label("seen_at"),
               source.label("source"), running.c.shift_id,
               # Seen after `at`: only the night's check-ins say where they were then.
               (LastPosition.seen_at > at).label("later"))
        .select_from(running)
        .join(Assignment, (Assignment.shift_id == running.c.shift_id) & _one_of(Assignment.status, HOLDING_STATUSES))
        .outerjoin(LastPosition, (LastPosition.person_id == Assignment.person_id)
                   & (LastPosition.source == _word("checkin")))
        .where(lat.is_not(None))
    )


def _described(people) -> Select:
    """The people with their names and teams, the dispatches each already carries and whether :tip was sent to them."""
    load = (select(func.count()).select_from(Dispatch)
            .where(Dispatch.person_id == people.c.person_id, _one_of(Dispatch.status, OPEN_DISPATCH_STATUSES),
                   Dispatch.tip_id != bindparam("tip")).scalar_subquery())
    sent = exists().where(Dispatch.tip_id == bindparam("tip"), Dispatch.person_id == people.c.person_id)
    return (select(people.c.person_id, Person.name, func.coalesce(people.c.role_kind, Person.role_kind), Team.name,
                   Team.team_type, people.c.grid_id, people.c.lat, people.c.lon,
                   type_coerce(people.c.seen_at, UTCDateTime()), people.c.source, load, sent, people.c.shift_id,
                   people.c.later)
            .join(Person, Person.id == people.c.person_id)
            .outerjoin(Team, Team.id == func.coalesce(people.c.team_id, Person.team_id)))


def _nearest() -> Select:
    """The :want people nearest (:lat, :lon), anyone last seen after :at first so they can be placed again.

    People at the same distance are kept by person id, so who makes the list never changes between reruns.

    Distance here is flat-earth (north–south and east–west degrees, the latter squeezed by :squash, the
    squared cosine of the latitude): within a city it orders people as the great circle does.
    """
    # Ordered outside the placing, so each position is written once in the statement, not six times: under
    # 4 KB of SQL, psycopg keeps its conversion to PostgreSQL's $n form instead of redoing it every time.
    placed = _placed_holdings().subquery("placed")
    lat, lon = placed.c.lat, placed.c.lon
    flat = ((lat - bindparam("lat")) * (lat - bindparam("lat"))
            + (lon - bindparam("lon")) * (lon - bindparam("lon")) * bindparam("squash"))
    nearest = (select(placed).order_by(case((placed.c.later, 0), else_=1), flat, placed.c.person_id)
               .limit(bindparam("want")))
    # Names, teams and loads are read only for the few kept, after the cut.
    return _described(nearest.subquery())


# Built once: building a statement costs more than running it.
NEAREST, EVERYONE = _nearest(), _described(_placed_holdings().subquery())
LAST_ON_SHIFT = (select(Checkpoint.lat, Checkpoint.lon, CheckIn.at)
                 .join(Checkpoint, Checkpoint.id == CheckIn.checkpoint_id)
                 .join(Shift, Shift.id == CheckIn.shift_id)
                 .where(CheckIn.person_id == bindparam("person"), CheckIn.shift_id == bindparam("shift"),
                        CheckIn.at >= Shift.starts_at, CheckIn.at <= bindparam("at"), Checkpoint.lat.is_not(None))
                 .order_by(CheckIn.at.desc()).limit(1))


def on_duty_near(connection: Connection, *, district_id: int, timezone: str, point: tuple[float, float],
                 at: datetime, tip_id: int, want: int) -> list[Nearby]:
    """The `want` people on duty nearest the point (equals at the cut: lower person id), in no set order."""
    night = duty_date_of(at, timezone)
    params = {"district": district_id, "night_before": night - timedelta(days=1), "night": night,
              "earliest": window_of_night(night - timedelta(days=2), timezone).starts_at, "at": at, "tip": tip_id}
    rows = connection.execute(NEAREST, params | {"lat": point[0], "lon": point[1], "want": want,
                                                "squash": math.cos(math.radians(point[0])) ** 2}).all()
    if not any(row.later for row in rows):
        return [_person(row) for row in rows]
    # Someone was last seen after `at` (a look back in time): place everyone as they were then, and choose here.
    people = [_person(row, connection, at) for row in connection.execute(EVERYONE, params)]
    return sorted(people, key=lambda p: (haversine_m(point[0], point[1], p.lat, p.lon), p.person_id))[:want]


def _person(row, connection: Connection | None = None, at: datetime | None = None) -> Nearby:
    """A row as a person; one last seen after `at` is placed by their last check-in of the shift up to `at`."""
    person_id, name, role, team, team_type, grid_id, lat, lon, seen_at, source, load, sent, shift_id, later = row
    if later:
        found = connection.execute(LAST_ON_SHIFT, {"person": person_id, "shift": shift_id, "at": at}).first()
        if found is not None:
            (lat, lon, seen_at), source = found, "checkin"
    return Nearby(person_id, name, role, team, team_type, grid_id, lat, lon, seen_at, source, load, bool(sent))
