"""Similar open tips: the same place (100 m) and time (15 minutes), shown before a duplicate is sent."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Tip
from db.types import utcnow
from nightwatch import geo
from nightwatch.access import COORDINATING, Actor, require_district, require_role
from nightwatch.services.tip_posting import (
    SIMILAR_RADIUS_M,
    SIMILAR_WINDOW,
    merchant_shop,
)
from nightwatch.vocab import (
    OPEN_TIP_STATUSES,
    AccountRole,
    TipCategory,
    TipStatus,
    Urgency,
)


@dataclass(frozen=True)
class SimilarTip:
    """An open tip near the same place and time; what it says and who sent it are held back."""

    id: int
    category: TipCategory
    urgency: Urgency
    status: TipStatus
    received_at: datetime
    distance_m: float
    mine: bool = False  # the actor reported it: nothing to add, it is already sent



def similar_open_tips(
    *, session_factory: sessionmaker, actor: Actor, lat: float, lon: float,
    category: TipCategory | None = None, now: datetime | None = None, district_id: int | None = None,
) -> list[SimilarTip]:
    """Open tips within 100 m and the last 15 minutes, nearest first: the merchant's district, or a coordinator's."""
    now = now or utcnow()
    with session_factory() as session:
        if actor.role is AccountRole.MERCHANT:
            district_id = merchant_shop(session, actor).district_id
        else:
            require_role(actor, COORDINATING)
            require_district(actor, district_id)
        found = similar_in(session, district_id, lat, lon, category, now)
        own = set(session.scalars(select(Tip.id).where(
            Tip.id.in_([tip.id for tip in found]), Tip.reporter_account_id == actor.account_id)))
    return [replace(tip, mine=tip.id in own) for tip in found]


def similar_in(session: Session, district_id: int, lat: float, lon: float,
               category: TipCategory | None, now: datetime) -> list[SimilarTip]:
    """Open tips in a district near a point and time (a bounding box first, then exact distance)."""
    north, east = geo.offset_point(lat, lon, SIMILAR_RADIUS_M, SIMILAR_RADIUS_M)
    south, west = geo.offset_point(lat, lon, -SIMILAR_RADIUS_M, -SIMILAR_RADIUS_M)
    query = (
        select(Tip.id, Tip.category, Tip.urgency, Tip.status, Tip.received_at, Tip.lat, Tip.lon)
        .where(Tip.district_id == district_id, Tip.status.in_(OPEN_TIP_STATUSES),
               Tip.received_at >= now - SIMILAR_WINDOW, Tip.received_at <= now,
               Tip.lat.between(south, north), Tip.lon.between(west, east))
    )
    if category is not None:
        query = query.where(Tip.category == TipCategory(category))
    found = []
    for row in session.execute(query):
        distance = geo.haversine_m(lat, lon, row.lat, row.lon)
        if distance <= SIMILAR_RADIUS_M:
            found.append(SimilarTip(row.id, row.category, row.urgency, row.status, row.received_at, round(distance, 1)))
    return sorted(found, key=lambda tip: tip.distance_m)
