"""The heatmap's rules: night hours, cells and their colours, privacy suppression, coverage gaps. Pure.

Coverage gap: a cell's score is its share of the district's incidents minus its share of the
district's check-ins, in percentage points, over the same nights and hours. A cell with 30 % of the
incidents but 5 % of the patrol visits scores 25; only cells with incidents and a positive score are
gaps, highest first. Shares rather than raw counts, because check-ins outnumber tips many times over.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import h3
import numpy as np

from nightwatch.access import Actor, covers_district
from nightwatch.geo import EARTH_RADIUS_M, haversine_m

# The night as a coordinator reads it: 18:00 … 23:00, then 00:00 … 06:00 of the next morning.
NIGHT_HOURS: tuple[int, ...] = tuple((18 + n) % 24 for n in range(13))
# Cell sizes offered for zoomed-out views: H3 resolution → rough area in km².
CELL_AREAS_KM2: dict[int, float] = {9: 0.1, 8: 0.7, 7: 5.2}
PUBLIC_WEEK = 7  # public windows move in whole weeks
RGBA = list[int]


def hour_label(hour: int) -> str:
    """A wall-clock hour as HH:00."""
    return f"{hour:02d}:00"


def hours_between(first: int, last: int) -> frozenset[int]:
    """The wall-clock hours from `first` to `last` inclusive, in night order (22 → 2 crosses midnight)."""
    start, end = NIGHT_HOURS.index(first), NIGHT_HOURS.index(last)
    if start > end:
        start, end = end, start
    return frozenset(NIGHT_HOURS[start:end + 1])


@dataclass(frozen=True)
class Cell:
    """One H3 cell and how many check-ins (or incidents) it holds."""

    cell: str
    n: int


def coarsen(cells: Iterable[Cell], resolution: int) -> list[Cell]:
    """The cells summed into their parents at a coarser resolution (unchanged at the stored one)."""
    totals: dict[str, int] = {}
    for cell in cells:
        key = cell.cell if resolution >= h3.get_resolution(cell.cell) else h3.cell_to_parent(cell.cell, resolution)
        totals[key] = totals.get(key, 0) + cell.n
    return sorted((Cell(key, n) for key, n in totals.items()), key=lambda c: (-c.n, c.cell))


def publishable(cells: Iterable[Cell], min_count: int) -> list[Cell]:
    """Only the cells with at least `min_count`, so no sparse cell can show one person's path."""
    return [cell for cell in cells if cell.n >= min_count]


def public_nights(first: date, last: date, tonight: date) -> tuple[date, date]:
    """The nights a public view may cover: whole weeks on a fixed grid ending last night.

    Never tonight, so nobody can read where patrols are (or are not) right now; and only whole
    weeks counted back from last night, so two neighbouring windows cannot be subtracted to
    recover a single night's sparse counts.
    """
    newest = tonight - timedelta(days=1)
    last = newest - timedelta(days=PUBLIC_WEEK * max(0, (newest - min(last, newest)).days // PUBLIC_WEEK))
    weeks = max(1, -(-((last - min(first, last)).days + 1) // PUBLIC_WEEK))
    return last - timedelta(days=PUBLIC_WEEK * weeks - 1), last


def full_view(actor: Actor, district_id: int) -> bool:
    """True for the district's own coordinators and administrators: incidents, gaps, no minimum."""
    return actor.is_coordinator and covers_district(actor, district_id)


# Light to dark per layer: patrol teal, incidents red, gaps purple.
SCHEMES: dict[str, tuple[RGBA, RGBA]] = {
    "patrol": ([199, 233, 192, 110], [0, 90, 50, 225]),
    "incident": ([254, 217, 118, 120], [177, 0, 38, 230]),
    "gap": ([218, 218, 235, 120], [84, 39, 143, 230]),
}


def colour_of(value: float, top: float, scheme: str) -> RGBA:
    """A cell's colour: square-root scale from the scheme's light end (near 0) to its dark end (at `top`)."""
    light, dark = SCHEMES[scheme]
    share = math.sqrt(max(0.0, min(1.0, value / top))) if top > 0 else 1.0
    return [round(a + (b - a) * share) for a, b in zip(light, dark, strict=True)]


def legend_steps(top: float, scheme: str, low: float = 1, steps: int = 4) -> list[tuple[float, RGBA]]:
    """A few round values from `low` to `top` with their colours, for a legend."""
    if top <= 0:
        return []
    low = min(low, top)
    values = sorted({round(low + (top - low) * n / (steps - 1)) for n in range(steps)})
    return [(value, colour_of(value, top, scheme)) for value in values]


def centre_of(cell: str) -> tuple[float, float]:
    """A cell's centre as (lat, lon)."""
    return h3.cell_to_latlng(cell)


@dataclass(frozen=True)
class RouteLine:
    """A patrol line as the (lat, lon) points of its checkpoints, in walking order."""

    name: str
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Backdrop:
    """What frames the cells on the map, all of it public: the grids (name, GeoJSON) and the patrol lines."""

    grids: tuple[tuple[str, dict], ...]
    routes: tuple[RouteLine, ...]
    routes_left_out: int = 0  # a district with more lines than frame the cells legibly: how many (none drawn)


@dataclass(frozen=True)
class Landmark:
    """A named place or grid centre, to say where a cell is."""

    name: str
    lat: float
    lon: float


def _to_segment_m(point: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    """Metres from a point to the segment a–b, on a flat local projection (fine at city scale)."""
    scale = math.cos(math.radians(point[0]))
    ax, ay = (a[1] - point[1]) * scale, a[0] - point[0]
    bx, by = (b[1] - point[1]) * scale, b[0] - point[0]
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    along = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
    nearest = (point[0] + ay + along * dy, point[1] + (ax + along * dx) / scale)
    return haversine_m(point[0], point[1], *nearest)


RADIANS = math.pi / 180
SLACK_M = 1e-6  # floors are compared with this slack, so float rounding never drops the true nearest
# The routes that have points (their indices) and their boxes, rows of (south, north, west, east, least cosine).
Boxes = tuple[np.ndarray, np.ndarray]


def _boxes(routes: Sequence[RouteLine]) -> Boxes:
    indices, rows = [], []
    for index, route in enumerate(routes):
        if route.points:
            lats, lons = [lat for lat, _ in route.points], [lon for _, lon in route.points]
            south, north = min(lats), max(lats)
            indices.append(index)
            rows.append((south, north, min(lons), max(lons),
                         max(0.0, min(math.cos(math.radians(south)), math.cos(math.radians(north))))))
    return np.array(indices, dtype=int), np.array(rows, dtype=float).reshape(-1, 5)


def _floors_m(point: tuple[float, float], boxes: np.ndarray) -> np.ndarray:
    """A floor on the metres from a point to anything inside each box (the segments' nearest points included).

    Haversine with the latitude and longitude differences at their least and the far cosine at its least.
    """
    dlat = np.maximum(np.maximum(boxes[:, 0] - point[0], point[0] - boxes[:, 1]), 0.0)
    dlon = np.maximum(np.maximum(boxes[:, 2] - point[1], point[1] - boxes[:, 3]), 0.0)
    near_cos = max(0.0, math.cos(math.radians(point[0])))
    a = np.sin(dlat * RADIANS / 2) ** 2 + near_cos * boxes[:, 4] * np.sin(dlon * RADIANS / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def nearest_route(point: tuple[float, float], routes: Sequence[RouteLine],
                  boxes: Boxes | None = None) -> tuple[str, float] | None:
    """The route passing closest to a point (the first listed on a tie), and how far it passes, in metres.

    Routes are measured nearest box first, and no longer once a box lies farther than the best line so
    far: a district's hundred lines cost a handful of measurements. None without routes.
    """
    indices, table = boxes if boxes is not None else _boxes(routes)
    floors = _floors_m(point, table)
    best: tuple[float, int] | None = None
    for position in np.argsort(floors, kind="stable"):
        if best is not None and floors[position] > best[0] + SLACK_M:
            break
        index = int(indices[position])
        points = routes[index].points
        pairs = list(zip(points, points[1:])) or [(points[0], points[0])]
        metres = min(_to_segment_m(point, a, b) for a, b in pairs)
        if best is None or (metres, index) < best:
            best = (metres, index)
    return (routes[best[1]].name, best[0]) if best else None


def _points(landmarks: Sequence[Landmark]) -> np.ndarray:
    return np.array([(mark.lat, mark.lon) for mark in landmarks], dtype=float).reshape(-1, 2)


def nearest_landmark(point: tuple[float, float], landmarks: Sequence[Landmark],
                     points: np.ndarray | None = None) -> str | None:
    """The name of the landmark closest to a point (the first listed on a tie), if any.

    All distances are estimated at once; only those within rounding of the least are measured one by one.
    """
    table = points if points is not None else _points(landmarks)
    lat, lon = np.radians(table[:, 0]), np.radians(table[:, 1])
    here = math.radians(point[0])
    a = (np.sin((lat - here) / 2) ** 2
         + math.cos(here) * np.cos(lat) * np.sin((lon - math.radians(point[1])) / 2) ** 2)
    rough = 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    best: tuple[float, int] | None = None
    for index in np.argsort(rough, kind="stable"):
        if best is not None and rough[index] > best[0] + SLACK_M:
            break
        mark = landmarks[int(index)]
        metres = haversine_m(point[0], point[1], mark.lat, mark.lon)
        if best is None or (metres, int(index)) < best:
            best = (metres, int(index))
    return landmarks[best[1]].name if best else None


@dataclass(frozen=True)
class Gap:
    """A cell where incidents run ahead of patrols, and the line that could move to cover it."""

    rank: int
    cell: str
    incidents: int
    patrols: int
    score: float  # percentage points: incidents' share minus check-ins' share
    place: str | None
    route: str | None
    route_m: float | None


def rank_gaps(incidents: Sequence[Cell], patrols: Sequence[Cell], routes: Sequence[RouteLine] = (),
              landmarks: Sequence[Landmark] = (), limit: int = 20) -> list[Gap]:
    """Cells with incidents ranked by incidents' share minus check-ins' share, highest first, gaps only."""
    incident_total = sum(c.n for c in incidents if c.n > 0)
    patrol_total = sum(c.n for c in patrols if c.n > 0)
    visits = {c.cell: c.n for c in patrols}
    scored = []
    for cell in incidents:
        if cell.n <= 0:
            continue
        visited = visits.get(cell.cell, 0)
        score = 100 * (cell.n / incident_total - (visited / patrol_total if patrol_total else 0.0))
        if score > 0:
            scored.append((score, cell, visited))
    scored.sort(key=lambda row: (-row[0], -row[1].n, row[1].cell))
    gaps = []
    boxes, points = _boxes(routes), _points(landmarks)
    for rank, (score, cell, visited) in enumerate(scored[:limit], start=1):
        centre = centre_of(cell.cell)
        route = nearest_route(centre, routes, boxes)
        gaps.append(Gap(rank, cell.cell, cell.n, visited, round(score, 1), nearest_landmark(centre, landmarks, points),
                        route[0] if route else None, round(route[1]) if route else None))
    return gaps
