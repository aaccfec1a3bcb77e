"""The people on duty nearest a point, found by the database: the dispatch screen asks once per tip it opens.

Everything a ranking needs comes back in one statement: who holds a running shift of the district,
where they were last seen on it (their last check-in, else their post, route start or grid centre),
their team, the dispatches they already carry and whether this tip was sent to them. The database
keeps only the nearest few, so what crosses into Python does not grow with the district.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, bindparam, case, exists, func, literal, select, type_coerce
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


@dataclass(frozen=True)
class Nearby:
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


def _placed_holdings() -> Select:
    """People holding a running shift of :district at :at, each where they were last seen on it."""
    at = bindparam("at")
    first = aliased(RouteStop)
    start_point = aliased(Checkpoint)
    located_stop = aliased(RouteStop)
    located_point = aliased(Checkpoint)
    # The first stop of the route that has a point: where a walker is before their first check-in.
    first_position = (select(func.min(located_stop.position))
                      .join(located_point, located_point.id == located_stop.checkpoint_id)
                      .where(located_stop.route_id == Shift.route_id, located_point.lat.is_not(None))
                      .scalar_subquery())
    live = and_(LastPosition.seen_at >= Shift.starts_at, LastPosition.seen_at <= at)
    by_post, by_route = DutyPost.lat.is_not(None), start_point.lat.is_not(None)
    lat = case((live, LastPosition.lat), (by_post, DutyPost.lat), (by_route, start_point.lat), else_=Grid.center_lat)
    lon = case((live, LastPosition.lon), (by_post, DutyPost.lon), (by_route, start_point.lon), else_=Grid.center_lon)
    source = case((live, literal("checkin")), (by_post, literal("post")), (by_route, literal("route")),
                  else_=literal("grid"))
    seen_at = type_coerce(case((live, LastPosition.seen_at), else_=Shift.starts_at), UTCDateTime())
    return (
        select(Assignment.person_id.label("person_id"), Person.name.label("name"),
               func.coalesce(Assignment.role_kind, Person.role_kind).label("role_kind"), Team.name.label("team"),
               Team.team_type.label("team_type"), Shift.grid_id.label("grid_id"), lat.label("lat"), lon.label("lon"),
               seen_at.label("seen_at"), source.label("source"), Shift.id.label("shift_id"),
               # Seen after `at`: only the night's check-ins say where they were then.
               (LastPosition.seen_at > at).label("later"))
        .select_from(Shift)
        .join(Assignment, (Assignment.shift_id == Shift.id) & Assignment.status.in_(HOLDING_STATUSES))
        .join(Person, Person.id == Assignment.person_id)
        .outerjoin(Team, Team.id == func.coalesce(Shift.team_id, Person.team_id))
        .outerjoin(LastPosition, (LastPosition.person_id == Assignment.person_id)
                   & (LastPosition.source == "checkin"))
        .outerjoin(DutyPost, DutyPost.id == Shift.duty_post_id)
        .outerjoin(first, (first.route_id == Shift.route_id) & (first.position == first_position))
        .outerjoin(start_point, start_point.id == first.checkpoint_id)
        .outerjoin(Grid, Grid.id == Shift.grid_id)
        # A bound on the start as well as the duty date, so the index on (district, start) reads days, not years.
        .where(Shift.district_id == bindparam("district"),
               Shift.duty_date.between(bindparam("night_before"), bindparam("night")),
               Shift.starts_at >= bindparam("earliest"), Shift.starts_at <= at, Shift.ends_at > at, lat.is_not(None))
    )


def _with_loads(people) -> Select:
    """The people with the dispatches each already carries and whether :tip was sent to them."""
    load = (select(func.count()).select_from(Dispatch)
            .where(Dispatch.person_id == people.c.person_id, Dispatch.status.in_(OPEN_DISPATCH_STATUSES),
                   Dispatch.tip_id != bindparam("tip")).scalar_subquery())
    sent = exists().where(Dispatch.tip_id == bindparam("tip"), Dispatch.person_id == people.c.person_id)
    return select(people.c.person_id, people.c.name, people.c.role_kind, people.c.team, people.c.team_type,
                  people.c.grid_id, people.c.lat, people.c.lon, people.c.seen_at, people.c.source, load, sent,
                  people.c.shift_id, people.c.later)


def _nearest() -> Select:
    """The :want people nearest (:lat, :lon), anyone last seen after :at first so they can be placed again.

    Distance here is flat-earth (north–south and east–west degrees, the latter squeezed by :squash, the
    squared cosine of the latitude): within a city it orders people as the great circle does.
    """
    placed = _placed_holdings()
    lat, lon = placed.selected_columns.lat, placed.selected_columns.lon
    flat = ((lat - bindparam("lat")) * (lat - bindparam("lat"))
            + (lon - bindparam("lon")) * (lon - bindparam("lon")) * bindparam("squash"))
    later = placed.selected_columns.later
    # The load of each person is counted only for the few kept, after the cut.
    return _with_loads(placed.order_by(case((later, 0), else_=1), flat).limit(bindparam("want")).subquery())


# Built once: building a statement costs more than running it.
NEAREST, EVERYONE = _nearest(), _with_loads(_placed_holdings().subquery())
LAST_ON_SHIFT = (select(Checkpoint.lat, Checkpoint.lon, CheckIn.at)
                 .join(Checkpoint, Checkpoint.id == CheckIn.checkpoint_id)
                 .join(Shift, Shift.id == CheckIn.shift_id)
                 .where(CheckIn.person_id == bindparam("person"), CheckIn.shift_id == bindparam("shift"),
                        CheckIn.at >= Shift.starts_at, CheckIn.at <= bindparam("at"), Checkpoint.lat.is_not(None))
                 .order_by(CheckIn.at.desc()).limit(1))


def on_duty_near(connection: Connection, *, district_id: int, timezone: str, point: tuple[float, float],
                 at: datetime, tip_id: int, want: int) -> list[Nearby]:
    """The `want` people on duty nearest the point, nearest first."""
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
