"""Which micro-grid holds a point (a tip, a shop, a place): stored polygons parsed once per process, boxed for speed."""
from __future__ import annotations

import json
from functools import lru_cache

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from db.models import Grid
from nightwatch import gridding


def grid_at(session: Session, district_id: int, lat: float, lon: float) -> int | None:
    """The district's micro-grid holding the point (the first by id when grids overlap), if any."""
    return first_holding(outlines(session, district_id), lat, lon)


def outlines(session: Session, district_id: int) -> list[tuple[int, str | None]]:
    """The district's grids as (id, stored polygon text), by id: read once to place many points."""
    grid = Grid.__table__.c
    rows = session.execute(select(grid.id, cast(grid.polygon, Text)).where(grid.district_id == district_id)
                           .order_by(grid.id))
    return [(grid_id, raw) for grid_id, raw in rows]


def first_holding(grids: list[tuple[int, str | None]], lat: float, lon: float) -> int | None:
    """The first of these grids that holds the point, or None."""
    return next((grid_id for grid_id, raw in grids if raw and holds(raw, lat, lon)), None)


def holds(raw: str, lat: float, lon: float) -> bool:
    """True when a grid's stored polygon holds the point (its box first: most grids are far away)."""
    polygon, box = _outline(raw)
    if box is not None and not (box[0] <= lat <= box[2] and box[1] <= lon <= box[3]):
        return False
    return bool(polygon) and gridding.contains(polygon, lat, lon)


@lru_cache(maxsize=8192)
def _outline(raw: str) -> tuple[dict | None, tuple[float, float, float, float] | None]:
    """A grid's stored polygon parsed once per process, and the box (S, W, N, E) around its outer rings."""
    # Keyed by the stored text itself, so an edited grid is simply a new entry: never stale.
    polygon = json.loads(raw)
    if not isinstance(polygon, dict):
        return None, None
    kind, coordinates = polygon.get("type"), polygon.get("coordinates") or []
    outers = [coordinates[0]] if kind == "Polygon" and coordinates else [
        rings[0] for rings in coordinates if rings] if kind == "MultiPolygon" else []
    points = [point for ring in outers for point in ring]
    if not points:
        return polygon, None
    lats, lons = [point[1] for point in points], [point[0] for point in points]
    return polygon, (min(lats), min(lons), max(lats), max(lons))
