"""The people on duty nearest a tip, found by the database: the dispatch screen asks once per tip it opens.

Everything a ranking needs comes back in one statement, one round trip: where the tip is and in which
district, who holds a running shift of that district, where they were last seen on it (their last
check-in, else their post, route start or grid centre), their team, the dispatches they already carry
and whether this tip was sent to them. The database keeps only the nearest few, so what crosses into
Python does not grow with the district.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import (
    CTE,
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    case,
    func,
    literal_column,
    select,
    true,
    type_coerce,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from db.models import (
    Assignment,
    CheckIn,
    Checkpoint,
    Dispatch,
    District,
    Grid,
    LastPosition,
    Person,
    Shift,
    Team,
    Tip,
)
from db.prepared import PreparedSelect
from db.types import UTCDateTime
from nightwatch.geo import haversine_m
from nightwatch.vocab import HOLDING_STATUSES, OPEN_DISPATCH_STATUSES, TeamType, TipCategory


class TipSpot(NamedTuple):
    """What ranking needs of a tip: its district, its category and where it is."""

    district_id: int
    category: TipCategory
    lat: float | None
    lon: float | None


class Nearby(NamedTuple):
    """Someone on duty near the tip: where and since when they were seen, and what they already carry."""

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


def _number(number: int) -> ColumnElement[int]:
    """A small number of our own, written into the statement rather than bound."""
    return literal_column(str(number), Integer)


def _one_of(column, values: tuple[StrEnum, ...]) -> ColumnElement[bool]:
    """`column IN ('a', 'b')`, our own words written into the statement when it is compiled.

    PostgreSQL plans a prepared statement once for any parameters: with the statuses as parameters its plan
    read every dispatch a person ever had; with them written in, it reads the partial index of open ones.
    """
    return column.in_([_word(value) for value in values])


def _spot() -> CTE:
    """The tip :tip: its district, category and point (its own, else its grid's centre, else its district's)."""
    own = Tip.lat.is_not(None) & Tip.lon.is_not(None)
    by_grid = Grid.center_lat.is_not(None)
    return (select(Tip.district_id.label("district_id"), Tip.category.label("category"),
                   case((own, Tip.lat), (by_grid, Grid.center_lat), else_=District.center_lat).label("lat"),
                   case((own, Tip.lon), (by_grid, Grid.center_lon), else_=District.center_lon).label("lon"))
            .join(District, District.id == Tip.district_id)
            .outerjoin(Grid, Grid.id == Tip.grid_id)
            .where(Tip.id == bindparam("tip"))
            .cte("spot"))


def _running_shifts(spot: CTE) -> CTE:
    """The shifts of the spot's district running at :at, each with where its holders start (its post, route or grid).

    The shift carries that point itself, kept current by the database (migration 0011): placing each running
    shift by its post, route stops and grid here took most of PostgreSQL's time for the whole ranking.
    Materialized, so the database plans it apart from the people and reads each shift once, not once per holder.
    """
    at = bindparam("at")
    return (
        select(Shift.id.label("shift_id"), Shift.grid_id.label("grid_id"), Shift.team_id.label("team_id"),
               Shift.starts_at.label("starts_at"), type_coerce(at, UTCDateTime()).label("moment"),
               Shift.start_lat.label("lat"), Shift.start_lon.label("lon"), Shift.start_source.label("source"))
        # A bound on the start, so the index on (district, start) reads days, not years; and on the duty date,
        # though it keeps no shift out that the start does not: without it PostgreSQL judged the prepared
        # statement's generic plan dearer and planned it anew on every run (195 custom plans in 195 runs).
        .where(Shift.district_id == select(spot.c.district_id).scalar_subquery(),
               Shift.duty_date.between(bindparam("first_night"), bindparam("last_night")),
               Shift.starts_at >= bindparam("earliest"), Shift.starts_at <= at, Shift.ends_at > at)
        .cte("running").prefix_with("MATERIALIZED")
    )


def _placed_holdings(spot: CTE) -> Select:
    """People holding a running shift of the spot's district at :at, each where they were last seen on it.

    Only what places and orders them: their names and teams are read for the few kept (see `_described`).
    """
    running = _running_shifts(spot)
    at = running.c.moment  # :at, written once in the statement
    last = aliased(LastPosition, name="lp")  # short names keep the statement under 4 KB (see _nearest)
    # Their last check-in is joined only when made on this shift; made by `at` as well, it places them.
    live = last.seen_at <= at
    lat = case((live, last.lat), else_=running.c.lat)
    lon = case((live, last.lon), else_=running.c.lon)
    source = case((live, _word("checkin")), else_=running.c.source)
    seen_at = case((live, last.seen_at), else_=running.c.starts_at)
    return (
        select(Assignment.person_id.label("person_id"), Assignment.role_kind.label("role_kind"),
               running.c.team_id, running.c.grid_id, lat.label("lat"), lon.label("lon"), seen_at.label("seen_at"),
               source.label("source"), running.c.shift_id,
               # Seen after `at`: only the night's check-ins say where they were then.
               (last.seen_at > at).label("later"))
        .select_from(running)
        .join(Assignment, (Assignment.shift_id == running.c.shift_id) & _one_of(Assignment.status, HOLDING_STATUSES))
        .outerjoin(last, (last.person_id == Assignment.person_id)
                   & (last.source == _word("checkin")) & (last.seen_at >= running.c.starts_at))
        .where(live | running.c.lat.is_not(None))  # somewhere to place them
    )


def _described(people, spot: CTE | None = None) -> Select:
    """The people with their names and teams, the dispatches each already carries and whether :tip was sent to them.

    With `spot`, each row begins with the spot, which comes back on a row of its own when nobody is near.
    """
    load = (select(func.count()).select_from(Dispatch)
            .where(Dispatch.person_id == people.c.person_id, _one_of(Dispatch.status, OPEN_DISPATCH_STATUSES),
                   Dispatch.tip_id != bindparam("tip")).scalar_subquery())
    # Asked once for the tip, not once per person (a tip is sent to few).
    sent = people.c.person_id.in_(select(Dispatch.person_id).where(Dispatch.tip_id == bindparam("tip")))
    columns = (people.c.person_id, Person.name, func.coalesce(people.c.role_kind, Person.role_kind), Team.name,
               Team.team_type, people.c.grid_id, people.c.lat, people.c.lon,
               type_coerce(people.c.seen_at, UTCDateTime()), people.c.source, load, sent, people.c.shift_id,
               people.c.later)
    team = Team.id == func.coalesce(people.c.team_id, Person.team_id)
    if spot is None:
        return select(*columns).join(Person, Person.id == people.c.person_id).outerjoin(Team, team)
    return (select(spot.c.district_id, spot.c.category, spot.c.lat, spot.c.lon, *columns)
            .select_from(spot).outerjoin(people, true())
            .outerjoin(Person, Person.id == people.c.person_id).outerjoin(Team, team))


def _nearest(spot: CTE) -> Select:
    """The spot and the :want people nearest it, anyone last seen after :at first so they can be placed again.

    People at the same distance are kept by person id, so who makes the list never changes between reruns.

    Distance here is flat-earth (north–south and east–west degrees, the latter squeezed by the cosine of the
    latitude): within a city it orders people as the great circle does.
    """
    # Ordered outside the placing, so each position is written once in the statement, not six times: under
    # 4 KB of SQL (3,350 bytes now, with short names for the tables met most), psycopg keeps its conversion
    # to PostgreSQL's $n form instead of redoing it every time.
    placed = _placed_holdings(spot).subquery("placed")
    lat, lon, squash = placed.c.lat - spot.c.lat, placed.c.lon - spot.c.lon, func.cos(func.radians(spot.c.lat))
    flat = lat * lat + lon * squash * lon * squash
    first = case((placed.c.later, _number(0)), else_=_number(1))
    nearest = (select(placed).join(spot, true()).order_by(first, flat, placed.c.person_id)
               .limit(bindparam("want")))
    # Names, teams and loads are read only for the few kept, after the cut.
    return _described(nearest.subquery("near"), spot)


# Built once: building a statement costs more than running it.
NEAREST = PreparedSelect(_nearest(_spot()), binary=True)
EVERYONE = _described(_placed_holdings(_spot()).subquery())
LAST_ON_SHIFT = (select(Checkpoint.lat, Checkpoint.lon, CheckIn.at)
                 .join(Checkpoint, Checkpoint.id == CheckIn.checkpoint_id)
                 .join(Shift, Shift.id == CheckIn.shift_id)
                 .where(CheckIn.person_id == bindparam("person"), CheckIn.shift_id == bindparam("shift"),
                        CheckIn.at >= Shift.starts_at, CheckIn.at <= bindparam("at"), Checkpoint.lat.is_not(None))
                 .order_by(CheckIn.at.desc()).limit(1))


def _running_bounds(at: datetime) -> dict[str, object]:
    """Duty dates and an earliest start that hold every shift running at `at`, in any district's time zone.

    A night's duty date is its local date less the rollover hour: from UTC-12 to UTC+14, within a day of the
    UTC date, and a running shift is that night's or the night before's. A shift is under a day long
    (nights.night_slot), so one still running started within the last day; three leave room.
    """
    day = at.astimezone(timezone.utc).date()
    return {"first_night": day - timedelta(days=2), "last_night": day + timedelta(days=1),
            "earliest": at - timedelta(days=3), "at": at}


def near_tip(connection: Connection, *, tip_id: int, at: datetime, want: int) -> tuple[TipSpot | None, list[Nearby]]:
    """The tip and the `want` people on duty nearest it (equals at the cut: lower person id), in no set order.

    (None, []) when there is no such tip; no people when the tip has no point.
    """
    params = _running_bounds(at) | {"tip": tip_id}
    rows = NEAREST.rows(connection, params | {"want": want})
    if not rows:
        return None, []
    district_id, category, lat, lon = rows[0][:4]
    spot = TipSpot(district_id, TipCategory(category), lat, lon)
    if spot.lat is None or spot.lon is None:
        return spot, []
    found = [row[4:] for row in rows if row[4] is not None]
    if not any(row[-1] for row in found):
        return spot, [_person(row) for row in found]
    # Someone was last seen after `at` (a look back in time): place everyone as they were then, and choose here.
    people = [_person(row, connection, at) for row in connection.execute(EVERYONE, params)]
    return spot, sorted(people, key=lambda p: (haversine_m(spot.lat, spot.lon, p.lat, p.lon), p.person_id))[:want]


def _person(row, connection: Connection | None = None, at: datetime | None = None) -> Nearby:
    """A row as a person; one last seen after `at` is placed by their last check-in of the shift up to `at`."""
    person_id, name, role, team, team_type, grid_id, lat, lon, seen_at, source, load, sent, shift_id, later = row
    if later:
        found = connection.execute(LAST_ON_SHIFT, {"person": person_id, "shift": shift_id, "at": at}).first()
        if found is not None:
            (lat, lon, seen_at), source = found, "checkin"
    return Nearby(person_id, name, role, team, team_type, grid_id, lat, lon, seen_at, source, load, bool(sent))
