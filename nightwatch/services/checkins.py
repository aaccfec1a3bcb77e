"""Check in at a checkpoint from its QR link: verify, count once, mark attendance, move the person's dot.

A refused link (forged, unknown point, retired point) is written to the audit trail in its own
transaction, so the refusal survives the rollback of the check-in that never happened.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import (
    Account,
    Assignment,
    AuditEvent,
    CheckIn,
    Checkpoint,
    District,
    Grid,
    LastPosition,
    Person,
    Route,
    RouteStop,
    Shift,
    Team,
)
from nightwatch import checkins
from nightwatch.access import (
    COORDINATING,
    PATROLLING,
    Actor,
    Forbidden,
    require_district,
    require_role,
)
from nightwatch.checkins import (
    CheckInAlert,
    CheckInOutcome,
    CheckInRefused,
    PhoneFix,
    PointCard,
)
from nightwatch.config import Settings
from nightwatch.geo import cell_of
from nightwatch.nights import DEFAULT_TIMEZONE, duty_date_of, window_of_night
from nightwatch.services import heat_rollup
from nightwatch.services.attendance import record_check_in
from nightwatch.services.audit import record
from nightwatch.signing import verify_checkpoint
from nightwatch.vocab import HOLDING_STATUSES, CheckInMethod

REFUSED = "checkin.refused"
RECORDED = "checkin.record"
ALERTS_LIMIT = 200


class _BadLink(Exception):
    """A link that failed verification: why, and the point's district when the point exists."""

    def __init__(self, reason: str, checkpoint: Checkpoint | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.checkpoint_id = checkpoint.id if checkpoint is not None else None
        self.district_id = checkpoint.district_id if checkpoint is not None else None


def _verified(session: Session, checkpoint_id: object, signature: object) -> Checkpoint:
    """The checkpoint the link names, when it exists, is in use and the signature is its own."""
    point = session.get(Checkpoint, checkpoint_id) if isinstance(checkpoint_id, int) else None
    if point is None:
        raise _BadLink("unknown_point", None)
    if not verify_checkpoint(point.id, point.secret, signature):
        raise _BadLink("forged", point)
    if not point.active:
        raise _BadLink("inactive", point)
    return point


def _record_refusal(session_factory: sessionmaker, actor: Actor, bad: _BadLink, now: datetime) -> None:
    """Write the refused scan to the audit trail (never the signature itself), in its own transaction."""
    with session_factory.begin() as session:
        record(session, actor, REFUSED, "checkpoint", bad.checkpoint_id, district_id=bad.district_id,
               after={"reason": bad.reason}, at=now)  # the service's moment: a night's alerts find it by time


def _card(session: Session, point: Checkpoint) -> PointCard:
    """What to say about a verified point: its name and its district's."""
    district = session.get_one(District, point.district_id)
    return PointCard(point.id, point.name, district.id, district.name)


def inspect_link(*, session_factory: sessionmaker, actor: Actor, checkpoint_id: object, signature: object,
                 now: datetime | None = None) -> PointCard:
    """Which point a link names, once it verifies; a bad link scanned by someone on patrol is recorded."""
    with session_factory() as session:
        try:
            return _card(session, _verified(session, checkpoint_id, signature))
        except _BadLink as bad:
            refused = bad
    if actor.role in PATROLLING and actor.person_id is not None:
        _record_refusal(session_factory, actor, refused, now or datetime.now(timezone.utc))
    raise CheckInRefused(checkins.refusal_key(refused.reason))


def verify_poster(*, session_factory: sessionmaker, actor: Actor, checkpoint_id: object,
                  signature: object) -> PointCard:
    """A coordinator testing a printed poster: is this code valid, and for which point? Nothing is recorded."""
    require_role(actor, COORDINATING)
    with session_factory() as session:
        try:
            point = _verified(session, checkpoint_id, signature)
        except _BadLink as bad:
            raise CheckInRefused(checkins.refusal_key(bad.reason)) from None
        require_district(actor, point.district_id)
        return _card(session, point)


def check_in(*, session_factory: sessionmaker, actor: Actor, checkpoint_id: object, signature: object,
             now: datetime | None = None, phone: PhoneFix | None = None,
             radius_m: float | None = None) -> CheckInOutcome:
    """Record one check-in at the server's time, or say it was already counted; refuse a bad link."""
    if not actor.signed_in:
        raise Forbidden("access.sign_in_first")
    now = now or datetime.now(timezone.utc)
    radius = radius_m if radius_m is not None else Settings.from_env().checkin_radius_m
    try:
        with session_factory.begin() as session:
            point = _verified(session, checkpoint_id, signature)
            person = _patroller(session, actor, point)
            return _count(session, actor, person, point, now, phone, radius)
    except _BadLink as bad:
        _record_refusal(session_factory, actor, bad, now)
        raise CheckInRefused(checkins.refusal_key(bad.reason)) from None


def _patroller(session: Session, actor: Actor, point: Checkpoint) -> Person:
    """The actor's person, locked so one person's scans are counted one at a time; refuse non-patrollers."""
    if actor.is_coordinator:
        raise CheckInRefused("checkin.coordinator_tests_only")
    require_role(actor, PATROLLING)
    if actor.person_id is None:
        raise CheckInRefused("checkin.no_person")
    # PostgreSQL: FOR UPDATE on the person row; SQLite writers are already serialised by BEGIN IMMEDIATE.
    person = session.scalar(select(Person).where(Person.id == actor.person_id).with_for_update())
    if person is None or not person.active:
        raise CheckInRefused("checkin.no_person")
    if person.district_id != point.district_id:
        raise CheckInRefused("checkin.other_district")
    return person


def _count(session: Session, actor: Actor, person: Person, point: Checkpoint, now: datetime,
           phone: PhoneFix | None, radius: float) -> CheckInOutcome:
    """Insert the check-in (or find the one it repeats) and keep attendance, heat and position current."""
    tz = session.scalar(select(District.timezone).where(District.id == point.district_id)) or DEFAULT_TIMEZONE
    previous = session.scalar(
        select(CheckIn).where(CheckIn.person_id == person.id, CheckIn.checkpoint_id == point.id,
                              CheckIn.at > now - checkins.DUPLICATE_WINDOW, CheckIn.at <= now)
        .order_by(CheckIn.at.desc()).limit(1))
    if previous is not None and checkins.is_duplicate(previous.at, now):
        return _outcome(session, previous, point, tz, radius, duplicate=True, attended=False)
    shift = checkins.choose_shift(_held_shifts(session, person.id, point.district_id, now), point.id, point.grid_id)
    distance = checkins.measure(point.lat, point.lon, phone, radius)
    known = distance.metres is not None
    cell = point.cell or (cell_of(point.lat, point.lon) if point.lat is not None and point.lon is not None else None)
    team_type = session.scalar(select(Team.team_type).where(Team.id == person.team_id)) if person.team_id else None
    row = CheckIn(district_id=point.district_id, person_id=person.id, checkpoint_id=point.id,
                  shift_id=shift.shift_id if shift else None, at=now, duty_date=duty_date_of(now, tz),
                  method=CheckInMethod.QR, cell=cell, team_type=str(team_type) if team_type else None,
                  phone_lat=phone.lat if known and phone else None, phone_lon=phone.lon if known and phone else None,
                  distance_m=distance.metres, flagged=distance.flagged)
    session.add(row)
    session.flush()
    attended = record_check_in(session, row) is not None
    heat_rollup.count_check_in(session, row)
    _move_dot(session, person.id, point, cell, now)
    record(session, actor, RECORDED, "check_in", row.id, district_id=point.district_id,
           after={"checkpoint_id": point.id, "shift_id": row.shift_id, "distance_m": row.distance_m,
                  "flagged": row.flagged})
    return _outcome(session, row, point, tz, radius, duplicate=False, attended=attended)


def _held_shifts(session: Session, person_id: int, district_id: int, now: datetime) -> list[checkins.HeldShift]:
    """The person's shifts in the district that they hold at this moment, with their routes' points."""
    shifts = session.execute(
        select(Shift.id, Assignment.starts_at, Shift.grid_id, Shift.route_id)
        .join(Assignment, Assignment.shift_id == Shift.id)
        .where(Assignment.person_id == person_id, Shift.district_id == district_id,
               Assignment.status.in_(HOLDING_STATUSES), Assignment.starts_at <= now, Assignment.ends_at > now)
    ).all()
    routes = {route_id for *_, route_id in shifts if route_id is not None}
    points = _route_points(session, routes)
    return [checkins.HeldShift(shift_id, starts_at, grid_id, route_id, points.get(route_id, ()))
            for shift_id, starts_at, grid_id, route_id in shifts]


def _route_points(session: Session, route_ids: set[int]) -> dict[int, tuple[int, ...]]:
    """Each route's checkpoints in walking order."""
    if not route_ids:
        return {}
    stops: dict[int, list[int]] = {}
    for route_id, checkpoint_id in session.execute(
            select(RouteStop.route_id, RouteStop.checkpoint_id).where(RouteStop.route_id.in_(route_ids))
            .order_by(RouteStop.route_id, RouteStop.position)):
        stops.setdefault(route_id, []).append(checkpoint_id)
    return {route_id: tuple(points) for route_id, points in stops.items()}


def _move_dot(session: Session, person_id: int, point: Checkpoint, cell: str | None, now: datetime) -> None:
    """Put the person's last known position at the point (dispatch reads it), unless a newer one is there."""
    if point.lat is None or point.lon is None:
        return
    position = session.get(LastPosition, person_id)
    if position is None:
        session.add(LastPosition(person_id=person_id, lat=point.lat, lon=point.lon, cell=cell, seen_at=now,
                                 source="checkin"))
    elif position.seen_at <= now:
        position.lat, position.lon, position.cell, position.seen_at = point.lat, point.lon, cell, now
        position.source = "checkin"


def _outcome(session: Session, row: CheckIn, point: Checkpoint, tz: str, radius: float, *, duplicate: bool,
             attended: bool) -> CheckInOutcome:
    """What to tell the person about a counted check-in: its shift's route or grid, and the next point."""
    label, upcoming = None, None
    shift = session.get(Shift, row.shift_id) if row.shift_id is not None else None
    if shift is not None and shift.route_id is not None:
        label = session.scalar(select(Route.name).where(Route.id == shift.route_id))
        following = checkins.next_point(_route_points(session, {shift.route_id}).get(shift.route_id, ()), point.id)
        if following is not None:
            upcoming = session.scalar(select(Checkpoint.name).where(Checkpoint.id == following))
    elif shift is not None and shift.grid_id is not None:
        label = session.scalar(select(Grid.name).where(Grid.id == shift.grid_id))
    return CheckInOutcome(row.id, point.name, row.at, tz, duplicate, row.distance_m, row.flagged, label,
                          attended, upcoming, radius, shift_id=row.shift_id)


def check_in_alerts(*, session_factory: sessionmaker, actor: Actor, district_id: int,
                    night: date) -> list[CheckInAlert]:
    """The night's refused scans and far-off check-ins in the district, newest first (coordinators only)."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    with session_factory() as session:
        tz = session.scalar(select(District.timezone).where(District.id == district_id)) or DEFAULT_TIMEZONE
        window = window_of_night(night, tz)
        refused = session.execute(
            select(AuditEvent.at, AuditEvent.after, Person.name, Account.display_name, Checkpoint.name)
            .outerjoin(Account, Account.id == AuditEvent.account_id)
            .outerjoin(Person, Person.id == Account.person_id)
            .outerjoin(Checkpoint, Checkpoint.id == AuditEvent.entity_id)
            .where(AuditEvent.action == REFUSED, AuditEvent.district_id == district_id,
                   AuditEvent.at >= window.starts_at, AuditEvent.at < window.ends_at)
            .order_by(AuditEvent.at.desc()).limit(ALERTS_LIMIT)).all()
        far = session.execute(
            select(CheckIn.at, CheckIn.distance_m, Person.name, Checkpoint.name)
            .join(Checkpoint, Checkpoint.id == CheckIn.checkpoint_id)
            .outerjoin(Person, Person.id == CheckIn.person_id)
            # The window lets the (district, at) index read one night, not the district's whole history.
            .where(CheckIn.district_id == district_id, CheckIn.at >= window.starts_at, CheckIn.at < window.ends_at,
                   CheckIn.duty_date == night, CheckIn.flagged.is_(True))
            .order_by(CheckIn.at.desc()).limit(ALERTS_LIMIT)).all()
    alerts = [CheckInAlert(at, "refused", person or shown, point, reason=(after or {}).get("reason"), timezone=tz)
              for at, after, person, shown, point in refused]
    alerts += [CheckInAlert(at, "far", person, point, distance, timezone=tz) for at, distance, person, point in far]
    return sorted(alerts, key=lambda alert: alert.at, reverse=True)
