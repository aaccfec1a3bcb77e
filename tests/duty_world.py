"""A small district for the swap, attendance and reminder tests: teams, people, a grid, a checkpoint, shifts."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from db.models import Assignment, AuditEvent, Checkpoint, District, Grid, Person, PointsEntry, Shift, Team
from nightwatch.access import Actor
from nightwatch.nights import duty_date_of, utc
from nightwatch.vocab import AccountRole, AssignmentStatus, RoleKind, TeamType

# 18:00 in Shanghai; tonight's shift runs 22:00–06:00 (+1), 14:00–22:00 UTC.
NOW = utc(2026, 6, 13, 10)
TONIGHT = utc(2026, 6, 13, 14)
_phones = itertools.count(1)


@dataclass(frozen=True)
class DutyWorld:
    """Ids of one district's things, and actors for its people."""

    district: int
    other_district: int
    grid: int
    checkpoint: int
    strict_team: int  # swaps need approval
    easy_team: int  # swaps complete when taken
    alice: int  # grid worker, strict team
    bob: int  # grid worker, strict team
    carol: int  # volunteer, easy team
    officer: int
    stranger: int  # grid worker of the other district

    def actor(self, person_id: int, role: AccountRole = AccountRole.VOLUNTEER) -> Actor:
        """A volunteer account signing in as the person."""
        return Actor(login=f"p{person_id}", role=role, person_id=person_id)

    @property
    def coordinator(self) -> Actor:
        """A coordinator of the district."""
        return Actor(login="coord", role=AccountRole.COORDINATOR, district_ids=frozenset({self.district}))

    @property
    def outsider(self) -> Actor:
        """A coordinator of the other district only."""
        return Actor(login="other-coord", role=AccountRole.COORDINATOR, district_ids=frozenset({self.other_district}))


def build(factory: sessionmaker) -> DutyWorld:
    """Two districts, two teams, five people, one grid and one checkpoint."""
    with factory.begin() as s:
        district, other = District(name="东西巷", city="桂林"), District(name="襄城区", city="襄阳")
        s.add_all([district, other])
        s.flush()
        grid = Grid(district_id=district.id, name="东西巷一号网格")
        strict = Team(district_id=district.id, name="红马甲一队", team_type=TeamType.RED_VEST)
        easy = Team(district_id=district.id, name="志愿二队", team_type=TeamType.RED_VOLUNTEER, swap_needs_approval=False)
        s.add_all([grid, strict, easy])
        s.flush()
        checkpoint = Checkpoint(district_id=district.id, grid_id=grid.id, name="巷口", secret="x" * 16,
                                lat=25.28, lon=110.29)
        people = [_person(district.id, name, kind, team) for name, kind, team in (
            ("爱丽", RoleKind.GRID_WORKER, strict.id), ("鲍勃", RoleKind.GRID_WORKER, strict.id),
            ("卡罗", RoleKind.VOLUNTEER, easy.id), ("王警官", RoleKind.OFFICER, None))]
        stranger = _person(other.id, "外区", RoleKind.GRID_WORKER, None)
        s.add_all([checkpoint, *people, stranger])
        s.flush()
        return DutyWorld(district.id, other.id, grid.id, checkpoint.id, strict.id, easy.id,
                         *(p.id for p in people), stranger.id)


def _person(district_id: int, name: str, kind: RoleKind, team_id: int | None) -> Person:
    return Person(district_id=district_id, name=name, phone=f"1380000{next(_phones):04d}", role_kind=kind,
                  team_id=team_id)


def add_shift(factory: sessionmaker, world: DutyWorld, starts_at: datetime = TONIGHT, hours: float = 8,
              team_id: int | None = None, required: dict[str, int] | None = None, district: int | None = None) -> int:
    """A shift at the world's grid (or in another district); returns its id."""
    ends_at = starts_at + timedelta(hours=hours)
    with factory.begin() as s:
        district_id = district or world.district
        grid_id = world.grid
        if district_id != world.district:
            grid = Grid(district_id=district_id, name=f"外区网格{next(_phones)}")
            s.add(grid)
            s.flush()
            grid_id = grid.id
        shift = Shift(district_id=district_id, grid_id=grid_id, team_id=team_id,
                      duty_date=duty_date_of(starts_at), starts_at=starts_at, ends_at=ends_at,
                      required=required if required is not None else {"grid_worker": 2, "volunteer": 2})
        s.add(shift)
        s.flush()
        return shift.id


def put_on(factory: sessionmaker, shift_id: int, person_id: int, role: str = "grid_worker",
           status: AssignmentStatus = AssignmentStatus.ASSIGNED, **fields: object) -> int:
    """An assignment written directly (the roster's rules are not under test here); returns its id."""
    with factory.begin() as s:
        shift = s.get(Shift, shift_id)
        row = Assignment(shift_id=shift_id, person_id=person_id, role_kind=role, status=status,
                         starts_at=shift.starts_at, ends_at=shift.ends_at, **fields)
        s.add(row)
        s.flush()
        return row.id


def assignment(factory: sessionmaker, assignment_id: int) -> Assignment:
    """An assignment as stored now."""
    with factory() as s:
        return s.get_one(Assignment, assignment_id)


def holders(factory: sessionmaker, shift_id: int) -> dict[int, AssignmentStatus]:
    """Person → status of every assignment of a shift."""
    with factory() as s:
        return dict(s.execute(select(Assignment.person_id, Assignment.status).where(Assignment.shift_id == shift_id)).all())


def actions(factory: sessionmaker) -> list[str]:
    """The audit log's actions, oldest first."""
    with factory() as s:
        return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def counts(factory: sessionmaker) -> tuple[int, int, int]:
    """Rows of the audit log, the points ledger and assignments: a write shows in one of them."""
    with factory() as s:
        return (s.scalar(select(func.count()).select_from(AuditEvent)),
                s.scalar(select(func.count()).select_from(PointsEntry)),
                s.scalar(select(func.count()).select_from(Assignment)))


def night(day: int) -> date:
    """A June 2026 duty date."""
    return date(2026, 6, day)
