"""Hazards (隐患) written: reported on patrol or from a tip, verified, assigned, rectified, closed or reopened.

Coordinators do everything in their districts; team leaders and volunteers report; a merchant rectifies
its own shop's hazards. Every step locks the row, checks the status the clicker saw (a stale second
click is refused, never applied twice) and is audited. Re-inspection lives in hazard_reinspection.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Hazard, Person, Place, Shop, Tip
from nightwatch.access import (
    COORDINATING,
    PATROLLING,
    Actor,
    Forbidden,
    require_district,
    require_role,
)
from nightwatch.hazards import (
    HazardEvent,
    HazardTransitionRefused,
    advance,
    apply_state,
    reported,
    state_of,
)
from nightwatch.nights import duty_date_of
from nightwatch.services import hazard_reinspection, shop_risk
from nightwatch.services.audit import record
from nightwatch.services.hazard_photos import HazardRefused, forget_photo, store_photo
from nightwatch.services.roster_views import timezone_of
from nightwatch.text import clean_text, optional_text
from nightwatch.vocab import AccountRole, HazardCategory, HazardStatus

# A second identical report this soon after the first is the same report sent twice.
REPEAT_WINDOW = timedelta(minutes=2)
# The column's length: a longer typed location is refused, never cut.
LOCATION_NOTE_MAX = 200


def _new(session: Session, actor: Actor, district_id: int, category: HazardCategory, now: datetime,
         **columns: object) -> Hazard:
    """A reported hazard with its due date, located at its shop when it has one."""
    state = reported(category, now, duty_date_of(now, timezone_of(session, district_id)))
    hazard = Hazard(district_id=district_id, reported_by_account_id=actor.account_id, **columns)
    apply_state(hazard, state)
    shop = session.get(Shop, hazard.shop_id) if hazard.shop_id else None
    if shop is not None:
        if shop.district_id != district_id:
            raise HazardRefused("hazards.shop_elsewhere")
        hazard.grid_id = hazard.grid_id or shop.grid_id
        hazard.responsible_party = hazard.responsible_party or shop.name
        if hazard.lat is None:
            hazard.lat, hazard.lon, hazard.cell = shop.lat, shop.lon, shop.cell
    return hazard


def report(*, session_factory: sessionmaker, actor: Actor, district_id: int, category: HazardCategory,
           description: str, shop_id: int | None = None, place_id: int | None = None,
           location_note: str | None = None, photo: bytes | None = None, now: datetime,
           upload_dir: str | Path | None = None) -> int:
    """Report a hazard found on patrol (a coordinator, team leader or volunteer of the district); its id."""
    require_role(actor, COORDINATING | PATROLLING)
    require_district(actor, district_id)
    description, location_note = clean_text(description), optional_text(location_note)
    if location_note is not None and len(location_note) > LOCATION_NOTE_MAX:
        raise HazardRefused("input.too_long", limit=LOCATION_NOTE_MAX)
    if not description:
        raise HazardRefused("hazards.need_description")
    if shop_id is None and place_id is None and not location_note:
        raise HazardRefused("hazards.need_where")
    photo_path = store_photo(photo, upload_dir)
    try:
        with session_factory.begin() as session:
            repeat = session.scalar(select(Hazard.id).where(
                Hazard.district_id == district_id, Hazard.reported_by_account_id == actor.account_id,
                Hazard.category == category, Hazard.description == description, Hazard.shop_id.is_(shop_id)
                if shop_id is None else Hazard.shop_id == shop_id, Hazard.found_at >= now - REPEAT_WINDOW))
            if repeat is not None:
                forget_photo(photo_path, upload_dir)
                return repeat
            place = session.get(Place, place_id) if place_id else None
            hazard = _new(session, actor, district_id, category, now, description=description, shop_id=shop_id,
                          place_id=place.id if place else None, location_note=location_note, photo_path=photo_path,
                          found_by_id=actor.person_id, grid_id=place.grid_id if place else None)
            if place is not None and place.lat is not None:
                hazard.lat, hazard.lon, hazard.cell = place.lat, place.lon, place.cell
            session.add(hazard)
            session.flush()
            record(session, actor, "hazard.report", "hazard", hazard.id, district_id=district_id, at=now,
                   after={"category": hazard.category.value, "shop": shop_id, "due_on": str(hazard.due_on)})
            rerate_shop(session, hazard, now)
            return hazard.id
    except Exception:
        forget_photo(photo_path, upload_dir)
        raise


def report_from_tip(*, session_factory: sessionmaker, actor: Actor, tip_id: int, category: HazardCategory,
                    description: str | None = None, now: datetime) -> int:
    """Turn a tip into a hazard (coordinators), keeping its shop, grid, place and photo; the hazard's id."""
    require_role(actor, COORDINATING)
    with session_factory.begin() as session:
        tip = session.scalar(select(Tip).where(Tip.id == tip_id).with_for_update())
        if tip is None:
            raise HazardRefused("hazards.not_found")
        require_district(actor, tip.district_id)
        if session.scalar(select(Hazard.id).where(Hazard.tip_id == tip_id)) is not None:
            raise HazardRefused("hazards.tip_already")
        hazard = _new(session, actor, tip.district_id, category, now, tip_id=tip.id, shop_id=tip.shop_id,
                      grid_id=tip.grid_id, description=clean_text(description) or tip.text,
                      location_note=tip.location_note, photo_path=tip.photo_path, lat=tip.lat, lon=tip.lon,
                      cell=tip.cell, found_by_id=tip.reporter_person_id)
        session.add(hazard)
        session.flush()
        record(session, actor, "hazard.from_tip", "hazard", hazard.id, district_id=tip.district_id, at=now,
               after={"tip": tip.id, "category": hazard.category.value, "due_on": str(hazard.due_on)})
        rerate_shop(session, hazard, now)
        return hazard.id


def _locked(session: Session, hazard_id: int, expected: HazardStatus | None) -> Hazard:
    """The hazard row, locked; refuses one gone or moved on since the clicker saw it."""
    hazard = session.scalar(select(Hazard).where(Hazard.id == hazard_id).with_for_update())
    if hazard is None:
        raise HazardRefused("hazards.not_found")
    if expected is not None and hazard.status is not HazardStatus(expected):
        raise HazardRefused("hazards.stale")
    return hazard


def _move(session: Session, actor: Actor, hazard: Hazard, event: HazardEvent, now: datetime,
          after_photo: bool = False, **audit: object) -> None:
    """Apply the event to the locked row and audit it."""
    before = hazard.status.value
    try:
        apply_state(hazard, advance(state_of(hazard), event, now, duty_date_of(now, timezone_of(session, hazard.district_id)),
                                    after_photo=after_photo))
    except HazardTransitionRefused as refused:
        raise HazardRefused(refused.key) from None
    record(session, actor, f"hazard.{event.value}", "hazard", hazard.id, district_id=hazard.district_id, at=now,
           before={"status": before}, after={"status": hazard.status.value, **audit})
    rerate_shop(session, hazard, now)


def rerate_shop(session: Session, hazard: Hazard, now: datetime) -> None:
    """A hazard at a shop changes the shop's risk: keep its stored level in step."""
    if hazard.shop_id is not None:
        shop_risk.refresh_risk(session, hazard.shop_id, now)


def _coordinate(*, session_factory: sessionmaker, actor: Actor, hazard_id: int, event: HazardEvent,
                expected: HazardStatus | None, now: datetime) -> None:
    """A coordinator's step with nothing to add: verify, close (销号) or reopen."""
    require_role(actor, COORDINATING)
    with session_factory.begin() as session:
        hazard = _locked(session, hazard_id, expected)
        require_district(actor, hazard.district_id)
        _move(session, actor, hazard, event, now, reopen_count=hazard.reopen_count)


def verify(*, session_factory: sessionmaker, actor: Actor, hazard_id: int, expected: HazardStatus | None = None,
           now: datetime) -> None:
    """A coordinator confirms the hazard is real (核实)."""
    _coordinate(session_factory=session_factory, actor=actor, hazard_id=hazard_id, event=HazardEvent.VERIFY,
                expected=expected, now=now)


def close(*, session_factory: sessionmaker, actor: Actor, hazard_id: int, expected: HazardStatus | None = None,
          now: datetime) -> None:
    """A coordinator closes (销号) a hazard whose re-inspection passed."""
    _coordinate(session_factory=session_factory, actor=actor, hazard_id=hazard_id, event=HazardEvent.CLOSE,
                expected=expected, now=now)


def reopen(*, session_factory: sessionmaker, actor: Actor, hazard_id: int, expected: HazardStatus | None = None,
           now: datetime) -> None:
    """A coordinator reopens a closed hazard that came back; its due date starts again from tonight."""
    _coordinate(session_factory=session_factory, actor=actor, hazard_id=hazard_id, event=HazardEvent.REOPEN,
                expected=expected, now=now)


def assign(*, session_factory: sessionmaker, actor: Actor, hazard_id: int, assignee_id: int | None,
           responsible_party: str | None = None, expected: HazardStatus | None = None, now: datetime) -> None:
    """A coordinator hands the rectification to a follow-up person and names the responsible party (交办)."""
    require_role(actor, COORDINATING)
    with session_factory.begin() as session:
        hazard = _locked(session, hazard_id, expected)
        require_district(actor, hazard.district_id)
        if assignee_id is not None:
            person = session.get(Person, assignee_id)
            if person is None or person.district_id != hazard.district_id:
                raise HazardRefused("hazards.assignee_elsewhere")
        hazard.assignee_id = assignee_id
        hazard.responsible_party = clean_text(responsible_party) or hazard.responsible_party
        _move(session, actor, hazard, HazardEvent.ASSIGN, now, assignee=assignee_id,
              party=hazard.responsible_party)


def rectify(*, session_factory: sessionmaker, actor: Actor, hazard_id: int, photo: bytes | None, note: str = "",
            expected: HazardStatus | None = None, now: datetime, upload_dir: str | Path | None = None) -> int:
    """Mark rectified with an after photo (a coordinator, or the merchant of its shop); books the 复查, its id."""
    if not photo:
        raise HazardRefused("hazards.cannot.rectify_without_photo")
    require_role(actor, COORDINATING | {AccountRole.MERCHANT})
    photo_path = store_photo(photo, upload_dir)
    try:
        with session_factory.begin() as session:
            hazard = _locked(session, hazard_id, expected)
            if actor.role is AccountRole.MERCHANT:
                if actor.shop_id is None or hazard.shop_id != actor.shop_id:
                    raise Forbidden("hazards.not_your_shop")
            else:
                require_district(actor, hazard.district_id)
            _move(session, actor, hazard, HazardEvent.RECTIFY, now, after_photo=True)
            hazard.after_photo_path, hazard.rectify_note = photo_path, optional_text(note)
            inspection = hazard_reinspection.schedule(session, hazard, now)
            session.flush()
            return inspection.id
    except Exception:
        forget_photo(photo_path, upload_dir)
        raise
