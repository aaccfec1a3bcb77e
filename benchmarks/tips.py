"""Tips through the night and their dispatches to whoever is on duty nearby (情指行)."""
from __future__ import annotations

import numpy as np

from benchmarks import draw
from benchmarks.city import City, points_in
from benchmarks.roster import HOUR_US, MINUTE_US, Calendar
from benchmarks.scale import Scale
from nightwatch.vocab import DispatchStatus, Outcome, TipCategory, TipSource, TipStatus, Urgency

# Relative chance of a tip in each hour of the night's window, from 06:00 local to 06:00 the next day.
HOUR_WEIGHTS = [0.15] * 12 + [1.0, 1.5, 2.0, 2.5, 2.5, 2.0, 1.5, 1.0, 0.6, 0.4, 0.3, 0.2]
CATEGORIES: dict[TipCategory, tuple[float, str]] = {
    TipCategory.DISPUTE: (0.20, "顾客与摊主发生争执，请派人调解"),
    TipCategory.SUSPICIOUS: (0.12, "有可疑人员在店门口来回徘徊"),
    TipCategory.THEFT: (0.08, "店内手机被盗"),
    TipCategory.LOST_PERSON: (0.04, "有小孩与家人走散"),
    TipCategory.LOST_ITEM: (0.08, "游客遗失钱包"),
    TipCategory.UNLOCKED_VEHICLE: (0.06, "路边车辆车门未锁"),
    TipCategory.FIRE_HAZARD: (0.05, "消防通道被杂物堵塞"),
    TipCategory.FRAUD: (0.04, "有人冒充客服诱导转账"),
    TipCategory.DRUNK: (0.12, "有人醉酒滋事"),
    TipCategory.NOISE: (0.10, "深夜噪音扰民"),
    TipCategory.MEDICAL: (0.03, "有人突发不适需要急救"),
    TipCategory.OTHER: (0.08, "其他情况，请到场查看"),
}
SOURCES = {TipSource.MERCHANT_APP: 0.45, TipSource.PHONE: 0.25, TipSource.WALK_IN: 0.08,
           TipSource.PATROL: 0.15, TipSource.VIDEO: 0.07}
URGENCIES = {Urgency.LOW: 0.20, Urgency.NORMAL: 0.55, Urgency.HIGH: 0.20, Urgency.CRITICAL: 0.05}
# How tips on finished nights ended, and where tips on the last night stand.
PAST = {TipStatus.CLOSED: 0.90, TipStatus.REFERRED: 0.06, TipStatus.MERGED: 0.04}
TONIGHT = {TipStatus.RECEIVED: 0.15, TipStatus.DISPATCHED: 0.15, TipStatus.ACKNOWLEDGED: 0.15,
           TipStatus.ON_SCENE: 0.15, TipStatus.CLOSED: 0.40}
OUTCOMES = {Outcome.RESOLVED: 0.50, Outcome.MEDIATED: 0.20, Outcome.FALSE_ALARM: 0.15,
            Outcome.FOUND: 0.08, Outcome.RETURNED: 0.07}
# Each step of a dispatched tip, the dispatch status it leaves, and its delay after the previous step in minutes.
STEPS = [
    ("dispatched_at", TipStatus.DISPATCHED, DispatchStatus.SENT, (0.5, 4.0)),
    ("acknowledged_at", TipStatus.ACKNOWLEDGED, DispatchStatus.ACKNOWLEDGED, (0.2, 2.0)),
    ("on_scene_at", TipStatus.ON_SCENE, DispatchStatus.ON_SCENE, (1.0, 8.0)),
    ("closed_at", TipStatus.CLOSED, DispatchStatus.CLOSED, (5.0, 60.0)),
]
# A tip this soon after another in the same grid may be merged into it.
MERGE_WINDOW_US = 2 * HOUR_US
# Random draws of an on-duty person per tip before concluding nobody covers its moment.
RESPONDER_TRIES = 16
NAT = np.datetime64("NaT", "us")


def build_tips(city: City, scale: Scale, seed: int, calendar: Calendar,
               on_duty: draw.Table) -> dict[str, draw.Table]:
    """Tips night by night in busy grids, most in the evening; those with a patrol on duty get a dispatch."""
    rng = draw.stream(seed, "tips")
    n = scale.tips
    night, grid, received = _arrivals(city, scale, rng, calendar)
    source, shop, lat, lon, cell = _whereabouts(city, rng, grid)
    caller = np.isin(source, [str(TipSource.PHONE), str(TipSource.WALK_IN)])
    named = caller & (rng.random(n) >= 0.1)
    category = draw.choose(rng, list(CATEGORIES), [w for w, _ in CATEGORIES.values()], n)
    keys = np.array([f"{a:016x}{b:016x}" for a, b in rng.integers(0, 2**63, (n, 2)).tolist()], dtype=object)

    status = np.where(night == len(calendar.dates) - 1,
                      draw.choose(rng, list(TONIGHT), list(TONIGHT.values()), n),
                      draw.choose(rng, list(PAST), list(PAST.values()), n))
    merged_into = _merge_candidates(grid, received)
    status[(status == TipStatus.MERGED) & (merged_into < 0)] = str(TipStatus.CLOSED)
    merged_into[status != TipStatus.MERGED] = -1
    wanted = np.isin(status, [str(step_status) for _, step_status, _, _ in STEPS])
    responder = _responders(city, rng, on_duty, night, grid, received, wanted)
    # Nobody on duty covers the moment: the tip goes to 110.
    status[wanted & (responder < 0)] = str(TipStatus.REFERRED)
    outcomes = draw.choose(rng, list(OUTCOMES), list(OUTCOMES.values()), n)
    outcome = np.where(status == TipStatus.CLOSED, outcomes, None)
    outcome[status == TipStatus.REFERRED] = str(Outcome.REFERRED)

    tips = draw.table(
        id=np.arange(1, n + 1), district_id=city.grid_district[grid] + 1, grid_id=grid + 1, shop_id=draw.ids(shop),
        # A shop's merchant co-defender speaks for it.
        reporter_person_id=np.where(shop >= 0, city.shops["codefender_id"][np.maximum(shop, 0)], None),
        caller_name=np.where(named, draw.names(rng, n), None),
        caller_phone=np.where(named, draw.phones(rng, scale.people + scale.shops, n), None),
        anonymous=caller & ~named, source=source, category=category,
        urgency=draw.choose(rng, list(URGENCIES), list(URGENCIES.values()), n),
        text=np.array([CATEGORIES[c][1] for c in category.tolist()], dtype=object),
        status=status, outcome=outcome, merged_into_id=draw.ids(merged_into),
        idempotency_key=np.where(source == TipSource.MERCHANT_APP, keys, None),
        duty_date=calendar.dates[night], received_at=received, **_steps(rng, status, received),
        lat=lat, lon=lon, cell=cell, approximate=source == TipSource.PHONE,
    )
    return {"tip": tips, "dispatch": _dispatches(city, on_duty, tips, responder)}


def _arrivals(city: City, scale: Scale, rng: np.random.Generator,
              calendar: Calendar) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each tip's night, grid (0-based) and instant, in time order; busy nights, grids and hours take more."""
    n = scale.tips
    night = np.repeat(np.arange(len(calendar.dates)), draw.apportion(n, calendar.weights))
    grid = rng.choice(len(city.grid_lat), n, p=city.grid_heat / city.grid_heat.sum())
    hour = rng.choice(len(HOUR_WEIGHTS), n, p=np.array(HOUR_WEIGHTS) / sum(HOUR_WEIGHTS))
    span = (calendar.window_end - calendar.window_start)[night].astype(np.int64)
    offset = np.minimum((hour + rng.random(n)) * HOUR_US, span - 1).astype(np.int64)
    received = calendar.window_start[night] + offset.astype("timedelta64[us]")
    # Ids follow time, as they do when tips arrive.
    order = np.argsort(received, kind="stable")
    return night[order], grid[order], received[order]


def _whereabouts(city: City, rng: np.random.Generator,
                 grid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """How each tip came in, its shop (0-based, -1 for none) and where it is: latitude, longitude and cell.

    A merchant's tip comes from a shop of its grid and sits at the shop; others sit anywhere in the grid.
    """
    n = len(grid)
    source = draw.choose(rng, list(SOURCES), list(SOURCES.values()), n)
    shop_count = np.bincount(city.shops["grid_id"] - 1, minlength=len(city.grid_lat))
    from_shop = (source == TipSource.MERCHANT_APP) & (shop_count[grid] > 0)
    source[(source == TipSource.MERCHANT_APP) & ~from_shop] = str(TipSource.PHONE)
    pick = draw.starts_of(shop_count)[grid] + (rng.random(n) * shop_count[grid]).astype(np.int64)
    shop = np.where(from_shop, pick, -1)
    lat, lon = points_in(city, rng, grid)
    cell = np.empty(n, dtype=object)
    at_shop = shop[from_shop]
    lat[from_shop], lon[from_shop] = city.shops["lat"][at_shop], city.shops["lon"][at_shop]
    cell[from_shop] = city.shops["cell"][at_shop]
    cell[~from_shop] = draw.cells(lat[~from_shop], lon[~from_shop])
    return source, shop, lat, lon, cell


def _merge_candidates(grid: np.ndarray, received: np.ndarray) -> np.ndarray:
    """For each tip, the one (0-based) just before it in its grid if that came within the merge window, else -1."""
    order = np.lexsort((np.arange(len(grid)), grid))
    candidate = np.full(len(grid), -1)
    later, earlier = order[1:], order[:-1]
    soon = received[later] - received[earlier] <= np.timedelta64(MERGE_WINDOW_US, "us")
    near = (grid[later] == grid[earlier]) & soon
    candidate[later[near]] = earlier[near]
    return candidate


def _responders(city: City, rng: np.random.Generator, on_duty: draw.Table, night: np.ndarray, grid: np.ndarray,
                received: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """For each wanted tip, an on-duty row (0-based) of its district whose shift covers the tip, else -1."""
    districts = int(city.grid_district.max()) + 1
    key = on_duty["night"] * districts + on_duty["district"]
    order = np.argsort(key, kind="stable")
    key, starts, ends = key[order], on_duty["starts_at"][order], on_duty["ends_at"][order]
    tip_key = night * districts + city.grid_district[grid]
    lo, hi = np.searchsorted(key, tip_key, "left"), np.searchsorted(key, tip_key, "right")
    responder = np.full(len(grid), -1)
    for _ in range(RESPONDER_TRIES):
        pending = np.nonzero(wanted & (responder < 0) & (hi > lo))[0]
        pick = lo[pending] + (rng.random(len(pending)) * (hi - lo)[pending]).astype(np.int64)
        covers = (starts[pick] <= received[pending]) & (received[pending] < ends[pick])
        responder[pending[covers]] = order[pick[covers]]
    return responder


def _steps(rng: np.random.Generator, status: np.ndarray, received: np.ndarray) -> dict[str, np.ndarray]:
    """The instant of each step a tip reached, each after the one before; NaT for steps not reached."""
    n = len(status)
    steps: dict[str, np.ndarray] = {}
    previous = received
    for index, (column, _, _, (low, high)) in enumerate(STEPS):
        previous = previous + ((low + rng.random(n) * (high - low)) * MINUTE_US).astype("timedelta64[us]")
        # A tip reached a step when its status is that step or a later one.
        reached = np.isin(status, [str(later) for _, later, _, _ in STEPS[index:]])
        steps[column] = np.where(reached, previous, NAT)
    # Referred tips go to 110 a little after arriving; merged ones close a little after arriving.
    soon_after = received + ((1 + rng.random(n) * 9) * MINUTE_US).astype("timedelta64[us]")
    steps["referred_at"] = np.where(status == TipStatus.REFERRED, soon_after, NAT)
    steps["closed_at"] = np.where(status == TipStatus.MERGED, soon_after, steps["closed_at"])
    return steps


def _dispatches(city: City, on_duty: draw.Table, tips: draw.Table, responder: np.ndarray) -> draw.Table:
    """One dispatch per dispatched tip, to its responder, mirroring the tip's steps."""
    sent = np.nonzero(responder >= 0)[0]
    duty = responder[sent]
    step_status = np.full(len(sent), None, dtype=object)
    for column, _, dispatch_status, _ in STEPS:
        step_status[~np.isnat(tips[column][sent])] = str(dispatch_status)
    # The responder's grid centre stands in for their last known position.
    grid = on_duty["grid"][duty]
    return draw.table(
        id=np.arange(1, len(sent) + 1), tip_id=sent + 1, person_id=on_duty["person"][duty] + 1, status=step_status,
        distance_m=draw.haversine(tips["lat"][sent], tips["lon"][sent], city.grid_lat[grid], city.grid_lon[grid]),
        sent_at=tips["dispatched_at"][sent], acknowledged_at=tips["acknowledged_at"][sent],
        on_scene_at=tips["on_scene_at"][sent], closed_at=tips["closed_at"][sent],
        outcome=np.where(tips["status"][sent] == TipStatus.CLOSED, tips["outcome"][sent], None),
    )
