"""A person's rights over their data (PIPL): everything the app holds about them, exported for them.

Erasure on request lives in `services/person_erasure.py`; both are for coordinators of the person's district.
"""
from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, or_, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import (
    Account,
    Assignment,
    AuditEvent,
    Availability,
    CheckIn,
    Dispatch,
    Hazard,
    HazardInspection,
    LastPosition,
    Person,
    PointsEntry,
    Shift,
    Shop,
    SwapOffer,
    Team,
    Tip,
)
from nightwatch.access import COORDINATING, Actor, require_district, require_role
from nightwatch.services.audit import record
from nightwatch.services.hazard_photos import photo_file


class PersonMissing(LookupError):
    """No such person; the message is a catalog key."""

    def __init__(self, key: str = "rights.no_person") -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class PersonExport:
    """One person's data: section name → rows, and the photo files of the tips they reported."""

    person_id: int
    sections: dict[str, Any]
    photos: list[Path] = field(default_factory=list)

    def as_json(self) -> bytes:
        """The export as UTF-8 JSON, readable as is."""
        return json.dumps(self.sections, ensure_ascii=False, indent=2).encode("utf-8")

    def as_zip(self) -> bytes:
        """The JSON and the photos in one ZIP archive."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"person-{self.person_id}.json", self.as_json())
            for photo in self.photos:
                archive.write(photo, f"photos/{photo.name}")
        return buffer.getvalue()


def person_in_scope(session: Session, actor: Actor, person_id: int) -> Person:
    """The person, for a coordinator of their district (or an administrator); refuses anyone else."""
    require_role(actor, COORDINATING)
    person = session.get(Person, person_id)
    if person is None:
        raise PersonMissing()
    require_district(actor, person.district_id)
    return person


def plain(value: Any) -> Any:
    """A column value as JSON can hold it."""
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return float(value)
    return value


def row_of(entity: Any, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every column of a row but the dropped ones, as plain values."""
    return {attr.key: plain(getattr(entity, attr.key)) for attr in inspect(entity).mapper.column_attrs
            if attr.key not in drop}


def _rows(session: Session, query: Any, drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The rows a query selects, as plain dictionaries."""
    return [row_of(entity, drop) for entity in session.scalars(query)]


def account_ids_of(session: Session, person_id: int) -> list[int]:
    """The accounts linked to the person."""
    return list(session.scalars(select(Account.id).where(Account.person_id == person_id)))


def tips_reported_by(person_id: int, account_ids: list[int]) -> Any:
    """The tips the person reported, themselves or through one of their accounts."""
    return select(Tip).where(or_(Tip.reporter_person_id == person_id, Tip.reporter_account_id.in_(account_ids)))


def _audit(session: Session, person_id: int, account_ids: list[int]) -> list[dict[str, Any]]:
    """Audit events about the person (in full) and by their accounts (what was done, without others' values)."""
    about = or_(
        (AuditEvent.entity == "person") & (AuditEvent.entity_id == person_id),
        (AuditEvent.entity == "account") & AuditEvent.entity_id.in_(account_ids),
    )
    rows = []
    for event in session.scalars(select(AuditEvent).where(or_(about, AuditEvent.account_id.in_(account_ids)))
                                 .order_by(AuditEvent.id)):
        is_about = (event.entity == "person" and event.entity_id == person_id) or (
            event.entity == "account" and event.entity_id in account_ids)
        rows.append(row_of(event, () if is_about else ("before", "after")))
    return rows


def collect(session: Session, person: Person) -> dict[str, Any]:
    """Everything held about the person, section by section."""
    pid, accounts = person.id, account_ids_of(session, person.id)
    shifts = select(Shift.id, Shift.duty_date, Shift.grid_id, Shift.route_id, Shift.duty_post_id)
    assignments = []
    for assignment in session.scalars(select(Assignment).where(Assignment.person_id == pid).order_by(Assignment.id)):
        shift = session.execute(shifts.where(Shift.id == assignment.shift_id)).one()
        assignments.append({**row_of(assignment), "duty_date": plain(shift.duty_date), "grid_id": shift.grid_id,
                            "route_id": shift.route_id, "duty_post_id": shift.duty_post_id})
    return {
        "person": row_of(person),
        "teams": _rows(session, select(Team).where(or_(Team.id == person.team_id, Team.leader_id == pid)),
                       ("area",)),
        "availability": _rows(session, select(Availability).where(Availability.person_id == pid)),
        "assignments": assignments,
        "check_ins": _rows(session, select(CheckIn).where(CheckIn.person_id == pid).order_by(CheckIn.at)),
        "points": _rows(session, select(PointsEntry).where(PointsEntry.person_id == pid).order_by(PointsEntry.at)),
        "swap_offers": _rows(session, select(SwapOffer).where(or_(
            SwapOffer.offered_by_id == pid, SwapOffer.offered_to_id == pid, SwapOffer.taken_by_id == pid))),
        "last_position": _rows(session, select(LastPosition).where(LastPosition.person_id == pid)),
        "accounts": _rows(session, select(Account).where(Account.id.in_(accounts)), ("password_hash",)),
        # Callers a coordinator logged on someone's behalf are other people: their name and phone stay out.
        "tips_reported": _rows(session, tips_reported_by(pid, accounts).order_by(Tip.received_at),
                               ("caller_name", "caller_phone", "idempotency_key")),
        "dispatches": _rows(session, select(Dispatch).where(Dispatch.person_id == pid).order_by(Dispatch.sent_at)),
        "hazards": _rows(session, select(Hazard).where(or_(
            Hazard.found_by_id == pid, Hazard.assignee_id == pid, Hazard.reported_by_account_id.in_(accounts)))),
        "hazard_inspections": _rows(session, select(HazardInspection).where(HazardInspection.done_by_id == pid)),
        "shops": [{"id": shop_id, "name": name} for shop_id, name in
                  session.execute(select(Shop.id, Shop.name).where(Shop.codefender_id == pid))],
        "audit": _audit(session, pid, accounts),
    }


def export_person(*, session_factory: sessionmaker, actor: Actor, person_id: int, now: datetime,
                  upload_dir: str | Path | None = None) -> PersonExport:
    """Everything held about one person, for them; the export itself is recorded with who asked."""
    with session_factory.begin() as session:
        person = person_in_scope(session, actor, person_id)
        sections = collect(session, person)
        photos = [path for path in (photo_file(tip["photo_path"], upload_dir) for tip in sections["tips_reported"])
                  if path is not None]
        sections = {"exported_at": now.isoformat(), "exported_by": actor.login, **sections}
        record(session, actor, "person.export", "person", person.id, district_id=person.district_id, at=now,
               after={"sections": {name: len(rows) for name, rows in sections.items() if isinstance(rows, list)},
                      "photos": len(photos)})
    return PersonExport(person_id, sections, photos)
