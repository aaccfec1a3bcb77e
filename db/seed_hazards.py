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

from db.models import (
    Assignment,
    Grid,
    Hazard,
    HazardInspection,
    OutreachEvent,
    Route,
    Shift,
)
from db.patrols import next_patrol
from db.seed_accounts import (
    HOME_DISTRICT,
    _codefender_shop_with_tips,
    _on_duty,
    _team_leader_on_duty,
)
from db.seed_support import (
    at_night,
    jitter,
    located,
    minutes,
    seed_file,
    stable_rng,
    tonight_snapshot,
    whole_seconds,
)
from db.seed_world import Duty, World, patrols_by_night
from nightwatch.hazards import due_date
from nightwatch.nights import duty_date_of
from nightwatch.vocab import (
    HOLDING_STATUSES,
    HazardCategory,
    HazardStatus,
    OutreachKind,
    RoleKind,
    TeamType,
)

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
    if (world.district.city, world.district.name) == HOME_DISTRICT:
        _demo_reinspections(session, world, stored, today)
        _demo_shop_hazard(session, world, stored, today)
    session.flush()
    _book_inspections(session, world, list(stored.values()))


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


def _book_inspections(session: Session, world: World, hazards: list[Hazard]) -> None:
    """Give every rectified hazard its 复查 on the first patrol of its grid after the fix, done as its steps say."""
    booked = set(session.scalars(select(HazardInspection.hazard_id).where(
        HazardInspection.district_id == world.district.id)))
    for hazard in sorted(hazards, key=lambda h: h.found_at):
        if hazard.rectified_at is None or hazard.id in booked:
            continue
        shift = next_patrol(session, world.district.id, hazard.grid_id, hazard.rectified_at)
        done = hazard.reinspected_at is not None
        inspector = session.scalar(select(Assignment.person_id).where(
            Assignment.shift_id == shift.id, Assignment.status.in_(HOLDING_STATUSES)).order_by(
            Assignment.id)) if shift is not None and done else None
        if hazard.status is HazardStatus.REOPENED:
            hazard.reopen_count = max(hazard.reopen_count, 1)
        if shift is not None and hazard.status is HazardStatus.RECTIFIED:
            hazard.reinspect_on = shift.duty_date
        session.add(HazardInspection(
            hazard_id=hazard.id, district_id=world.district.id, shift_id=shift.id if shift else None,
            duty_date=shift.duty_date if shift else hazard.reinspect_on or duty_date_of(hazard.rectified_at, world.tz),
            scheduled_at=hazard.rectified_at, done_at=hazard.reinspected_at, done_by_id=inspector,
            passed=(hazard.status is not HazardStatus.REOPENED) if done else None))


def _demo_reinspections(session: Session, world: World, stored: dict[datetime, Hazard], today: date) -> None:
    """A rectified hazard in the grid of the demo leader's and volunteer's patrol tonight, its 复查 on that patrol."""
    leader = _team_leader_on_duty(session, world.district.id, today)
    volunteer = _on_duty(session, world.district.id, today, RoleKind.GRID_WORKER, exclude=leader)
    for index, person in enumerate(p for p in (leader, volunteer) if p is not None):
        shift = session.scalars(select(Shift).join(Assignment, Assignment.shift_id == Shift.id).where(
            Assignment.person_id == person.id, Assignment.status.in_(HOLDING_STATUSES), Shift.duty_date == today)
            .order_by(Shift.starts_at)).first()
        grid_id = shift and (shift.grid_id or session.scalar(select(Route.grid_id).where(Route.id == shift.route_id)))
        found = whole_seconds(at_night(today - timedelta(days=3), time(16, 7, 7 + index), world.tz))
        if not grid_id or found in stored:
            continue
        rng = stable_rng("demo-reinspection", world.no, index)
        hazard = stored[found] = _new_hazard(world, {}, found, rng)
        shops = [shop for shop in world.shops if shop.grid_id == grid_id]
        grid = session.get(Grid, grid_id)
        hazard.shop_id = shops[0].id if shops else None
        hazard.place_id = None if shops else hazard.place_id
        hazard.responsible_party = shops[0].name if shops else hazard.responsible_party
        hazard.grid_id, hazard.found_by_id = grid_id, person.id
        if shops and shops[0].lat is not None:
            hazard.lat, hazard.lon, hazard.cell = shops[0].lat, shops[0].lon, shops[0].cell
        elif grid is not None and grid.center_lat is not None:
            hazard.lat, hazard.lon = grid.center_lat, grid.center_lon
        hazard.verified_at, hazard.assigned_at = found + timedelta(hours=1), found + timedelta(hours=3)
        hazard.rectified_at = at_night(today - timedelta(days=1), time(15, 30), world.tz)
        hazard.rectify_note = "已整改,请巡逻时复查"
        hazard.status, hazard.due_on = HazardStatus.RECTIFIED, today + timedelta(days=2)
        session.add(hazard)
        session.flush()
        hazard.reinspect_on = today
        session.add(HazardInspection(hazard_id=hazard.id, district_id=world.district.id, shift_id=shift.id,
                                     duty_date=today, scheduled_at=hazard.rectified_at))


def _demo_shop_hazard(session: Session, world: World, stored: dict[datetime, Hazard], today: date) -> None:
    """An assigned hazard at the demo merchant's shop, for the merchant to rectify with an after photo."""
    shop = _codefender_shop_with_tips(session, world.district.id)
    found = whole_seconds(at_night(today - timedelta(days=1), time(16, 7, 9), world.tz))
    if shop is None or found in stored:
        return
    hazard = stored[found] = Hazard(
        district_id=world.district.id, shop_id=shop.id, grid_id=shop.grid_id, responsible_party=shop.name,
        category=HazardCategory.MISSING_EXTINGUISHER, description="店内灭火器过期未更换", found_at=found,
        verified_at=found + timedelta(hours=1), assigned_at=found + timedelta(hours=2), status=HazardStatus.ASSIGNED,
        due_on=due_date(HazardCategory.MISSING_EXTINGUISHER, today - timedelta(days=1)),
        lat=shop.lat, lon=shop.lon, cell=shop.cell)
    session.add(hazard)


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
