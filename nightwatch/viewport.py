"""Where the situation map opens and how its shapes are read: views, extents, spread points. Pure."""
from __future__ import annotations

import math
from dataclasses import dataclass

from nightwatch.geo import offset_point
from nightwatch.situation import Situation

# Teams based at the same spot are drawn this far apart, on a circle around it.
SPREAD_M = 12.0


@dataclass(frozen=True)
class View:
    """Where the map opens: a centre and a zoom."""

    lat: float
    lon: float
    zoom: float = 15.5


WORLD_PX = 512


def fit_view(points: list[tuple[float, float]], width_px: int = 400, height_px: int = 500) -> View | None:
    """A view that holds every (lat, lon) point on a phone-wide map, with a margin; None when there are none."""
    if not points:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    lat, lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    lon_span = max(max(lons) - min(lons), 1e-4)
    lat_span = max(max(lats) - min(lats), 1e-4) / math.cos(math.radians(lat))
    # deck.gl's world is 512 px wide at zoom 0 (not the 256 of raster tiles).
    zoom = min(math.log2(width_px * 360 / (WORLD_PX * lon_span)), math.log2(height_px * 360 / (WORLD_PX * lat_span)))
    return View(lat, lon, round(max(10.0, min(18.0, zoom - 0.7)), 2))


def extent_points(situation: Situation) -> list[tuple[float, float]]:
    """The (lat, lon) points the opening view should hold: grid corners, fixed spots and team bases."""
    corners = [(lat, lon) for grid in situation.grids for polygon in rings_of(grid.polygon)
               for lon, lat in polygon[0]]
    bases = [(team.lat, team.lon) for team in situation.teams if team.lat is not None and team.lon is not None]
    return corners + [(spot.lat, spot.lon) for spot in situation.spots] + bases


def ring_extent(centre: tuple[float, float], radius_m: float) -> list[tuple[float, float]]:
    """The four compass points of a circle, for fitting a view around it."""
    return [offset_point(*centre, north, east) for north, east in
            ((radius_m, 0), (-radius_m, 0), (0, radius_m), (0, -radius_m))]


def rings_of(geometry: dict | None) -> list[list[list[list[float]]]]:
    """The polygons (each a list of rings) of a GeoJSON Polygon or MultiPolygon."""
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def spread_points(points: list[tuple[float, float]], radius_m: float = SPREAD_M) -> list[tuple[float, float]]:
    """The points, with those sharing a spot moved onto a small circle around it so each can be tapped."""
    groups: dict[tuple[float, float], list[int]] = {}
    for index, (lat, lon) in enumerate(points):
        groups.setdefault((round(lat, 5), round(lon, 5)), []).append(index)
    spread = list(points)
    for members in groups.values():
        if len(members) < 2:
            continue
        for n, index in enumerate(members):
            angle = 2 * math.pi * n / len(members)
            spread[index] = offset_point(*points[index], radius_m * math.cos(angle), radius_m * math.sin(angle))
    return spread


def middle(geometry: dict | None) -> tuple[float, float] | None:
    """The middle of a polygon's bounding box, as (lat, lon)."""
    corners = [(lat, lon) for polygon in rings_of(geometry) for lon, lat in polygon[0]]
    if not corners:
        return None
    lats, lons = [c[0] for c in corners], [c[1] for c in corners]
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def minutes_between(later, earlier) -> int:
    """Whole minutes from one instant to a later one (never negative)."""
    return max(0, int((later - earlier).total_seconds() // 60))
