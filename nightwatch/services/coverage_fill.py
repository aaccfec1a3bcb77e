"""Fill the gaps: propose a week's assignments with the solver, then accept the proposal whole or not at all."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from db.models import Assignment, Grid, Person, Shift
from nightwatch import gapfill
from nightwatch.access import COORDINATING, Actor, Forbidden, require_district, require_role
from nightwatch.coverage import shift_staffed, week_of
from nightwatch.services import roster
from nightwatch.services.audit import record
from nightwatch.services.coverage import grid_centres, held_shifts, holding_roles, unavailable_days, week_shifts
from nightwatch.services.roster_views import describe, timezone_of
from nightwatch.shifts import MIN_REST, kinds_of, remaining, when_text
from nightwatch.nights import Slot
from nightwatch.vocab import HOLDING_STATUSES, AssignmentStatus

TIME_LIMIT_S = 10.0


class CoverageRefused(Exception):
    """A proposal could not be accepted; `key`/`values` name the slot, `cause_key`/`cause_values` say why."""

    def __init__(self, key: str, cause_key: str | None = None, cause_values: dict | None = None,
                 **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values
        self.cause_key, self.cause_values = cause_key, cause_values or {}


@dataclass(frozen=True)
class ProposalLine:
    """One proposed assignment as people read it."""

    shift_id: int
    person_id: int
    person: str
    role_kind: str
    grid: str
    duty_date: date
    when: str
    home: bool


@dataclass(frozen=True)
class WeekProposal:
    """A district week's proposal: the solver's answer plus names, ready to show and to accept."""

    district_id: int
    first_night: date
    nights: int
    result: gapfill.Proposal
    lines: tuple[ProposalLine, ...]


def propose(*, session_factory: sessionmaker, actor: Actor, district_id: int, first_night: date, nights: int = 7,
            now: datetime, time_limit: float = TIME_LIMIT_S) -> WeekProposal:
    """Assignments that cover the most short places of the coming shifts of a week; nothing is written."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    dates = week_of(first_night, nights)
    with session_factory() as session:
        shifts = [s for s in week_shifts(session, district_id, dates) if s.starts_at > now]
        holding = holding_roles(session, [s.shift_id for s in shifts])
        slots = [gapfill.OpenSlot(s.shift_id, s.grid_id, s.duty_date, s.starts_at, s.ends_at, role, need)
                 for s in shifts
                 for role, need in remaining(s.required, shift_staffed(s.required, holding.get(s.shift_id, ()))).items()]
        people = session.execute(select(Person.id, Person.name, Person.role_kind, Person.skills, Person.home_grid_id)
                                 .where(Person.district_id == district_id, Person.active)
                                 .order_by(Person.id)).all()
        ids = [p.id for p in people]
        start, end = (min(s.starts_at for s in shifts), max(s.ends_at for s in shifts)) if shifts else (now, now)
        held = held_shifts(session, ids, start, end)
        week_hours = _week_hours(session, ids, dates)
        days = unavailable_days(session, ids)
        centres = grid_centres(session, district_id)
        grid_names = dict(session.execute(select(Grid.id, Grid.name).where(Grid.district_id == district_id)).all())
        tz = timezone_of(session, district_id)
    pool = [gapfill.Candidate(p.id, frozenset(kinds_of(p.role_kind, p.skills or ())), p.home_grid_id,
                              tuple(held.get(p.id, ())), week_hours.get(p.id, 0.0), days.get(p.id, {}))
            for p in people]
    result = gapfill.propose(slots, pool, rest=MIN_REST, centres=centres, time_limit=time_limit)
    names, homes = {p.id: p.name for p in people}, {p.id: p.home_grid_id for p in people}
    lines = tuple(ProposalLine(
        pick.shift_id, pick.person_id, names[pick.person_id], pick.role_kind, grid_names.get(pick.grid_id, "?"),
        pick.duty_date, when_text(Slot(pick.starts_at, pick.ends_at), pick.duty_date, tz),
        homes[pick.person_id] == pick.grid_id) for pick in result.picks)
    return WeekProposal(district_id, first_night, nights, result, lines)


def _week_hours(session, person_ids: list[int], dates: tuple[date, ...]) -> dict[int, float]:
    """Hours each person already holds on these nights, in any district."""
    hours: dict[int, float] = {}
    for person_id, starts_at, ends_at in session.execute(
            select(Assignment.person_id, Assignment.starts_at, Assignment.ends_at)
            .join(Shift, Shift.id == Assignment.shift_id)
            .where(Assignment.person_id.in_(person_ids), Assignment.status.in_(HOLDING_STATUSES),
                   Shift.duty_date >= dates[0], Shift.duty_date <= dates[-1])):
        hours[person_id] = hours.get(person_id, 0.0) + (ends_at - starts_at).total_seconds() / 3600
    return hours


def accept(*, session_factory: sessionmaker, actor: Actor, proposal: WeekProposal, now: datetime) -> int:
    """Store every proposed assignment in one transaction, or none; returns how many were stored."""
    require_role(actor, COORDINATING)
    require_district(actor, proposal.district_id)
    with session_factory.begin() as session:
        for line in proposal.lines:
            shift = session.get(Shift, line.shift_id)
            if shift is None or shift.district_id != proposal.district_id:
                raise Forbidden("access.other_district")
            slot = {"person": line.person, "role": line.role_kind, **describe(session, shift)}
            try:
                placed = roster.assign_in(session, shift=shift, person_id=line.person_id, role_kind=line.role_kind,
                                          override_reason=None, now=now, actor=actor)
            except roster.RosterRefused as refused:
                raise CoverageRefused("coverage.slot_refused", refused.key, refused.values, **slot) from refused
            if placed.status != AssignmentStatus.ASSIGNED or placed.role_kind != line.role_kind:
                raise CoverageRefused("coverage.slot_refused", "coverage.slot_taken", {}, **slot)
        record(session, actor, "coverage.accept", "district", proposal.district_id, district_id=proposal.district_id,
               after={"first_night": proposal.first_night.isoformat(), "nights": proposal.nights,
                      "assignments": len(proposal.lines), "covered": proposal.result.covered,
                      "required": proposal.result.required})
    return len(proposal.lines)
