"""Micro-grids (微网格) of a district: cut from an area, imported from GeoJSON, edited, exported.

Cutting and importing either add to the district's grids (names that are taken are refused for an
import, skipped over for a cut) or replace them all. Replacing deletes the old grids: rows that
pointed at them (shifts, tips, people's home grid) keep their data with no grid (ON DELETE SET NULL),
and the district's places, posts and checkpoints are put into whichever new grid holds them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Checkpoint, District, DutyPost, Grid, Place, Route
from nightwatch import gridding
from nightwatch.access import Actor, Forbidden
from nightwatch.services.audit import record
from nightwatch.services.geography import (
    GeographyRefused,
    centre_of,
    clean_name,
    district_for_change,
)
from nightwatch.services.points import regrid_points
from nightwatch.vocab import RoleKind

MAX_GRIDS = 500
MAX_PER_ROLE = 999
EXPORT_LAYER = "layer"


@dataclass(frozen=True)
class GridRow:
    """One grid as the page lists it."""

    id: int
    name: str
    area_m2: float | None
    center_lat: float | None
    center_lon: float | None
    staffing: dict[str, int]


def grid_name(number: int) -> str:
    """The default name of the n-th grid: 1号网格, 2号网格 …"""
    return f"{number}号网格"


def clean_staffing(template: dict[str, Any] | None) -> dict[str, int]:
    """A staffing template (role kind → count) with known role kinds and counts 0–999; zeros dropped."""
    clean: dict[str, int] = {}
    for key, count in (template or {}).items():
        try:
            role = RoleKind(key).value
        except ValueError:
            raise GeographyRefused("geography.bad_role", role=str(key)) from None
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_PER_ROLE:
            raise GeographyRefused("geography.bad_count", high=MAX_PER_ROLE)
        if count:
            clean[role] = count
    return clean


def _new_grid(district_id: int, name: str, polygon: dict[str, Any], staffing: dict[str, int]) -> Grid:
    """A grid row for a polygon, with its centre and area."""
    lat, lon = centre_of(polygon)
    return Grid(district_id=district_id, name=name, polygon=polygon, center_lat=lat, center_lon=lon,
                staffing_template=staffing, area_m2=round(gridding.polygon_area_m2(polygon), 1))


def _clear(session: Session, district_id: int) -> int:
    """Delete every grid of a district (the database nulls references); returns how many went."""
    gone = len(session.scalars(select(Grid.id).where(Grid.district_id == district_id)).all())
    session.execute(delete(Grid).where(Grid.district_id == district_id))
    session.expire_all()
    return gone


def cut_grids(
    *, session_factory: sessionmaker, actor: Actor, district_id: int, count: int, hexagons: bool = False,
    area: dict[str, Any] | None = None, replace: bool = False, staffing: dict[str, Any] | None = None,
) -> list[int]:
    """Cut an area (the district boundary unless given) into about `count` rectangles or H3 hexagons."""
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_GRIDS:
        raise GeographyRefused("geography.count_range", high=MAX_GRIDS)
    template = clean_staffing(staffing)
    with session_factory.begin() as session:
        district = district_for_change(session, actor, district_id)
        polygon = area or district.boundary
        if not polygon:
            raise GeographyRefused("geography.no_boundary")
        if hexagons:
            cells = gridding.split_hexagons(polygon, gridding.resolution_for(gridding.polygon_area_m2(polygon), count))
        else:
            cells = gridding.split_into(polygon, count)
        if not cells or len(cells) > MAX_GRIDS:
            raise GeographyRefused("geography.count_range", high=MAX_GRIDS)
        removed = _clear(session, district_id) if replace else 0
        taken = set(session.scalars(select(Grid.name).where(Grid.district_id == district_id)))
        numbers = (n for n in range(1, 10 * MAX_GRIDS) if grid_name(n) not in taken)
        grids = [_new_grid(district_id, grid_name(next(numbers)), cell, dict(template)) for cell in cells]
        session.add_all(grids)
        regrid_points(session, district_id)
        record(session, actor, "grid.cut", "district", district_id, district_id=district_id,
               after={"grids": len(grids), "shape": "hexagon" if hexagons else "rectangle",
                      "replaced": removed, "staffing": template})
        return [g.id for g in grids]


def _grid_features(text: str) -> list[gridding.Feature]:
    """The grid features of a GeoJSON text; an export's other layers (points, routes, boundary) are skipped."""
    try:
        doc = json.loads(text)
    except (ValueError, TypeError, RecursionError):
        raise GeographyRefused("geojson.invalid") from None
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection" and isinstance(doc.get("features"), list):
        doc = {**doc, "features": [f for f in doc["features"] if not _other_layer(f)]}
    try:
        return gridding.read_feature_collection(json.dumps(doc, ensure_ascii=False))
    except gridding.GeoJSONError as error:
        raise GeographyRefused(error.key, index=(error.index or 0) + 1) from None


def _other_layer(feature: object) -> bool:
    """True for a feature of one of our exports that is not a grid."""
    props = feature.get("properties") if isinstance(feature, dict) else None
    return isinstance(props, dict) and props.get(EXPORT_LAYER) not in (None, "grid")


def import_grids(
    *, session_factory: sessionmaker, actor: Actor, district_id: int, text: str, replace: bool = False,
) -> list[int]:
    """Import grids from GeoJSON, all or nothing: names from properties.name, staffing from properties.staffing."""
    features = _grid_features(text)
    if not features:
        raise GeographyRefused("geography.nothing_to_import")
    names = [clean_name(f.name) for f in features]
    duplicate = next((n for i, n in enumerate(names) if n in names[:i]), None)
    if duplicate is not None:
        raise GeographyRefused("geography.duplicate_grid", name=duplicate)
    templates = [clean_staffing(f.properties.get("staffing") if isinstance(f.properties.get("staffing"), dict)
                                else None) for f in features]
    with session_factory.begin() as session:
        district_for_change(session, actor, district_id)
        removed = _clear(session, district_id) if replace else 0
        taken = set(session.scalars(select(Grid.name).where(Grid.district_id == district_id)))
        if clash := next((n for n in names if n in taken), None):
            raise GeographyRefused("geography.grid_taken", name=clash)
        grids = [_new_grid(district_id, n, f.geometry, s) for n, f, s in zip(names, features, templates)]
        session.add_all(grids)
        regrid_points(session, district_id)
        record(session, actor, "grid.import", "district", district_id, district_id=district_id,
               after={"grids": len(grids), "replaced": removed})
        return [g.id for g in grids]


def _grid_for_change(session: Session, actor: Actor, grid_id: int) -> Grid:
    """A grid whose district the actor coordinates; else refuse."""
    grid = session.get(Grid, grid_id)
    if grid is None:
        raise Forbidden("access.other_district")
    district_for_change(session, actor, grid.district_id)
    return grid


def edit_grid(*, session_factory: sessionmaker, actor: Actor, grid_id: int, name: str,
              staffing: dict[str, Any]) -> None:
    """Rename a grid and set its staffing template (一警+两辅+三网格员+N商户)."""
    name, template = clean_name(name), clean_staffing(staffing)
    with session_factory.begin() as session:
        grid = _grid_for_change(session, actor, grid_id)
        clash = session.scalar(select(Grid.id).where(
            Grid.district_id == grid.district_id, Grid.name == name, Grid.id != grid.id))
        if clash is not None:
            raise GeographyRefused("geography.grid_taken", name=name)
        before = {"name": grid.name, "staffing": dict(grid.staffing_template or {})}
        grid.name, grid.staffing_template = name, template
        record(session, actor, "grid.edit", "grid", grid.id, district_id=grid.district_id,
               before=before, after={"name": name, "staffing": template})


def delete_grid(*, session_factory: sessionmaker, actor: Actor, grid_id: int) -> None:
    """Delete a grid; whatever pointed at it keeps its data with no grid."""
    with session_factory.begin() as session:
        grid = _grid_for_change(session, actor, grid_id)
        district_id, before = grid.district_id, {"name": grid.name, "staffing": dict(grid.staffing_template or {})}
        session.execute(delete(Grid).where(Grid.id == grid_id))
        session.expire_all()
        regrid_points(session, district_id)
        record(session, actor, "grid.delete", "grid", grid_id, district_id=district_id, before=before)


def export_geojson(*, session_factory: sessionmaker, actor: Actor, district_id: int) -> str:
    """The district's geography as one FeatureCollection: boundary, grids, points (no secrets), routes as lines."""
    with session_factory() as session:
        district = district_for_change(session, actor, district_id)
        features = _district_features(session, district)
    return gridding.write_feature_collection(features)


def _district_features(session: Session, district: District) -> list[gridding.Feature]:
    """Every layer of a district as GeoJSON features, each tagged with its layer."""
    out: list[gridding.Feature] = []
    if district.boundary:
        out.append(gridding.Feature(district.name, district.boundary, {EXPORT_LAYER: "district", "city": district.city}))
    for grid in session.scalars(select(Grid).where(Grid.district_id == district.id).order_by(Grid.id)):
        if grid.polygon:
            out.append(gridding.Feature(grid.name, grid.polygon, {
                EXPORT_LAYER: "grid", "staffing": dict(grid.staffing_template or {}), "area_m2": grid.area_m2}))
    points: dict[int, tuple[float, float]] = {}
    for layer, model in (("place", Place), ("duty_post", DutyPost), ("checkpoint", Checkpoint)):
        for row in session.scalars(select(model).where(model.district_id == district.id, model.lat.is_not(None))
                                   .order_by(model.id)):
            props: dict[str, Any] = {EXPORT_LAYER: layer, "id": row.id}
            if hasattr(row, "kind"):
                props["kind"] = row.kind
            if hasattr(row, "active"):
                props["active"] = row.active
            if layer == "checkpoint":
                points[row.id] = (row.lon, row.lat)
            out.append(gridding.Feature(row.name, {"type": "Point", "coordinates": [row.lon, row.lat]}, props))
    for route in session.scalars(select(Route).where(Route.district_id == district.id).order_by(Route.id)):
        line = [list(points[s.checkpoint_id]) for s in route.stops if s.checkpoint_id in points]
        if len(line) >= 2:
            out.append(gridding.Feature(route.name, {"type": "LineString", "coordinates": line}, {
                EXPORT_LAYER: "route", "active": route.active,
                "minutes": [s.minutes_from_previous for s in route.stops]}))
    return out
