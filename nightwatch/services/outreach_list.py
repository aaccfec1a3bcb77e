"""Reading outreach: the events of a period, their totals, and the choices the log form offers."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from db.models import District, Grid, OutreachEvent, Place, Shop, Team
from nightwatch.access import (
    COORDINATING,
    PATROLLING,
    Actor,
    require_district,
    require_role,
)
from nightwatch.outreach import OutreachRefused, OutreachTotals, may_delete, may_edit
from nightwatch.services.outreach import (
    OutreachInput,
    outreach_totals,
    own_team_of,
)
from nightwatch.services.shops import named_like
from nightwatch.vocab import OutreachKind

# The list shows the newest events of a period, never the whole history at once.
PAGE_SIZE = 1000
# Shops offered at once in the log form (a district has thousands); a search by name reaches the rest.
CHOICES = 50


@dataclass(frozen=True)
class EventRow:
    """One event as the list and the map show it."""

    id: int
    kind: OutreachKind
    title: str
    where: str | None
    team: str | None
    starts_at: datetime
    ends_at: datetime | None
    materials: dict[str, int]
    people_reached: int
    app_installs: int
    note: str | None
    lat: float | None
    lon: float | None
    may_edit: bool
    may_delete: bool


@dataclass(frozen=True)
class Choice:
    """A pickable place, shop or team: its id and name."""

    id: int
    name: str


@dataclass(frozen=True)
class FormChoices:
    """What the log form may offer the actor in a district."""

    timezone: str
    places: tuple[Choice, ...]
    teams: tuple[Choice, ...]  # the teams the actor may log for: coordinators every team, patrols their own
    own_team_id: int | None
    district_teams: tuple[Choice, ...] = ()  # every active team, for filtering the list


def _scope(actor: Actor, district_id: int) -> None:
    """Refuse anyone but coordinators and patrols of the district."""
    require_role(actor, COORDINATING | PATROLLING)
    require_district(actor, district_id)


def form_choices(*, session_factory: sessionmaker, actor: Actor, district_id: int) -> FormChoices:
    """The district's places and the teams the actor may log for (shops are searched: `shop_choices`)."""
    _scope(actor, district_id)
    with session_factory() as session:
        district = session.get(District, district_id)
        if district is None:
            raise OutreachRefused("outreach.no_district")
        own = own_team_of(session, actor)
        teams = tuple(Choice(*row) for row in session.execute(
            select(Team.id, Team.name).where(Team.district_id == district_id, Team.active.is_(True))
            .order_by(Team.name)))
        loggable = teams if actor.is_coordinator else tuple(team for team in teams if team.id == own)
        return FormChoices(
            district.timezone,
            tuple(Choice(*row) for row in session.execute(
                select(Place.id, Place.name).where(Place.district_id == district_id).order_by(Place.name))),
            loggable, own, teams)


def shop_choices(*, session_factory: sessionmaker, actor: Actor, district_id: int, text: str = "",
                 limit: int | None = None, keep: int | None = None) -> tuple[Choice, ...]:
    """The district's shops whose name holds `text`, the first `limit` by name; the `keep` shop too, first."""
    _scope(actor, district_id)
    with session_factory() as session:
        found = [Choice(*row) for row in session.execute(named_like(district_id, text).limit(limit))]
        if keep is not None and all(choice.id != keep for choice in found):
            kept = session.execute(select(Shop.id, Shop.name).where(Shop.id == keep,
                                                                    Shop.district_id == district_id)).first()
            found[:0] = [Choice(*kept)] if kept else []
    return tuple(found)


def events(*, session_factory: sessionmaker, actor: Actor, district_id: int, start: datetime, end: datetime,
           kind: OutreachKind | None = None, team_id: int | None = None) -> list[EventRow]:
    """Events starting in [start, end), newest first, at most PAGE_SIZE, with what the actor may do to each."""
    _scope(actor, district_id)
    query = (select(OutreachEvent, Team.name, Place.name, Shop.name)
             .outerjoin(Team, Team.id == OutreachEvent.team_id)
             .outerjoin(Place, Place.id == OutreachEvent.place_id)
             .outerjoin(Shop, Shop.id == OutreachEvent.shop_id)
             .where(OutreachEvent.district_id == district_id, OutreachEvent.starts_at >= start,
                    OutreachEvent.starts_at < end))
    if kind is not None:
        query = query.where(OutreachEvent.kind == kind)
    if team_id is not None:
        query = query.where(OutreachEvent.team_id == team_id)
    with session_factory() as session:
        own = own_team_of(session, actor)
        rows = session.execute(query.order_by(OutreachEvent.starts_at.desc()).limit(PAGE_SIZE)).all()
        return [EventRow(e.id, OutreachKind(e.kind), e.title, place or shop or e.location_note, team, e.starts_at,
                         e.ends_at, dict(e.materials or {}), e.people_reached, e.app_installs, e.note, e.lat, e.lon,
                         may_edit(actor, e.district_id, e.created_by_account_id, e.team_id, own),
                         may_delete(actor, e.district_id))
                for e, team, place, shop in rows]


def period_totals(*, session_factory: sessionmaker, actor: Actor, district_id: int, start: datetime, end: datetime,
                  kind: OutreachKind | None = None, team_id: int | None = None) -> OutreachTotals:
    """What a district's outreach in [start, end) added up to, for those who may open the outreach page."""
    _scope(actor, district_id)
    with session_factory() as session:
        return outreach_totals(session, district_id, start, end, kind=kind, team_id=team_id)


def event_input(*, session_factory: sessionmaker, actor: Actor, event_id: int) -> OutreachInput:
    """An event as the form shows it, for someone who may edit it."""
    with session_factory() as session:
        event = session.get(OutreachEvent, event_id)
        if event is None:
            raise OutreachRefused("outreach.missing")
        _scope(actor, event.district_id)
        district = session.get_one(District, event.district_id)
        return as_input(event, district.timezone)


def grid_outlines(*, session_factory: sessionmaker, actor: Actor, district_id: int) -> list[tuple[str, dict]]:
    """The district's grid outlines (name, GeoJSON), drawn faintly under the events."""
    _scope(actor, district_id)
    with session_factory() as session:
        rows = session.execute(select(Grid.name, Grid.polygon).where(Grid.district_id == district_id)
                               .order_by(Grid.name)).all()
    return [(name, polygon) for name, polygon in rows if polygon]


def as_input(event: OutreachEvent, tz: str) -> OutreachInput:
    """An event as the form shows it, in local wall times (the day the event starts)."""
    starts = event.starts_at.astimezone(ZoneInfo(tz))
    ends = event.ends_at.astimezone(ZoneInfo(tz)) if event.ends_at else None
    return OutreachInput(
        kind=OutreachKind(event.kind), title=event.title, day=starts.date(), start=starts.time().replace(second=0),
        end=ends.time().replace(second=0) if ends else None, team_id=event.team_id, place_id=event.place_id,
        shop_id=event.shop_id, location_note=event.location_note, materials=dict(event.materials or {}),
        people_reached=event.people_reached, app_installs=event.app_installs, note=event.note)
