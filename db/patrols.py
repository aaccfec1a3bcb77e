"""Roster queries that the seed and the services share: which patrol is next in a grid."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from db.models import Assignment, Checkpoint, Route, RouteStop, Shift
from nightwatch.vocab import HOLDING_STATUSES


def _held():
    """A shift someone still holds (not withdrawn or swapped away by everyone)."""
    return exists().where(Assignment.shift_id == Shift.id, Assignment.status.in_(HOLDING_STATUSES))


def next_patrol(session: Session, district_id: int, grid_id: int | None, after: datetime) -> Shift | None:
    """The earliest held shift after the instant on a route of the grid, else at the grid; None if none."""
    if grid_id is None:
        return None
    stop_in_grid = exists().where(RouteStop.route_id == Route.id, Checkpoint.id == RouteStop.checkpoint_id,
                                  Checkpoint.grid_id == grid_id)
    grid_routes = select(Route.id).where(Route.district_id == district_id, or_(Route.grid_id == grid_id, stop_in_grid))
    later = select(Shift).where(Shift.district_id == district_id, Shift.starts_at > after, _held())
    on_route = session.scalars(later.where(Shift.route_id.in_(grid_routes))
                               .order_by(Shift.starts_at, Shift.id).limit(1)).first()
    if on_route is not None:
        return on_route
    return session.scalars(later.where(Shift.grid_id == grid_id).order_by(Shift.starts_at, Shift.id).limit(1)).first()
