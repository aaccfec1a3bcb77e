"""Patrol lines for the situation map: each active route through its checkpoints, in order."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Checkpoint, Route, RouteStop, Team
from nightwatch.situation import RouteLine


def route_lines(session: Session, district_id: int, grid_id: int | None = None) -> tuple[RouteLine, ...]:
    """Every active route of a district with the positions and names of its stops; with `grid_id`, those
    belonging to the grid or stopping in it."""
    query = (select(Route.id, Route.name, Team.name, Team.team_type).outerjoin(Team, Team.id == Route.team_id)
             .where(Route.district_id == district_id, Route.active.is_(True)).order_by(Route.name))
    if grid_id is not None:
        stopping = (select(RouteStop.route_id).join(Checkpoint, Checkpoint.id == RouteStop.checkpoint_id)
                    .where(Checkpoint.grid_id == grid_id))
        query = query.where((Route.grid_id == grid_id) | Route.id.in_(stopping))
    routes = session.execute(query).all()
    if not routes:
        return ()
    stops = defaultdict(list)
    for route_id, lat, lon, name, minutes in session.execute(
        select(RouteStop.route_id, Checkpoint.lat, Checkpoint.lon, Checkpoint.name, RouteStop.minutes_from_previous)
        .join(Checkpoint, Checkpoint.id == RouteStop.checkpoint_id)
        .where(RouteStop.route_id.in_([route[0] for route in routes]))
        .order_by(RouteStop.route_id, RouteStop.position)
    ):
        if lat is not None and lon is not None:
            stops[route_id].append((lat, lon, name, minutes))
    return tuple(
        RouteLine(route_id, name, team, team_type, tuple((s[0], s[1]) for s in stops[route_id]),
                  tuple(s[2] for s in stops[route_id]), sum(s[3] for s in stops[route_id]))
        for route_id, name, team, team_type in routes
    )
