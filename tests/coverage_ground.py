"""A small district for the coverage tests: two grids with centres, people at home in each, a week of shifts."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy.orm import sessionmaker

from db.models import Assignment, Availability, District, Grid, Person, Shift
from nightwatch.access import Actor
from nightwatch.nights import night_slot, utc
from nightwatch.vocab import AccountRole, AssignmentStatus, RoleKind

_phones = itertools.count(13700000000)
MONDAY = date(2026, 6, 8)
NOW = utc(2026, 6, 1)
REQUIRED = {"officer": 1, "grid_worker": 2}


@dataclass(frozen=True)
class Ground:
    """The district, its grids (west, east), its coordinator, and people by (grid, role)."""

    district_id: int
    grids: tuple[int, int]
    coordinator: Actor
    people: dict[tuple[int, str], list[int]]


def add_ground(factory: sessionmaker, per_role: int = 1) -> Ground:
    """Two grids 100 m apart in 东西巷, an officer and `per_role` grid workers at home in each."""
    with factory.begin() as session:
        district = District(name="东西巷", city="桂林", timezone="Asia/Shanghai")
        session.add(district)
        session.flush()
        grids = [Grid(district_id=district.id, name=name, center_lat=25.2847, center_lon=lon,
                      staffing_template=dict(REQUIRED)) for name, lon in (("一网格", 110.2950), ("二网格", 110.2960))]
        session.add_all(grids)
        session.flush()
        people: dict[tuple[int, str], list[int]] = {}
        for grid in grids:
            for role, count in (("officer", 1), ("grid_worker", per_role)):
                rows = [Person(district_id=district.id, home_grid_id=grid.id, name=f"{grid.name}{role}{n}",
                               phone=str(next(_phones)), role_kind=RoleKind(role)) for n in range(count)]
                session.add_all(rows)
                session.flush()
                people[grid.id, role] = [p.id for p in rows]
        coordinator = Actor(account_id=None, login=f"coord-{district.id}", role=AccountRole.COORDINATOR,
                            district_ids=frozenset({district.id}))
        return Ground(district.id, (grids[0].id, grids[1].id), coordinator, people)


def add_shift(factory: sessionmaker, ground: Ground, grid_id: int, night: date, start: time = time(19),
              end: time = time(2), required: dict[str, int] | None = None) -> int:
    """A shift at a grid on a night, 19:00–02:00 (+1) local unless told."""
    slot = night_slot(night, start, end, "Asia/Shanghai")
    with factory.begin() as session:
        shift = Shift(district_id=ground.district_id, grid_id=grid_id, duty_date=night, starts_at=slot.starts_at,
                      ends_at=slot.ends_at, required=dict(REQUIRED if required is None else required))
        session.add(shift)
        session.flush()
        return shift.id


def hold(factory: sessionmaker, shift_id: int, person_id: int, role: str | None) -> None:
    """Put a person on a shift directly, as an earlier roster would have (no role: they fill their own kind)."""
    with factory.begin() as session:
        shift = session.get(Shift, shift_id)
        session.add(Assignment(shift_id=shift_id, person_id=person_id, role_kind=role,
                               status=AssignmentStatus.ASSIGNED, starts_at=shift.starts_at, ends_at=shift.ends_at))


def unavailable(factory: sessionmaker, person_id: int, weekday: int) -> None:
    """The person cannot patrol on this weekday."""
    with factory.begin() as session:
        session.add(Availability(person_id=person_id, weekday=weekday, available=False))


def week(factory: sessionmaker, ground: Ground, nights: int = 3) -> list[int]:
    """A shift in each grid on each of the first nights of the week."""
    return [add_shift(factory, ground, grid, MONDAY + timedelta(days=n)) for n in range(nights) for grid in ground.grids]
