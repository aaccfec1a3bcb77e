"""Reference demo data from seeds/*.json: districts, places, grids, posts, checkpoints, routes, campaigns.

Every row has a natural key (a district's city and name; a name inside a district), so
loading inserts only what is missing and never touches rows that are already there.
"""
from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Checkpoint, District, DutyPost, Grid, Place, Route, RouteStop, ShiftCampaign
from db.seed_people import seed_people
from db.seed_support import (
    WINDOW_AHEAD,
    WINDOW_BACK,
    bbox_of,
    clock,
    inside,
    located,
    resolve_point,
    seed_file,
)
from nightwatch.geo import offset_point, rectangle
from nightwatch.vocab import DutyPostKind, ShiftKind

Row = TypeVar("Row", Place, Grid, DutyPost, Checkpoint, Route, ShiftCampaign)
Anchors = dict[str, tuple[float, float, bool]]

# When and with whom a fixed post is staffed, unless its data entry says otherwise.
POST_DUTY: dict[DutyPostKind, dict[str, Any]] = {
    DutyPostKind.PARTY_POST: {"start": "19:30", "end": "22:30", "required": {"party_member": 2}},
    DutyPostKind.SECURITY_KIOSK: {"start": "20:00", "end": "06:00", "required": {"officer": 1, "auxiliary": 1}},
    DutyPostKind.POLICE_OFFICE: {"start": "19:00", "end": "02:00", "required": {"officer": 1, "auxiliary": 1}},
    DutyPostKind.OUTPOST: {"start": "20:00", "end": "04:00", "required": {"officer": 1, "auxiliary": 2}},
    DutyPostKind.DUTY_POINT: {"start": "19:00", "end": "23:00", "required": {"officer": 1, "auxiliary": 1}},
    DutyPostKind.TRAFFIC_POST: {"start": "17:00", "end": "21:00", "required": {"officer": 1, "auxiliary": 1}},
}
GRID_DUTY = {"start": "19:00", "end": "02:00"}
# Margin around a district's points when drawing its boundary, in metres.
BOUNDARY_MARGIN_M = 300


def seed_reference(session: Session, today: date) -> None:
    """Insert every district of the articles with its places, grids, posts, people, shops and routes."""
    for spec in seed_file("districts")["districts"]:
        district = _district(session, spec)
        anchors: Anchors = {}
        places = _places(session, district, spec, anchors)
        grids = _grids(session, district, spec["key"], anchors)
        boxes = {grid.id: bbox_of(grid.polygon) for grid in grids.values()}
        for place in places.values():
            if place.grid_id is None and place.lat is not None:
                place.grid_id = _grid_at(boxes, place.lat, place.lon)
        posts = _posts(session, district, spec, anchors, boxes)
        teams = seed_people(session, district, spec, grids, anchors)
        routes = _routes(session, district, spec["key"], anchors, boxes, teams)
        _campaigns(session, district, spec, today, grids, posts, routes)
        if district.boundary is None:
            district.boundary = _boundary(anchors)


def _existing(session: Session, model: type[Row], district_id: int) -> dict[str, Row]:
    """Rows of one table in a district, by name."""
    return {row.name: row for row in session.scalars(select(model).where(model.district_id == district_id))}


def _add_missing(session: Session, existing: dict[str, Row], fresh: list[Row]) -> dict[str, Row]:
    """Add the rows whose name is not there yet; return all of them by name, with ids."""
    new = [row for row in fresh if row.name not in existing]
    session.add_all(new)
    session.flush()
    return existing | {row.name: row for row in new}


def _grid_at(boxes: dict[int, tuple[float, float, float, float] | None], lat: float, lon: float) -> int | None:
    """The id of the first grid holding a point, if any."""
    return next((grid_id for grid_id, box in boxes.items() if inside(box, lat, lon)), None)


def _district(session: Session, spec: dict[str, Any]) -> District:
    """The district of a data entry, created when missing."""
    district = session.scalars(
        select(District).where(District.city == spec["city"], District.name == spec["name"])
    ).one_or_none()
    if district is None:
        district = District(
            name=spec["name"], city=spec["city"], province=spec["province"],
            center_lat=spec["lat"], center_lon=spec["lon"], note=spec.get("note"),
            response_targets=spec.get("response_targets"),
        )
        session.add(district)
        session.flush()
    return district


def _places(session: Session, district: District, spec: dict[str, Any], anchors: Anchors) -> dict[str, Place]:
    """Hotspots and police stations; fills `anchors` with every place's point."""
    fresh = []
    for entry in spec["places"]:
        lat, lon, approximate = resolve_point(entry, anchors)
        anchors[entry["name"]] = (lat, lon, approximate)
        fresh.append(Place(district_id=district.id, name=entry["name"], kind=entry["kind"],
                           note=entry.get("note"), **located(lat, lon, approximate)))
    return _add_missing(session, _existing(session, Place, district.id), fresh)


def _grids(session: Session, district: District, key: str, anchors: Anchors) -> dict[str, Grid]:
    """Micro-grids as rectangles around their anchor, with their staffing templates."""
    fresh = []
    for entry in seed_file("grids")["grids"].get(key, []):
        lat, lon, _ = resolve_point(entry, anchors)
        width, height = entry["size"]
        fresh.append(Grid(
            district_id=district.id, name=entry["name"], polygon=rectangle(lat, lon, width, height),
            center_lat=lat, center_lon=lon, staffing_template=dict(entry["template"]),
            area_m2=entry.get("area_m2", round(width * height)),
        ))
    grids = _add_missing(session, _existing(session, Grid, district.id), fresh)
    for grid in grids.values():
        anchors.setdefault(grid.name, (grid.center_lat, grid.center_lon, True))
    return grids


def _posts(session: Session, district: District, spec: dict[str, Any], anchors: Anchors,
           boxes: dict[int, Any]) -> dict[str, DutyPost]:
    """Kiosks, police offices, outposts and party-member posts."""
    fresh = []
    for entry in spec["posts"]:
        lat, lon, approximate = resolve_point(entry, anchors)
        fresh.append(DutyPost(district_id=district.id, name=entry["name"], kind=entry["kind"],
                              grid_id=_grid_at(boxes, lat, lon), **located(lat, lon, approximate)))
    posts = _add_missing(session, _existing(session, DutyPost, district.id), fresh)
    for post in posts.values():
        anchors.setdefault(post.name, (post.lat, post.lon, post.approximate))
    return posts


def _routes(session: Session, district: District, key: str, anchors: Anchors,
            boxes: dict[int, Any], teams: dict[str, Any]) -> dict[str, Route]:
    """Check-in points, then patrol lines through them in order."""
    data = seed_file("routes")["routes"].get(key, {"checkpoints": [], "routes": []})
    fresh_points = []
    for entry in data["checkpoints"]:
        lat, lon, _ = resolve_point(entry, anchors)
        # A per-point random secret signs its QR link: never derive it from public data.
        fresh_points.append(Checkpoint(district_id=district.id, name=entry["name"], secret=secrets.token_hex(16),
                                       grid_id=_grid_at(boxes, lat, lon), **located(lat, lon, True)))
    points = _add_missing(session, _existing(session, Checkpoint, district.id), fresh_points)
    fresh = []
    for entry in data["routes"]:
        stops = [points[name] for name, _ in entry["stops"]]
        grid_ids = [stop.grid_id for stop in stops if stop.grid_id is not None]
        team = teams.get(entry.get("team", ""))
        route = Route(district_id=district.id, name=entry["name"], team_id=team.id if team else None,
                      grid_id=max(set(grid_ids), key=grid_ids.count) if grid_ids else None)
        route.stops = [RouteStop(position=i, checkpoint_id=point.id, minutes_from_previous=minutes)
                       for i, (point, (_, minutes)) in enumerate(zip(stops, entry["stops"], strict=True))]
        fresh.append(route)
    return _add_missing(session, _existing(session, Route, district.id), fresh)


def _campaigns(session: Session, district: District, spec: dict[str, Any], today: date, grids: dict[str, Grid],
               posts: dict[str, DutyPost], routes: dict[str, Route]) -> None:
    """One repeating campaign per grid, tidal reinforcement, route and post; later runs extend them."""
    first, last = today - timedelta(days=WINDOW_BACK), today + timedelta(days=WINDOW_AHEAD)
    plans: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for entry in seed_file("grids")["grids"].get(spec["key"], []):
        grid = grids[entry["name"]]
        duty = entry.get("duty", GRID_DUTY)
        plans.append((f"{grid.name}夜间驻守", {"grid_id": grid.id}, {**duty, "required": grid.staffing_template}))
        if "tidal" in entry:
            plans.append((f"{grid.name}潮汐加强", {"grid_id": grid.id, "kind": ShiftKind.TIDAL}, entry["tidal"]))
    for entry in seed_file("routes")["routes"].get(spec["key"], {}).get("routes", []):
        route = routes[entry["name"]]
        plans.append((f"{route.name}巡逻", {"route_id": route.id, "grid_id": route.grid_id}, entry))
    for entry in spec["posts"]:
        post = posts[entry["name"]]
        duty = entry.get("duty") or POST_DUTY[DutyPostKind(post.kind)]
        plans.append((f"{post.name}值守", {"duty_post_id": post.id, "grid_id": post.grid_id}, duty))
    existing = _existing(session, ShiftCampaign, district.id)
    for campaign in existing.values():
        campaign.last_night = max(campaign.last_night, last)
    _add_missing(session, existing, [
        ShiftCampaign(district_id=district.id, name=name, first_night=first, last_night=last,
                      start_time=clock(duty["start"]), end_time=clock(duty["end"]),
                      required=dict(duty["required"]), **where)
        for name, where, duty in plans
    ])


def _boundary(anchors: Anchors) -> dict[str, Any]:
    """A GeoJSON rectangle around every point of a district, with a margin."""
    lats = [lat for lat, _, _ in anchors.values()]
    lons = [lon for _, lon, _ in anchors.values()]
    south, west = offset_point(min(lats), min(lons), -BOUNDARY_MARGIN_M, -BOUNDARY_MARGIN_M)
    north, east = offset_point(max(lats), max(lons), BOUNDARY_MARGIN_M, BOUNDARY_MARGIN_M)
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}
