"""Reading swaps: offers I can take, my own offers and takes, and the approvals a coordinator owes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from db.models import Assignment, District, Person, Shift, SwapOffer
from nightwatch.access import COORDINATING, PATROLLING, Actor, require_district, require_role
from nightwatch.nights import Slot, format_slot
from nightwatch.services.roster_views import where_of
from nightwatch.shifts import kinds_of
from nightwatch.vocab import HOLDING_STATUSES, OPEN_SWAP_STATUSES, AssignmentStatus, SwapStatus

RECENT = timedelta(days=30)
OFFERED_BY, OFFERED_TO, TAKEN_BY = aliased(Person), aliased(Person), aliased(Person)


@dataclass(frozen=True)
class SwapRow:
    """One swap offer as a card shows it: the shift, who offered it, to whom, who took it."""

    swap_id: int
    assignment_id: int
    shift_id: int
    duty_date: date
    where: str
    when: str
    starts_at: datetime
    status: SwapStatus
    role_kind: str | None
    offered_by_id: int
    offered_by: str
    offered_to: str | None
    taken_by: str | None
    note: str | None


@dataclass(frozen=True)
class Colleague:
    """Someone of my district I may offer a shift to."""

    id: int
    name: str
    same_team: bool


def offers_for_me(*, session_factory: sessionmaker, actor: Actor, now: datetime) -> list[SwapRow]:
    """Open offers of my district, to me or to anyone, of coming shifts whose role I can fill."""
    require_role(actor, PATROLLING)
    if actor.person_id is None:
        return []
    with session_factory() as session:
        me = session.get(Person, actor.person_id)
        if me is None:
            return []
        held = set(session.scalars(select(Assignment.shift_id).where(
            Assignment.person_id == me.id, Assignment.status.in_(HOLDING_STATUSES))))
        rows = _rows(session, (
            Shift.district_id == me.district_id, SwapOffer.status == SwapStatus.OFFERED,
            SwapOffer.offered_by_id != me.id, Shift.starts_at > now,
            Assignment.status.in_((AssignmentStatus.ASSIGNED, AssignmentStatus.CONFIRMED)),
            or_(SwapOffer.offered_to_id.is_(None), SwapOffer.offered_to_id == me.id)))
    kinds = kinds_of(me.role_kind, me.skills or ())
    return [r for r in rows if r.shift_id not in held and (not r.role_kind or r.role_kind in kinds)]


def my_swaps(*, session_factory: sessionmaker, actor: Actor, now: datetime) -> list[SwapRow]:
    """Offers I made or took in the last 30 days, newest shift first."""
    require_role(actor, PATROLLING)
    if actor.person_id is None:
        return []
    with session_factory() as session:
        rows = _rows(session, (or_(SwapOffer.offered_by_id == actor.person_id, SwapOffer.taken_by_id == actor.person_id),
                               Shift.starts_at > now - RECENT))
    return sorted(rows, key=lambda r: r.starts_at, reverse=True)


def pending_approvals(*, session_factory: sessionmaker, actor: Actor, district_id: int,
                      now: datetime) -> list[SwapRow]:
    """Open offers of a district's coming shifts, taken ones (waiting for approval) first."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    with session_factory() as session:
        rows = _rows(session, (Shift.district_id == district_id, SwapOffer.status.in_(OPEN_SWAP_STATUSES),
                               Shift.starts_at > now))
    return sorted(rows, key=lambda r: (r.status != SwapStatus.ACCEPTED, r.starts_at))


def colleagues(*, session_factory: sessionmaker, actor: Actor) -> list[Colleague]:
    """Active people of my district but me, my team first, by name."""
    require_role(actor, PATROLLING)
    if actor.person_id is None:
        return []
    with session_factory() as session:
        me = session.get(Person, actor.person_id)
        rows = session.execute(select(Person.id, Person.name, Person.team_id).where(
            Person.district_id == me.district_id, Person.active, Person.id != me.id)).all()
    people = [Colleague(r.id, r.name, me.team_id is not None and r.team_id == me.team_id) for r in rows]
    return sorted(people, key=lambda c: (not c.same_team, c.name))


def _rows(session: Session, conditions: tuple) -> list[SwapRow]:
    """Swap rows matching the conditions, soonest shift first."""
    found = session.execute(
        select(SwapOffer, Assignment.role_kind, Shift, District.timezone,
               OFFERED_BY.name, OFFERED_TO.name, TAKEN_BY.name)
        .join(Assignment, Assignment.id == SwapOffer.assignment_id).join(Shift, Shift.id == Assignment.shift_id)
        .join(District, District.id == Shift.district_id)
        .join(OFFERED_BY, OFFERED_BY.id == SwapOffer.offered_by_id)
        .outerjoin(OFFERED_TO, OFFERED_TO.id == SwapOffer.offered_to_id)
        .outerjoin(TAKEN_BY, TAKEN_BY.id == SwapOffer.taken_by_id)
        .where(*conditions).order_by(Shift.starts_at, SwapOffer.id)
    ).all()
    places = where_of(session, [row[2] for row in found])
    return [
        SwapRow(swap.id, swap.assignment_id, shift.id, shift.duty_date, places[shift.id][0],
                format_slot(Slot(shift.starts_at, shift.ends_at), tz, shift.duty_date), shift.starts_at,
                SwapStatus(swap.status), role, swap.offered_by_id, by, to, taken, swap.note)
        for swap, role, shift, tz, by, to, taken in found
    ]
