"""A district, a grid, people and shifts for the double-booking tests, written straight through the ORM."""
from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from db.models import Assignment, District, Grid, Person, Shift
from nightwatch.nights import duty_date_of
from nightwatch.vocab import HOLDING_STATUSES, AssignmentStatus, RoleKind

SHANGHAI = ZoneInfo("Asia/Shanghai")
_phones = itertools.count(13800000000)


def local(wall: str) -> datetime:
    """The aware UTC instant of a Shanghai wall time written 'YYYY-MM-DD HH:MM'."""
    return datetime.strptime(wall, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI).astimezone(timezone.utc)


@dataclass(frozen=True)
class Ground:
    """A district and a grid to hang shifts on."""

    district_id: int
    grid_id: int


def add_ground(factory: sessionmaker) -> Ground:
    """A district with one grid."""
    with factory.begin() as session:
        district = District(name="东西巷", city="桂林")
        session.add(district)
        session.flush()
        grid = Grid(district_id=district.id, name="一号网格")
        session.add(grid)
        session.flush()
        return Ground(district.id, grid.id)


def add_person(factory: sessionmaker, ground: Ground) -> int:
    """A volunteer of the district."""
    with factory.begin() as session:
        person = Person(district_id=ground.district_id, name="志愿者", phone=str(next(_phones)),
                        role_kind=RoleKind.VOLUNTEER)
        session.add(person)
        session.flush()
        return person.id


def add_shift(factory: sessionmaker, ground: Ground, starts_at: datetime, ends_at: datetime) -> int:
    """A shift at the grid over the given aware instants."""
    with factory.begin() as session:
        shift = Shift(district_id=ground.district_id, grid_id=ground.grid_id, duty_date=duty_date_of(starts_at),
                      starts_at=starts_at, ends_at=ends_at)
        session.add(shift)
        session.flush()
        return shift.id


def add_local_shift(factory: sessionmaker, ground: Ground, starts: str, ends: str) -> int:
    """A shift over two Shanghai wall times."""
    return add_shift(factory, ground, local(starts), local(ends))


def assign(factory: sessionmaker, shift_id: int, person_id: int,
           status: AssignmentStatus = AssignmentStatus.ASSIGNED) -> int:
    """Put a person on a shift the way a service will: the assignment carries the shift's interval."""
    with factory.begin() as session:
        shift = session.get_one(Shift, shift_id)
        assignment = Assignment(shift_id=shift_id, person_id=person_id, status=status,
                                starts_at=shift.starts_at, ends_at=shift.ends_at)
        session.add(assignment)
        session.flush()
        return assignment.id


def change(factory: sessionmaker, model: type, row_id: int, **values: Any) -> None:
    """Update one row in its own transaction."""
    with factory.begin() as session:
        session.execute(update(model).where(model.id == row_id).values(**values))


def refusal(action: Callable[[], object]) -> IntegrityError:
    """The IntegrityError the action must raise."""
    with pytest.raises(IntegrityError) as caught:
        action()
    return caught.value


def held(factory: sessionmaker, person_id: int) -> list[tuple[datetime, datetime]]:
    """The intervals a person holds, in time order."""
    with factory() as session:
        rows = session.execute(
            select(Assignment.starts_at, Assignment.ends_at)
            .where(Assignment.person_id == person_id, Assignment.status.in_(HOLDING_STATUSES))
            .order_by(Assignment.starts_at)
        )
        return [(row.starts_at, row.ends_at) for row in rows]


def interval_of(factory: sessionmaker, model: type, row_id: int) -> tuple[datetime, datetime]:
    """A shift's or an assignment's stored interval."""
    with factory() as session:
        row = session.get_one(model, row_id)
        return row.starts_at, row.ends_at
