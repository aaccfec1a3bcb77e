"""Patrol routes (巡线) through checkpoints, and the QR posters printed for them."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Checkpoint, Route, RouteStop
from nightwatch import posters
from nightwatch.access import Actor, Forbidden
from nightwatch.services.audit import record
from nightwatch.services.geography import (
    GeographyRefused,
    clean_name,
    district_for_change,
)
from nightwatch.signing import checkin_path

MAX_STOPS = 100
MAX_LEG_MINUTES = 240


@dataclass(frozen=True)
class StopRow:
    """One stop of a route: the checkpoint and the minutes from the stop before."""

    checkpoint_id: int
    name: str
    minutes: int


@dataclass(frozen=True)
class RouteRow:
    """One route as the page lists it."""

    id: int
    name: str
    active: bool
    stops: tuple[StopRow, ...]

    @property
    def total_minutes(self) -> int:
        """Minutes from the first stop to the last."""
        return sum(stop.minutes for stop in self.stops)


def _clean_stops(session: Session, district_id: int, stops: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Stops as (checkpoint id, minutes), each checkpoint of this district; the first leg is 0 minutes."""
    if len(stops) < 2:
        raise GeographyRefused("geography.route_too_short")
    if len(stops) > MAX_STOPS:
        raise GeographyRefused("geography.route_too_long", high=MAX_STOPS)
    ids = {cp for cp, _ in stops}
    found = set(session.scalars(select(Checkpoint.id).where(Checkpoint.id.in_(ids),
                                                             Checkpoint.district_id == district_id)))
    if found != ids:
        raise GeographyRefused("geography.route_foreign_stop")
    clean = []
    for position, (checkpoint_id, minutes) in enumerate(stops):
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= MAX_LEG_MINUTES:
            raise GeographyRefused("geography.bad_minutes", high=MAX_LEG_MINUTES)
        clean.append((checkpoint_id, 0 if position == 0 else minutes))
    return clean


def save_route(
    *, session_factory: sessionmaker, actor: Actor, district_id: int, name: str, stops: list[tuple[int, int]],
    route_id: int | None = None, active: bool = True,
) -> int:
    """Create a route, or replace an existing one's name and stops; returns its id."""
    name = clean_name(name, 120)
    with session_factory.begin() as session:
        district_for_change(session, actor, district_id)
        route = None
        if route_id is not None:
            route = session.get(Route, route_id)
            if route is None or route.district_id != district_id:
                raise Forbidden("access.other_district")
        clash = select(Route.id).where(Route.district_id == district_id, Route.name == name)
        if route is not None:
            clash = clash.where(Route.id != route.id)
        if session.scalar(clash) is not None:
            raise GeographyRefused("geography.name_taken", name=name)
        clean = _clean_stops(session, district_id, stops)
        before = None if route is None else {"name": route.name, "active": route.active,
                                             "stops": [[s.checkpoint_id, s.minutes_from_previous] for s in route.stops]}
        if route is None:
            route = Route(district_id=district_id, name=name)
            session.add(route)
        else:
            route.stops.clear()
            session.flush()  # the old stops leave before new ones take their positions
        route.name, route.active = name, bool(active)
        route.grid_id = _main_grid(session, [cp for cp, _ in clean])
        route.stops.extend(RouteStop(position=i, checkpoint_id=cp, minutes_from_previous=m)
                           for i, (cp, m) in enumerate(clean))
        session.flush()
        record(session, actor, "route.create" if before is None else "route.edit", "route", route.id,
               district_id=district_id, before=before,
               after={"name": name, "active": route.active, "stops": [list(s) for s in clean]})
        return route.id


def _main_grid(session: Session, checkpoint_ids: list[int]) -> int | None:
    """The grid most of a route's stops lie in (as the seed does), or None."""
    grids = [g for g in session.scalars(select(Checkpoint.grid_id).where(Checkpoint.id.in_(checkpoint_ids))) if g]
    return max(set(grids), key=grids.count) if grids else None


def origin_of(base_url: str) -> str:
    """scheme://host[:port] of the app's address, for absolute check-in links; else refuse."""
    parts = urlsplit((base_url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise GeographyRefused("geography.bad_base_url")
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class PosterSheet:
    """A route's posters: a title and one item (name, signed URL) per active checkpoint, in route order."""

    title: str
    items: tuple[posters.PosterItem, ...]
    checkpoint_ids: tuple[int, ...]


def route_posters(*, session_factory: sessionmaker, actor: Actor, route_id: int, base_url: str) -> PosterSheet:
    """One signed absolute check-in link per checkpoint of a route (each checkpoint once)."""
    origin = origin_of(base_url)
    with session_factory() as session:
        route = session.get(Route, route_id)
        if route is None:
            raise Forbidden("access.other_district")
        district_for_change(session, actor, route.district_id)
        ids = list(dict.fromkeys(s.checkpoint_id for s in route.stops))
        points = {c.id: c for c in session.scalars(select(Checkpoint).where(Checkpoint.id.in_(ids)))}
        chosen = [points[i] for i in ids if i in points and points[i].active]
        items = tuple(posters.PosterItem(c.name, origin + checkin_path(c.id, c.secret), route.name) for c in chosen)
        return PosterSheet(route.name, items, tuple(c.id for c in chosen))


def poster_sheet_html(sheet: PosterSheet, lang: str) -> str:
    """The printable A4 HTML page of a route's posters."""
    return posters.poster_html(sheet.title, list(sheet.items), lang)


def poster_png(sheet: PosterSheet, checkpoint_id: int) -> bytes:
    """One checkpoint's QR code as a PNG, from a route's sheet."""
    item = dict(zip(sheet.checkpoint_ids, sheet.items)).get(checkpoint_id)
    if item is None:
        raise GeographyRefused("geography.not_on_route")
    return posters.poster_png(item)
