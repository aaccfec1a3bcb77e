"""Districts for coordinators: who may change one, its boundary, and what it holds.

Grids live in `services/grids.py`, places/posts/checkpoints in `services/points.py`, routes and
their QR posters in `services/routes.py`; all share the scope checks and refusal defined here.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Checkpoint, District, DutyPost, Grid, Place, Route
from nightwatch import gridding
from nightwatch.access import (
    COORDINATING,
    Actor,
    Forbidden,
    require_district,
    require_role,
)
from nightwatch.coords import Datum, to_wgs84
from nightwatch.geo import rectangle
from nightwatch.services.audit import record
from nightwatch.text import clean_text, optional_text
from nightwatch.vocab import AccountRole

NAME_MAX = 80
# A pasted rectangle for a boundary or a split: between a shopfront and a small town.
RECT_MIN_M, RECT_MAX_M = 10.0, 20_000.0


class GeographyRefused(Exception):
    """A geography change was refused; the message is a catalog key, `values` fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class DistrictInfo:
    """A district as the geography page shows it, with how much it holds."""

    id: int
    name: str
    city: str
    province: str | None
    timezone: str
    center_lat: float | None
    center_lon: float | None
    has_boundary: bool
    boundary_area_m2: float | None
    note: str | None
    grids: int
    places: int
    posts: int
    checkpoints: int
    routes: int


def district_for_change(session: Session, actor: Actor, district_id: int) -> District:
    """The district, when the actor coordinates it (or administers everything); else refuse."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    district = session.get(District, district_id)
    if district is None:
        raise Forbidden("access.other_district")
    return district


def clean_name(name: object, limit: int = NAME_MAX) -> str:
    """A stripped, non-empty name within the column's length; else refuse."""
    text = clean_text(str(name or ""))
    if not text:
        raise GeographyRefused("geography.name_required")
    if len(text) > limit:
        raise GeographyRefused("geography.name_too_long", limit=limit)
    return text


def wgs84_point(lat: float, lon: float, datum: Datum | str) -> tuple[float, float]:
    """A point converted to WGS-84 for storage; bad numbers are refused with a coords.* key."""
    try:
        return to_wgs84(lat, lon, datum)
    except (TypeError, ValueError) as error:
        raise GeographyRefused(str(error)) from None


def pasted_rectangle(lat: float, lon: float, datum: Datum | str, width_m: float, height_m: float) -> dict[str, Any]:
    """A WGS-84 rectangle polygon centred on a pasted point; sizes out of range are refused."""
    for size in (width_m, height_m):
        if not (isinstance(size, (int, float)) and math.isfinite(size) and RECT_MIN_M <= size <= RECT_MAX_M):
            raise GeographyRefused("geography.size_range", low=int(RECT_MIN_M), high=int(RECT_MAX_M))
    wlat, wlon = wgs84_point(lat, lon, datum)
    return rectangle(wlat, wlon, float(width_m), float(height_m))


def describe(*, session_factory: sessionmaker, actor: Actor, district_id: int) -> DistrictInfo:
    """One district in the actor's scope and how many grids, points and routes it has."""
    with session_factory() as session:
        district = district_for_change(session, actor, district_id)

        def count(model: Any) -> int:
            return session.scalar(select(func.count()).select_from(model).where(model.district_id == district_id)) or 0

        area = gridding.polygon_area_m2(district.boundary) if district.boundary else None
        return DistrictInfo(
            district.id, district.name, district.city, district.province, district.timezone,
            district.center_lat, district.center_lon, district.boundary is not None, area, district.note,
            count(Grid), count(Place), count(DutyPost), count(Checkpoint), count(Route),
        )


def _clean_timezone(name: str) -> str:
    """A known IANA timezone name; else refuse."""
    try:
        ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise GeographyRefused("geography.bad_timezone") from None
    return name.strip()


def create_district(
    *, session_factory: sessionmaker, actor: Actor, name: str, city: str, province: str | None = None,
    timezone: str = "Asia/Shanghai", note: str | None = None,
) -> int:
    """Create a district (administrators only: a coordinator's new district would be outside their scope)."""
    require_role(actor, {AccountRole.ADMIN})
    name, city = clean_name(name), clean_name(city)
    zone = _clean_timezone(timezone)
    with session_factory.begin() as session:
        if session.scalar(select(District.id).where(District.city == city, District.name == name)) is not None:
            raise GeographyRefused("geography.district_taken", name=f"{city} · {name}")
        district = District(name=name, city=city, province=optional_text(province), timezone=zone,
                            note=optional_text(note))
        session.add(district)
        session.flush()
        record(session, actor, "district.create", "district", district.id, district_id=district.id,
               after={"name": name, "city": city, "timezone": zone})
        return district.id


def edit_district(
    *, session_factory: sessionmaker, actor: Actor, district_id: int, name: str, city: str,
    province: str | None, timezone: str, note: str | None,
) -> None:
    """Rename or re-describe a district (administrators only)."""
    require_role(actor, {AccountRole.ADMIN})
    name, city = clean_name(name), clean_name(city)
    zone = _clean_timezone(timezone)
    with session_factory.begin() as session:
        district = district_for_change(session, actor, district_id)
        clash = session.scalar(select(District.id).where(
            District.city == city, District.name == name, District.id != district_id))
        if clash is not None:
            raise GeographyRefused("geography.district_taken", name=f"{city} · {name}")
        before = {"name": district.name, "city": district.city, "province": district.province,
                  "timezone": district.timezone, "note": district.note}
        district.name, district.city, district.timezone = name, city, zone
        district.province = optional_text(province)
        district.note = optional_text(note)
        after = {"name": name, "city": city, "province": district.province, "timezone": zone, "note": district.note}
        record(session, actor, "district.edit", "district", district.id, district_id=district.id,
               before=before, after=after)


def set_boundary(*, session_factory: sessionmaker, actor: Actor, district_id: int, polygon: dict[str, Any]) -> None:
    """Replace a district's boundary with a validated Polygon or MultiPolygon; its centre follows."""
    try:
        clean = gridding.read_feature_collection(json.dumps(polygon))
    except gridding.GeoJSONError as error:
        raise GeographyRefused(error.key) from None
    if len(clean) != 1:
        raise GeographyRefused("geojson.not_polygon")
    geometry = clean[0].geometry
    with session_factory.begin() as session:
        district = district_for_change(session, actor, district_id)
        had = district.boundary is not None
        district.boundary = geometry
        district.center_lat, district.center_lon = centre_of(geometry)
        record(session, actor, "district.boundary", "district", district.id, district_id=district.id,
               before={"had_boundary": had},
               after={"area_m2": round(gridding.polygon_area_m2(geometry)),
                      "center": [district.center_lat, district.center_lon]})


def centre_of(polygon: dict[str, Any]) -> tuple[float, float]:
    """The middle of a polygon's bounding box, as (lat, lon): good enough to label and zoom to."""
    rings = [polygon["coordinates"][0]] if polygon["type"] == "Polygon" else [p[0] for p in polygon["coordinates"]]
    lons = [pos[0] for ring in rings for pos in ring]
    lats = [pos[1] for ring in rings for pos in ring]
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
