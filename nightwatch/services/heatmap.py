"""The heatmap's data: one grouped query over the rollups per layer, never over raw check-ins or tips.

Who sees what: a district's coordinators and administrators get patrol coverage, incidents and gaps
with every cell; everyone else gets patrol coverage only, with cells under the configured minimum
removed here, so they never leave the server.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import (
    Checkpoint,
    District,
    Grid,
    IncidentHeat,
    PatrolHeat,
    Place,
    Route,
    RouteStop,
)
from db.types import utcnow
from nightwatch import heatmap
from nightwatch.access import Actor, Forbidden
from nightwatch.config import Settings
from nightwatch.geo import H3_RESOLUTION
from nightwatch.heatmap import Backdrop, Cell, Gap, Landmark, RouteLine
from nightwatch.nights import DEFAULT_TIMEZONE, duty_date_of


class HeatmapRefused(Exception):
    """A heatmap question that cannot be answered as asked; the message is a catalog key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class HeatDistrict:
    """A district as the heatmap shows it: a public name, where it is, and its clock."""

    id: int
    label: str
    lat: float | None
    lon: float | None
    timezone: str


def districts(*, session_factory: sessionmaker) -> list[HeatDistrict]:
    """Every district, by city and name; district names are public."""
    query = (select(District.id, District.city, District.name, District.center_lat, District.center_lon,
                    District.timezone).order_by(District.city, District.name))
    with session_factory() as session:
        return [HeatDistrict(r.id, f"{r.city} · {r.name}", r.center_lat, r.center_lon, r.timezone or "Asia/Shanghai")
                for r in session.execute(query)]


def _checked(first: date, last: date, hours: Collection[int], resolution: int) -> None:
    """Refuse a backwards date range, an hour outside 0–23 or a cell finer than the stored one."""
    if last < first:
        raise HeatmapRefused("heatmap.bad_dates")
    if any(not 0 <= hour <= 23 for hour in hours):
        raise HeatmapRefused("heatmap.bad_hours")
    if not 0 <= resolution <= H3_RESOLUTION:
        raise HeatmapRefused("heatmap.bad_resolution")


def _summed(session: Session, model: type, district_id: int, first: date, last: date, hours: Collection[int],
            kind_column, kinds: Iterable[str] | None) -> list[Cell]:
    """SUM(n) GROUP BY cell over one rollup, for a district, a range of nights, some hours and kinds."""
    total = func.sum(model.n)
    query = (select(model.cell, total).where(model.district_id == district_id, model.duty_date >= first,
                                             model.duty_date <= last, model.hour.in_(sorted(set(hours))))
             .group_by(model.cell).having(total > 0))
    if kinds is not None:
        query = query.where(kind_column.in_(sorted(set(kinds))))
    return [Cell(cell, int(n)) for cell, n in session.execute(query)]


def _patrols(session: Session, district_id: int, first: date, last: date, hours: Collection[int],
             team_types: Iterable[str] | None) -> list[Cell]:
    """Check-ins per stored cell."""
    return _summed(session, PatrolHeat, district_id, first, last, hours, PatrolHeat.team_type, team_types)


def _incidents(session: Session, district_id: int, first: date, last: date, hours: Collection[int],
               categories: Iterable[str] | None) -> list[Cell]:
    """Tips (merged duplicates taken back) per stored cell."""
    return _summed(session, IncidentHeat, district_id, first, last, hours, IncidentHeat.category, categories)


def patrol_cells(*, session_factory: sessionmaker, actor: Actor, district_id: int, first: date, last: date,
                 hours: Collection[int], team_types: Iterable[str] | None = None, resolution: int = H3_RESOLUTION,
                 now: datetime | None = None) -> list[Cell]:
    """Check-ins per cell; outside the district's coordination, whole past weeks only, sparse cells dropped here."""
    _checked(first, last, hours, resolution)
    full = heatmap.full_view(actor, district_id)
    with session_factory() as session:
        if not full:
            tz = session.scalar(select(District.timezone).where(District.id == district_id)) or DEFAULT_TIMEZONE
            first, last = heatmap.public_nights(first, last, duty_date_of(now or utcnow(), tz))
        cells = heatmap.coarsen(_patrols(session, district_id, first, last, hours, team_types), resolution)
    if full:
        return cells
    return heatmap.publishable(cells, Settings.from_env().heatmap_min_count)


def _require_full_view(actor: Actor, district_id: int) -> None:
    """Refuse incidents and gaps to anyone but the district's coordinators and administrators."""
    if not heatmap.full_view(actor, district_id):
        raise Forbidden("heatmap.incidents_forbidden")


def incident_cells(*, session_factory: sessionmaker, actor: Actor, district_id: int, first: date, last: date,
                   hours: Collection[int], categories: Iterable[str] | None = None,
                   resolution: int = H3_RESOLUTION) -> list[Cell]:
    """Tips per cell, for the district's coordinators and administrators only."""
    _require_full_view(actor, district_id)
    _checked(first, last, hours, resolution)
    with session_factory() as session:
        return heatmap.coarsen(_incidents(session, district_id, first, last, hours, categories), resolution)


def _routes(session: Session, district_id: int) -> list[RouteLine]:
    """The district's active patrol lines as checkpoint points in walking order."""
    names = {route_id: name for route_id, name in session.execute(
        select(Route.id, Route.name).where(Route.district_id == district_id, Route.active.is_(True)))}
    rows = session.execute(
        select(RouteStop.route_id, Checkpoint.lat, Checkpoint.lon)
        .join(Route, Route.id == RouteStop.route_id).join(Checkpoint, Checkpoint.id == RouteStop.checkpoint_id)
        .where(Route.district_id == district_id, Route.active.is_(True), Checkpoint.lat.is_not(None),
               Checkpoint.lon.is_not(None))
        .order_by(RouteStop.route_id, RouteStop.position))
    points: dict[int, list[tuple[float, float]]] = {}
    for route_id, lat, lon in rows:
        points.setdefault(route_id, []).append((lat, lon))
    return [RouteLine(names[route_id], tuple(line)) for route_id, line in points.items()]


def backdrop(*, session_factory: sessionmaker, district_id: int, max_routes: int | None = None) -> Backdrop:
    """The district's grids and patrol lines, to frame the cells; public, like the situation map's.

    With `max_routes`, a district with more active lines than that gets none, only their count.
    """
    with session_factory() as session:
        grids = session.execute(select(Grid.name, Grid.polygon).where(
            Grid.district_id == district_id, Grid.polygon.is_not(None)).order_by(Grid.name)).all()
        outlines = tuple((name, polygon) for name, polygon in grids)
        if max_routes is not None:
            lines = session.scalar(select(func.count(Route.id)).where(Route.district_id == district_id,
                                                                       Route.active.is_(True)))
            if lines > max_routes:
                return Backdrop(outlines, (), routes_left_out=lines)
        return Backdrop(outlines, tuple(_routes(session, district_id)))


def _landmarks(session: Session, district_id: int) -> list[Landmark]:
    """Named places and grid centres of the district, to say where a cell is."""
    places = session.execute(select(Place.name, Place.lat, Place.lon).where(
        Place.district_id == district_id, Place.lat.is_not(None), Place.lon.is_not(None)))
    grids = session.execute(select(Grid.name, Grid.center_lat, Grid.center_lon).where(
        Grid.district_id == district_id, Grid.center_lat.is_not(None), Grid.center_lon.is_not(None)))
    return [Landmark(name, lat, lon) for name, lat, lon in [*places, *grids]]


@dataclass(frozen=True)
class Coverage:
    """A coordinator's whole heatmap in one read: check-ins and tips per cell, and the gaps between them."""

    patrols: list[Cell]
    incidents: list[Cell]
    gaps: list[Gap]


def coverage(*, session_factory: sessionmaker, actor: Actor, district_id: int, first: date, last: date,
             hours: Collection[int], team_types: Iterable[str] | None = None,
             categories: Iterable[str] | None = None, resolution: int = H3_RESOLUTION, limit: int = 20) -> Coverage:
    """Patrol and incident cells and the ranked gaps, for the district's coordinators and administrators only."""
    _require_full_view(actor, district_id)
    _checked(first, last, hours, resolution)
    with session_factory() as session:
        incidents = heatmap.coarsen(_incidents(session, district_id, first, last, hours, categories), resolution)
        patrols = heatmap.coarsen(_patrols(session, district_id, first, last, hours, team_types), resolution)
        routes, landmarks = _routes(session, district_id), _landmarks(session, district_id)
    return Coverage(patrols, incidents, heatmap.rank_gaps(incidents, patrols, routes, landmarks, limit))


def coverage_gaps(*, session_factory: sessionmaker, actor: Actor, district_id: int, first: date, last: date,
                  hours: Collection[int], team_types: Iterable[str] | None = None,
                  categories: Iterable[str] | None = None, resolution: int = H3_RESOLUTION,
                  limit: int = 20) -> list[Gap]:
    """Cells where incidents' share runs ahead of patrols' share, ranked, each with its nearest route."""
    return coverage(session_factory=session_factory, actor=actor, district_id=district_id, first=first, last=last,
                    hours=hours, team_types=team_types, categories=categories, resolution=resolution,
                    limit=limit).gaps
