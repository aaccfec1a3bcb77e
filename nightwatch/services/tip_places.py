"""Where a merchant can say a tip is: their shop, and the places and shops around it."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from db.models import District, Place, Shop
from nightwatch import geo
from nightwatch.access import Actor, require_role
from nightwatch.vocab import AccountRole

NEARBY_M = 250.0


@dataclass(frozen=True)
class Spot:
    """A named point to pick on the map."""

    name: str
    lat: float
    lon: float
    is_shop: bool


@dataclass(frozen=True)
class ShopPlace:
    """The merchant's shop, its district, and the spots around it."""

    shop_id: int
    name: str
    district_id: int
    timezone: str
    lat: float | None
    lon: float | None
    nearby: tuple[Spot, ...]


def shop_place(*, session_factory: sessionmaker, actor: Actor) -> ShopPlace | None:
    """The merchant's shop and the public places and shops within 250 m; None without a shop."""
    require_role(actor, (AccountRole.MERCHANT,))
    if actor.shop_id is None:
        return None
    with session_factory() as session:
        shop = session.get(Shop, actor.shop_id)
        if shop is None:
            return None
        timezone = session.scalar(select(District.timezone).where(District.id == shop.district_id))
        spots: list[Spot] = []
        if shop.lat is not None and shop.lon is not None:
            rows = [*session.execute(select(Place.name, Place.lat, Place.lon, False).where(
                        Place.district_id == shop.district_id, Place.lat.is_not(None))),
                    *session.execute(select(Shop.name, Shop.lat, Shop.lon, True).where(
                        Shop.district_id == shop.district_id, Shop.lat.is_not(None), Shop.id != shop.id))]
            spots = [Spot(name, lat, lon, is_shop) for name, lat, lon, is_shop in rows
                     if geo.haversine_m(shop.lat, shop.lon, lat, lon) <= NEARBY_M]
        return ShopPlace(shop.id, shop.name, shop.district_id, timezone or "Asia/Shanghai", shop.lat, shop.lon,
                         tuple(spots))
