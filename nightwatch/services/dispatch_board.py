"""The dispatch board's reads: open tips with their countdowns, and the on-duty people ranked for one tip."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Dispatch, District, Grid, Place, Tip
from nightwatch import i18n
from nightwatch.access import COORDINATING, Actor, require_district, require_role
from nightwatch.geo import haversine_m
from nightwatch.responders import Candidate, Ranked, in_box, nearest_box, rank
from nightwatch.response_times import Countdown, Steps, countdowns, targets_of
from nightwatch.services.situation_duty import holdings_at, people_on_duty
from nightwatch.situation import OnDuty
from nightwatch.vocab import (
    OPEN_TIP_STATUSES,
    DispatchStatus,
    PlaceKind,
    TipCategory,
    TipStatus,
    Urgency,
)
from nightwatch.webhook import NoticeFacts

URGENCY_ORDER = {Urgency.CRITICAL: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2, Urgency.LOW: 3}
LOADED = (DispatchStatus.SENT, DispatchStatus.ESCALATED, DispatchStatus.ACKNOWLEDGED, DispatchStatus.ON_SCENE)
HOTSPOT_KINDS = frozenset({PlaceKind.NIGHT_MARKET, PlaceKind.BAR_STREET, PlaceKind.LANE, PlaceKind.COMMERCIAL,
                           PlaceKind.FOOD_STREET, PlaceKind.SCENIC})
HOTSPOT_RADIUS_M = 150.0
# Boxes tried before ranking: the nearest are usually in the first; a wide district still gets everyone.
BOX_RADII_M = (1_000.0, 4_000.0)
DEFAULT_ESCALATE_MIN = 3.0


# Built once: ranking runs for every tip the dispatch screen opens.
LOADS = (select(Dispatch.person_id, func.count())
         .where(Dispatch.person_id.in_(bindparam("people", expanding=True)), Dispatch.status.in_(LOADED),
                Dispatch.tip_id != bindparam("tip"))
         .group_by(Dispatch.person_id))
SENT = select(Dispatch.person_id).where(Dispatch.tip_id == bindparam("tip"))


def escalate_after_min(district: District) -> float:
    """Minutes without an acknowledgement before a tip may be escalated (district setting, default 3)."""
    value = (district.response_targets or {}).get("escalate_after_min", DEFAULT_ESCALATE_MIN)
    return float(value) if isinstance(value, (int, float)) and value > 0 else DEFAULT_ESCALATE_MIN


@dataclass(frozen=True)
class CandidateRow:
    """One on-duty person ranked for a tip, with what the coordinator needs to choose."""

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


def tip_point(session: Session, tip: Tip) -> tuple[float, float] | None:
    """Where the tip is: its own point, else its grid's centre, else the district's."""
    if tip.lat is not None and tip.lon is not None:
        return tip.lat, tip.lon
    grid = session.get(Grid, tip.grid_id) if tip.grid_id else None
    if grid is not None and grid.center_lat is not None:
        return grid.center_lat, grid.center_lon
    district = session.get(District, tip.district_id)
    return (district.center_lat, district.center_lon) if district.center_lat is not None else None


def _prefiltered(people: tuple[OnDuty, ...], point: tuple[float, float], want: int) -> list[OnDuty]:
    """People inside the smallest box that holds enough of them (everyone when none does)."""
    for radius in BOX_RADII_M:
        box = nearest_box(point[0], point[1], radius)
        inside = [p for p in people if in_box(box, p.lat, p.lon)]
        if len(inside) >= want:
            return inside
    return list(people)


def ranked_candidates(session: Session, tip: Tip, now: datetime, want: int = 30) -> list[CandidateRow]:
    """The district's people on duty at `now`, best first for this tip."""
    point = tip_point(session, tip)
    district = session.get(District, tip.district_id)
    people = people_on_duty(session, district, now, holdings_at(session, district, now), live=True)
    if point is None or not people:
        return []
    chosen = _prefiltered(people, point, want)
    loads = dict(session.execute(LOADS, {"people": [p.person_id for p in chosen], "tip": tip.id}).all())
    sent = set(session.scalars(SENT, {"tip": tip.id}))
    by_id = {p.person_id: p for p in chosen}
    ranked = rank((Candidate(p.person_id, p.lat, p.lon, p.seen_at, p.team_type, loads.get(p.person_id, 0))
                   for p in chosen), point, TipCategory(tip.category), now)
    rows = []
    for r in ranked:
        person = by_id[r.candidate.person_id]
        rows.append(CandidateRow(person.person_id, person.name, person.role_kind, person.team, person.grid_id,
                                 person.source, r, person.person_id in sent))
    return rows


def candidates(*, session_factory: sessionmaker, actor: Actor, tip_id: int, now: datetime) -> list[CandidateRow]:
    """People on duty ranked for a tip, for a coordinator of its district."""
    require_role(actor, COORDINATING)
    with session_factory() as session:
        tip = session.get(Tip, tip_id)
        if tip is None:
            return []
        require_district(actor, tip.district_id)
        return ranked_candidates(session, tip, now)


def hotspots(session: Session, district_id: int) -> list[tuple[float, float]]:
    """The points of the district's hotspot places (night markets, bar streets, old lanes …)."""
    rows = session.execute(select(Place.lat, Place.lon, Place.kind).where(Place.district_id == district_id)).all()
    return [(lat, lon) for lat, lon, kind in rows if lat is not None and kind in HOTSPOT_KINDS]


def at_hotspot(spots: list[tuple[float, float]], lat: float | None, lon: float | None) -> bool:
    """True when a point lies within HOTSPOT_RADIUS_M of a hotspot place."""
    return lat is not None and any(haversine_m(lat, lon, s[0], s[1]) <= HOTSPOT_RADIUS_M for s in spots)


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
