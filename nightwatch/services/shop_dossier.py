"""One shop's dossier (平安档案) as its reader may see it: owner and contacts, checklist, risk and reasons.

Phones are shown in full to coordinators of the district and to the shop's own merchant, masked to
patrols. Merchants do not see the computed risk (it is the district's assessment, not theirs to edit).
The timeline lives in `shop_timeline`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from db.models import Grid, Person, Shop, ShopInspection
from nightwatch.access import Actor
from nightwatch.dossier import Risk, missing_items, required_items
from nightwatch.nights import DEFAULT_TIMEZONE
from nightwatch.privacy import mask_phone
from nightwatch.services.roster_views import timezone_of
from nightwatch.services.shop_risk import risks_of
from nightwatch.services.shops import shop_in_scope
from nightwatch.vocab import AccountRole, BusinessKind, RiskLevel


@dataclass(frozen=True)
class Contact:
    """A contact of the shop: name, phone (masked or full, as the reader may see it) and role."""

    name: str
    phone: str
    role: str


@dataclass(frozen=True)
class Dossier:
    """What the dossier page shows of one shop, already cut to its reader."""

    id: int
    name: str
    kind: BusinessKind
    district_id: int
    timezone: str
    grid: str | None
    address: str | None
    lat: float | None
    lon: float | None
    owner_name: str
    owner_phone: str
    contacts: tuple[Contact, ...]
    is_codefender: bool
    codefender_id: int | None
    codefender: str | None
    checklist: dict[str, Any]
    required: tuple[str, ...]
    missing: tuple[str, ...]
    note: str
    updated_at: datetime | None
    last_inspection: datetime | None
    stored_level: RiskLevel
    risk: Risk | None
    phones_masked: bool
    may_edit_contacts: bool
    may_edit_profile: bool
    may_inspect: bool


def sees_phones(actor: Actor, shop: Shop) -> bool:
    """True for the shop's own merchant and for coordinators (their scope is checked before)."""
    return actor.is_coordinator or (actor.role is AccountRole.MERCHANT and actor.shop_id == shop.id)


def contacts_of(shop: Shop, masked: bool) -> tuple[Contact, ...]:
    """The shop's further contacts as stored, with phones masked when asked."""
    contacts = []
    for entry in shop.contacts or []:
        phone = str(entry.get("phone") or "")
        contacts.append(Contact(str(entry.get("name") or ""), mask_phone(phone) if masked else phone,
                                str(entry.get("role") or "")))
    return tuple(contacts)


def read_dossier(*, session_factory: sessionmaker, actor: Actor, shop_id: int, now: datetime) -> Dossier:
    """The shop's dossier for its reader; refuses a merchant's other shops and other districts' shops."""
    with session_factory() as session:
        shop = shop_in_scope(session, actor, shop_id)
        masked = not sees_phones(actor, shop)
        timezone = timezone_of(session, shop.district_id)
        grid = session.scalar(select(Grid.name).where(Grid.id == shop.grid_id)) if shop.grid_id else None
        codefender = session.scalar(select(Person.name).where(Person.id == shop.codefender_id)) \
            if shop.codefender_id else None
        last = session.scalar(select(func.max(ShopInspection.inspected_at)).where(ShopInspection.shop_id == shop.id))
        merchant = actor.role is AccountRole.MERCHANT
        risk = None if merchant else risks_of(session, [shop], now)[shop.id]
        return Dossier(
            id=shop.id, name=shop.name, kind=shop.business_kind, district_id=shop.district_id,
            timezone=timezone or DEFAULT_TIMEZONE, grid=grid, address=shop.address, lat=shop.lat, lon=shop.lon,
            owner_name=shop.owner_name or "",
            owner_phone=mask_phone(shop.owner_phone) if masked else (shop.owner_phone or ""),
            contacts=contacts_of(shop, masked), is_codefender=shop.is_codefender, codefender_id=shop.codefender_id,
            codefender=codefender, checklist=dict(shop.safety_checklist or {}),
            required=required_items(shop.business_kind),
            missing=missing_items(shop.business_kind, shop.safety_checklist), note=shop.note or "",
            updated_at=shop.updated_at, last_inspection=last, stored_level=shop.risk_level, risk=risk,
            phones_masked=masked, may_edit_contacts=merchant or actor.is_coordinator,
            may_edit_profile=actor.is_coordinator, may_inspect=not merchant,
        )
