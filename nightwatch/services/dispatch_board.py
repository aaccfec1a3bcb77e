"""The dispatch board's reads: open tips with their countdowns, and the on-duty people ranked for one tip."""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Dispatch, District, Grid, Place, Tip
from db.session import Sessions
from nightwatch import i18n
from nightwatch.access import COORDINATING, Actor, require_district, require_role
from nightwatch.geo import haversine_m
from nightwatch.responders import Candidate, Ranked, rank
from nightwatch.response_times import Countdown, Steps, countdowns, targets_of
from nightwatch.services.nearby_duty import Nearby, TipSpot, near_tip
from nightwatch.vocab import (
    OPEN_TIP_STATUSES,
    DispatchStatus,
    PlaceKind,
    TipCategory,
    TipStatus,
    Urgency,
)
from nightwatch.webhook import NoticeFacts

# How many of the nearest people on duty a coordinator is offered for a tip.
WANT = 30
URGENCY_ORDER = {Urgency.CRITICAL: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2, Urgency.LOW: 3}
HOTSPOT_KINDS = frozenset({PlaceKind.NIGHT_MARKET, PlaceKind.BAR_STREET, PlaceKind.LANE, PlaceKind.COMMERCIAL,
                           PlaceKind.FOOD_STREET, PlaceKind.SCENIC})
HOTSPOT_RADIUS_M = 150.0
# Degrees of latitude that HOTSPOT_RADIUS_M can span, with room (a degree is at least 110.5 km anywhere).
HOTSPOT_LAT_SPAN = HOTSPOT_RADIUS_M / 110_000
DEFAULT_ESCALATE_MIN = 3.0


def escalate_after_min(district: District) -> float:
    """Minutes without an acknowledgement before a tip may be escalated (district setting, default 3)."""
    value = (district.response_targets or {}).get("escalate_after_min", DEFAULT_ESCALATE_MIN)
    return float(value) if isinstance(value, (int, float)) and value > 0 else DEFAULT_ESCALATE_MIN


class CandidateRow(NamedTuple):
    """One on-duty person ranked for a tip, with what the coordinator needs to choose (a tuple, as cheap as Ranked)."""

    person_id: int
    name: str
    role_kind: str
    team: str | None
    grid_id: int | None
    source: str
    ranked: Ranked
    already_sent: bool

    @property
    def candidate(self) -> Candidate:
        """The ranked candidate."""
        return self.ranked.candidate

    @property
    def distance_m(self) -> float:
        """Metres from the tip."""
        return self.ranked.distance_m


def ranked_candidates(session: Session, tip: Tip, now: datetime, want: int = WANT) -> list[CandidateRow]:
    """The district's people on duty at `now`, best first for this tip."""
    spot, people = near_tip(session.connection(), tip_id=tip.id, at=now, want=want)
    return [] if spot is None else _ranked(spot, people, now)


def _ranked(spot: TipSpot, people: list[Nearby], now: datetime) -> list[CandidateRow]:
    """The people near the spot, scored and ordered."""
    point = (spot.lat, spot.lon)
    by_id = {p.person_id: p for p in people}
    ranked = rank((Candidate(p.person_id, p.lat, p.lon, p.seen_at, p.team_type, p.load) for p in people),
                  point, spot.category, now)
    return [CandidateRow(p.person_id, p.name, p.role_kind, p.team, p.grid_id, p.source, r, p.already_sent)
            for r in ranked for p in (by_id[r.candidate.person_id],)]


def candidates(*, session_factory: Sessions, actor: Actor, tip_id: int, now: datetime) -> list[CandidateRow]:
    """People on duty ranked for a tip, for a coordinator of its district."""
    require_role(actor, COORDINATING)
    with session_factory.reading() as connection:  # one statement: no ORM session needed
        spot, people = near_tip(connection, tip_id=tip_id, at=now, want=WANT)
    if spot is None:
        return []
    require_district(actor, spot.district_id)  # before anything found is shown
    return _ranked(spot, people, now)


def hotspots(session: Session, district_id: int) -> list[tuple[float, float]]:
    """The points of the district's hotspot places (night markets, bar streets, old lanes …), south to north."""
    rows = session.execute(select(Place.lat, Place.lon, Place.kind).where(Place.district_id == district_id)).all()
    return sorted((lat, lon) for lat, lon, kind in rows if lat is not None and kind in HOTSPOT_KINDS)


def at_hotspot(spots: list[tuple[float, float]], lat: float | None, lon: float | None) -> bool:
    """True when a point lies within HOTSPOT_RADIUS_M of a hotspot place (`spots` south to north, as `hotspots`).

    Only the places within the radius's span of latitude are measured: a week's report asks for hundreds of tips.
    """
    if lat is None or lon is None:
        return False
    first = bisect_left(spots, (lat - HOTSPOT_LAT_SPAN,))
    last = bisect_right(spots, (lat + HOTSPOT_LAT_SPAN, math.inf))
    return any(haversine_m(lat, lon, s[0], s[1]) <= HOTSPOT_RADIUS_M for s in spots[first:last])


@dataclass(frozen=True)
class BoardTip:
    """An open tip on the board: what, where, how long it has waited, its targets and its responders."""

    id: int
    category: TipCategory
    urgency: Urgency
    status: TipStatus
    grid: str | None
    location_note: str | None
    received_at: datetime
    waited_min: int
    hotspot: bool
    countdowns: tuple[Countdown, ...]
    sent: int
    acknowledged: int

    @property
    def missed(self) -> bool:
        """True when any target is already missed."""
        return any(c.missed for c in self.countdowns)


@dataclass(frozen=True)
class Board:
    """A district's open tips, new ones first, then by urgency and age."""

    district: str
    timezone: str
    targets: dict[str, float]
    tips: list[BoardTip]
    escalate_after_min: float = DEFAULT_ESCALATE_MIN


def board(*, session_factory: sessionmaker, actor: Actor, district_id: int, now: datetime) -> Board:
    """The live board of a district, for its coordinators."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    with session_factory() as session:
        district = session.get(District, district_id)
        targets = targets_of(district.response_targets)
        spots = hotspots(session, district_id)
        rows = session.execute(select(Tip, Grid.name).outerjoin(Grid, Grid.id == Tip.grid_id).where(
            Tip.district_id == district_id, Tip.status.in_(OPEN_TIP_STATUSES))).all()
        counts = Counter()
        for tip_id, status in session.execute(select(Dispatch.tip_id, Dispatch.status).where(
                Dispatch.tip_id.in_([tip.id for tip, _ in rows]))):
            counts[(tip_id, "sent")] += 1
            counts[(tip_id, "ack")] += status in (DispatchStatus.ACKNOWLEDGED, DispatchStatus.ON_SCENE,
                                                  DispatchStatus.CLOSED)
    tips = []
    for tip, grid in rows:
        hot = at_hotspot(spots, tip.lat, tip.lon)
        steps = Steps(tip.received_at, tip.dispatched_at, tip.acknowledged_at, tip.on_scene_at, tip.closed_at)
        tips.append(BoardTip(tip.id, tip.category, tip.urgency, tip.status, grid, tip.location_note, tip.received_at,
                             max(0, int((now - tip.received_at).total_seconds() // 60)), hot,
                             tuple(countdowns(steps, targets, now, hot)), counts[(tip.id, "sent")],
                             counts[(tip.id, "ack")]))
    tips.sort(key=lambda t: (t.status is not TipStatus.RECEIVED, URGENCY_ORDER[t.urgency], t.received_at))
    return Board(district.name, district.timezone, targets, tips, escalate_after_min(district))


def notice_facts(session: Session, tip: Tip, names: list[str], now: datetime, kind: str) -> NoticeFacts:
    """What a robot notice may say about a tip: never its reporter or caller."""
    district = session.get(District, tip.district_id)
    grid = session.get(Grid, tip.grid_id) if tip.grid_id else None
    local = now.astimezone(ZoneInfo(district.timezone)).strftime("%m-%d %H:%M")
    return NoticeFacts(kind, tip.id, district.name, grid.name if grid else None,
                       i18n.label(TipCategory(tip.category)), i18n.label(Urgency(tip.urgency)), tip.location_note,
                       tuple(names), local)
