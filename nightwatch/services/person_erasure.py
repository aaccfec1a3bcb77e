"""Erasure on request (PIPL): a person anonymised with their reports, photos and accounts, recorded in the audit log.

Rows stay so rosters, attendance and heatmaps still add up; what identifies the person does not.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from db.models import (
    Account,
    AccountToken,
    Assignment,
    AuditEvent,
    Availability,
    CheckIn,
    Dispatch,
    Hazard,
    HazardInspection,
    LastPosition,
    OutboundNotice,
    OutreachEvent,
    PointsEntry,
    Shift,
    Shop,
    ShopInspection,
    SwapOffer,
    Tip,
    TipFollower,
)
from nightwatch import retention
from nightwatch.access import Actor
from nightwatch.services.audit import record
from nightwatch.services.person_rights import (
    account_ids_of,
    person_in_scope,
    tips_reported_by,
)
from nightwatch.services.retention import anonymise_tips, remove_files, settle_on_disk

# Free-text columns that may name the person (or hold their phone) in other rows.
TEXT_COLUMNS = (
    (Tip, "text"), (Tip, "location_note"), (Tip, "outcome_note"), (Tip, "caller_name"), (Tip, "caller_phone"),
    (Dispatch, "note"), (TipFollower, "note"), (Hazard, "description"), (Hazard, "responsible_party"),
    (Hazard, "location_note"), (Hazard, "rectify_note"), (HazardInspection, "note"), (ShopInspection, "note"),
    (Shift, "note"), (SwapOffer, "note"), (Assignment, "override_reason"), (OutreachEvent, "note"),
    (OutreachEvent, "title"), (Shop, "owner_name"), (Shop, "owner_phone"), (Shop, "note"), (AccountToken, "note"),
    (Account, "display_name"), (AuditEvent, "actor"), (OutboundNotice, "last_error"),
)
# JSON columns that may quote the person, with the column that narrows the search to the person's district.
JSON_COLUMNS = (
    (AuditEvent, ("before", "after"), "district_id"),
    (OutboundNotice, ("payload",), "district_id"),
    (Shop, ("contacts",), "district_id"),
)


@dataclass(frozen=True)
class ErasureCounts:
    """What an erasure changed."""

    tips: int
    check_ins: int
    accounts: int
    photos: int
    rows_scrubbed: int

    def as_dict(self) -> dict[str, int]:
        """The counts by name, as the audit log keeps them."""
        return {"tips": self.tips, "check_ins": self.check_ins, "accounts": self.accounts, "photos": self.photos,
                "rows_scrubbed": self.rows_scrubbed}


def _scrub_text(session: Session, needles: tuple[str, ...]) -> int:
    """Replace the needles inside every free-text column that holds one; the number of rows changed."""
    changed = 0
    for model, name in TEXT_COLUMNS:
        column = getattr(model, name)
        hits = session.scalars(select(model).where(or_(*[column.contains(n, autoescape=True) for n in needles])))
        for row in hits:
            setattr(row, name, retention.scrub(getattr(row, name), needles))
            changed += 1
    return changed


def _scrub_json(session: Session, needles: tuple[str, ...], district_id: int) -> int:
    """Replace the needles inside JSON documents of the person's district (and district-less ones)."""
    changed = 0
    for model, names, scope in JSON_COLUMNS:
        where = getattr(model, scope)
        for row in session.scalars(select(model).where(or_(where == district_id, where.is_(None)))):
            touched = False
            for name in names:
                value = getattr(row, name)
                cleaned = retention.scrub(value, needles)
                if cleaned != value:
                    setattr(row, name, cleaned)
                    touched = True
            changed += touched
    return changed


def _close_accounts(session: Session, account_ids: list[int], now: datetime) -> None:
    """Disable the person's accounts for good: no password, no sessions, a placeholder login."""
    for account in session.scalars(select(Account).where(Account.id.in_(account_ids))):
        account.login = retention.erased_login(account.id)
        account.password_hash = None
        account.display_name = None
        account.active = False
        account.disabled_at = account.disabled_at or now
    session.execute(delete(AccountToken).where(AccountToken.account_id.in_(account_ids)))
    for account_id in account_ids:
        session.execute(update(AuditEvent).where(AuditEvent.account_id == account_id)
                        .values(actor=retention.erased_login(account_id)))


def _points_details(session: Session, person_id: int, needles: tuple[str, ...]) -> None:
    """Scrub the person's own points ledger notes."""
    for entry in session.scalars(select(PointsEntry).where(PointsEntry.person_id == person_id)):
        entry.detail = retention.scrub(entry.detail, needles)


def _former_names(session: Session, person_id: int) -> tuple[str, ...]:
    """Names the person went by before an edit, as the audit log remembers them."""
    names: set[str] = set()
    for before, after in session.execute(select(AuditEvent.before, AuditEvent.after).where(
            AuditEvent.entity == "person", AuditEvent.entity_id == person_id)):
        for values in (before, after):
            name = values.get("name") if isinstance(values, dict) else None
            if isinstance(name, str):
                names.add(name)
    return tuple(sorted(names))


def erase_person(*, session_factory: sessionmaker, actor: Actor, person_id: int, now: datetime,
                 upload_dir: str | Path | None = None) -> ErasureCounts:
    """Erase one person on request: coordinators of their district only; recorded with who asked."""
    with session_factory.begin() as session:
        person = person_in_scope(session, actor, person_id)
        accounts = account_ids_of(session, person.id)
        logins = [login for login in session.scalars(select(Account.login).where(Account.id.in_(accounts)))
                  if not login.startswith("erased-")]
        needles = retention.needles_for((person.name, *_former_names(session, person.id)), (person.phone,), logins)
        tips = session.scalars(tips_reported_by(person.id, accounts)).all()
        photos = anonymise_tips(session, tips, upload_dir)
        check_ins = session.execute(update(CheckIn).where(CheckIn.person_id == person.id)
                                    .values(**retention.anonymised_check_in())).rowcount
        person.name, person.phone = retention.REDACTED, retention.erased_phone(person.id)
        person.active, person.skills = False, []
        session.execute(delete(Availability).where(Availability.person_id == person.id))
        session.execute(delete(LastPosition).where(LastPosition.person_id == person.id))
        session.execute(update(Hazard).where(Hazard.reported_by_account_id.in_(accounts))
                        .values(reported_by_account_id=None))
        session.execute(update(TipFollower).where(TipFollower.account_id.in_(accounts)).values(account_id=None))
        _close_accounts(session, accounts, now)
        _points_details(session, person.id, needles)
        session.flush()
        scrubbed = _scrub_text(session, needles) + _scrub_json(session, needles, person.district_id) if needles else 0
        counts = ErasureCounts(tips=len(tips), check_ins=check_ins, accounts=len(accounts), photos=len(photos),
                               rows_scrubbed=scrubbed)
        record(session, actor, "person.erase", "person", person.id, district_id=person.district_id, at=now,
               after=counts.as_dict())
    remove_files(photos)
    settle_on_disk(session_factory)
    return counts

