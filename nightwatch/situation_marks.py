"""Things on the situation map that sit at a point for a while: people on duty, tips, outreach, hazards. Pure."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from nightwatch.vocab import (
    HazardCategory,
    HazardStatus,
    OutreachKind,
    TeamType,
    TipCategory,
    TipStatus,
    Urgency,
)


@dataclass(frozen=True)
class OnDuty:
    """A person on duty at the moment, where they were last known to be."""

    person_id: int
    name: str
    role_kind: str
    team: str | None
    team_type: TeamType | None
    lat: float
    lon: float
    seen_at: datetime
    source: str  # "checkin", "post", "route" or "grid": how we know where they are
    shift: str  # the shift as the night reads, "22:00–06:00 (+1)"
    phone: str | None = None
    grid_id: int | None = None


@dataclass(frozen=True)
class TipMark:
    """An open tip at the moment, where it was reported."""

    id: int
    category: TipCategory
    urgency: Urgency
    status: TipStatus
    received_at: datetime
    lat: float
    lon: float
    approximate: bool
    grid: str | None
    grid_id: int | None = None
    shop_id: int | None = None
    shop: str | None = None
    text: str | None = None
    location_note: str | None = None
    caller: str | None = None


@dataclass(frozen=True)
class OutreachMark:
    """An outreach event of the night (a booth, talk or visit): public activity."""

    id: int
    kind: OutreachKind
    title: str
    starts_at: datetime
    ends_at: datetime | None
    reached: int
    installs: int
    lat: float
    lon: float
    where: str | None
    team: str | None
    grid_id: int | None = None


@dataclass(frozen=True)
class HazardMark:
    """A hazard not yet closed: what, where, how far along, and whether it is overdue."""

    id: int
    category: HazardCategory
    status: HazardStatus
    overdue: bool
    due_on: date | None
    lat: float
    lon: float
    approximate: bool
    where: str | None
    grid: str | None
    grid_id: int | None = None
