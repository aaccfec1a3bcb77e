"""The geography page's lists: a district's grids, points and routes, the first that match a search.

A city district has about 100 grids, 400 checkpoints and 150 routes, and the page draws all its tabs on
every run, so each list reads only its columns, finds matches in SQL and returns the first `limit`
with how many match; `limit=None` returns every match (for the files a table downloads).
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Checkpoint, Grid, Place, Route, RouteStop
from nightwatch.access import Actor
from nightwatch.services.geography import district_for_change
from nightwatch.services.grids import GridRow
from nightwatch.services.points import MODELS, PointKind, PointRow
from nightwatch.services.routes import RouteRow, StopRow
from nightwatch.shown import Shown

SHOWN = 50  # rows a tab lists at once; pass it as `limit`


def _first(session: Session, query: Select, limit: int | None) -> tuple[list, int]:
    """The first `limit` rows of `query` (all when None), and how many it matches."""
    rows = session.execute(query if limit is None else query.limit(limit)).all()
    if limit is None or len(rows) < limit:
        return rows, len(rows)
    return rows, session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def _named(column, search: str):
    """Rows whose `column` holds the search, as typed (wildcards are literal)."""
    return column.icontains(search.strip(), autoescape=True)


def grid_page(*, session_factory: sessionmaker, actor: Actor, district_id: int, search: str = "",
              limit: int | None) -> Shown[GridRow]:
    """The district's grids whose name holds `search`, in the order they were drawn."""
    query = (select(Grid.id, Grid.name, Grid.area_m2, Grid.center_lat, Grid.center_lon, Grid.staffing_template)
             .where(Grid.district_id == district_id).order_by(Grid.id))
    if search.strip():
        query = query.where(_named(Grid.name, search))
    with session_factory() as session:
        district_for_change(session, actor, district_id)
        rows, total = _first(session, query, limit)
    return Shown([GridRow(r.id, r.name, r.area_m2, r.center_lat, r.center_lon, dict(r.staffing_template or {}))
                  for r in rows], total)


def point_page(*, session_factory: sessionmaker, actor: Actor, district_id: int, kind: PointKind,
               search: str = "", limit: int | None) -> Shown[PointRow]:
    """The district's points of one kind whose name (or a place's address) holds `search`, by name."""
    model = MODELS[PointKind(kind)]
    columns = [model.id, model.name, getattr(model, "kind", None), model.lat, model.lon, model.approximate,
               Grid.name.label("grid"), getattr(model, "active", None), getattr(model, "address", None),
               getattr(model, "note", None)]
    query = (select(*(c for c in columns if c is not None)).outerjoin(Grid, Grid.id == model.grid_id)
             .where(model.district_id == district_id).order_by(model.name))
    if search.strip():
        query = query.where(or_(_named(model.name, search), *([_named(Place.address, search)] if model is Place
                                                              else [])))
    with session_factory() as session:
        district_for_change(session, actor, district_id)
        rows, total = _first(session, query, limit)
    return Shown([PointRow(r.id, r.name, getattr(r, "kind", None), r.lat, r.lon, r.approximate, r.grid,
                           getattr(r, "active", True), getattr(r, "address", None), getattr(r, "note", None))
                  for r in rows], total)


def route_page(*, session_factory: sessionmaker, actor: Actor, district_id: int, search: str = "",
               limit: int | None) -> Shown[RouteRow]:
    """The district's routes whose name or a stop's name holds `search`, by name, with their stops in order."""
    query = select(Route.id, Route.name, Route.active).where(Route.district_id == district_id).order_by(Route.name)
    if search.strip():
        through = (select(RouteStop.route_id).join(Checkpoint, Checkpoint.id == RouteStop.checkpoint_id)
                   .where(Checkpoint.district_id == district_id, _named(Checkpoint.name, search)))
        query = query.where(or_(_named(Route.name, search), Route.id.in_(through)))
    with session_factory() as session:
        district_for_change(session, actor, district_id)
        rows, total = _first(session, query, limit)
        stops = _stops_of(session, [r.id for r in rows])
    return Shown([RouteRow(r.id, r.name, r.active, tuple(stops[r.id])) for r in rows], total)


def _stops_of(session: Session, route_ids: list[int]) -> dict[int, list[StopRow]]:
    """Each route's stops in order, with their checkpoints' names."""
    stops: dict[int, list[StopRow]] = defaultdict(list)
    if not route_ids:
        return stops
    for route_id, checkpoint_id, name, minutes in session.execute(
            select(RouteStop.route_id, RouteStop.checkpoint_id, Checkpoint.name, RouteStop.minutes_from_previous)
            .join(Checkpoint, Checkpoint.id == RouteStop.checkpoint_id)
            .where(RouteStop.route_id.in_(route_ids)).order_by(RouteStop.route_id, RouteStop.position)):
        stops[route_id].append(StopRow(checkpoint_id, name, minutes))
    return stops


def checkpoint_names(*, session_factory: sessionmaker, actor: Actor, district_id: int) -> dict[int, str]:
    """The district's checkpoints in use, id → name by name: what a route's stops are chosen from."""
    with session_factory() as session:
        district_for_change(session, actor, district_id)
        return dict(session.execute(select(Checkpoint.id, Checkpoint.name).where(
            Checkpoint.district_id == district_id, Checkpoint.active.is_(True)).order_by(Checkpoint.name)).all())
