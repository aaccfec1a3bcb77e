"""Places on the earth: WGS-84 points, H3 cells, and distances. Pure functions only."""
from __future__ import annotations

import math

import h3

# H3 resolution stored with every located row: edge ≈ 174 m, area ≈ 0.1 km², a few shopfronts.
H3_RESOLUTION = 9
EARTH_RADIUS_M = 6_371_008.8


def cell_of(lat: float, lon: float, resolution: int = H3_RESOLUTION) -> str:
    """The H3 cell holding a WGS-84 point."""
    return h3.latlng_to_cell(lat, lon, resolution)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (within metres of geodesic at city scale)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def offset_point(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    """The point a given number of metres north and east of another (small offsets)."""
    dlat = north_m / 111_320.0
    dlon = east_m / (111_320.0 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def rectangle(lat: float, lon: float, width_m: float, height_m: float) -> dict:
    """A GeoJSON Polygon: a rectangle of the given size centred on a point."""
    south, west = offset_point(lat, lon, -height_m / 2, -width_m / 2)
    north, east = offset_point(lat, lon, height_m / 2, width_m / 2)
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def is_valid_point(lat: float, lon: float) -> bool:
    """True for a finite WGS-84 latitude and longitude."""
    return (
        isinstance(lat, (int, float)) and isinstance(lon, (int, float))
        and math.isfinite(lat) and math.isfinite(lon)
        and -90 <= lat <= 90 and -180 <= lon <= 180
    )
