"""Demo hazards (隐患) on their way to rectification, and outreach events (地摊警务, 反诈宣传).

A hazard's whole life is planned from its night; rows show the steps reached by the snapshot,
so most old ones are closed, some stall past their due date, a few fail re-inspection, and the
newest are still open. A district whose article reports 100% rectification never stalls.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Hazard, OutreachEvent
from db.seed_support import (
    at_night, jitter, located, minutes, seed_file, stable_rng, tonight_snapshot, whole_seconds,
)
from db.seed_world import Duty, World, patrols_by_night
from nightwatch.nights import duty_date_of
from nightwatch.vocab import HazardCategory, HazardStatus, OutreachKind, TeamType

HAZARD_CHANCE = 0.3
OUTREACH_CHANCE = 0.25
STEPS = (
    ("verified_at", HazardStatus.VERIFIED),
    ("assigned_at", HazardStatus.ASSIGNED),
    ("rectified_at", HazardStatus.RECTIFIED),
    ("reinspected_at", HazardStatus.REINSPECTED),
    ("closed_at", HazardStatus.CLOSED),
)
OPEN_STATUSES = (HazardStatus.REPORTED, HazardStatus.VERIFIED, HazardStatus.ASSIGNED, HazardStatus.RECTIFIED,
                 HazardStatus.REINSPECTED)
OUTREACH_TEAMS = (TeamType.ANTI_FRAUD, TeamType.SAFETY_OUTREACH, TeamType.RED_VOLUNTEER, TeamType.RED_VEST)


def seed_hazards(session: Session, world: World, duties: list[Duty], nights: list[date], today: date,
                 now: datetime | None = None) -> None:
    """Insert the missing hazards of the window (and the article's history once); move open ones on."""
    snapshot = tonight_snapshot(today, world.tz, now)
    on_duty = patrols_by_night(duties)
    stored = {h.found_at: h for h in session.scalars(select(Hazard).where(Hazard.district_id == world.district.id))}
    history = world.spec.get("history", {})
    plans: list[tuple[tuple[object, ...], datetime, bool]] = []
    window_start = at_night(nights[0], time(12), world.tz)
    # Nights that fell out of the window since the last run may still have open hazards to move on.
    stale = {duty_date_of(found, world.tz) for found, hazard in stored.items()
             if found < window_start and hazard.status in OPEN_STATUSES}
    for night in sorted(stale) + nights:
        rng = stable_rng("hazard", world.no, night)
        if night <= today and rng.random() < HAZARD_CHANCE:
            found = whole_seconds(at_night(night, time(19, 30), world.tz) + minutes(rng, 0, 300))
            plans.append(((world.no, night), found, history.get("rectify_all", False)))
    # History is written once, on the first run: a district with anything older than the window has it.
    if not any(found < window_start for found in stored):
        for index in range(history.get("closed_hazards", 0)):
            rng = stable_rng("history-hazard", world.no, index)
            night = nights[0] - timedelta(days=rng.randint(1, history["days"]))
            found = whole_seconds(at_night(night, time(19, 30), world.tz) + minutes(rng, 0, 300))
            plans.append(((world.no, "history", index), found, True))
    for key, found, closes in plans:
        if found > snapshot:
            continue
        hazard = stored.get(found)
        if hazard is None:
            hazard = stored[found] = _new_hazard(world, on_duty, found, stable_rng("hazard-what", *key))
            session.add(hazard)
        _advance(hazard, _timeline(stable_rng("hazard-when", *key), found, world.tz, closes), snapshot)


def _new_hazard(world: World, on_duty: dict[date, list[Duty]], found: datetime, rng: random.Random) -> Hazard:
    """A hazard just reported, at a shop or a hotspot, by whoever was on duty nearest in time."""
    local = seed_file("activity")["district_hazards"].get(world.key, [])
    template = rng.choice(local) if local and rng.random() < 0.4 else rng.choice(seed_file("activity")["hazards"])
    finders = sorted((d.member.phone, d.member.id) for d in on_duty.get(duty_date_of(found, world.tz), [])
                     if d.covers(found))
    hazard = Hazard(district_id=world.district.id, category=HazardCategory(template["category"]),
                    description=template["text"], status=HazardStatus.REPORTED, found_at=found,
                    found_by_id=rng.choice(finders)[1] if finders else None)
    kinds = template.get("kinds")
    shops = [s for s in world.shops if not kinds or s.business_kind in kinds]
    if shops and ("kinds" in template or "party" not in template):
        shop = rng.choice(shops)
        hazard.shop_id, hazard.grid_id, hazard.responsible_party = shop.id, shop.grid_id, shop.name
        point = (shop.lat, shop.lon)
    else:
        place = world.places.get(template.get("place", "")) or rng.choice(world.hotspots)
        hazard.place_id, hazard.grid_id = place.id, place.grid_id
        hazard.responsible_party = template.get("party", place.name)
        point = jitter(rng, place.lat, place.lon, 80)
    for column, value in located(*point, True).items():
        setattr(hazard, column, value)
    return hazard


def _timeline(rng: random.Random, found: datetime, tz: str, always_closes: bool) -> dict[str, object]:
    """When each step happens, or None for a step never reached; a few stall, a few fail re-inspection."""
    fate = "closes" if always_closes else rng.choices(("closes", "stalls", "reopens"), (80, 12, 8))[0]
    verified = found + minutes(rng, 10, 120)
    assigned = verified + minutes(rng, 6 * 60, 30 * 60)
    due = duty_date_of(found, tz) + timedelta(days=rng.randint(3, 7))
    # Assignment takes up to about a day and a half; rectification fits in what is left before the due date.
    rectified = assigned + timedelta(days=rng.uniform(0.3, (due - duty_date_of(found, tz)).days - 2))
    reinspect_on = duty_date_of(rectified, tz) + timedelta(days=rng.randint(1, 3))
    reinspected = at_night(reinspect_on, time(20), tz) + minutes(rng, 0, 180)
    closed = reinspected + minutes(rng, 5, 120)
    steps: dict[str, object] = {
        "due_on": due, "verified_at": verified, "assigned_at": assigned,
        "rectified_at": None if fate == "stalls" else rectified,
        "reinspect_on": None if fate == "stalls" else reinspect_on,
        "reinspected_at": None if fate == "stalls" else reinspected,
        "closed_at": closed if fate == "closes" else None,
    }
    return {k: whole_seconds(v) if isinstance(v, datetime) else v for k, v in steps.items()}


def _advance(hazard: Hazard, timeline: dict[str, object], snapshot: datetime) -> None:
    """Set the steps an untouched open hazard has reached by the snapshot."""
    if hazard.status not in OPEN_STATUSES:
        return
    hazard.due_on = hazard.due_on or timeline["due_on"]
    for column, status in STEPS:
        at = timeline[column]
        if at is None or at > snapshot:
            break
        if getattr(hazard, column) is None:
            setattr(hazard, column, at)
            hazard.status = status
            if column == "rectified_at":
                hazard.reinspect_on = timeline["reinspect_on"]
    if hazard.status == HazardStatus.REINSPECTED and timeline["closed_at"] is None:
        hazard.status = HazardStatus.REOPENED


def seed_outreach(session: Session, world: World, nights: list[date], today: date,
                  now: datetime | None = None) -> None:
    """Booths, safety talks and venue visits on some evenings, once they have ended by the snapshot."""
    snapshot = tonight_snapshot(today, world.tz, now)
    templates = seed_file("activity")["outreach"].get(world.key, [])
    if not templates:
        return
    stored = set(session.scalars(select(OutreachEvent.starts_at).where(
        OutreachEvent.district_id == world.district.id)))
    team = next((t for kind in OUTREACH_TEAMS for t in world.teams if t.team_type == kind),
                world.teams[0] if world.teams else None)
    for night in nights:
        rng = stable_rng("outreach", world.no, night)
        if night > today or rng.random() >= OUTREACH_CHANCE:
            continue
        template = rng.choice(templates)
        starts = whole_seconds(at_night(night, time(19), world.tz) + minutes(rng, 0, 90))
        ends = starts + minutes(rng, 90, 150)
        if ends > snapshot or starts in stored:
            continue
        place = world.places[template["place"]]
        kind = OutreachKind(template["kind"])
        reached = rng.randint(60, 400)
        session.add(OutreachEvent(
            district_id=world.district.id, grid_id=place.grid_id, place_id=place.id,
            team_id=team.id if team else None, kind=kind, title=template["title"], starts_at=starts, ends_at=ends,
            materials={item: round(count * rng.uniform(0.6, 1.0)) for item, count in template["materials"].items()},
            people_reached=reached,
            app_installs=round(reached * rng.uniform(0.1, 0.3)) if kind == OutreachKind.ANTI_FRAUD_BOOTH else 0,
            **located(*jitter(rng, place.lat, place.lon, 40), True),
        ))
