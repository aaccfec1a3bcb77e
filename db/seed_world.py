"""What the activity generator needs to know about one seeded district, read back from the database."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    Assignment,
    Checkpoint,
    District,
    DutyPost,
    Grid,
    Person,
    Place,
    Route,
    RouteStop,
    Shift,
    ShiftCampaign,
    Shop,
    Team,
)
from nightwatch.vocab import HOLDING_STATUSES, PlaceKind, RoleKind

POLICE_ROLES = frozenset({RoleKind.OFFICER, RoleKind.AUXILIARY})


@dataclass(frozen=True)
class Member:
    """A person as the roster sees them."""

    id: int
    phone: str
    name: str
    role_kind: str
    skills: tuple[str, ...]
    team_id: int | None
    home_grid_id: int | None

    def can_fill(self, role: str) -> bool:
        """True when the person can stand in a slot of this role kind."""
        return self.role_kind == role or role in self.skills


@dataclass(frozen=True)
class Point:
    """A checkpoint on a walk, with the expected minutes from the previous one."""

    checkpoint_id: int
    lat: float
    lon: float
    cell: str | None
    minutes: int = 0


@dataclass(frozen=True)
class Plan:
    """A campaign and where it happens: a grid, a route through points, or a fixed post."""

    campaign: ShiftCampaign
    name: str
    grid_id: int | None
    route_id: int | None
    post_id: int | None
    team_id: int | None
    lat: float
    lon: float
    stops: tuple[Point, ...] = ()  # a route's checkpoints in order
    rounds: tuple[Point, ...] = ()  # a grid's checkpoints, visited in any order


@dataclass(frozen=True)
class Duty:
    """One assignment with its shift and plan, and whether the person turns up."""

    assignment: Assignment
    shift: Shift
    plan: Plan
    member: Member
    shows_up: bool

    @cached_property
    def on_duty(self) -> bool:
        """True when the person holds the shift and turns up for it (not waitlisted, not a no-show).

        Read only once the assignment is settled: the answer is kept.
        """
        return self.shows_up and self.assignment.status in HOLDING_STATUSES

    @cached_property
    def interval(self) -> tuple[datetime, datetime]:
        """The shift's start and end."""
        return self.shift.starts_at, self.shift.ends_at

    def covers(self, instant: datetime) -> bool:
        """True when the person is on duty on this shift at the instant."""
        return self.on_duty and self.interval[0] <= instant < self.interval[1]


@dataclass
class World:
    """One district of the demo: its data key, people, plans, places, shops and teams."""

    district: District
    key: str
    no: int
    spec: dict[str, Any]
    members: list[Member]
    plans: list[Plan]
    grids: dict[int, Grid]
    hotspots: list[Place]
    places: dict[str, Place]
    shops: list[Shop]
    teams: list[Team]
    shop_of: dict[int, Shop] = field(default_factory=dict)  # co-defender person id → shop
    _able: dict[str, list[Member]] = field(default_factory=dict, repr=False)

    def able(self, role: str) -> list[Member]:
        """The people who can fill a role kind, in phone order."""
        if role not in self._able:
            self._able[role] = [m for m in self.members if m.can_fill(role)]
        return self._able[role]

    def team_type_of(self, team_id: int | None) -> str | None:
        """The type of a team of this district, or None for someone in no team."""
        return next((str(t.team_type) for t in self.teams if t.id == team_id), None)

    @property
    def tz(self) -> str:
        """The district's timezone."""
        return self.district.timezone


def patrols_by_night(duties: list[Duty]) -> dict[date, list[Duty]]:
    """The people on duty each night who can be sent somewhere (merchants stay in their shops)."""
    nights: dict[date, list[Duty]] = {}
    for duty in duties:
        if duty.on_duty and duty.member.role_kind != RoleKind.MERCHANT:
            nights.setdefault(duty.shift.duty_date, []).append(duty)
    return nights


def load_world(session: Session, spec: dict[str, Any]) -> World:
    """Read one seeded district back, in a stable order."""
    district = session.scalars(
        select(District).where(District.city == spec["city"], District.name == spec["name"])
    ).one()
    of_district = {"district_id": district.id}
    people = session.scalars(select(Person).filter_by(active=True, **of_district).order_by(Person.phone))
    members = [Member(p.id, p.phone, p.name, p.role_kind, tuple(p.skills or ()), p.team_id, p.home_grid_id)
               for p in people]
    grids = {g.id: g for g in session.scalars(select(Grid).filter_by(**of_district).order_by(Grid.name))}
    places = {p.name: p for p in session.scalars(select(Place).filter_by(**of_district).order_by(Place.name))}
    shops = list(session.scalars(select(Shop).filter_by(**of_district).order_by(Shop.name)))
    teams = list(session.scalars(select(Team).filter_by(**of_district).order_by(Team.name)))
    return World(
        district=district, key=spec["key"], no=spec["no"], spec=spec, members=members,
        plans=_plans(session, district.id, grids), grids=grids, places=places, shops=shops, teams=teams,
        hotspots=[p for p in places.values() if p.kind != PlaceKind.POLICE_STATION and p.lat is not None],
        shop_of={s.codefender_id: s for s in shops if s.codefender_id is not None},
    )


def _plans(session: Session, district_id: int, grids: dict[int, Grid]) -> list[Plan]:
    """Every campaign of the district with its place resolved, ordered by name."""
    points = {c.id: c for c in session.scalars(select(Checkpoint).filter_by(district_id=district_id, active=True))}
    rounds: dict[int, list[Point]] = {}
    for checkpoint in sorted(points.values(), key=lambda c: c.name):
        if checkpoint.grid_id is not None:
            rounds.setdefault(checkpoint.grid_id, []).append(_point(checkpoint))
    routes = {r.id: r for r in session.scalars(select(Route).filter_by(district_id=district_id))}
    stops: dict[int, list[Point]] = {}
    for stop in session.scalars(select(RouteStop).where(RouteStop.route_id.in_(routes)).order_by(
            RouteStop.route_id, RouteStop.position)):
        stops.setdefault(stop.route_id, []).append(_point(points[stop.checkpoint_id], stop.minutes_from_previous))
    posts = {p.id: p for p in session.scalars(select(DutyPost).filter_by(district_id=district_id))}
    plans = []
    for campaign in session.scalars(select(ShiftCampaign).filter_by(district_id=district_id).order_by(
            ShiftCampaign.name)):
        route_stops = tuple(stops.get(campaign.route_id, ())) if campaign.route_id else ()
        if campaign.duty_post_id:
            post = posts[campaign.duty_post_id]
            lat, lon = post.lat, post.lon
        elif route_stops:
            lat, lon = route_stops[0].lat, route_stops[0].lon
        else:
            grid = grids[campaign.grid_id]
            lat, lon = grid.center_lat, grid.center_lon
        is_grid_patrol = campaign.grid_id is not None and not campaign.route_id and not campaign.duty_post_id
        plans.append(Plan(
            campaign=campaign, name=campaign.name, grid_id=campaign.grid_id,
            route_id=campaign.route_id, post_id=campaign.duty_post_id,
            team_id=routes[campaign.route_id].team_id if campaign.route_id else None,
            lat=lat, lon=lon, stops=route_stops,
            rounds=tuple(rounds.get(campaign.grid_id, ())) if is_grid_patrol else (),
        ))
    return plans


def _point(checkpoint: Checkpoint, minutes: int = 0) -> Point:
    """A checkpoint as a point of a walk."""
    return Point(checkpoint.id, checkpoint.lat, checkpoint.lon, checkpoint.cell, minutes)
