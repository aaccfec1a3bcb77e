"""Shops for their dossiers: who may read which shop, and the district's list with computed risk.

Merchants reach only their own shop; coordinators and patrols the shops of their districts.
Dossiers (`shop_dossier`), edits (`shop_edit`) and risk (`shop_risk`) share the scope check here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Grid, Hazard, Person, Shop, ShopInspection
from nightwatch.access import COORDINATING, PATROLLING, Actor, Forbidden, require_district, require_role
from nightwatch.dossier import missing_items
from nightwatch.hazards import UNRECTIFIED_STATUSES
from nightwatch.services.shop_risk import risks_of
from nightwatch.shown import Shown
from nightwatch.text import clean_text
from nightwatch.vocab import AccountRole, BusinessKind, RiskLevel, RoleKind

READERS = COORDINATING | PATROLLING | {AccountRole.MERCHANT}
SHOWN = 100


class ShopRefused(Exception):
    """A shop read or change was refused; the message is a catalog key, `values` fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        """Carry the catalog key and the values that fill it in."""
        super().__init__(key)
        self.key = key
        self.values = values


def shop_in_scope(session: Session, actor: Actor, shop_id: int) -> Shop:
    """The shop, if the actor may read it: a merchant their own, others their districts'; refuses the rest."""
    require_role(actor, READERS)
    if actor.role is AccountRole.MERCHANT and actor.shop_id != shop_id:
        raise Forbidden("shops.not_yours")
    shop = session.get(Shop, shop_id)
    if shop is None:
        raise ShopRefused("shops.missing")
    if actor.role is not AccountRole.MERCHANT:
        require_district(actor, shop.district_id)
    return shop


@dataclass(frozen=True)
class ShopFilter:
    """The list's filters: grid, risk level, co-defenders only, business kind, and a name search."""

    grid_id: int | None = None
    risk: RiskLevel | None = None
    codefender_only: bool = False
    kind: BusinessKind | None = None
    text: str = ""


@dataclass(frozen=True)
class ShopRow:
    """One shop as the list shows it, with its computed risk; no personal data."""

    id: int
    name: str
    kind: BusinessKind
    grid_id: int | None
    grid: str | None
    risk: RiskLevel
    is_codefender: bool
    missing: int
    open_hazards: int
    last_inspection: datetime | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Choice:
    """An id and the name to pick it by."""

    id: int
    name: str


# The shops a page shows of those that match, with how many match in all.
ShopsPage = Shown[ShopRow]


def list_shops(*, session_factory: sessionmaker, actor: Actor, district_id: int, now: datetime,
               filters: ShopFilter = ShopFilter()) -> list[ShopRow]:
    """Every shop of the district matching the filters, riskiest first, for coordinators and patrols."""
    return _ranked(session_factory, actor, district_id, now, filters, None).rows


def shops_page(*, session_factory: sessionmaker, actor: Actor, district_id: int, now: datetime,
               filters: ShopFilter = ShopFilter()) -> ShopsPage:
    """The first `SHOWN` shops matching the filters, riskiest first then by name, and how many match."""
    return _ranked(session_factory, actor, district_id, now, filters, SHOWN)


def _ranked(session_factory: sessionmaker, actor: Actor, district_id: int, now: datetime, filters: ShopFilter,
            limit: int | None) -> ShopsPage:
    """The matching shops riskiest first (the first `limit` of them when given), and how many match."""
    require_role(actor, COORDINATING | PATROLLING)
    require_district(actor, district_id)
    # Only the columns the list and the risk read: not contacts, notes or addresses.
    query = select(Shop.id, Shop.district_id, Shop.name, Shop.business_kind, Shop.grid_id, Shop.is_codefender,
                   Shop.safety_checklist, Shop.lat, Shop.lon).where(Shop.district_id == district_id)
    if filters.grid_id is not None:
        query = query.where(Shop.grid_id == filters.grid_id)
    if filters.codefender_only:
        query = query.where(Shop.is_codefender.is_(True))
    if filters.kind is not None:
        query = query.where(Shop.business_kind == filters.kind)
    text = clean_text(filters.text)
    if text:
        query = query.where(Shop.name.contains(text, autoescape=True))
    with session_factory() as session:
        shops = session.execute(query).all()
        risks = risks_of(session, shops, now)
        if filters.risk is not None:
            shops = [shop for shop in shops if risks[shop.id].level is filters.risk]
        order = {RiskLevel.HIGH: 0, RiskLevel.MEDIUM: 1, RiskLevel.LOW: 2}
        shops.sort(key=lambda shop: (order[risks[shop.id].level], shop.name))
        listed = shops[:limit]
        ids = [shop.id for shop in listed]
        grids = dict(session.execute(select(Grid.id, Grid.name).where(Grid.district_id == district_id)).all())
        open_hazards = dict(session.execute(select(Hazard.shop_id, func.count()).where(
            Hazard.shop_id.in_(ids), Hazard.status.in_(UNRECTIFIED_STATUSES)).group_by(Hazard.shop_id)).all())
        inspected = dict(session.execute(select(ShopInspection.shop_id, func.max(ShopInspection.inspected_at)).where(
            ShopInspection.shop_id.in_(ids)).group_by(ShopInspection.shop_id)).all())
    rows = [ShopRow(shop.id, shop.name, shop.business_kind, shop.grid_id, grids.get(shop.grid_id),
                    risks[shop.id].level, shop.is_codefender,
                    len(missing_items(shop.business_kind, shop.safety_checklist)), open_hazards.get(shop.id, 0),
                    inspected.get(shop.id), shop.lat, shop.lon)
            for shop in listed]
    return ShopsPage(rows, len(shops))


def grid_choices(*, session_factory: sessionmaker, actor: Actor, district_id: int) -> list[Choice]:
    """The district's grids, to filter the list or place a new shop."""
    require_role(actor, COORDINATING | PATROLLING)
    require_district(actor, district_id)
    with session_factory() as session:
        return [Choice(i, n) for i, n in session.execute(
            select(Grid.id, Grid.name).where(Grid.district_id == district_id).order_by(Grid.name))]


def codefender_choices(*, session_factory: sessionmaker, actor: Actor, district_id: int) -> list[Choice]:
    """The district's merchant co-defenders (商户联防员), for a coordinator to link to a shop."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    with session_factory() as session:
        return [Choice(i, n) for i, n in session.execute(
            select(Person.id, Person.name).where(Person.district_id == district_id, Person.active.is_(True),
                                                 Person.role_kind == RoleKind.MERCHANT).order_by(Person.name))]


def named_like(district_id: int, text: str = "") -> Select:
    """(id, name) of the district's shops whose name holds `text` (taken literally), by name: for pickers."""
    query = select(Shop.id, Shop.name).where(Shop.district_id == district_id).order_by(Shop.name, Shop.id)
    return query.where(Shop.name.icontains(text.strip(), autoescape=True)) if text.strip() else query
