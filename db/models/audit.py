"""The audit trail: who did what, when, with the values before and after."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base
from db.types import JSONDoc, UTCDateTime, utcnow


class AuditEvent(Base):
    """One write or reveal of personal data; phones in before/after are stored masked."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index(None, "district_id", "at"),
        Index(None, "entity", "entity_id"),
        Index(None, "account_id", "at"),
        # Counting a login's recent refused sign-ins (the lockout) reads by actor and time.
        Index(None, "actor", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    # The login as it was, so the trail still reads after an account is gone.
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None]
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id", ondelete="SET NULL"))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
