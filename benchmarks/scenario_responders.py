"""Scenario 1: rank the nearest on-duty responders for a tip, against a geopy loop over everyone in the city."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from geopy.distance import geodesic
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from benchmarks.ground import Ground
from benchmarks.measure import Figure, Stats, timed
from db.models import Assignment, CheckIn, Checkpoint, DutyPost, Grid, Person, RouteStop, Shift, Tip
from nightwatch.services.dispatch_board import candidates
from nightwatch.vocab import HOLDING_STATUSES

MEASURE = "rank the nearest on-duty responders for a tip"
TARGET = "≤ 2 ms, ≥ 1,000× geopy loop"
TIPS = 50
REFERENCE_TIPS = 3  # the geopy loop takes seconds per tip at city scale
NIGHT = timedelta(hours=12)  # a night's tips: those received in the half day before `now`
# Haversine (the product) and the ellipsoid (geopy) differ by up to 0.5 %: a near tie may fall either way.
TIE_SHARE = 0.005


@dataclass(frozen=True)
class Seen:
    """Where the reference believes someone on duty is."""

    person_id: int
    district_id: int | None  # None: not on duty, never a candidate
    lat: float
    lon: float


def run(ground: Ground, runs: int) -> list[Figure]:
    """Time the dispatch screen's ranking for a spread of tonight's tips, and the geopy loop for a few."""
    actor = ground.coordinator()
    with ground.session_factory() as session:
        tips = tonight_tips(session, ground.now, TIPS)
        everyone = on_duty(session, ground.now)
        city = everyone + off_duty(session, {p.person_id for p in everyone})
    if not tips or not everyone:
        raise AssertionError(f"no tips with a point or nobody on duty at {ground.now}: nothing to rank")

    def rank(tip_id: int):
        return lambda: candidates(session_factory=ground.session_factory, actor=actor, tip_id=tip_id, now=ground.now)

    ours = pooled([timed(rank(tip_id), runs=runs) for tip_id, _, _ in tips])
    loops = []
    for tip_id, district_id, point in spread(tips, REFERENCE_TIPS):
        started = time.perf_counter()
        metres = [geodesic(point, (p.lat, p.lon)).meters for p in city]
        loops.append(time.perf_counter() - started)
        ranked = candidates(session_factory=ground.session_factory, actor=actor, tip_id=tip_id, now=ground.now)
        agree(tip_id, district_id, city, metres, ranked)
    reference = Stats.of(loops)
    ratio = reference.median / ours.median
    value = ours.median * 1000
    met = value <= 2.0 and ratio >= 1000 if ground.scale.name == "city" else None
    return [Figure("responders", ground.backend, MEASURE, value, "ms", TARGET, met, ours,
                   reference=f"geopy.distance.geodesic loop over {len(city):,} people ({len(everyone):,} on duty)",
                   reference_value=reference.median * 1000, ratio=ratio,
                   note=f"{len(tips)} tips × {runs} runs; nearest agrees with geopy on {len(loops)} tips")]


def tonight_tips(session: Session, now: datetime, count: int) -> list[tuple[int, int, tuple[float, float]]]:
    """Up to `count` tips with a point received tonight, taken evenly from each district in turn."""
    rows = session.execute(select(Tip.id, Tip.district_id, Tip.lat, Tip.lon).where(
        Tip.received_at > now - NIGHT, Tip.received_at <= now, Tip.lat.is_not(None)).order_by(Tip.id)).all()
    by_district: dict[int, list] = {}
    for tip_id, district_id, lat, lon in rows:
        by_district.setdefault(district_id, []).append((tip_id, district_id, (lat, lon)))
    lists = [spread(tips, -(-count // len(by_district))) for _, tips in sorted(by_district.items())]
    turns = [tips[i] for i in range(max(map(len, lists), default=0)) for tips in lists if i < len(tips)]
    return turns[:count]


def spread(items: list, count: int) -> list:
    """`count` items evenly spaced through a list (all of them when it is short)."""
    if len(items) <= count:
        return list(items)
    return [items[i * len(items) // count] for i in range(count)]


def pooled(stats: list[Stats]) -> Stats:
    """Per-tip timings as one figure: the median of the medians, the extremes, every run counted."""
    return Stats(Stats.of([s.median for s in stats]).median, min(s.low for s in stats), max(s.high for s in stats),
                 sum(s.n for s in stats))


def on_duty(session: Session, now: datetime) -> list[Seen]:
    """Everyone holding a running shift at `now`, at their last check-in of it, else its post, route or grid.

    Read straight from the tables, without the product's services, so the check below means something.
    """
    held = session.execute(
        select(Assignment.person_id, Shift.id, Shift.district_id, Shift.duty_post_id, Shift.route_id, Shift.grid_id)
        .join(Shift, Shift.id == Assignment.shift_id)
        .where(Assignment.status.in_(HOLDING_STATUSES), Shift.starts_at <= now, Shift.ends_at > now)).all()
    shift_ids = {row[1] for row in held}
    last = select(CheckIn.person_id, CheckIn.shift_id, func.max(CheckIn.at).label("at")).where(
        CheckIn.shift_id.in_(shift_ids), CheckIn.at <= now).group_by(CheckIn.person_id, CheckIn.shift_id).subquery()
    seen = {(person, shift): (lat, lon) for person, shift, lat, lon in session.execute(
        select(CheckIn.person_id, CheckIn.shift_id, Checkpoint.lat, Checkpoint.lon)
        .join(last, (last.c.person_id == CheckIn.person_id) & (last.c.shift_id == CheckIn.shift_id)
              & (last.c.at == CheckIn.at))
        .join(Checkpoint, Checkpoint.id == CheckIn.checkpoint_id)) if lat is not None}
    posts = dict((i, (lat, lon)) for i, lat, lon in session.execute(select(DutyPost.id, DutyPost.lat, DutyPost.lon))
                 if lat is not None)
    starts = {}
    for route, lat, lon in session.execute(select(RouteStop.route_id, Checkpoint.lat, Checkpoint.lon).join(
            Checkpoint, Checkpoint.id == RouteStop.checkpoint_id).order_by(RouteStop.route_id, RouteStop.position)):
        if lat is not None:
            starts.setdefault(route, (lat, lon))
    centres = dict((i, (lat, lon)) for i, lat, lon in session.execute(select(Grid.id, Grid.center_lat, Grid.center_lon))
                   if lat is not None)
    people = []
    for person, shift, district, post, route, grid in held:
        point = seen.get((person, shift)) or posts.get(post) or starts.get(route) or centres.get(grid)
        if point is not None:
            people.append(Seen(person, district, *point))
    return people


def off_duty(session: Session, on_duty_ids: set[int]) -> list[Seen]:
    """Everyone else, at their home grid's centre: the naive loop measures a distance to every person."""
    rows = session.execute(select(Person.id, Grid.center_lat, Grid.center_lon)
                           .join(Grid, Grid.id == Person.home_grid_id)).all()
    return [Seen(person, None, lat, lon) for person, lat, lon in rows
            if person not in on_duty_ids and lat is not None]


def agree(tip_id: int, district_id: int, everyone: list[Seen], metres: list[float], ranked) -> None:
    """The product's nearest (by distance alone) is geopy's nearest on duty in the tip's district."""
    mine = {p.person_id: m for p, m in zip(everyone, metres) if p.district_id == district_id}
    if not ranked or not mine:
        if ranked or mine:
            raise AssertionError(f"tip {tip_id}: the product ranked {len(ranked)} people, geopy found {len(mine)}")
        return
    expected = min(mine, key=lambda person: (mine[person], person))
    nearest = min(ranked, key=lambda row: (row.distance_m, row.person_id)).person_id
    if nearest != expected and mine.get(nearest, float("inf")) > mine[expected] * (1 + TIE_SHARE) + 1:
        raise AssertionError(f"tip {tip_id}: the product's nearest is person {nearest} "
                             f"({mine.get(nearest, float('nan')):.0f} m by geopy), geopy's is person {expected} "
                             f"({mine[expected]:.0f} m)")
