"""Reading the roster: a night's shifts with who holds and waits, open slots for a volunteer, shift names."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Assignment, District, DutyPost, Grid, Person, Route, Shift
from nightwatch.access import COORDINATING, Actor, require_district, require_role
from nightwatch.nights import Slot, format_slot, window_of_night
from nightwatch.shifts import fits, kinds_of, remaining, when_text
from nightwatch.vocab import HOLDING_STATUSES, AssignmentStatus, ShiftKind


@dataclass(frozen=True)
class Holder:
    """A person on a shift: holding it, or waiting for a place."""

    assignment_id: int
    person_id: int
    name: str
    role_kind: str | None
    status: AssignmentStatus
    override_reason: str | None


@dataclass(frozen=True)
class ShiftRow:
    """One shift of a night as the roster shows it: where, when, required against held, the waitlist."""

    shift_id: int
    duty_date: date
    where: str
    place: str  # "grid", "route" or "post"
    when: str  # 22:00–06:00 (+1)
    starts_at: datetime
    ends_at: datetime
    kind: ShiftKind
    campaign_id: int | None
    required: dict[str, int]
    held: dict[str, int]
    holders: tuple[Holder, ...]
    waitlist: tuple[Holder, ...]

    @property
    def short(self) -> dict[str, int]:
        """Role kinds still missing and how many of each."""
        return remaining(self.required, self.held)


@dataclass(frozen=True)
class OpenSlot:
    """A coming shift a volunteer can fill: what it still needs of their roles, or that it is full."""

    shift_id: int
    duty_date: date
    where: str
    when: str
    starts_at: datetime
    ends_at: datetime
    kind: ShiftKind
    needs: dict[str, int]  # of the volunteer's role kinds; empty with full=True means a waitlist place
    full: bool
    my_status: AssignmentStatus | None


def shift_slot(shift: Shift) -> Slot:
    """A stored shift's slot."""
    return Slot(shift.starts_at, shift.ends_at)


def where_of(session: Session, shifts: Iterable[Shift]) -> dict[int, tuple[str, str]]:
    """Each shift's place name and kind ("grid", "route", "post")."""
    shifts = list(shifts)
    names: dict[str, dict[int, str]] = {}
    for key, model, attr in (("grid", Grid, "grid_id"), ("route", Route, "route_id"), ("post", DutyPost, "duty_post_id")):
        ids = {getattr(s, attr) for s in shifts if getattr(s, attr) is not None}
        names[key] = dict(session.execute(select(model.id, model.name).where(model.id.in_(ids))).all()) if ids else {}
    found = {}
    for s in shifts:
        for key, attr in (("post", "duty_post_id"), ("route", "route_id"), ("grid", "grid_id")):
            if getattr(s, attr) is not None:
                found[s.id] = (names[key].get(getattr(s, attr), "?"), key)
                break
        else:
            found[s.id] = ("?", "grid")
    return found


def timezone_of(session: Session, district_id: int) -> str:
    """A district's timezone."""
    return session.scalars(select(District.timezone).where(District.id == district_id)).one()


def describe(session: Session, shift: Shift) -> dict[str, str]:
    """Catalog values naming a shift: where it is and ``11-20 22:00–06:00 (+1)``."""
    where, _ = where_of(session, [shift])[shift.id]
    return {"where": where, "when": when_text(shift_slot(shift), shift.duty_date, timezone_of(session, shift.district_id))}


def held_by_role(session: Session, shift_id: int) -> Counter[str]:
    """How many hold a shift, by the role kind they fill."""
    rows = session.execute(select(Assignment.role_kind).where(
        Assignment.shift_id == shift_id, Assignment.status.in_(HOLDING_STATUSES)))
    return Counter(role or "" for (role,) in rows)


def night_roster(*, session_factory: sessionmaker, actor: Actor, district_id: int, duty_date: date) -> list[ShiftRow]:
    """A night's shifts in a district with who holds and who waits, for its coordinators."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    with session_factory() as session:
        tz = timezone_of(session, district_id)
        window = window_of_night(duty_date, tz)
        # A shift lasts under a day (nights.night_slot): the lower bound keeps the index off the district's history.
        shifts = session.scalars(select(Shift).where(
            Shift.district_id == district_id, Shift.starts_at < window.ends_at, Shift.ends_at > window.starts_at,
            Shift.starts_at > window.starts_at - timedelta(days=1),
        ).order_by(Shift.starts_at, Shift.id)).all()
        places = where_of(session, shifts)
        people = session.execute(
            select(Assignment, Person.name).join(Person, Person.id == Assignment.person_id)
            .where(Assignment.shift_id.in_([s.id for s in shifts]),
                   Assignment.status.in_((*HOLDING_STATUSES, AssignmentStatus.WAITLISTED)))
            .order_by(Assignment.updated_at, Assignment.id)
        ).all()
    by_shift: dict[int, list[Holder]] = {}
    for a, name in people:
        by_shift.setdefault(a.shift_id, []).append(
            Holder(a.id, a.person_id, name, a.role_kind, AssignmentStatus(a.status), a.override_reason))
    return [_row(s, places[s.id], tz, by_shift.get(s.id, [])) for s in shifts]


def _row(shift: Shift, place: tuple[str, str], tz: str, people: list[Holder]) -> ShiftRow:
    holders = tuple(p for p in people if p.status in HOLDING_STATUSES)
    waiting = tuple(p for p in people if p.status is AssignmentStatus.WAITLISTED)
    held = Counter(p.role_kind or "" for p in holders)
    return ShiftRow(shift.id, shift.duty_date, place[0], place[1], format_slot(shift_slot(shift), tz, shift.duty_date),
                    shift.starts_at, shift.ends_at, ShiftKind(shift.kind), shift.campaign_id, dict(shift.required or {}),
                    dict(held), holders, waiting)


def open_slots(*, session_factory: sessionmaker, actor: Actor, now: datetime, days: int = 14) -> list[OpenSlot]:
    """Coming shifts of the actor's district, in the next days, that ask for a role the actor can fill."""
    if actor.person_id is None:
        return []
    with session_factory() as session:
        person = session.get(Person, actor.person_id)
        if person is None or not person.active:
            return []
        kinds = kinds_of(person.role_kind, person.skills or ())
        tz = timezone_of(session, person.district_id)
        shifts = session.scalars(select(Shift).where(
            Shift.district_id == person.district_id, Shift.starts_at > now,
            Shift.starts_at < now + timedelta(days=days)).order_by(Shift.starts_at, Shift.id)).all()
        places = where_of(session, shifts)
        counts: dict[int, Counter[str]] = {}
        mine: dict[int, AssignmentStatus] = {}
        for shift_id, person_id, role, status in session.execute(
            select(Assignment.shift_id, Assignment.person_id, Assignment.role_kind, Assignment.status)
            .where(Assignment.shift_id.in_([s.id for s in shifts]))
        ):
            if person_id == person.id:
                mine[shift_id] = AssignmentStatus(status)
            if status in HOLDING_STATUSES:
                counts.setdefault(shift_id, Counter())[role or ""] += 1
    slots = []
    for s in shifts:
        required = dict(s.required or {})
        if not fits(kinds, required):
            continue
        short = remaining(required, counts.get(s.id, Counter()))
        needs = {k: n for k, n in short.items() if k in kinds} if required else {}
        full = bool(required) and not needs
        slots.append(OpenSlot(s.id, s.duty_date, places[s.id][0], format_slot(shift_slot(s), tz, s.duty_date),
                              s.starts_at, s.ends_at, ShiftKind(s.kind), needs, full, mine.get(s.id)))
    return slots
