"""Micro-grids (微网格): cut a street area into rectangles or H3 hexagons; GeoJSON in and out. Pure functions only.

Conventions: geometries are GeoJSON dicts with [lon, lat] positions (WGS-84); rings are closed.
Rectangles are cut in degrees along the area's bounding box, so at street scale they are equal in
metres too. A cell belongs to the area when its centre does: for a rectangle-shaped area the cells
tile it exactly; for any other shape the cells are *not* clipped, so they overhang the edge in
places and leave slivers uncovered in others. Hexagons are never clipped either: they cover the
area (every point of it lies in one of them) and spill over its edge.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import h3

from nightwatch.geo import EARTH_RADIUS_M, is_valid_point

MAX_FEATURES = 5_000
Ring = list[list[float]]


class GeoJSONError(ValueError):
    """Refused GeoJSON: `key` is a message key (geojson.*), `index` the feature at fault or None."""

    def __init__(self, key: str, index: int | None = None) -> None:
        self.key, self.index = key, index
        super().__init__(key if index is None else f"{key} (feature {index})")


@dataclass(frozen=True)
class Feature:
    """One named area: a Polygon or MultiPolygon geometry and its other properties."""

    name: str
    geometry: dict
    properties: dict = field(default_factory=dict)


# ---- geometry ----------------------------------------------------------------------------------

def _polygons(geometry: dict) -> list[list[Ring]]:
    """The polygons (each a list of rings, outer first) of a Polygon or MultiPolygon."""
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError("geojson.not_polygon")


def _bbox(geometry: dict) -> tuple[float, float, float, float]:
    """West, south, east, north of a geometry's outer rings."""
    lons = [p[0] for poly in _polygons(geometry) for p in poly[0]]
    lats = [p[1] for poly in _polygons(geometry) for p in poly[0]]
    return min(lons), min(lats), max(lons), max(lats)


def _in_ring(ring: Ring, lat: float, lon: float) -> bool:
    """Ray casting: odd crossings to the east means inside (half-open, so tiles never share a point)."""
    inside = False
    for (x1, y1), (x2, y2) in zip((p[:2] for p in ring), (p[:2] for p in ring[1:] + ring[:1])):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def contains(polygon: dict, lat: float, lon: float) -> bool:
    """True when a point lies inside a Polygon or MultiPolygon and outside its holes."""
    return any(
        _in_ring(rings[0], lat, lon) and not any(_in_ring(hole, lat, lon) for hole in rings[1:])
        for rings in _polygons(polygon)
    )


def _ring_area_m2(ring: Ring, lat0: float, lon0: float) -> float:
    """Unsigned area of a ring in a local equirectangular projection centred on (lat0, lon0)."""
    k = math.cos(math.radians(lat0))
    pts = [(math.radians(p[0] - lon0) * k * EARTH_RADIUS_M, math.radians(p[1] - lat0) * EARTH_RADIUS_M) for p in ring]
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1]))) / 2


def polygon_area_m2(polygon: dict) -> float:
    """Area in square metres, holes subtracted (local projection: well under 1% off at street scale)."""
    west, south, east, north = _bbox(polygon)
    lat0, lon0 = (south + north) / 2, (west + east) / 2
    return sum(
        _ring_area_m2(rings[0], lat0, lon0) - sum(_ring_area_m2(h, lat0, lon0) for h in rings[1:])
        for rings in _polygons(polygon)
    )


def _box(west: float, south: float, east: float, north: float) -> dict:
    """A GeoJSON Polygon for a lon/lat box, counter-clockwise and closed."""
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


# ---- rectangles --------------------------------------------------------------------------------

def split_rectangles(polygon: dict, rows: int, cols: int) -> list[dict]:
    """Cut the bounding box into rows×cols rectangles (north-west first) and keep those centred inside."""
    if rows < 1 or cols < 1:
        raise ValueError("rows and cols must be at least 1")
    west, south, east, north = _bbox(polygon)
    # Edges come from one list each, so neighbours share them bit for bit; the last edge is exact.
    xs = [west + (east - west) * i / cols for i in range(cols)] + [east]
    ys = [north - (north - south) * j / rows for j in range(rows)] + [south]
    cells = []
    for j in range(rows):
        for i in range(cols):
            if contains(polygon, (ys[j] + ys[j + 1]) / 2, (xs[i] + xs[i + 1]) / 2):
                cells.append(_box(xs[i], ys[j + 1], xs[i + 1], ys[j]))
    return cells


def grid_shape(width_m: float, height_m: float, n: int) -> tuple[int, int]:
    """Rows and cols with rows×cols == n whose cells are closest to square for an area of that size."""
    if n < 1:
        raise ValueError("n must be at least 1")
    pairs = [(r, n // r) for r in range(1, n + 1) if n % r == 0]
    return min(pairs, key=lambda rc: abs(math.log((width_m / rc[1]) / (height_m / rc[0]))))


def split_into(polygon: dict, n: int) -> list[dict]:
    """Cut an area into n rectangles as near square as n's factors allow (fewer if it is not a rectangle)."""
    west, south, east, north = _bbox(polygon)
    mid = (south + north) / 2
    width_m = math.radians(east - west) * math.cos(math.radians(mid)) * EARTH_RADIUS_M
    height_m = math.radians(north - south) * EARTH_RADIUS_M
    rows, cols = grid_shape(max(width_m, 1e-9), max(height_m, 1e-9), n)
    return split_rectangles(polygon, rows, cols)


# ---- hexagons ----------------------------------------------------------------------------------

def hexagon_cells(polygon: dict, resolution: int) -> list[str]:
    """The H3 cells (sorted) that overlap a Polygon or MultiPolygon at least partly."""
    shape = h3.geo_to_h3shape(polygon)
    # h3 4.x: polygon_to_cells keeps only cells whose centre is inside, which leaves the edges
    # uncovered; 'overlap' keeps every cell touching the area.
    return sorted(h3.h3shape_to_cells_experimental(shape, resolution, contain="overlap"))


def cell_polygon(cell: str) -> dict:
    """An H3 cell's boundary as a closed GeoJSON Polygon in [lon, lat] order."""
    ring = [[lng, lat] for lat, lng in h3.cell_to_boundary(cell)]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def split_hexagons(polygon: dict, resolution: int) -> list[dict]:
    """The H3 cells covering an area, each as a GeoJSON Polygon (sorted by cell id)."""
    return [cell_polygon(c) for c in hexagon_cells(polygon, resolution)]


def resolution_for(area_m2: float, n: int) -> int:
    """The H3 resolution whose average cell area is closest (by ratio) to area_m2 / n."""
    if not (area_m2 > 0 and math.isfinite(area_m2)) or n < 1:
        raise ValueError("area must be positive and n at least 1")
    target = math.log(area_m2 / n)
    return min(range(16), key=lambda r: abs(math.log(h3.average_hexagon_area(r, unit="m^2")) - target))


# ---- GeoJSON -----------------------------------------------------------------------------------

def _clean_ring(ring: object, index: int) -> Ring:
    """A validated ring as [lon, lat] floats; unclosed rings are refused, not repaired."""
    if not isinstance(ring, list) or len(ring) < 4:
        raise GeoJSONError("geojson.invalid", index)
    out = []
    for pos in ring:
        if not isinstance(pos, list) or len(pos) not in (2, 3):
            raise GeoJSONError("geojson.invalid", index)
        if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in pos):
            raise GeoJSONError("geojson.invalid", index)
        lon, lat = pos[0], pos[1]
        if not is_valid_point(lat, lon):
            raise GeoJSONError("geojson.out_of_range", index)
        out.append([float(lon), float(lat)])
    if out[0] != out[-1]:
        raise GeoJSONError("geojson.unclosed_ring", index)
    return out


def _clean_geometry(geometry: object, index: int) -> dict:
    """A validated Polygon or MultiPolygon (altitudes dropped)."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise GeoJSONError("geojson.not_polygon", index)
    coords = geometry.get("coordinates")
    polys = [coords] if geometry["type"] == "Polygon" else coords
    if not isinstance(polys, list) or not polys:
        raise GeoJSONError("geojson.invalid", index)
    clean = []
    for rings in polys:
        if not isinstance(rings, list) or not rings:
            raise GeoJSONError("geojson.invalid", index)
        clean.append([_clean_ring(r, index) for r in rings])
    return {"type": geometry["type"], "coordinates": clean[0] if geometry["type"] == "Polygon" else clean}


def _name(properties: dict, index: int) -> str:
    """The feature's name from "name" or "名称", else 网格N (1-based)."""
    for key in ("name", "名称"):
        value = properties.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return f"网格{index + 1}"


def read_feature_collection(text: str) -> list[Feature]:
    """Parse a FeatureCollection, Feature or bare (Multi)Polygon; refuse anything else with GeoJSONError."""
    try:
        doc = json.loads(text)
    except (ValueError, TypeError, RecursionError):
        raise GeoJSONError("geojson.invalid") from None
    if not isinstance(doc, dict):
        raise GeoJSONError("geojson.invalid")
    kind = doc.get("type")
    if kind == "FeatureCollection":
        raw = doc.get("features")
        if not isinstance(raw, list):
            raise GeoJSONError("geojson.invalid")
    elif kind == "Feature":
        raw = [doc]
    elif kind in ("Polygon", "MultiPolygon"):
        raw = [{"type": "Feature", "properties": {}, "geometry": doc}]
    else:
        raise GeoJSONError("geojson.not_polygon")
    if len(raw) > MAX_FEATURES:
        raise GeoJSONError("geojson.too_many", MAX_FEATURES)
    features = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or item.get("type") != "Feature":
            raise GeoJSONError("geojson.invalid", i)
        props = item.get("properties") or {}
        if not isinstance(props, dict):
            raise GeoJSONError("geojson.invalid", i)
        geometry = _clean_geometry(item.get("geometry"), i)
        name = _name(props, i)
        rest = {k: v for k, v in props.items() if k not in ("name", "名称")}
        features.append(Feature(name=name, geometry=geometry, properties=rest))
    return features


def write_feature_collection(features: list[Feature]) -> str:
    """A FeatureCollection with each name under "name"; Chinese is written as itself, not \\u escapes."""
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {**f.properties, "name": f.name}, "geometry": f.geometry}
            for f in features
        ],
    }
    return json.dumps(doc, ensure_ascii=False, allow_nan=False)
