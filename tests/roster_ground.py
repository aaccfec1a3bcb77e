"""A small district for the roster tests: a grid with a template, people of several roles, actors, shifts."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from db.models import Assignment, District, Grid, Person, Shift
from nightwatch.access import Actor
from nightwatch.nights import night_slot
from nightwatch.shifts import capacity
from nightwatch.vocab import HOLDING_STATUSES, AccountRole, RoleKind

_phones = itertools.count(13900000000)
TEMPLATE = {"officer": 1, "auxiliary": 2, "grid_worker": 3}


@dataclass(frozen=True)
class Patch:
    """A district with one grid, its coordinator, and the timezone shifts are laid in."""

    district_id: int
    grid_id: int
    tz: str
    coordinator: Actor


def add_patch(factory: sessionmaker, name: str = "东西巷", tz: str = "Asia/Shanghai",
              template: dict[str, int] | None = None) -> Patch:
    """A district with one grid carrying a staffing template."""
    with factory.begin() as session:
        district = District(name=name, city="桂林", timezone=tz)
        session.add(district)
        session.flush()
        grid = Grid(district_id=district.id, name="一号网格", staffing_template=template or dict(TEMPLATE))
        session.add(grid)
        session.flush()
        coordinator = Actor(login=f"coord-{district.id}", role=AccountRole.COORDINATOR,
                            district_ids=frozenset({district.id}))
        return Patch(district.id, grid.id, tz, coordinator)


def add_people(factory: sessionmaker, patch: Patch, role: RoleKind | str, count: int = 1,
               skills: tuple[str, ...] = ()) -> list[int]:
    """People of one role kind in the district."""
    with factory.begin() as session:
        people = [Person(district_id=patch.district_id, name=f"{role}-{n}", phone=str(next(_phones)),
                         role_kind=RoleKind(role), skills=list(skills)) for n in range(count)]
        session.add_all(people)
        session.flush()
        return [p.id for p in people]


def volunteer_actor(person_id: int, patch: Patch) -> Actor:
    """A volunteer account signed in as the person."""
    return Actor(login=f"vol-{person_id}", role=AccountRole.VOLUNTEER, district_ids=frozenset({patch.district_id}),
                 person_id=person_id)


def add_night_shift(factory: sessionmaker, patch: Patch, night: date, start: time = time(22), end: time = time(6),
                    required: dict[str, int] | None = None) -> int:
    """A shift at the grid on a duty date from local wall times."""
    slot = night_slot(night, start, end, patch.tz)
    with factory.begin() as session:
        shift = Shift(district_id=patch.district_id, grid_id=patch.grid_id, duty_date=night, starts_at=slot.starts_at,
                      ends_at=slot.ends_at, required=dict(TEMPLATE) if required is None else required)
        session.add(shift)
        session.flush()
        return shift.id


def check_invariants(factory: sessionmaker) -> None:
    """No person holds two overlapping shifts; no shift holds more than it needs of any role."""
    with factory() as session:
        held = session.execute(select(Assignment.person_id, Assignment.starts_at, Assignment.ends_at,
                                      Assignment.shift_id, Assignment.role_kind)
                               .where(Assignment.status.in_(HOLDING_STATUSES))
                               .order_by(Assignment.person_id, Assignment.starts_at)).all()
        required = dict(session.execute(select(Shift.id, Shift.required)).all())
    for a, b in itertools.pairwise(held):
        if a.person_id == b.person_id:
            assert a.ends_at <= b.starts_at, f"person {a.person_id} holds overlapping shifts {a.shift_id}, {b.shift_id}"
    counts: dict[tuple[int, str], int] = {}
    per_shift: dict[int, int] = {}
    for row in held:
        counts[(row.shift_id, row.role_kind)] = counts.get((row.shift_id, row.role_kind), 0) + 1
        per_shift[row.shift_id] = per_shift.get(row.shift_id, 0) + 1
    for (shift_id, role), count in counts.items():
        need = required[shift_id] or {}
        if need:
            assert count <= need.get(role, 0), f"shift {shift_id} over-filled for {role}: {count} > {need}"
    for shift_id, count in per_shift.items():
        limit = capacity(required[shift_id] or {})
        assert limit is None or count <= limit
