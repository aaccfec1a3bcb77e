"""Tonight for one person: a coordinator's district, a patroller's next shift and tasks, a merchant's tips."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import sessionmaker

from db.models import Assignment, Dispatch, District, DutyPost, Grid, Route, Shift, Shop, Tip
from nightwatch.access import COORDINATING, PATROLLING, Actor, require_district, require_role
from nightwatch.nights import Slot, duty_date_of, format_slot
from nightwatch.services.coverage import filled_role
from nightwatch.vocab import (
    HOLDING_STATUSES,
    OPEN_DISPATCH_STATUSES,
    OPEN_TIP_STATUSES,
    AccountRole,
    AssignmentStatus,
    DispatchStatus,
    TipCategory,
    TipStatus,
    Urgency,
)

# A task stays the responder's until closed, even when it was escalated to someone nearer meanwhile.
URGENCY_ORDER = {Urgency.CRITICAL: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2, Urgency.LOW: 3}
OPEN_TIPS_SHOWN = 50  # the most urgent, oldest first; the count says how many wait in all


@dataclass(frozen=True)
class OpenTip:
    """A tip still waiting for someone, with how long it has waited."""

    id: int
    received_at: datetime
    waited_minutes: int
    category: TipCategory
    urgency: Urgency
    status: TipStatus
    grid: str | None


@dataclass(frozen=True)
class GridCover:
    """A grid tonight: staffed against required, by role kind; short when any role is short."""

    grid: str
    required: dict[str, int]
    staffed: dict[str, int]

    @property
    def short(self) -> dict[str, int]:
        """Role kinds still missing and how many of each."""
        return {role: need - self.staffed.get(role, 0)
                for role, need in self.required.items() if self.staffed.get(role, 0) < need}


@dataclass(frozen=True)
class DistrictTonight:
    """What a coordinator sees first: open tips, grids short of people, who is on duty now."""

    district: str
    timezone: str
    duty_date: date
    open_tips: list[OpenTip]
    grids: list[GridCover]
    on_duty_by_role: dict[str, int]
    open_tip_count: int = 0


def district_tonight(*, session_factory: sessionmaker, actor: Actor, district_id: int, now: datetime) -> DistrictTonight:
    """A district's night at `now`, for a coordinator of that district."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    with session_factory() as session:
        district = session.get(District, district_id)
        night = duty_date_of(now, district.timezone)
        waiting = (Tip.district_id == district_id, Tip.status.in_(OPEN_TIP_STATUSES))
        tips = session.execute(
            select(Tip.id, Tip.received_at, Tip.category, Tip.urgency, Tip.status, Grid.name)
            .outerjoin(Grid, Grid.id == Tip.grid_id).where(*waiting)
            .order_by(case(URGENCY_ORDER, value=Tip.urgency, else_=len(URGENCY_ORDER)), Tip.received_at)
            .limit(OPEN_TIPS_SHOWN)
        ).all()
        tip_count = session.scalar(select(func.count()).select_from(Tip).where(*waiting)) or 0
        holding = session.execute(
            select(Shift.id, Shift.grid_id, Shift.required, Shift.starts_at, Shift.ends_at,
                   filled_role(), Assignment.person_id)
            .outerjoin(Assignment, (Assignment.shift_id == Shift.id) & Assignment.status.in_(HOLDING_STATUSES))
            .where(Shift.district_id == district_id, Shift.duty_date == night)
        ).all()
        grid_names = dict(session.execute(select(Grid.id, Grid.name).where(Grid.district_id == district_id)).all())
    open_tips = sorted(
        (OpenTip(r.id, r.received_at, max(0, int((now - r.received_at).total_seconds() // 60)), r.category,
                 r.urgency, r.status, r.name) for r in tips),
        key=lambda tip: (URGENCY_ORDER[tip.urgency], tip.received_at),
    )
    return DistrictTonight(district.name, district.timezone, night, open_tips,
                           _grid_cover(holding, grid_names), _on_duty(holding, now), tip_count)


def _grid_cover(rows, grid_names: dict[int, str]) -> list[GridCover]:
    required: dict[int, Counter[str]] = {grid_id: Counter() for grid_id in grid_names}
    staffed: dict[int, Counter[str]] = {grid_id: Counter() for grid_id in grid_names}
    counted_shifts: set[int] = set()
    for shift_id, grid_id, need, _starts, _ends, role, person_id in rows:
        if grid_id is None:
            continue
        if shift_id not in counted_shifts:
            counted_shifts.add(shift_id)
            required[grid_id].update(need or {})
        if person_id is not None and role:
            staffed[grid_id][role] += 1
    return sorted(
        (GridCover(grid_names[g], dict(required[g]), dict(staffed[g])) for g in grid_names),
        key=lambda cover: (-sum(cover.short.values()), cover.grid),
    )


def _on_duty(rows, now: datetime) -> dict[str, int]:
    people: dict[int, str] = {}
    for _shift, _grid, _need, starts_at, ends_at, role, person_id in rows:
        if person_id is not None and starts_at <= now < ends_at:
            people[person_id] = role or "volunteer"
    return dict(Counter(people.values()))


@dataclass(frozen=True)
class MyShift:
    """One of my shifts: where, when (as the night reads), and my status."""

    id: int
    where: str
    when: str
    duty_date: date
    status: AssignmentStatus
    on_now: bool


@dataclass(frozen=True)
class MyTask:
    """A tip dispatched to me: what and where, never who reported it."""

    dispatch_id: int
    tip_id: int
    category: TipCategory
    urgency: Urgency
    status: DispatchStatus
    sent_at: datetime
    location_note: str | None
    grid: str | None


@dataclass(frozen=True)
class MyNight:
    """A patroller's home: the next (or current) shift, and open tasks."""

    next_shift: MyShift | None
    tasks: list[MyTask]


def my_night(*, session_factory: sessionmaker, actor: Actor, now: datetime) -> MyNight:
    """The actor's own next shift and open tasks (team leaders and volunteers)."""
    require_role(actor, PATROLLING)
    if actor.person_id is None:
        return MyNight(None, [])
    with session_factory() as session:
        row = session.execute(
            select(Assignment.status, Shift.id, Shift.starts_at, Shift.ends_at, Shift.duty_date,
                   Grid.name.label("grid"), Route.name.label("route"), DutyPost.name.label("post"),
                   District.timezone)
            .join(Shift, Shift.id == Assignment.shift_id)
            .join(District, District.id == Shift.district_id)
            .outerjoin(Grid, Grid.id == Shift.grid_id)
            .outerjoin(Route, Route.id == Shift.route_id)
            .outerjoin(DutyPost, DutyPost.id == Shift.duty_post_id)
            .where(Assignment.person_id == actor.person_id, Assignment.ends_at > now,
                   Assignment.status.in_((*HOLDING_STATUSES, AssignmentStatus.WAITLISTED)))
            .order_by(Assignment.starts_at)
            .limit(1)
        ).first()
        tasks = session.execute(
            select(Dispatch.id, Tip.id, Tip.category, Tip.urgency, Dispatch.status, Dispatch.sent_at,
                   Tip.location_note, Grid.name)
            .join(Tip, Tip.id == Dispatch.tip_id)
            .outerjoin(Grid, Grid.id == Tip.grid_id)
            .where(Dispatch.person_id == actor.person_id,
                   Dispatch.status.in_(OPEN_DISPATCH_STATUSES))
            .order_by(Dispatch.sent_at.desc())
        ).all()
    shift = None
    if row is not None:
        slot = Slot(row.starts_at, row.ends_at)
        shift = MyShift(row.id, row.grid or row.route or row.post or "", format_slot(slot, row.timezone, row.duty_date),
                        row.duty_date, row.status, row.starts_at <= now < row.ends_at)
    return MyNight(shift, [MyTask(*task) for task in tasks])


@dataclass(frozen=True)
class MyTip:
    """A tip my shop reported, and where it has got to."""

    id: int
    received_at: datetime
    category: TipCategory
    status: TipStatus
    text: str


def my_tips(*, session_factory: sessionmaker, actor: Actor, limit: int = 20) -> list[MyTip]:
    """The newest tips the merchant's account or shop reported."""
    require_role(actor, (AccountRole.MERCHANT,))
    owned = []  # `== None` would match every tip without an account or shop
    if actor.account_id is not None:
        owned.append(Tip.reporter_account_id == actor.account_id)
    if actor.shop_id is not None:
        owned.append(Tip.shop_id == actor.shop_id)
    if not owned:
        return []
    with session_factory() as session:
        rows = session.execute(
            select(Tip.id, Tip.received_at, Tip.category, Tip.status, Tip.text)
            .where(or_(*owned)).order_by(Tip.received_at.desc()).limit(limit)
        ).all()
    return [MyTip(*row) for row in rows]


def shop_name(*, session_factory: sessionmaker, actor: Actor) -> str | None:
    """The name of the merchant's own shop."""
    if actor.shop_id is None:
        return None
    with session_factory() as session:
        return session.scalar(select(Shop.name).where(Shop.id == actor.shop_id))
