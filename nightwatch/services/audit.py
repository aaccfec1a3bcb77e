"""The audit trail: recording every write and reveal, and reading it back within one's scope."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, or_, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import AuditEvent, District
from db.prepared import Prepared
from db.types import utcnow
from nightwatch.access import COORDINATING, Actor, require_role
from nightwatch.privacy import mask_phones_in

PAGE_SIZE = 200
INSERT_EVENT = Prepared(insert(AuditEvent.__table__))


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None = None,
    *,
    district_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Add one audit event to the caller's transaction (at `at`, else now); phones in the actor and values masked."""
    session.add(AuditEvent(**_event(actor, action, entity, entity_id, district_id, before, after, at)))


def record_now(
    connection: Connection, actor: Actor, action: str, entity: str, entity_id: int | None = None, *,
    district_id: int | None = None, after: dict[str, Any] | None = None,
) -> None:
    """The same event as `record`, written at once by one INSERT (for hot write paths; no object to flush)."""
    INSERT_EVENT.execute(connection, _event(actor, action, entity, entity_id, district_id, None, after, None))


def _event(actor: Actor, action: str, entity: str, entity_id: int | None, district_id: int | None,
           before: dict[str, Any] | None, after: dict[str, Any] | None, at: datetime | None) -> dict[str, Any]:
    """An audit event's column values, phones masked."""
    return {"at": at or utcnow(), "account_id": actor.account_id, "actor": mask_phones_in(actor.login),
            "action": action, "entity": entity, "entity_id": entity_id, "district_id": district_id,
            "before": mask_phones_in(before), "after": mask_phones_in(after)}


@dataclass(frozen=True)
class AuditRow:
    """One event as the audit page shows it."""

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    district: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def read_log(
    *, session_factory: sessionmaker, actor: Actor, district_id: int | None = None,
    older_than_id: int | None = None, limit: int = PAGE_SIZE,
) -> list[AuditRow]:
    """The newest events the actor may read: coordinators their districts' (and their own), admins all."""
    require_role(actor, COORDINATING)
    query = (
        select(AuditEvent, District.name)
        .outerjoin(District, District.id == AuditEvent.district_id)
        .order_by(AuditEvent.id.desc())
        .limit(min(limit, PAGE_SIZE))
    )
    if not actor.is_admin:
        mine = [AuditEvent.district_id.in_(actor.district_ids)]
        if actor.account_id is not None:  # `== None` would match every account-less event
            mine.append(AuditEvent.account_id == actor.account_id)
        query = query.where(or_(*mine))
    if district_id is not None:
        query = query.where(AuditEvent.district_id == district_id)
    if older_than_id is not None:
        query = query.where(AuditEvent.id < older_than_id)
    with session_factory() as session:
        return [
            AuditRow(e.id, e.at, e.actor, e.action, e.entity, e.entity_id, name, e.before, e.after)
            for e, name in session.execute(query)
        ]
