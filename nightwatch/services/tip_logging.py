"""Logging a tip for someone else: a call, a walk-in at a duty post or booth, a patrol's or a camera's find."""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, select
from sqlalchemy.orm import sessionmaker

from db.models import District
from db.types import utcnow
from nightwatch import geo, nights
from nightwatch.access import COORDINATING, Actor, require_district, require_role
from nightwatch.services.tip_grids import grid_at
from nightwatch.services.tip_posting import (
    MAX_LABEL,
    Draft,
    TipRefused,
    Where,
    checked_point,
    checked_text,
    existing_for_key,
    insert_tip,
)
from nightwatch.text import clean_text, optional_text
from nightwatch.vocab import TipCategory, TipSource, TipStatus, Urgency

MAX_CALLER_NAME = 80
# Digits with the separators people type: +86 138-0000-0000, (0773) 1234567, 110 …
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()-]{2,18}[0-9]$")


def checked_caller(name: str | None, phone: str | None) -> tuple[str | None, str | None]:
    """The caller's name and phone as given, trimmed; refuses a name too long or a phone that is not one."""
    name, phone = optional_text(name), optional_text(phone)
    if name is not None and len(name) > MAX_CALLER_NAME:
        raise TipRefused("tips.caller_name_too_long", limit=MAX_CALLER_NAME)
    if phone is not None and not PHONE_PATTERN.fullmatch(phone):
        raise TipRefused("tips.caller_phone_invalid")
    return name, phone


def log_tip(
    *, session_factory: sessionmaker, actor: Actor, district_id: int, category: TipCategory, text: str,
    urgency: Urgency, where: Where, source: TipSource, caller_name: str | None = None,
    caller_phone: str | None = None, anonymous: bool = False, idempotency_key: str | None = None,
    photo: bytes | None = None, now: datetime | None = None, upload_dir: str | Path | None = None,
) -> int:
    """A coordinator's record of a tip that came another way, with its source and the caller's contact."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    now = now or utcnow()
    words, (lat, lon) = checked_text(text), checked_point(where)
    name, phone = checked_caller(caller_name, caller_phone)
    category, urgency, source = TipCategory(category), Urgency(urgency), TipSource(source)
    # The audit log keeps that a caller was named, never who (the row itself holds the contact).
    after = {"category": category.value, "urgency": urgency.value, "source": source.value,
             "caller": name is not None or phone is not None, "photo": photo is not None}

    def draft(connection: Connection) -> Draft | int:
        district = connection.execute(select(District.timezone).where(District.id == district_id)).first()
        if district is None:
            raise TipRefused("tips.no_district")
        timezone = district.timezone or nights.DEFAULT_TIMEZONE
        earlier = existing_for_key(connection, actor, idempotency_key)
        if earlier is not None:
            return earlier
        return Draft(dict(
            district_id=district_id, grid_id=grid_at(connection, district_id, lat, lon),
            reporter_account_id=actor.account_id, caller_name=name, caller_phone=phone, anonymous=bool(anonymous),
            source=source, category=category, urgency=urgency, text=words,
            location_note=clean_text(where.label)[:MAX_LABEL] or None,
            lat=lat, lon=lon, cell=geo.cell_of(lat, lon), status=TipStatus.RECEIVED,
            idempotency_key=idempotency_key, received_at=now, duty_date=nights.duty_date_of(now, timezone),
        ), timezone)

    return insert_tip(session_factory, actor, idempotency_key, draft, photo, upload_dir, after, action="tip.log")
