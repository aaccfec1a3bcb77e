"""A shop's computed risk from its history, for one shop or all of a district's shops at once.

Works inside the caller's transaction: the dossier, inspection and hazard code call `refresh_risk`
after a change so the stored Shop.risk_level stays in step with what the dossier shows.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import District, Hazard, Shop, ShopInspection, Tip
from nightwatch.dossier import RECENT_DAYS, Risk, RiskFacts, assess
from nightwatch.hazards import UNRECTIFIED_STATUSES, is_overdue
from nightwatch.nights import DEFAULT_TIMEZONE, duty_date_of
from nightwatch.vocab import TipCategory, TipStatus


def facts_of(session: Session, shops: Iterable[Shop], now: datetime) -> dict[int, RiskFacts]:
    """Each shop's risk facts, in a few grouped queries whatever the number of shops."""
    shops = list(shops)
    ids = [shop.id for shop in shops]
    if not ids:
        return {}
    since = now - timedelta(days=RECENT_DAYS)
    zones = dict(session.execute(select(District.id, District.timezone).where(
        District.id.in_({shop.district_id for shop in shops}))).all())
    open_count: dict[int, int] = defaultdict(int)
    overdue: dict[int, int] = defaultdict(int)
    recent: dict[int, int] = defaultdict(int)
    district_of = {shop.id: shop.district_id for shop in shops}
    hazards = select(Hazard.shop_id, Hazard.status, Hazard.due_on, Hazard.found_at).where(
        Hazard.shop_id.in_(ids), (Hazard.status.in_(UNRECTIFIED_STATUSES)) | (Hazard.found_at >= since))
    for shop_id, status, due_on, found_at in session.execute(hazards):
        today = duty_date_of(now, zones.get(district_of[shop_id]) or DEFAULT_TIMEZONE)
        if status in UNRECTIFIED_STATUSES:
            open_count[shop_id] += 1
            overdue[shop_id] += is_overdue(status, due_on, today)
        if found_at >= since:
            recent[shop_id] += 1
    tips: dict[int, dict[TipCategory, int]] = defaultdict(dict)
    tip_rows = select(Tip.shop_id, Tip.category, func.count()).where(
        Tip.shop_id.in_(ids), Tip.received_at >= since, Tip.received_at <= now, Tip.status != TipStatus.MERGED,
    ).group_by(Tip.shop_id, Tip.category)
    for shop_id, category, count in session.execute(tip_rows):
        tips[shop_id][TipCategory(category)] = count
    last_inspected = dict(session.execute(select(ShopInspection.shop_id, func.max(ShopInspection.inspected_at)).where(
        ShopInspection.shop_id.in_(ids), ShopInspection.inspected_at <= now).group_by(ShopInspection.shop_id)).all())
    facts: dict[int, RiskFacts] = {}
    for shop in shops:
        last = last_inspected.get(shop.id)
        facts[shop.id] = RiskFacts(
            business_kind=shop.business_kind, open_hazards=open_count[shop.id], overdue_hazards=overdue[shop.id],
            recent_hazards=recent[shop.id], recent_tips=tips.get(shop.id, {}), checklist=shop.safety_checklist or {},
            days_since_inspection=None if last is None else (now - last).days, is_codefender=shop.is_codefender,
        )
    return facts


def risks_of(session: Session, shops: Iterable[Shop], now: datetime) -> dict[int, Risk]:
    """Each shop's computed risk."""
    return {shop_id: assess(facts) for shop_id, facts in facts_of(session, shops, now).items()}


def refresh_risk(session: Session, shop_id: int, now: datetime) -> Risk | None:
    """Recompute one shop's risk and store its level on the shop; None when there is no such shop."""
    shop = session.get(Shop, shop_id)
    if shop is None:
        return None
    session.flush()  # the caller's pending changes count
    risk = risks_of(session, [shop], now)[shop.id]
    if shop.risk_level != risk.level:
        shop.risk_level = risk.level
    return risk


def refresh_all(*, session_factory: sessionmaker, now: datetime) -> int:
    """Store every shop's computed risk, district by district (after seeding); how many levels changed."""
    changed = 0
    with session_factory.begin() as session:
        for district_id in session.scalars(select(District.id).order_by(District.id)).all():
            shops = list(session.scalars(select(Shop).where(Shop.district_id == district_id)))
            by_id = {shop.id: shop for shop in shops}
            for shop_id, risk in risks_of(session, shops, now).items():
                if by_id[shop_id].risk_level != risk.level:
                    by_id[shop_id].risk_level = risk.level
                    changed += 1
    return changed
