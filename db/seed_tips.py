"""Demo tips (线索) night by night, each pushed to the nearest person on duty, plus the articles' history.

A tip's whole life (received → dispatched → acknowledged → on scene → closed or referred) is
planned from its key; the rows show the steps reached by the snapshot, and a later run moves
untouched open tips on. Every night plans one tip a few minutes before the snapshot, so
tonight always has tips waiting for someone.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Dispatch, Tip
from db.seed_support import (
    tonight_snapshot,
    at_night,
    bbox_of,
    clock,
    insert_all,
    inside,
    jitter,
    located,
    minutes,
    person_name,
    phone_number,
    seed_file,
    stable_rng,
    whole_seconds,
)
from db.seed_world import POLICE_ROLES, Duty, Member, World, patrols_by_night
from nightwatch.geo import haversine_m
from nightwatch.nights import duty_date_of
from nightwatch.vocab import OPEN_TIP_STATUSES, DispatchStatus, TipSource, TipStatus

CALLER_GROUP = 97
OUTCOME_NOTES = {
    "mediated": "双方达成和解，当场握手言和",
    "found": "已找到，平安交还家属",
    "returned": "失物已核实身份后归还失主",
    "referred": "已移交110及属地派出所处理",
    "resolved": "现场处置完毕",
    "false_alarm": "经核查无异常",
}
# Minutes from reception to on scene; the 1-3-5 response circle sets the fast end.
CLOSE_MINUTES = {"dispute": (8, 30), "lost_person": (10, 40), "lost_item": (15, 45)}
STEPS = ((TipStatus.DISPATCHED, "dispatched_at"), (TipStatus.ACKNOWLEDGED, "acknowledged_at"),
         (TipStatus.ON_SCENE, "on_scene_at"))


@dataclass(frozen=True)
class TipPlan:
    """Everything about a tip, its whole life included, before it is cut at the snapshot."""

    key: str
    night: date
    template: dict
    place: str
    point: tuple[float, float]
    received: datetime
    steps: tuple[datetime, datetime, datetime, datetime]  # dispatched, acknowledged, on scene, closed/referred
    rng_seed: int


def seed_tips(session: Session, world: World, duties: list[Duty], nights: list[date], today: date,
              now: datetime | None = None) -> None:
    """Insert the missing tips and dispatches of the window and the history; move open ones on."""
    snapshot = tonight_snapshot(today, world.tz, now)
    # Nights that fell out of the window since the last run may still have open tips to finish.
    stale = set(session.scalars(select(Tip.duty_date).where(
        Tip.district_id == world.district.id, Tip.duty_date < nights[0], Tip.status.in_(OPEN_TIP_STATUSES),
        Tip.idempotency_key.like(f"seed:{world.no}:%"))))
    plans = [p for night in sorted(stale) + nights if night <= today for p in _night_plans(
        world, night, tonight_snapshot(night, world.tz, now if night == today else None))]
    plans += _history_plans(world, nights[0])
    plans = [p for p in plans if p.received <= snapshot]
    keys = [p.key for p in plans]
    stored = {t.idempotency_key: t for t in session.scalars(select(Tip).where(Tip.idempotency_key.in_(keys)))}
    on_duty = patrols_by_night(duties)
    responders = {plan.key: _responders(world, plan, on_duty.get(plan.night, [])) for plan in plans}
    fresh = []
    for plan in plans:
        if plan.key not in stored:
            tip = _new_tip(world, plan, responders[plan.key])
            _advance(tip, plan, snapshot)
            fresh.append(tip)
    insert_all(session, fresh)
    new = {tip.idempotency_key for tip in fresh}
    if fresh:
        stored = {t.idempotency_key: t for t in session.scalars(select(Tip).where(Tip.idempotency_key.in_(keys)))}
    sent = {(d.tip_id, d.person_id): d for d in session.scalars(
        select(Dispatch).where(Dispatch.tip_id.in_([tip.id for tip in stored.values()])))}
    new_dispatches = []
    for plan in plans:
        tip = stored[plan.key]
        _advance(tip, plan, snapshot)
        for order, (member, distance) in enumerate(responders[plan.key]):
            dispatch = sent.get((tip.id, member.id))
            # A stale night's roster is gone from the window: only its new tips get responders.
            if dispatch is None and plan.steps[0] <= snapshot and (plan.night >= nights[0] or plan.key in new):
                dispatch = Dispatch(tip_id=tip.id, person_id=member.id, distance_m=distance,
                                    status=DispatchStatus.SENT, sent_at=plan.steps[0] + timedelta(seconds=40 * order))
                new_dispatches.append(dispatch)
            if dispatch is not None:
                _advance_dispatch(dispatch, plan, order, snapshot)
    insert_all(session, new_dispatches)


def _night_plans(world: World, night: date, snapshot: datetime) -> list[TipPlan]:
    """The tips of one night in a district; the first arrives just before the snapshot."""
    rng = stable_rng("tips", world.no, night)
    count = rng.randint(2, 4) + (1 if len(world.grids) >= 3 else 0)
    local = seed_file("activity")["tips"]["districts"].get(world.key, [])
    plans = []
    for index in range(count):
        template = rng.choice(local) if local and rng.random() < 0.45 else rng.choice(
            seed_file("activity")["tips"]["common"])
        if index == 0:
            received = snapshot - minutes(rng, 2, 9)
        elif "at" in template:
            received = at_night(night, clock(template["at"]), world.tz) + minutes(rng, -8, 8)
        else:
            received = at_night(night, time(19), world.tz) + timedelta(minutes=rng.triangular(0, 420, 150))
        plans.append(_plan(world, f"seed:{world.no}:{night.isoformat()}:{index}", night, template,
                           whole_seconds(received), rng, slow=index == 0))
    return plans


def _history_plans(world: World, window_start: date) -> list[TipPlan]:
    """Closed tips before the window that reproduce an article's year-to-date figures."""
    history = world.spec.get("history", {})
    templates = seed_file("activity")["tips"]
    pool = templates["districts"].get(world.key, []) + templates["common"]
    plans = []
    for entry in history.get("tips", []):
        matching = [t for t in pool if t["category"] == entry["category"]]
        for index in range(entry["count"]):
            rng = stable_rng("history-tip", world.no, entry["category"], index)
            night = window_start - timedelta(days=rng.randint(1, history["days"]))
            received = at_night(night, time(19), world.tz) + timedelta(minutes=rng.triangular(0, 360, 120))
            template = {**rng.choice(matching), "outcome": entry["outcome"]}
            key = f"seed:{world.no}:history:{entry['category']}:{index}"
            plans.append(_plan(world, key, duty_date_of(received, world.tz), template, whole_seconds(received), rng))
    return plans


def _plan(world: World, key: str, night: date, template: dict, received: datetime, rng: random.Random,
          slow: bool = False) -> TipPlan:
    """A tip's place and timeline; `slow` makes its first steps land after the snapshot."""
    place = world.places.get(template.get("place", "")) or rng.choice(world.hotspots)
    point = jitter(rng, place.lat, place.lon, 60)
    # The articles' districts mostly keep their 1-3-5 promise: most tips go out within the minute and
    # a patrol is there within three to five; the low-urgency ones and a tail of slow nights miss it.
    urgency_delay = {"critical": (0.2, 1), "high": (0.3, 1.2), "normal": (0.3, 1.4), "low": (0.5, 3)}
    dispatched = received + minutes(rng, *((2, 6) if slow else urgency_delay[template["urgency"]]))
    acknowledged = dispatched + minutes(rng, *((8, 15) if slow else (0.1, 1.2)))
    on_scene = acknowledged + minutes(rng, *((0.3, 1.5) if template["urgency"] == "critical" else (0.4, 2.4)))
    finished = on_scene + minutes(rng, *CLOSE_MINUTES.get(template["category"], (5, 25)))
    steps = tuple(whole_seconds(step) for step in (dispatched, acknowledged, on_scene, finished))
    return TipPlan(key, night, template, place.name, point, received, steps, rng.randrange(2**32))


def _responders(world: World, plan: TipPlan, on_duty: list[Duty]) -> list[tuple[Member, float]]:
    """The nearest person on duty when the tip arrives (two for critical tips), else police of the district."""
    lat, lon = plan.point
    near = sorted((round(haversine_m(lat, lon, d.plan.lat, d.plan.lon), 1), d.member.phone, d.member)
                  for d in on_duty if d.covers(plan.received))
    chosen = [(member, distance) for distance, _, member in near]
    if not chosen:
        police = [m for m in world.members if m.role_kind in POLICE_ROLES]
        rng = random.Random(plan.rng_seed)
        chosen = [(rng.choice(police), round(haversine_m(lat, lon, world.district.center_lat,
                                                         world.district.center_lon), 1))]
    return chosen[:2] if plan.template["urgency"] == "critical" else chosen[:1]


def _new_tip(world: World, plan: TipPlan, responders: list[tuple[Member, float]]) -> Tip:
    """A received tip with who reported it, from where."""
    rng = random.Random(plan.rng_seed)
    template = plan.template
    # Merchants report through the app where many of them are co-defenders (东西巷).
    merchant_weight = 60 if len(world.shop_of) >= 10 else 15 if world.shop_of else 0
    source = TipSource(template.get("source") or rng.choices(
        list(TipSource), weights=(merchant_weight, 40, 10, 30, 5))[0])
    lat, lon = plan.point
    tip = Tip(district_id=world.district.id, source=source, category=template["category"],
              urgency=template["urgency"], text=template["text"].format(place=plan.place),
              location_note=plan.place, idempotency_key=plan.key, duty_date=plan.night,
              received_at=plan.received, status=TipStatus.RECEIVED)
    if source == TipSource.MERCHANT_APP and world.shop_of:
        shop = rng.choice(sorted(world.shop_of.values(), key=lambda s: s.name))
        tip.shop_id, tip.reporter_person_id, lat, lon = shop.id, shop.codefender_id, shop.lat, shop.lon
    elif source == TipSource.PATROL:
        tip.reporter_person_id = responders[0][0].id
    elif source in (TipSource.PHONE, TipSource.WALK_IN):
        if rng.random() < 0.1:
            tip.anonymous = True
        else:
            tip.caller_name = person_name(rng)[0] + rng.choice(("先生", "女士"))
            tip.caller_phone = phone_number(world.no, CALLER_GROUP, rng.randrange(1000))
    for column, value in located(lat, lon, True).items():
        setattr(tip, column, value)
    tip.grid_id = next((g.id for g in world.grids.values() if inside(bbox_of(g.polygon), lat, lon)), None)
    return tip


def _advance(tip: Tip, plan: TipPlan, snapshot: datetime) -> None:
    """Set the steps the tip has reached by the snapshot, if it is still open as the seed left it."""
    if tip.status not in OPEN_TIP_STATUSES:
        return
    for (status, column), at in zip(STEPS, plan.steps[:3], strict=True):
        if at <= snapshot and getattr(tip, column) is None:
            setattr(tip, column, at)
            tip.status = status
    if plan.steps[3] <= snapshot:
        outcome = plan.template["outcome"]
        referred = outcome == "referred"
        tip.status = TipStatus.REFERRED if referred else TipStatus.CLOSED
        tip.outcome, tip.outcome_note = outcome, OUTCOME_NOTES[outcome]
        if referred:
            tip.referred_at = plan.steps[3]
        else:
            tip.closed_at = plan.steps[3]


def _advance_dispatch(dispatch: Dispatch, plan: TipPlan, order: int, snapshot: datetime) -> None:
    """Set the steps one responder has reached by the snapshot; a second responder trails the first."""
    if dispatch.status not in (DispatchStatus.SENT, DispatchStatus.ACKNOWLEDGED, DispatchStatus.ON_SCENE):
        return
    lag = timedelta(seconds=40 * order)
    acknowledged, on_scene = plan.steps[1] + lag, plan.steps[2] + lag
    if acknowledged <= snapshot and dispatch.acknowledged_at is None:
        dispatch.acknowledged_at, dispatch.status = acknowledged, DispatchStatus.ACKNOWLEDGED
    if on_scene <= snapshot and dispatch.on_scene_at is None:
        dispatch.on_scene_at, dispatch.status = on_scene, DispatchStatus.ON_SCENE
    if plan.steps[3] <= snapshot:
        dispatch.outcome = plan.template["outcome"]
        if dispatch.outcome == "referred":
            dispatch.escalated_at, dispatch.status = plan.steps[3], DispatchStatus.ESCALATED
        else:
            dispatch.closed_at, dispatch.status = plan.steps[3], DispatchStatus.CLOSED
