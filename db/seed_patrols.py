"""Demo patrol traces: check-ins along routes and grid rounds, points for attended time, last positions."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import CheckIn, LastPosition, PointsEntry
from db.seed_support import jitter, minutes, stable_rng, whole_seconds
from db.seed_world import POLICE_ROLES, Duty, Point, World
from nightwatch.config import Settings
from nightwatch.geo import cell_of, haversine_m
from nightwatch.vocab import AssignmentStatus, CheckInMethod, RoleKind

POINTS_PER_HOUR = 10
# A check-in further than this from its point is flagged for a coordinator: the app's own default radius.
FLAG_DISTANCE_M = Settings.checkin_radius_m
SCANLESS_ON_ROUNDS = POLICE_ROLES | {RoleKind.MERCHANT}
Seen = tuple[float, float, str | None, datetime]  # lat, lon, cell, when


def seed_check_ins(session: Session, world: World, duties: list[Duty],
                   snapshot: datetime) -> dict[tuple[int, int], Seen]:
    """Insert the missing check-ins up to the snapshot; return the latest one of each (shift, person)."""
    # Everyone on a route taps its points; on grid rounds the grid workers and volunteers scan the
    # lane-corner codes while police walk with them (东西巷), and merchants keep to their shops.
    walking = [d for d in duties if d.on_duty and d.shift.starts_at <= snapshot
               and (d.plan.stops or (d.plan.rounds and d.member.role_kind not in SCANLESS_ON_ROUNDS))]
    if not walking:
        return {}
    # A person's check-ins on a shift are written in time order up to some earlier snapshot,
    # so everything after the latest one stored is what is missing.
    latest = dict(((shift_id, person_id), at) for shift_id, person_id, at in session.execute(
        select(CheckIn.shift_id, CheckIn.person_id, func.max(CheckIn.at))
        .where(CheckIn.district_id == world.district.id,
               CheckIn.duty_date >= min(d.shift.duty_date for d in walking))
        .group_by(CheckIn.shift_id, CheckIn.person_id)))
    rows, last_seen = [], {}
    for duty in walking:
        visits = [(point, at) for point, at in _visits(world, duty) if at <= snapshot]
        if not visits:
            continue
        point, at = visits[-1]
        last_seen[(duty.shift.id, duty.member.id)] = (point.lat, point.lon, point.cell, at)
        stored_until = latest.get((duty.shift.id, duty.member.id))
        if stored_until is not None and stored_until >= at:
            continue
        # Drawn for every visit, stored or not, so each one gets the same phone position on every run.
        rng = stable_rng("phone", world.no, duty.plan.name, duty.shift.duty_date, duty.member.phone)
        for point, at in visits:
            row = _check_in(world, duty, point, at, rng)
            if stored_until is None or at > stored_until:
                rows.append(row)
    if rows:
        # Core executemany: every row has the same keys, so this is one batch, not one per row.
        session.execute(CheckIn.__table__.insert(), rows)
    return last_seen


def _visits(world: World, duty: Duty) -> list[tuple[Point, datetime]]:
    """The check-ins of one person's shift in time order: laps of a route, or rounds of a grid."""
    shift, plan, night = duty.shift, duty.plan, duty.shift.duty_date
    own = stable_rng("walker", world.no, plan.name, night, duty.member.phone)
    end = shift.ends_at - timedelta(minutes=5)
    visits: list[tuple[Point, datetime]] = []
    if plan.stops:
        # The group walks together: lap times come from the shift, each person taps a little apart.
        walk = stable_rng("walk", world.no, plan.name, night)
        at = shift.starts_at + minutes(walk, 5, 15)
        while at < end:
            for position, stop in enumerate(plan.stops):
                if position:
                    at += timedelta(minutes=max(1.0, stop.minutes + walk.uniform(-0.5, 2)))
                if at >= end:
                    break
                # Under a minute apart, so one person's taps stay in the order they walked.
                visits.append((stop, whole_seconds(at + timedelta(seconds=own.randint(0, 45)))))
            at += minutes(walk, 50, 80)
    else:
        at = shift.starts_at + minutes(own, 3, 20)
        while at < end:
            visits.append((own.choice(plan.rounds), whole_seconds(at)))
            at += minutes(own, 60, 100)
    return visits


def _check_in(world: World, duty: Duty, point: Point, at: datetime, rng: random.Random) -> dict:
    """One check-in row; most phones share a location a few metres from the point, a rare one is far off."""
    row = {
        "district_id": world.district.id, "person_id": duty.member.id, "checkpoint_id": point.checkpoint_id,
        "shift_id": duty.shift.id, "at": at, "duty_date": duty.shift.duty_date, "cell": point.cell,
        "team_type": world.team_type_of(duty.member.team_id),
        "method": CheckInMethod.QR if rng.random() < 0.85 else
        CheckInMethod.LINK if rng.random() < 0.8 else CheckInMethod.MANUAL,
        "phone_lat": None, "phone_lon": None, "distance_m": None, "flagged": False,
    }
    if rng.random() < 0.8:
        lat, lon = jitter(rng, point.lat, point.lon, 250 if rng.random() < 0.01 else 18)
        distance = round(haversine_m(point.lat, point.lon, lat, lon), 1)
        row |= {"phone_lat": lat, "phone_lon": lon, "distance_m": distance, "flagged": distance > FLAG_DISTANCE_M}
    return row


def seed_points(session: Session, duties: list[Duty]) -> None:
    """Points for the attended shifts of volunteers (police are on the clock and earn none)."""
    earning = [d for d in duties if d.assignment.status == AssignmentStatus.DONE
               and d.member.role_kind not in POLICE_ROLES]
    if not earning:
        return
    ids = [d.assignment.id for d in earning]
    credited = set(session.scalars(select(PointsEntry.assignment_id).where(PointsEntry.assignment_id.in_(ids))))
    rows = []
    for duty in earning:
        if duty.assignment.id in credited:
            continue
        hours = round((duty.shift.ends_at - duty.shift.starts_at).total_seconds() / 3600, 2)
        rows.append({
            "person_id": duty.member.id, "assignment_id": duty.assignment.id, "at": duty.shift.ends_at,
            "hours": hours, "points": round(hours * POINTS_PER_HOUR), "reason": "shift_done",
            "detail": {"duty_date": duty.shift.duty_date.isoformat(), "shift": duty.plan.name},
        })
    if rows:
        session.execute(PointsEntry.__table__.insert(), rows)


def seed_last_positions(session: Session, world: World, tonight: list[Duty], last_seen: dict[tuple[int, int], Seen],
                        snapshot: datetime) -> None:
    """Where each person on duty at the snapshot was last seen: their last check-in, else their post or shop."""
    positions: dict[int, LastPosition] = {}
    for duty in tonight:
        if not duty.covers(snapshot) or duty.assignment.attended_at is None:
            continue
        person_id = duty.member.id
        if (duty.shift.id, person_id) in last_seen:
            lat, lon, cell, seen_at = last_seen[(duty.shift.id, person_id)]
            positions[person_id] = LastPosition(person_id=person_id, lat=lat, lon=lon, cell=cell,
                                                seen_at=seen_at, source="checkin")
            continue
        shop = world.shop_of.get(person_id)
        lat, lon = (shop.lat, shop.lon) if shop else (duty.plan.lat, duty.plan.lon)
        positions[person_id] = LastPosition(person_id=person_id, lat=lat, lon=lon, cell=cell_of(lat, lon),
                                            seen_at=duty.assignment.attended_at, source="post")
    if not positions:
        return
    stored = {p.person_id: p for p in session.scalars(
        select(LastPosition).where(LastPosition.person_id.in_(positions)))}
    for person_id, position in positions.items():
        current = stored.get(person_id)
        if current is None:
            session.add(position)
        elif current.seen_at < position.seen_at:
            for column in ("lat", "lon", "cell", "seen_at", "source"):
                setattr(current, column, getattr(position, column))

