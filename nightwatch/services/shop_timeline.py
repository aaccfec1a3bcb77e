"""One timeline of a shop: its tips, hazards and their steps, inspections, outreach, and patrols passing by.

Newest first, over a window of days back from `now` (90 by default, widened by the page's "more"),
so a dossier costs the same however long the shop's history is. Patrol passes are check-ins at
checkpoints within 150 m, one entry per night; merchants do not see them (patrol timing stays internal).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import (
    CheckIn, Checkpoint, Hazard, HazardInspection, OutreachEvent, Shop, ShopInspection, Tip, TipFollower,
)
from nightwatch.access import Actor
from nightwatch.dossier import missing_items
from nightwatch.geo import haversine_m
from nightwatch.privacy import mask_phones_in
from nightwatch.services.shops import shop_in_scope
from nightwatch.vocab import AccountRole, HazardStatus

NEARBY_M = 150.0
DEFAULT_DAYS = 90
MAX_DAYS = 720
PER_KIND = 300
HAZARD_STEPS = (
    ("found_at", HazardStatus.REPORTED), ("verified_at", HazardStatus.VERIFIED),
    ("assigned_at", HazardStatus.ASSIGNED), ("rectified_at", HazardStatus.RECTIFIED),
    ("reinspected_at", HazardStatus.REINSPECTED), ("closed_at", HazardStatus.CLOSED),
)


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: when, what kind, a catalog key with its values, and typed text if any."""

    at: datetime
    kind: str
    key: str
    values: dict[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class Timeline:
    """The entries of a window, newest first, and how many days back it reaches."""

    entries: tuple[Entry, ...]
    days: int
    since: datetime


def shop_timeline(*, session_factory: sessionmaker, actor: Actor, shop_id: int, now: datetime,
                  days: int = DEFAULT_DAYS) -> Timeline:
    """The shop's timeline over the last `days` (at most 720), for whoever may read its dossier."""
    days = max(1, min(MAX_DAYS, days))
    since = now - timedelta(days=days)
    with session_factory() as session:
        shop = shop_in_scope(session, actor, shop_id)
        entries = [*_tips(session, shop, since, now), *_hazards(session, shop, since, now),
                   *_inspections(session, shop, since, now), *_outreach(session, shop, since, now)]
        if actor.role is not AccountRole.MERCHANT:
            entries += _patrols(session, shop, since, now)
    if not actor.is_coordinator:
        # Hazard descriptions and notes are free text a patrol typed: phones in them are for coordinators only.
        entries = [replace(entry, note=mask_phones_in(entry.note)) for entry in entries]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return Timeline(tuple(entries), days, since)


def _tips(session: Session, shop: Shop, since: datetime, now: datetime) -> list[Entry]:
    """Tips at the shop, and tips the shop joined as a further reporter."""
    rows = session.execute(select(Tip.id, Tip.received_at, Tip.category, Tip.status, Tip.outcome).where(
        Tip.shop_id == shop.id, Tip.received_at >= since, Tip.received_at <= now,
    ).order_by(Tip.received_at.desc()).limit(PER_KIND))
    entries = [Entry(at, "tip", "shops.tl.tip", {"id": i, "category": c, "status": s, "outcome": o})
               for i, at, c, s, o in rows]
    followed = session.execute(select(Tip.id, TipFollower.added_at, Tip.category).join(
        Tip, Tip.id == TipFollower.tip_id).where(
        TipFollower.shop_id == shop.id, TipFollower.added_at >= since, TipFollower.added_at <= now,
    ).order_by(TipFollower.added_at.desc()).limit(PER_KIND))
    entries += [Entry(at, "tip", "shops.tl.tip_follow", {"id": i, "category": c}) for i, at, c in followed]
    return entries


def _hazards(session: Session, shop: Shop, since: datetime, now: datetime) -> list[Entry]:
    """Every step of the shop's hazards that falls in the window."""
    hazards = session.scalars(select(Hazard).where(
        Hazard.shop_id == shop.id, Hazard.found_at <= now,
        or_(Hazard.found_at >= since, Hazard.closed_at.is_(None), Hazard.closed_at >= since),
    ).order_by(Hazard.found_at.desc()).limit(PER_KIND))
    entries = []
    for hazard in hazards:
        for column, status in HAZARD_STEPS:
            at = getattr(hazard, column)
            if at is not None and since <= at <= now:
                note = hazard.description if column == "found_at" else (
                    hazard.rectify_note or "" if column == "rectified_at" else "")
                entries.append(Entry(at, "hazard", "shops.tl.hazard",
                                     {"id": hazard.id, "category": hazard.category, "step": status}, note))
    return entries


def _inspections(session: Session, shop: Shop, since: datetime, now: datetime) -> list[Entry]:
    """Safety inspections of the shop, and re-inspections (复查) of its hazards, done or booked."""
    rows = session.execute(select(ShopInspection.inspected_at, ShopInspection.checklist, ShopInspection.note).where(
        ShopInspection.shop_id == shop.id, ShopInspection.inspected_at >= since, ShopInspection.inspected_at <= now,
    ).order_by(ShopInspection.inspected_at.desc()).limit(PER_KIND))
    entries = [Entry(at, "inspection", "shops.tl.inspection",
                     {"missing": missing_items(shop.business_kind, checklist)}, note or "")
               for at, checklist, note in rows]
    when = func.coalesce(HazardInspection.done_at, HazardInspection.scheduled_at)
    checks = session.execute(select(HazardInspection, Hazard.category).join(
        Hazard, Hazard.id == HazardInspection.hazard_id).where(
        Hazard.shop_id == shop.id, or_(
            and_(HazardInspection.done_at.is_not(None), HazardInspection.done_at >= since,
                 HazardInspection.done_at <= now),
            and_(HazardInspection.done_at.is_(None), HazardInspection.scheduled_at >= since,
                 HazardInspection.scheduled_at <= now)),
    ).order_by(when.desc()).limit(PER_KIND))
    for check, category in checks:
        result = "booked" if check.done_at is None else ("passed" if check.passed else "failed")
        entries.append(Entry(check.done_at or check.scheduled_at, "reinspection", "shops.tl.reinspection",
                             {"id": check.hazard_id, "category": category, "result": result,
                              "night": check.duty_date}, check.note or ""))
    return entries


def _box(lat: float, lon: float, metres: float) -> tuple[float, float, float, float]:
    """A lat/lon box around a point that holds the circle of `metres`."""
    dlat = metres / 111_320
    dlon = metres / (111_320 * max(0.01, math.cos(math.radians(lat))))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def _outreach(session: Session, shop: Shop, since: datetime, now: datetime) -> list[Entry]:
    """Outreach at the shop, or within 150 m of it."""
    near = OutreachEvent.shop_id == shop.id
    if shop.lat is not None and shop.lon is not None:
        south, north, west, east = _box(shop.lat, shop.lon, NEARBY_M)
        near = or_(near, and_(OutreachEvent.lat.between(south, north), OutreachEvent.lon.between(west, east)))
    events = session.scalars(select(OutreachEvent).where(
        OutreachEvent.district_id == shop.district_id, OutreachEvent.starts_at >= since,
        OutreachEvent.starts_at <= now, near,
    ).order_by(OutreachEvent.starts_at.desc()).limit(PER_KIND))
    entries = []
    for event in events:
        if event.shop_id != shop.id and (event.lat is None or shop.lat is None or
                                         haversine_m(shop.lat, shop.lon, event.lat, event.lon) > NEARBY_M):
            continue
        entries.append(Entry(event.starts_at, "outreach", "shops.tl.outreach",
                             {"kind": event.kind, "title": event.title, "people": event.people_reached}))
    return entries


def _patrols(session: Session, shop: Shop, since: datetime, now: datetime) -> list[Entry]:
    """Check-ins at checkpoints within 150 m, one entry per night with the count and first–last time."""
    if shop.lat is None or shop.lon is None:
        return []
    south, north, west, east = _box(shop.lat, shop.lon, NEARBY_M)
    near = [cid for cid, lat, lon in session.execute(select(Checkpoint.id, Checkpoint.lat, Checkpoint.lon).where(
        Checkpoint.district_id == shop.district_id, Checkpoint.lat.between(south, north),
        Checkpoint.lon.between(west, east))) if haversine_m(shop.lat, shop.lon, lat, lon) <= NEARBY_M]
    if not near:
        return []
    nights = session.execute(select(CheckIn.duty_date, func.count(), func.min(CheckIn.at), func.max(CheckIn.at)).where(
        CheckIn.checkpoint_id.in_(near), CheckIn.at >= since, CheckIn.at <= now,
    ).group_by(CheckIn.duty_date).order_by(CheckIn.duty_date.desc()).limit(PER_KIND))
    return [Entry(_aware(last), "patrol", "shops.tl.patrol",
                  {"count": count, "first": _aware(first), "last": _aware(last), "night": night})
            for night, count, first, last in nights]


def _aware(instant: datetime) -> datetime:
    """An instant from an aggregate, made aware (UTC) should the driver hand it back naive."""
    return instant if instant.tzinfo else instant.replace(tzinfo=timezone.utc)
