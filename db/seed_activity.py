"""Demo duty for a window of nights: shifts, rosters, check-ins, points and where people are tonight.

Everything generated is a pure function of the district, the campaign, the night and the
person (see `stable_rng`), so a run inserts only rows that are missing, and a run on a later
"today" settles the nights that have passed since (who turned up, their later check-ins).
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Assignment, Shift
from db.seed_patrols import seed_check_ins, seed_last_positions, seed_points
from db.seed_support import at_night, insert_all, minutes, stable_rng, tonight_snapshot, whole_seconds
from db.seed_world import POLICE_ROLES, Duty, Member, Plan, World
from nightwatch.nights import night_slot
from nightwatch.vocab import AssignmentStatus, RoleKind

# Roles a spare volunteer may be waitlisted for on a future night.
WAITLIST_ROLES = (RoleKind.VOLUNTEER, RoleKind.PARTY_MEMBER)
NO_SHOW_RATE = 0.08


def seed_duty(session: Session, world: World, today: date, nights: list[date],
              now: datetime | None = None) -> list[Duty]:
    """Ensure shifts, rosters, check-ins, points and tonight's positions; return every duty in the window."""
    snapshot = tonight_snapshot(today, world.tz, now)
    shifts = _shifts(session, world, nights)
    duties = _rosters(session, world, shifts, today, snapshot)
    _settle_stale(session, world, nights[0], today, snapshot)
    last_seen = seed_check_ins(session, world, duties, snapshot)
    seed_points(session, [d for d in duties if d.shift.duty_date < today])
    seed_last_positions(session, world, [d for d in duties if d.shift.duty_date == today], last_seen, snapshot)
    return duties


def _shifts(session: Session, world: World, nights: list[date]) -> dict[tuple[int, date], tuple[Plan, Shift]]:
    """Every plan's shift on every night of the window, creating the missing ones."""
    plans = {plan.campaign.id: plan for plan in world.plans}

    def stored() -> dict[tuple[int, date], tuple[Plan, Shift]]:
        rows = session.scalars(select(Shift).where(
            Shift.campaign_id.in_(plans), Shift.duty_date.between(nights[0], nights[-1])))
        return {(s.campaign_id, s.duty_date): (plans[s.campaign_id], s) for s in rows}

    shifts = stored()
    fresh = []
    for plan in world.plans:
        campaign = plan.campaign
        for night in nights:
            if (campaign.id, night) in shifts or not campaign.first_night <= night <= campaign.last_night:
                continue
            slot = night_slot(night, campaign.start_time, campaign.end_time, world.tz)
            fresh.append(Shift(
                district_id=world.district.id, grid_id=plan.grid_id, route_id=plan.route_id,
                duty_post_id=plan.post_id, team_id=plan.team_id, campaign_id=campaign.id, duty_date=night,
                starts_at=slot.starts_at, ends_at=slot.ends_at, kind=campaign.kind, required=dict(campaign.required),
                created_at=at_night(campaign.first_night, time(12), world.tz) - timedelta(days=7),
            ))
    insert_all(session, fresh)
    return stored() if fresh else shifts


def _rosters(session: Session, world: World, shifts: dict[tuple[int, date], tuple[Plan, Shift]],
             today: date, snapshot: datetime) -> list[Duty]:
    """Staff shifts that have nobody yet, settle nights that have begun, and return every assignment as a Duty."""
    by_id = {shift.id: (plan, shift) for plan, shift in shifts.values()}
    members = {m.id: m for m in world.members}

    def stored() -> list[Assignment]:
        return list(session.scalars(select(Assignment).where(Assignment.shift_id.in_(by_id))))

    existing = stored()
    used: dict[date, set[int]] = {}
    staffed: set[int] = set()
    for assignment in existing:
        used.setdefault(by_id[assignment.shift_id][1].duty_date, set()).add(assignment.person_id)
        staffed.add(assignment.shift_id)
    fresh: dict[tuple[int, int], tuple[dict[str, Any], Member, bool]] = {}
    for (_, night), (plan, shift) in sorted(shifts.items(), key=lambda item: (item[0][1], item[1][0].name)):
        if shift.id in staffed:
            continue
        for member, role, waitlisted in _pick(world, plan, shift, night, today, used.setdefault(night, set())):
            shows_up = _shows_up(world, plan, night, member)
            row = _assignment(world, plan, shift, member, role, waitlisted, today, snapshot)
            row |= _settled(world, plan, shift, member, shows_up, row["status"], None, today, snapshot)
            fresh[(shift.id, member.id)] = (row, member, shows_up)
    if fresh:
        # Core executemany: the ORM would insert one row at a time to read each id back.
        session.execute(Assignment.__table__.insert(), [row for row, _, _ in fresh.values()])
    duties = []
    for assignment in stored() if fresh else existing:
        plan, shift = by_id[assignment.shift_id]
        new = fresh.get((assignment.shift_id, assignment.person_id))
        if new is not None:
            duties.append(Duty(assignment, shift, plan, new[1], new[2]))
        elif assignment.person_id in members:
            duty = _duty(world, plan, shift, members[assignment.person_id], assignment)
            _settle(world, duty, today, snapshot)
            duties.append(duty)
    return duties


def _settle_stale(session: Session, world: World, window_start: date, today: date, snapshot: datetime) -> None:
    """Settle assignments left open on nights that fell out of the window since the last run."""
    plans = {plan.campaign.id: plan for plan in world.plans}
    members = {m.id: m for m in world.members}
    stale = session.execute(select(Assignment, Shift).join(Shift, Assignment.shift_id == Shift.id).where(
        Shift.campaign_id.in_(plans), Shift.duty_date < window_start,
        Assignment.status.in_((AssignmentStatus.ASSIGNED, AssignmentStatus.CONFIRMED))))
    for assignment, shift in stale:
        if assignment.person_id in members:
            plan = plans[shift.campaign_id]
            _settle(world, _duty(world, plan, shift, members[assignment.person_id], assignment), today, snapshot)


def _duty(world: World, plan: Plan, shift: Shift, member: Member, assignment: Assignment) -> Duty:
    """An assignment as a Duty, knowing whether the person turns up."""
    return Duty(assignment, shift, plan, member, _shows_up(world, plan, shift.duty_date, member))


def _pick(world: World, plan: Plan, shift: Shift, night: date, today: date,
          used: set[int]) -> list[tuple[Member, str, bool]]:
    """Who stands this shift: preferred people first (its team, its grid), gaps more likely further ahead."""
    rng = stable_rng("roster", world.no, plan.name, night)
    ahead = (night - today).days
    fill = 0.94 if ahead < 0 else 0.9 if ahead == 0 else 0.85 if ahead <= 2 else 0.6
    picks: list[tuple[Member, str, bool]] = []
    for role, count in sorted(shift.required.items()):
        pool = _candidates(world, plan, role, rng)
        for _ in range(count):
            member = next((m for m in pool if m.id not in used), None)
            if member is None:
                break
            if rng.random() < fill:
                used.add(member.id)
                picks.append((member, role, False))
    spare_roles = [role for role in WAITLIST_ROLES if role in shift.required]
    if ahead > 0 and spare_roles and rng.random() < 0.3:
        spare = next((m for m in _candidates(world, plan, spare_roles[0], rng) if m.id not in used), None)
        if spare is not None:
            used.add(spare.id)
            picks.append((spare, spare_roles[0], True))
    return picks


def _candidates(world: World, plan: Plan, role: str, rng: random.Random) -> list[Member]:
    """People who can fill a role, those of the plan's team or grid first, each group shuffled."""
    able = world.able(role)
    if role == RoleKind.MERCHANT:
        able = [m for m in able if m.home_grid_id == plan.grid_id]
    near, rest = [], []
    for member in able:
        in_team = plan.team_id is not None and member.team_id == plan.team_id
        in_grid = plan.grid_id is not None and member.home_grid_id == plan.grid_id
        (near if in_team or in_grid else rest).append(member)
    rng.shuffle(near)
    rng.shuffle(rest)
    return near + rest


def _shows_up(world: World, plan: Plan, night: date, member: Member) -> bool:
    """Whether a person turns up for their shift; police always do."""
    rng = stable_rng("turnout", world.no, plan.name, night, member.phone)
    return member.role_kind in POLICE_ROLES or rng.random() >= NO_SHOW_RATE


def _assignment(world: World, plan: Plan, shift: Shift, member: Member, role: str, waitlisted: bool,
                today: date, snapshot: datetime) -> dict[str, Any]:
    """A new assignment row as it stood before its night began."""
    rng = stable_rng("signup", world.no, plan.name, shift.duty_date, member.phone)
    created = whole_seconds(min(shift.starts_at - minutes(rng, 3 * 1440, 10 * 1440), snapshot - timedelta(hours=2)))
    confirmed = whole_seconds(max(created + timedelta(minutes=10), shift.starts_at - minutes(rng, 120, 2880)))
    ahead = (shift.duty_date - today).days
    confirms = not waitlisted and confirmed <= snapshot and (ahead < 0 or rng.random() < (0.8 if ahead == 0 else 0.35))
    return {
        "shift_id": shift.id, "person_id": member.id, "role_kind": role,
        "starts_at": shift.starts_at, "ends_at": shift.ends_at, "created_at": created,
        "status": AssignmentStatus.WAITLISTED if waitlisted else
        AssignmentStatus.CONFIRMED if confirms else AssignmentStatus.ASSIGNED,
        "confirmed_at": confirmed if confirms else None, "updated_at": confirmed if confirms else created,
        "attended_at": None, "override_reason": None,
    }


def _settled(world: World, plan: Plan, shift: Shift, member: Member, shows_up: bool, status: str,
             attended_at: datetime | None, today: date, snapshot: datetime) -> dict[str, Any]:
    """The changes that take an untouched assignment of a night that has begun to where the night took it."""
    if status not in (AssignmentStatus.ASSIGNED, AssignmentStatus.CONFIRMED) or shift.duty_date > today:
        return {}
    changes: dict[str, Any] = {}
    rng = stable_rng("arrival", world.no, plan.name, shift.duty_date, member.phone)
    arrival = whole_seconds(shift.starts_at + minutes(rng, 0, 12))
    if shows_up and attended_at is None and arrival <= snapshot:
        changes["attended_at"] = changes["updated_at"] = arrival
    if shift.duty_date < today:
        changes["status"] = AssignmentStatus.DONE if shows_up else AssignmentStatus.NO_SHOW
        changes["updated_at"] = shift.ends_at
    return changes


def _settle(world: World, duty: Duty, today: date, snapshot: datetime) -> None:
    """Settle a stored assignment (see _settled)."""
    assignment = duty.assignment
    changes = _settled(world, duty.plan, duty.shift, duty.member, duty.shows_up, assignment.status,
                       assignment.attended_at, today, snapshot)
    for column, value in changes.items():
        setattr(assignment, column, value)
