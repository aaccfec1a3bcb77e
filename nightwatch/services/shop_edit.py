"""Changes to shop dossiers: contacts and checklist, a coordinator's profile fields, new shops, inspections.

Merchants change only their own shop's owner, contacts, checklist and note; coordinators change all
of that and the profile (name, kind, address, co-defence) of their districts' shops and add shops;
coordinators and patrols record safety inspections. Every write is audited and re-rates the shop.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import District, Person, Shop, ShopInspection
from nightwatch.access import COORDINATING, PATROLLING, Actor, require_district, require_role
from nightwatch.dossier import CHECKLIST_ITEMS, MAX_CONTACTS, PhoneInvalid, clean_phone
from nightwatch.geo import cell_of, is_valid_point
from nightwatch.services.audit import record
from nightwatch.services.shop_risk import refresh_risk
from nightwatch.services.shops import ShopRefused, shop_in_scope
from nightwatch.services.tip_grids import grid_at
from nightwatch.text import clean_text
from nightwatch.vocab import AccountRole, BusinessKind, RoleKind

NAME_MAX = 80
SHOP_NAME_MAX = 120
ROLE_MAX = 20
ADDRESS_MAX = 200
NOTE_MAX = 2000


@dataclass(frozen=True)
class ContactFields:
    """A contact as typed: name, phone and role (店长, 值班经理 …)."""

    name: str = ""
    phone: str = ""
    role: str = ""


@dataclass(frozen=True)
class DossierFields:
    """What a merchant (or a coordinator) sets on a dossier: owner, contacts, checklist and note."""

    owner_name: str
    owner_phone: str
    contacts: Sequence[ContactFields] = ()
    checklist: Mapping[str, bool] | None = None
    note: str = ""


@dataclass(frozen=True)
class ProfileFields:
    """What only a coordinator sets: the shop's name, business kind, address and co-defence membership."""

    name: str
    kind: BusinessKind
    address: str = ""
    is_codefender: bool = False
    codefender_id: int | None = None


def _text(value: str | None, limit: int) -> str:
    """Typed text trimmed; refused when longer than the column holds."""
    text = clean_text(value)
    if len(text) > limit:
        raise ShopRefused("shops.too_long", limit=limit)
    return text


def _phone(value: str, field: str) -> str:
    """A typed phone as stored, or a refusal that names the field."""
    try:
        return clean_phone(value)
    except PhoneInvalid:
        raise ShopRefused("shops.phone_invalid", field=field, phone=(value or "").strip()) from None


def clean_contacts(contacts: Sequence[ContactFields]) -> list[dict[str, str]]:
    """Contacts as stored: blank rows dropped, each with a name and a valid phone."""
    kept: list[dict[str, str]] = []
    for number, contact in enumerate(contacts, start=1):
        name, role = _text(contact.name, NAME_MAX), _text(contact.role, ROLE_MAX)
        phone = _phone(contact.phone, f"contact{number}")
        if not (name or phone or role):
            continue
        if not name or not phone:
            raise ShopRefused("shops.contact_incomplete", number=number)
        kept.append({"name": name, "phone": phone, "role": role})
    if len(kept) > MAX_CONTACTS:
        raise ShopRefused("shops.too_many_contacts", limit=MAX_CONTACTS)
    return kept


def _checklist(ticked: Mapping[str, bool] | None, before: Mapping[str, Any]) -> dict[str, bool]:
    """Known checklist items as true/false; items not given keep what they were."""
    merged = {item: bool(before.get(item)) for item in CHECKLIST_ITEMS if item in before}
    for item, value in (ticked or {}).items():
        if item in CHECKLIST_ITEMS:
            merged[item] = bool(value)
    return merged


def _state(shop: Shop) -> dict[str, Any]:
    """The audited fields of a shop (phones are masked by the audit log)."""
    return {"name": shop.name, "kind": shop.business_kind.value, "address": shop.address,
            "owner_name": shop.owner_name, "owner_phone": shop.owner_phone, "contacts": list(shop.contacts or []),
            "checklist": dict(shop.safety_checklist or {}), "note": shop.note, "is_codefender": shop.is_codefender,
            "codefender_id": shop.codefender_id}


def edit_dossier(*, session_factory: sessionmaker, actor: Actor, shop_id: int, fields: DossierFields,
                 now: datetime) -> None:
    """Save owner, contacts, checklist and note: the shop's own merchant, or a coordinator of its district."""
    require_role(actor, COORDINATING | {AccountRole.MERCHANT})
    owner_name = _text(fields.owner_name, NAME_MAX)
    owner_phone = _phone(fields.owner_phone, "owner")
    contacts = clean_contacts(fields.contacts)
    note = _text(fields.note, NOTE_MAX)
    with session_factory.begin() as session:
        shop = shop_in_scope(session, actor, shop_id)
        before = _state(shop)
        shop.owner_name, shop.owner_phone = owner_name or None, owner_phone or None
        shop.contacts = contacts
        shop.safety_checklist = _checklist(fields.checklist, shop.safety_checklist or {})
        shop.note = note or None
        shop.updated_at = now
        record(session, actor, "shop.dossier", "shop", shop.id, district_id=shop.district_id, before=before,
               after=_state(shop), at=now)
        refresh_risk(session, shop.id, now)


def _codefender(session: Session, district_id: int, profile: ProfileFields) -> int | None:
    """The linked co-defender, who must be a merchant person of the shop's district."""
    if not profile.is_codefender or profile.codefender_id is None:
        return None
    person = session.get(Person, profile.codefender_id)
    if person is None or person.district_id != district_id or person.role_kind is not RoleKind.MERCHANT:
        raise ShopRefused("shops.codefender_invalid")
    return person.id


def _name_free(session: Session, district_id: int, name: str, shop_id: int | None) -> str:
    """A non-blank shop name not used by another shop of the district."""
    if not name:
        raise ShopRefused("shops.name_required")
    other = session.scalar(select(Shop.id).where(Shop.district_id == district_id, Shop.name == name))
    if other is not None and other != shop_id:
        raise ShopRefused("shops.name_taken", name=name)
    return name


def edit_profile(*, session_factory: sessionmaker, actor: Actor, shop_id: int, profile: ProfileFields,
                 now: datetime) -> None:
    """Save name, kind, address and co-defence membership: coordinators of the shop's district only."""
    require_role(actor, COORDINATING)
    with session_factory.begin() as session:
        shop = shop_in_scope(session, actor, shop_id)
        before = _state(shop)
        shop.name = _name_free(session, shop.district_id, _text(profile.name, SHOP_NAME_MAX), shop.id)
        shop.business_kind = BusinessKind(profile.kind)
        shop.address = _text(profile.address, ADDRESS_MAX) or None
        shop.codefender_id = _codefender(session, shop.district_id, profile)
        shop.is_codefender = profile.is_codefender
        shop.updated_at = now
        record(session, actor, "shop.profile", "shop", shop.id, district_id=shop.district_id, before=before,
               after=_state(shop), at=now)
        refresh_risk(session, shop.id, now)


def create_shop(*, session_factory: sessionmaker, actor: Actor, district_id: int, profile: ProfileFields,
                lat: float, lon: float, now: datetime) -> int:
    """Add a shop at a point of the district; its grid is the one holding the point. Returns its id."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    if lat is None or lon is None or not is_valid_point(lat, lon):
        raise ShopRefused("shops.point_invalid")
    with session_factory.begin() as session:
        if session.get(District, district_id) is None:
            raise ShopRefused("shops.missing")
        shop = Shop(district_id=district_id, name=_name_free(session, district_id,
                                                             _text(profile.name, SHOP_NAME_MAX), None),
                    business_kind=BusinessKind(profile.kind), address=_text(profile.address, ADDRESS_MAX) or None,
                    is_codefender=profile.is_codefender, codefender_id=_codefender(session, district_id, profile),
                    grid_id=grid_at(session, district_id, lat, lon), lat=lat, lon=lon, cell=cell_of(lat, lon),
                    approximate=False, contacts=[], safety_checklist={}, updated_at=now)
        session.add(shop)
        session.flush()
        record(session, actor, "shop.create", "shop", shop.id, district_id=district_id, after=_state(shop), at=now)
        refresh_risk(session, shop.id, now)
        return shop.id


def record_inspection(*, session_factory: sessionmaker, actor: Actor, shop_id: int, checklist: Mapping[str, bool],
                      note: str, now: datetime) -> int:
    """Record a safety inspection by a coordinator or patrol; the dossier's checklist takes what was found; its id."""
    require_role(actor, COORDINATING | PATROLLING)
    found = {item: bool(checklist.get(item)) for item in CHECKLIST_ITEMS if item in checklist}
    text = _text(note, NOTE_MAX)
    with session_factory.begin() as session:
        shop = shop_in_scope(session, actor, shop_id)
        inspection = ShopInspection(shop_id=shop.id, district_id=shop.district_id, inspected_at=now,
                                    person_id=actor.person_id, account_id=actor.account_id, checklist=found,
                                    note=text or None)
        session.add(inspection)
        session.flush()
        before = dict(shop.safety_checklist or {})
        # What an inspector saw is the newest truth about the shop's equipment: the dossier follows it.
        shop.safety_checklist = {**before, **found}
        record(session, actor, "shop.inspection", "shop_inspection", inspection.id, district_id=shop.district_id,
               before={"checklist": before}, after={"shop_id": shop.id, "checklist": found, "note": text}, at=now)
        refresh_risk(session, shop.id, now)
        return inspection.id
