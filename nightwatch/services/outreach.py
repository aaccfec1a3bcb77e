"""Outreach events (地摊警务, 反诈宣传): logging, editing and deleting them, and what a period added up to.

Reading lists and form choices lives in `outreach_list`. `outreach_totals` is the one place the
per-period figures are added up (the dashboard imports it too).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import District, OutreachEvent, Person, Place, Shop, Team
from nightwatch import geo
from nightwatch.access import Actor, Forbidden
from nightwatch.coords import parse_pasted
from nightwatch.outreach import (
    MAX_LOCATION_NOTE,
    MAX_NOTE,
    PATROLLING,
    OutreachRefused,
    OutreachTotals,
    checked_counts,
    checked_materials,
    checked_text,
    checked_title,
    event_times,
    may_delete,
    may_edit,
    may_log_for,
    totals_of,
)
from nightwatch.services import audit, geocoding
from nightwatch.services.tip_grids import grid_at
from nightwatch.vocab import OutreachKind

__all__ = ["Logged", "OutreachInput", "OutreachRefused", "OutreachTotals", "delete_event", "edit_event", "log_event",
           "outreach_totals", "own_team_of"]


@dataclass(frozen=True)
class OutreachInput:
    """What the form holds: kind, title, local day and times, team, where, what was handed out and reached."""

    kind: OutreachKind
    title: str
    day: date
    start: time
    end: time | None
    team_id: int | None = None
    place_id: int | None = None
    shop_id: int | None = None
    location_note: str | None = None
    materials: dict[str, int] = field(default_factory=dict)
    people_reached: int = 0
    app_installs: int = 0
    note: str | None = None


@dataclass(frozen=True)
class Logged:
    """A logged event's id, and whether it could be placed on the map."""

    id: int
    placed: bool


@dataclass(frozen=True)
class _Where:
    """Where an event was: the checked place, shop or typed location, and its point if known."""

    place_id: int | None
    shop_id: int | None
    grid_id: int | None
    note: str | None
    point: tuple[float, float] | None
    approximate: bool


def outreach_totals(session: Session, district_id: int, start_utc: datetime, end_utc: datetime, *,
                    kind: OutreachKind | None = None, team_id: int | None = None) -> OutreachTotals:
    """Events starting in [start_utc, end_utc) of a district, added up; no authorisation: callers check scope.

    Uses the (district_id, starts_at) index, so the cost follows the period, not the history.
    """
    query = select(OutreachEvent.people_reached, OutreachEvent.app_installs, OutreachEvent.materials).where(
        OutreachEvent.district_id == district_id, OutreachEvent.starts_at >= start_utc,
        OutreachEvent.starts_at < end_utc)
    if kind is not None:
        query = query.where(OutreachEvent.kind == kind)
    if team_id is not None:
        query = query.where(OutreachEvent.team_id == team_id)
    return totals_of(session.execute(query).all())


def own_team_of(session: Session, actor: Actor) -> int | None:
    """The team of the person behind the account, if any."""
    if actor.person_id is None:
        return None
    return session.scalar(select(Person.team_id).where(Person.id == actor.person_id))


def _checked(form: OutreachInput, tz: str) -> dict:
    """The form's values as columns, every refusal raised before anything is written."""
    people, installs = checked_counts(form.people_reached, form.app_installs)
    starts_at, ends_at = event_times(form.day, form.start, form.end, tz)
    return {
        "kind": OutreachKind(form.kind), "title": checked_title(form.title), "starts_at": starts_at,
        "ends_at": ends_at, "materials": checked_materials(form.materials), "people_reached": people,
        "app_installs": installs, "note": checked_text(form.note, MAX_NOTE, "outreach.note_too_long"),
    }


def _located(session_factory: sessionmaker, district_id: int, form: OutreachInput) -> tuple[float, float] | None:
    """A typed location as a point: pasted coordinates, else our own places and the gazetteer; None if unknown."""
    note = (form.location_note or "").strip()
    if form.place_id is not None or form.shop_id is not None or not note:
        return None
    try:
        return parse_pasted(note)
    except (TypeError, ValueError):
        pass
    try:
        found = geocoding.locate(session_factory=session_factory, query=note, district_id=district_id)
    except geocoding.GeocodeFailed:
        return None
    return found.lat, found.lon


def _where(session: Session, district_id: int, form: OutreachInput, typed: tuple[float, float] | None) -> _Where:
    """The event's place, shop or typed location, each checked to lie in the district."""
    note = checked_text(form.location_note, MAX_LOCATION_NOTE, "outreach.location_too_long")
    if form.place_id is not None:
        place = session.get(Place, form.place_id)
        if place is None or place.district_id != district_id:
            raise OutreachRefused("outreach.place_unknown")
        point = (place.lat, place.lon) if place.lat is not None and place.lon is not None else None
        return _Where(place.id, None, place.grid_id, note, point, False)
    if form.shop_id is not None:
        shop = session.get(Shop, form.shop_id)
        if shop is None or shop.district_id != district_id:
            raise OutreachRefused("outreach.shop_unknown")
        point = (shop.lat, shop.lon) if shop.lat is not None and shop.lon is not None else None
        return _Where(None, shop.id, shop.grid_id, note, point, False)
    if note is None:
        raise OutreachRefused("outreach.where_missing")
    grid_id = grid_at(session, district_id, *typed) if typed else None
    return _Where(None, None, grid_id, note, typed, typed is not None)


def _refusal(actor: Actor, district_id: int) -> str:
    """Why an actor may not log here: wrong role, another district, or another team."""
    if not actor.signed_in or not (actor.is_coordinator or actor.role in PATROLLING):
        return "access.role"
    if actor.is_coordinator or district_id not in actor.district_ids:
        return "access.other_district"
    return "outreach.not_your_team"


def _check_team(session: Session, district_id: int, team_id: int | None) -> None:
    """Refuse a team that is not the district's."""
    if team_id is not None:
        team = session.get(Team, team_id)
        if team is None or team.district_id != district_id:
            raise OutreachRefused("outreach.team_unknown")


def _apply(event: OutreachEvent, values: dict, where: _Where, team_id: int | None) -> None:
    """Write checked values, team and place onto the row (its point and H3 cell too)."""
    for name, value in values.items():
        setattr(event, name, value)
    event.team_id = team_id
    event.place_id, event.shop_id, event.grid_id, event.location_note = (where.place_id, where.shop_id,
                                                                         where.grid_id, where.note)
    lat, lon = where.point if where.point else (None, None)
    event.lat, event.lon = lat, lon
    event.cell = geo.cell_of(lat, lon) if where.point else None
    event.approximate = where.approximate


def _audited(event: OutreachEvent) -> dict:
    """What the audit trail keeps of an event: figures and places, no free text."""
    return {"kind": str(event.kind), "title": event.title, "starts_at": event.starts_at.isoformat(),
            "team_id": event.team_id, "place_id": event.place_id, "shop_id": event.shop_id,
            "materials": dict(event.materials or {}), "people_reached": event.people_reached,
            "app_installs": event.app_installs}


def log_event(*, session_factory: sessionmaker, actor: Actor, district_id: int, form: OutreachInput) -> Logged:
    """Log an outreach event; coordinators for any team of their district, patrols for their own team."""
    typed = _located(session_factory, district_id, form)
    with session_factory.begin() as session:
        district = session.get(District, district_id)
        if district is None:
            raise OutreachRefused("outreach.no_district")
        if not may_log_for(actor, district_id, form.team_id, own_team_of(session, actor)):
            raise Forbidden(_refusal(actor, district_id))
        values = _checked(form, district.timezone)
        _check_team(session, district_id, form.team_id)
        where = _where(session, district_id, form, typed)
        event = OutreachEvent(district_id=district_id, created_by_account_id=actor.account_id)
        _apply(event, values, where, form.team_id)
        session.add(event)
        session.flush()
        audit.record(session, actor, "outreach.log", "outreach_event", event.id, district_id=district_id,
                     after=_audited(event))
        return Logged(event.id, where.point is not None)


def edit_event(*, session_factory: sessionmaker, actor: Actor, event_id: int, form: OutreachInput) -> None:
    """Change an event: coordinators of its district, its team's leader, or whoever logged it."""
    with session_factory() as session:
        district_id = session.scalar(select(OutreachEvent.district_id).where(OutreachEvent.id == event_id))
    if district_id is None:
        raise OutreachRefused("outreach.missing")
    typed = _located(session_factory, district_id, form)
    with session_factory.begin() as session:
        event = session.get(OutreachEvent, event_id, with_for_update=True)
        if event is None:
            raise OutreachRefused("outreach.missing")
        own_team = own_team_of(session, actor)
        if not may_edit(actor, event.district_id, event.created_by_account_id, event.team_id, own_team):
            raise Forbidden("outreach.not_yours")
        if not actor.is_coordinator and not may_log_for(actor, event.district_id, form.team_id, own_team):
            raise Forbidden("outreach.not_your_team")
        district = session.get_one(District, event.district_id)
        values = _checked(form, district.timezone)
        _check_team(session, event.district_id, form.team_id)
        where = _where(session, event.district_id, form, typed)
        before = _audited(event)
        _apply(event, values, where, form.team_id)
        session.flush()
        audit.record(session, actor, "outreach.edit", "outreach_event", event.id, district_id=event.district_id,
                     before=before, after=_audited(event))


def delete_event(*, session_factory: sessionmaker, actor: Actor, event_id: int) -> None:
    """Delete an event; coordinators of its district only."""
    with session_factory.begin() as session:
        event = session.get(OutreachEvent, event_id, with_for_update=True)
        if event is None:
            raise OutreachRefused("outreach.missing")
        if not may_delete(actor, event.district_id):
            raise Forbidden("outreach.delete_coordinators")
        audit.record(session, actor, "outreach.delete", "outreach_event", event.id, district_id=event.district_id,
                     before=_audited(event))
        session.delete(event)
