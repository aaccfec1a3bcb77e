"""Demo shop dossiers (平安档案): safety inspections over the last months and second contacts.

Deterministic and idempotent: a shop's inspections are written once, when it has none yet, at
nights fixed by its name; a second contact is added only to a shop without contacts. The stored
risk levels are recomputed after seeding by nightwatch.services.setup (the db layer calls no services).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import District, Person, Shop, ShopInspection
from db.seed_support import (
    at_night,
    insert_all,
    minutes,
    person_name,
    stable_rng,
    tonight_snapshot,
    whole_seconds,
)
from nightwatch.vocab import RoleKind

INSPECTED_CHANCE = 0.6
CONTACT_CHANCE = 0.35
ROLES = ("店长", "值班经理", "店员")
NOTES = ("灭火器在有效期内", "消防通道有杂物,已当场清理", "监控正常,已提醒保存录像30天", "燃气软管老化,建议更换", "")


def seed_dossiers(session: Session, today: date, now: datetime | None = None) -> None:
    """Add the missing demo inspections and second contacts."""
    for district in session.scalars(select(District).order_by(District.id)):
        snapshot = tonight_snapshot(today, district.timezone, now)
        shops = list(session.scalars(select(Shop).where(Shop.district_id == district.id).order_by(Shop.id)))
        inspected = set(session.scalars(select(ShopInspection.shop_id).where(
            ShopInspection.district_id == district.id)))
        patrols = list(session.scalars(select(Person.id).where(
            Person.district_id == district.id, Person.role_kind.in_(
                (RoleKind.GRID_WORKER, RoleKind.OFFICER, RoleKind.AUXILIARY, RoleKind.VOLUNTEER))).order_by(Person.id)))
        fresh: list[ShopInspection] = []
        for shop in shops:
            rng = stable_rng("dossier", district.name, shop.name)
            # Both draws happen on every run, so what a shop gets never depends on what an earlier run did.
            gets_contact, gets_inspected = rng.random() < CONTACT_CHANCE, rng.random() < INSPECTED_CHANCE
            if gets_contact and not shop.contacts:
                who = stable_rng("dossier-contact", district.name, shop.name)
                phone = f"1{who.choice('3589')}{who.randint(0, 10**9 - 1):09d}"
                shop.contacts = [{"name": person_name(who), "phone": phone, "role": who.choice(ROLES)}]
            if shop.id in inspected or not gets_inspected:
                continue
            for _ in range(rng.randint(1, 3)):
                night = today - timedelta(days=rng.randint(3, 170))
                at = whole_seconds(at_night(night, time(19, 30), district.timezone) + minutes(rng, 0, 150))
                if at > snapshot:
                    continue
                found = {item: bool(value) for item, value in (shop.safety_checklist or {}).items()}
                if found and rng.random() < 0.3:
                    found[rng.choice(sorted(found))] = False
                fresh.append(ShopInspection(
                    shop_id=shop.id, district_id=district.id, inspected_at=at, checklist=found,
                    person_id=rng.choice(patrols) if patrols else None, note=rng.choice(NOTES) or None))
        insert_all(session, fresh)
