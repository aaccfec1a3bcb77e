"""The situation of one district at one moment, and what each audience may see of it. Pure.

A service gathers a `Situation`; `redact` cuts it down to what the audience may receive
before anything is drawn, so the browser never holds more than the role may see.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import h3

from nightwatch.geo import H3_RESOLUTION, cell_of
from nightwatch.situation_marks import HazardMark, OnDuty, OutreachMark, TipMark
from nightwatch.vocab import TeamType

__all__ = ["Audience", "GridArea", "HazardMark", "Layer", "OnDuty", "OutreachMark", "RouteLine", "Situation", "Spot",
           "SpotKind", "Staffing", "TeamMark", "TipMark", "redact", "rough_point", "staffing_of", "within_grid"]


class Audience(StrEnum):
    """Who is looking: how much of the night they may see."""

    COORDINATOR = "coordinator"  # everything of their district, personal data included
    PATROL = "patrol"  # team leaders and volunteers of the district: no phones, tips only roughly placed
    MERCHANT = "merchant"  # the public layers, plus their own shop's tips
    PUBLIC = "public"  # where help is: grids, teams, posts and co-defender shops


class Layer(StrEnum):
    """A toggleable layer of the situation map."""

    GRIDS = "grids"
    TEAMS = "teams"
    ROUTES = "routes"
    CHECKPOINTS = "checkpoints"
    POSTS = "posts"
    SHOPS = "shops"
    PEOPLE = "people"
    TIPS = "tips"
    OUTREACH = "outreach"
    HAZARDS = "hazards"


# Outreach is public activity; open hazards point at weak spots, so only the district's own people see them.
LAYERS_FOR: dict[Audience, tuple[Layer, ...]] = {
    Audience.COORDINATOR: tuple(Layer),
    Audience.PATROL: tuple(Layer),
    Audience.MERCHANT: (Layer.GRIDS, Layer.TEAMS, Layer.POSTS, Layer.SHOPS, Layer.TIPS, Layer.OUTREACH),
    Audience.PUBLIC: (Layer.GRIDS, Layer.TEAMS, Layer.POSTS, Layer.SHOPS, Layer.OUTREACH),
}
# Which audiences see how well each grid is staffed (a map of thin cover is a map for thieves).
SEES_STAFFING = frozenset({Audience.COORDINATOR, Audience.PATROL})
# Tips shown to patrols are moved to the centre of their H3 cell (edge ≈ 174 m at resolution 9).
ROUGH_TIP_RESOLUTION = H3_RESOLUTION


class Staffing(StrEnum):
    """How a grid's people on duty compare with its template."""

    FULL = "full"  # every role kind met: green
    SHORT = "short"  # some on duty, some role kind short: amber
    EMPTY = "empty"  # people required, nobody on duty: red
    UNPLANNED = "unplanned"  # no template and no shift: grey
    HIDDEN = "hidden"  # this audience is not told


def staffing_of(required: dict[str, int], staffed: dict[str, int]) -> Staffing:
    """Compare staffed with required, role kind by role kind."""
    needed = {role: n for role, n in required.items() if n > 0}
    if not needed:
        return Staffing.FULL if any(staffed.values()) else Staffing.UNPLANNED
    if not any(staffed.values()):
        return Staffing.EMPTY
    if all(staffed.get(role, 0) >= n for role, n in needed.items()):
        return Staffing.FULL
    return Staffing.SHORT


@dataclass(frozen=True)
class GridArea:
    """A micro-grid: its outline, its template, and who is on duty in it at the moment."""

    id: int
    name: str
    polygon: dict[str, Any] | None
    center: tuple[float, float] | None
    required: dict[str, int]
    staffed: dict[str, int]
    staffing_visible: bool = True

    @property
    def staffing(self) -> Staffing:
        """The grid's colour on the map."""
        return staffing_of(self.required, self.staffed) if self.staffing_visible else Staffing.HIDDEN


@dataclass(frozen=True)
class TeamMark:
    """A team at its base, over its area."""

    id: int
    name: str
    team_type: TeamType
    lat: float | None
    lon: float | None
    area: dict[str, Any] | None
    members: int
    leader: str | None


@dataclass(frozen=True)
class RouteLine:
    """A patrol line through its checkpoints, in order."""

    id: int
    name: str
    team: str | None
    team_type: TeamType | None
    path: tuple[tuple[float, float], ...]  # (lat, lon) of each stop
    stops: tuple[str, ...]
    minutes: int


class SpotKind(StrEnum):
    """A point feature that stays put."""

    CHECKPOINT = "checkpoint"
    POST = "post"
    SHOP = "shop"


@dataclass(frozen=True)
class Spot:
    """A checkpoint, duty post or co-defender shop."""

    kind: SpotKind
    id: int
    name: str
    lat: float
    lon: float
    subtype: str  # duty post kind, business kind, or "" for checkpoints
    grid: str | None
    grid_id: int | None = None


@dataclass(frozen=True)
class Situation:
    """One district at one moment: everything the map can draw."""

    district_id: int
    district: str
    timezone: str
    duty_date: date
    at: datetime
    center: tuple[float, float]
    targets: dict[str, int]
    audience: Audience = Audience.COORDINATOR
    grids: tuple[GridArea, ...] = ()
    teams: tuple[TeamMark, ...] = ()
    routes: tuple[RouteLine, ...] = ()
    spots: tuple[Spot, ...] = ()
    people: tuple[OnDuty, ...] = ()
    tips: tuple[TipMark, ...] = ()
    outreach: tuple[OutreachMark, ...] = ()
    hazards: tuple[HazardMark, ...] = ()
    layers: tuple[Layer, ...] = field(default_factory=lambda: tuple(Layer))
    # Layers left out of a big district's overview, with the count they exceed (pick a grid to see them).
    held_back: dict[Layer, int] = field(default_factory=dict)


def rough_point(lat: float, lon: float) -> tuple[float, float]:
    """The centre of the H3 cell holding a point: where a tip shows for those who may not know more."""
    return h3.cell_to_latlng(cell_of(lat, lon, ROUGH_TIP_RESOLUTION))


def _rough_tip(tip: TipMark) -> TipMark:
    lat, lon = rough_point(tip.lat, tip.lon)
    return TipMark(tip.id, tip.category, tip.urgency, tip.status, tip.received_at, lat, lon, True, tip.grid,
                   tip.grid_id)


def _own_tip(tip: TipMark) -> TipMark:
    return replace(tip, caller=None)


def redact(situation: Situation, audience: Audience, shop_id: int | None = None) -> Situation:
    """What an audience may receive of a situation; `shop_id` is a merchant's own shop."""
    layers = LAYERS_FOR[audience]
    grids = situation.grids if audience in SEES_STAFFING else tuple(
        replace(g, staffed={}, required={}, staffing_visible=False) for g in situation.grids)
    people = situation.people if audience is Audience.COORDINATOR else tuple(
        replace(p, phone=None) for p in situation.people)
    if audience is Audience.COORDINATOR:
        tips = situation.tips
    elif audience is Audience.PATROL:
        tips = tuple(_rough_tip(tip) for tip in situation.tips)
    elif audience is Audience.MERCHANT and shop_id is not None:
        tips = tuple(_own_tip(tip) for tip in situation.tips if tip.shop_id == shop_id)
    else:
        tips = ()
    spots = situation.spots if Layer.CHECKPOINTS in layers else tuple(
        s for s in situation.spots if s.kind is not SpotKind.CHECKPOINT)
    return replace(
        situation, audience=audience, layers=layers, grids=grids, spots=spots,
        held_back={layer: n for layer, n in situation.held_back.items() if layer in layers},
        teams=situation.teams if Layer.TEAMS in layers else (),
        routes=situation.routes if Layer.ROUTES in layers else (),
        people=people if Layer.PEOPLE in layers else (),
        tips=tips if Layer.TIPS in layers else (),
        outreach=situation.outreach if Layer.OUTREACH in layers else (),
        hazards=situation.hazards if Layer.HAZARDS in layers else (),
    )


def within_grid(situation: Situation, grid_id: int) -> Situation:
    """The situation narrowed to one grid: its outline, and the points, people and tips placed in it."""
    return replace(
        situation,
        grids=tuple(g for g in situation.grids if g.id == grid_id),
        spots=tuple(s for s in situation.spots if s.grid_id == grid_id),
        people=tuple(p for p in situation.people if p.grid_id == grid_id),
        tips=tuple(tip for tip in situation.tips if tip.grid_id == grid_id),
        outreach=tuple(event for event in situation.outreach if event.grid_id == grid_id),
        hazards=tuple(hazard for hazard in situation.hazards if hazard.grid_id == grid_id),
    )
