"""Hazards read back within one's scope: the filtered list, one hazard's detail and steps, and pickers.

Coordinators see their districts' hazards; team leaders and volunteers their district's; merchants only
their own shop's. Free text is phone-masked for everyone but coordinators.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from db.models import AuditEvent, Grid, Hazard, HazardInspection, Person, Place, Shop
from nightwatch.access import (
    COORDINATING,
    Actor,
    Forbidden,
    covers_district,
    require_district,
    require_role,
)
from nightwatch.hazards import UNRECTIFIED_STATUSES, days_overdue, is_overdue
from nightwatch.privacy import mask_phones_in
from nightwatch.vocab import AccountRole, HazardCategory, HazardStatus

PAGE_SIZE = 1000


@dataclass(frozen=True)
class HazardFilter:
    """What the coordinator's filters ask for; empty means everything."""

    statuses: tuple[HazardStatus, ...] = ()
    categories: tuple[HazardCategory, ...] = ()
    grid_ids: tuple[int, ...] = ()
    overdue_only: bool = False
    found_from: datetime | None = None
    found_before: datetime | None = None


@dataclass(frozen=True)
class HazardRow:
    """One hazard as a list shows it."""

    id: int
    district_id: int
    category: HazardCategory
    status: HazardStatus
    description: str
    where: str
    shop_id: int | None
    grid_id: int | None
    grid: str | None
    responsible_party: str | None
    assignee: str | None
    found_at: datetime
    due_on: date | None
    overdue: bool
    days_overdue: int
    reopen_count: int
    lat: float | None
    lon: float | None
    photo_path: str | None
    after_photo_path: str | None


@dataclass(frozen=True)
class Step:
    """One audited step of a hazard."""

    at: datetime
    action: str
    actor: str
    after: dict = field(default_factory=dict)


@dataclass(frozen=True)
class InspectionRow:
    """A 复查 booked for a hazard, and what it found."""

    id: int
    hazard_id: int
    shift_id: int | None
    duty_date: date
    done_at: datetime | None
    passed: bool | None
    note: str | None
    photo_path: str | None


@dataclass(frozen=True)
class HazardDetail:
    """One hazard with its steps and re-inspections."""

    hazard: HazardRow
    rectify_note: str | None
    steps: list[Step]
    inspections: list[InspectionRow]


def _base() -> Select:
    """Hazards joined to what names their place, grid and follow-up person."""
    assignee = aliased(Person)
    return (select(Hazard, Shop.name, Place.name, Grid.name, assignee.name)
            .outerjoin(Shop, Shop.id == Hazard.shop_id).outerjoin(Place, Place.id == Hazard.place_id)
            .outerjoin(Grid, Grid.id == Hazard.grid_id).outerjoin(assignee, assignee.id == Hazard.assignee_id))


def _row(found: tuple, today: date, coordinator: bool) -> HazardRow:
    """A result tuple as a list row, masked for non-coordinators."""
    hazard, shop, place, grid, assignee = found
    where = " · ".join(part for part in (shop or place, hazard.location_note) if part)
    text = hazard.description if coordinator else mask_phones_in(hazard.description or "")
    return HazardRow(
        hazard.id, hazard.district_id, hazard.category, hazard.status, text, where, hazard.shop_id, hazard.grid_id,
        grid, hazard.responsible_party, assignee if coordinator else None, hazard.found_at, hazard.due_on,
        is_overdue(hazard.status, hazard.due_on, today), days_overdue(hazard.status, hazard.due_on, today),
        hazard.reopen_count, hazard.lat, hazard.lon, hazard.photo_path, hazard.after_photo_path)


def _scoped(query: Select, actor: Actor, district_id: int) -> Select:
    """Cut a hazard query down to what the actor may see in the district."""
    require_role(actor, set(AccountRole))
    if actor.role is AccountRole.MERCHANT:
        if actor.shop_id is None:
            raise Forbidden("hazards.not_your_shop")
        return query.where(Hazard.shop_id == actor.shop_id)
    require_district(actor, district_id)
    return query.where(Hazard.district_id == district_id)


def hazards(*, session_factory: sessionmaker, actor: Actor, district_id: int, today: date,
            wanted: HazardFilter = HazardFilter()) -> list[HazardRow]:
    """The newest hazards (up to PAGE_SIZE) the actor may see, filtered; overdue judged against `today`."""
    query = _scoped(_base(), actor, district_id)
    if wanted.statuses:
        query = query.where(Hazard.status.in_(wanted.statuses))
    if wanted.categories:
        query = query.where(Hazard.category.in_(wanted.categories))
    if wanted.grid_ids:
        query = query.where(Hazard.grid_id.in_(wanted.grid_ids))
    if wanted.found_from is not None:
        query = query.where(Hazard.found_at >= wanted.found_from)
    if wanted.found_before is not None:
        query = query.where(Hazard.found_at < wanted.found_before)
    if wanted.overdue_only:
        query = query.where(Hazard.status.in_(list(UNRECTIFIED_STATUSES)), Hazard.due_on < today)
    query = query.order_by(Hazard.found_at.desc(), Hazard.id.desc()).limit(PAGE_SIZE)
    with session_factory() as session:
        return [_row(found, today, actor.is_coordinator) for found in session.execute(query).all()]


def _visible(session: Session, actor: Actor, hazard_id: int, today: date) -> HazardRow:
    """One hazard the actor may see, or Forbidden."""
    found = session.execute(_base().where(Hazard.id == hazard_id)).first()
    if found is None:
        raise Forbidden("hazards.not_found")
    hazard = found[0]
    if actor.role is AccountRole.MERCHANT:
        if actor.shop_id is None or hazard.shop_id != actor.shop_id:
            raise Forbidden("hazards.not_your_shop")
    elif not covers_district(actor, hazard.district_id):
        raise Forbidden("access.other_district")
    return _row(tuple(found), today, actor.is_coordinator)


def detail(*, session_factory: sessionmaker, actor: Actor, hazard_id: int, today: date) -> HazardDetail:
    """One hazard, its audited steps (oldest first) and its re-inspections."""
    with session_factory() as session:
        row = _visible(session, actor, hazard_id, today)
        note = session.scalar(select(Hazard.rectify_note).where(Hazard.id == hazard_id))
        events = session.execute(
            select(AuditEvent.at, AuditEvent.action, AuditEvent.actor, AuditEvent.after)
            .where(AuditEvent.entity == "hazard", AuditEvent.entity_id == hazard_id)
            .order_by(AuditEvent.at, AuditEvent.id)).all()
        checks = session.execute(
            select(HazardInspection.id, HazardInspection.hazard_id, HazardInspection.shift_id,
                   HazardInspection.duty_date, HazardInspection.done_at, HazardInspection.passed,
                   HazardInspection.note, HazardInspection.photo_path)
            .where(HazardInspection.hazard_id == hazard_id).order_by(HazardInspection.id)).all()
    coordinator = actor.is_coordinator
    steps = [Step(at, action, who if coordinator else "", after or {}) for at, action, who, after in events]
    inspections = [InspectionRow(*check[:6], check[6] if coordinator else mask_phones_in(check[6]), check[7])
                   for check in checks]
    return HazardDetail(row, note if coordinator else mask_phones_in(note), steps, inspections)


def shops_of(*, session_factory: sessionmaker, actor: Actor, district_id: int) -> list[tuple[int, str]]:
    """The district's shops as (id, name), for the report form's picker."""
    require_district(actor, district_id)
    with session_factory() as session:
        return [tuple(r) for r in session.execute(select(Shop.id, Shop.name).where(
            Shop.district_id == district_id).order_by(Shop.name, Shop.id)).all()]


def people_of(*, session_factory: sessionmaker, actor: Actor, district_id: int) -> list[tuple[int, str]]:
    """Active people of the district as (id, name), for a coordinator assigning a follow-up."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    with session_factory() as session:
        return [tuple(r) for r in session.execute(select(Person.id, Person.name).where(
            Person.district_id == district_id, Person.active.is_(True)).order_by(Person.name, Person.id)).all()]


def grids_of(*, session_factory: sessionmaker, actor: Actor, district_id: int) -> list[tuple[int, str]]:
    """The district's grids as (id, name), for the filters."""
    require_district(actor, district_id)
    with session_factory() as session:
        return [tuple(r) for r in session.execute(select(Grid.id, Grid.name).where(
            Grid.district_id == district_id).order_by(Grid.name, Grid.id)).all()]
