"""复查: booking a rectified hazard's re-inspection onto the next patrol of its grid, and recording the result.

The patrol is the earliest shift starting after the rectification that someone still holds: first one
walking a route of the hazard's grid (the route's grid, or a stop at a checkpoint in it), else any shift
at that grid. With none on the roster the inspection waits unbooked for the next night and
``book_pending`` books it once a shift exists (and moves one whose patrol ended without doing it).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import (
    Assignment,
    District,
    Grid,
    Hazard,
    HazardInspection,
    Shift,
    Shop,
)
from db.patrols import next_patrol
from nightwatch.access import (
    COORDINATING,
    PATROLLING,
    Actor,
    Forbidden,
    covers_district,
    require_district,
    require_role,
)
from nightwatch.hazards import (
    HazardEvent,
    HazardTransitionRefused,
    advance,
    apply_state,
    state_of,
)
from nightwatch.nights import duty_date_of
from nightwatch.privacy import mask_phones_in
from nightwatch.services import shop_risk
from nightwatch.services.audit import record
from nightwatch.services.hazard_photos import HazardRefused, forget_photo, store_photo
from nightwatch.services.roster_views import timezone_of
from nightwatch.text import optional_text
from nightwatch.vocab import HOLDING_STATUSES, HazardCategory, HazardStatus


def schedule(session: Session, hazard: Hazard, now: datetime) -> HazardInspection:
    """Book the 复查 of a just-rectified hazard (in the caller's transaction)."""
    tz = timezone_of(session, hazard.district_id)
    shift = next_patrol(session, hazard.district_id, hazard.grid_id, hazard.rectified_at or now)
    inspection = HazardInspection(hazard_id=hazard.id, district_id=hazard.district_id, scheduled_at=now,
                                  shift_id=shift.id if shift else None,
                                  duty_date=shift.duty_date if shift else duty_date_of(now, tz) + timedelta(days=1))
    session.add(inspection)
    hazard.reinspect_on = inspection.duty_date
    return inspection


def book_pending(session: Session, district_id: int, now: datetime) -> int:
    """Book waiting re-inspections of the district onto patrols now on the roster; how many were (re)booked."""
    # A patrol that ended stays booked until its night is over (06:00), so it can still be recorded after midnight.
    tonight = duty_date_of(now, timezone_of(session, district_id))
    waiting = session.execute(
        select(HazardInspection, Hazard).join(Hazard, Hazard.id == HazardInspection.hazard_id)
        .outerjoin(Shift, Shift.id == HazardInspection.shift_id)
        .where(HazardInspection.district_id == district_id, HazardInspection.done_at.is_(None),
               Hazard.status == HazardStatus.RECTIFIED,
               or_(HazardInspection.shift_id.is_(None), (Shift.ends_at < now) & (Shift.duty_date < tonight)))
    ).all()
    booked = 0
    for inspection, hazard in waiting:
        shift = next_patrol(session, district_id, hazard.grid_id, max(now, hazard.rectified_at or now))
        if shift is None or shift.id == inspection.shift_id:
            continue
        inspection.shift_id, inspection.duty_date = shift.id, shift.duty_date
        hazard.reinspect_on = shift.duty_date
        booked += 1
    return booked


def book_pending_for(*, session_factory: sessionmaker, district_ids: list[int], now: datetime) -> int:
    """book_pending over several districts in one transaction (run when the hazards page or my tasks load)."""
    with session_factory.begin() as session:
        return sum(book_pending(session, district_id, now) for district_id in district_ids)


def _on_shift(session: Session, person_id: int | None, shift_id: int | None) -> bool:
    """True when the person holds the shift."""
    if person_id is None or shift_id is None:
        return False
    return session.scalar(select(Assignment.id).where(
        Assignment.shift_id == shift_id, Assignment.person_id == person_id,
        Assignment.status.in_(HOLDING_STATUSES))) is not None


def record_result(*, session_factory: sessionmaker, actor: Actor, inspection_id: int, passed: bool, note: str = "",
                  photo: bytes | None = None, now: datetime, upload_dir: str | Path | None = None) -> HazardStatus:
    """Pass or fail a 复查: by someone on the booked patrol, or a coordinator of the district; the new status."""
    photo_path = store_photo(photo, upload_dir)
    try:
        with session_factory.begin() as session:
            inspection = session.scalar(select(HazardInspection).where(HazardInspection.id == inspection_id)
                                        .with_for_update())
            if inspection is None:
                raise HazardRefused("hazards.not_found")
            allowed = (actor.is_coordinator and covers_district(actor, inspection.district_id)) or (
                covers_district(actor, inspection.district_id) and _on_shift(session, actor.person_id,
                                                                              inspection.shift_id))
            if not allowed:
                raise Forbidden("hazards.not_your_reinspection")
            if inspection.done_at is not None:
                raise HazardRefused("hazards.stale")
            hazard = session.scalar(select(Hazard).where(Hazard.id == inspection.hazard_id).with_for_update())
            before = hazard.status.value
            event = HazardEvent.PASS if passed else HazardEvent.FAIL
            try:
                apply_state(hazard, advance(state_of(hazard), event, now, duty_date_of(now, timezone_of(session,
                                                                                                  hazard.district_id))))
            except HazardTransitionRefused as refused:
                raise HazardRefused("hazards.stale" if hazard.status is not HazardStatus.RECTIFIED
                                    else refused.key) from None
            inspection.done_at, inspection.passed = now, passed
            inspection.done_by_id, inspection.done_by_account_id = actor.person_id, actor.account_id
            inspection.note, inspection.photo_path = optional_text(note), photo_path
            record(session, actor, f"hazard.{event.value}", "hazard", hazard.id, district_id=hazard.district_id,
                   before={"status": before}, after={"status": hazard.status.value, "inspection": inspection.id,
                                                     "reopen_count": hazard.reopen_count}, at=now)
            if hazard.shop_id is not None:
                shop_risk.refresh_risk(session, hazard.shop_id, now)
            return hazard.status
    except Exception:
        forget_photo(photo_path, upload_dir)
        raise


@dataclass(frozen=True)
class Reinspection:
    """A 复查 to do: the hazard, its before/after photos, the patrol it rides on."""

    id: int
    hazard_id: int
    category: HazardCategory
    description: str
    where: str
    rectify_note: str | None
    photo_path: str | None
    after_photo_path: str | None
    duty_date: date
    shift_id: int | None
    shift_starts_at: datetime | None
    shift_ends_at: datetime | None
    grid: str | None
    timezone: str


def _reinspections(session: Session, *conditions: object, coordinator: bool) -> list[Reinspection]:
    """Undone re-inspections matching the conditions, soonest first."""
    rows = session.execute(
        select(HazardInspection.id, Hazard.id, Hazard.category, Hazard.description, Shop.name, Hazard.location_note,
               Hazard.rectify_note, Hazard.photo_path, Hazard.after_photo_path, HazardInspection.duty_date,
               HazardInspection.shift_id, Shift.starts_at, Shift.ends_at, Grid.name, District.timezone)
        .join(Hazard, Hazard.id == HazardInspection.hazard_id).join(District, District.id == Hazard.district_id)
        .outerjoin(Shift, Shift.id == HazardInspection.shift_id).outerjoin(Shop, Shop.id == Hazard.shop_id)
        .outerjoin(Grid, Grid.id == Hazard.grid_id)
        .where(HazardInspection.done_at.is_(None), Hazard.status == HazardStatus.RECTIFIED, *conditions)
        .order_by(HazardInspection.duty_date, Shift.starts_at, HazardInspection.id)).all()
    masked = (lambda text: text) if coordinator else mask_phones_in
    return [Reinspection(r[0], r[1], r[2], masked(r[3] or ""), " · ".join(p for p in (r[4], r[5]) if p), masked(r[6]),
                         *r[7:]) for r in rows]


def my_reinspections(*, session_factory: sessionmaker, actor: Actor, now: datetime) -> list[Reinspection]:
    """Re-inspections booked on patrols the actor holds that have not ended more than a night ago."""
    require_role(actor, PATROLLING)
    if actor.person_id is None:
        return []
    mine = select(Assignment.shift_id).where(Assignment.person_id == actor.person_id,
                                             Assignment.status.in_(HOLDING_STATUSES))
    with session_factory() as session:
        return _reinspections(session, HazardInspection.shift_id.in_(mine), Shift.ends_at > now - timedelta(hours=12),
                              Shift.starts_at < now + timedelta(hours=36), coordinator=False)


def due_on_night(*, session_factory: sessionmaker, actor: Actor, district_id: int,
                 duty_date: date) -> list[Reinspection]:
    """A coordinator's view of the district's re-inspections due that night (booked or still waiting)."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    with session_factory() as session:
        return _reinspections(session, HazardInspection.district_id == district_id,
                              HazardInspection.duty_date == duty_date, coordinator=True)
