"""Outbound notices to a group robot: queued in the dispatch's transaction, sent afterwards with retries.

Off unless Settings.webhook_url is set. Sending happens outside any transaction: the POST may
wait up to TIMEOUT_S per attempt, and no database lock is held meanwhile; each attempt's
result is written in its own short transaction.
"""
from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from db.models import OutboundNotice
from db.types import utcnow
from nightwatch.access import COORDINATING, Actor, require_district, require_role
from nightwatch.config import Settings
from nightwatch.webhook import backoff_s, redact_url, robot_refused, text_of

TIMEOUT_S = 5.0
MAX_ATTEMPTS = 3
# A claim this old belongs to a sender that died mid-POST (one attempt takes at most TIMEOUT_S).
CLAIM_EXPIRES = timedelta(minutes=2)


def enabled(settings: Settings | None) -> bool:
    """True when an outbound webhook is configured."""
    return settings is not None and bool(settings.webhook_url)


def enqueue(session: Session, *, key: str, kind: str, district_id: int | None, body: dict) -> bool:
    """Queue one notice in the caller's transaction; a key already queued is left alone (False)."""
    if session.scalar(select(OutboundNotice.id).where(OutboundNotice.key == key)) is not None:
        return False
    try:
        with session.begin_nested():  # a racing writer's row wins; ours is dropped, not the whole write
            session.add(OutboundNotice(key=key, kind=kind, district_id=district_id, payload=body))
    except IntegrityError:
        return False
    return True


def _post(url: str, body: dict) -> tuple[bool, str | None, dict | None]:
    """POST the JSON once: (delivered, error, parsed reply)."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as reply:
            raw = reply.read(65536)
    except urllib.error.HTTPError as error:
        return False, f"HTTP {error.code}", None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return False, f"{type(error).__name__}: {reason}", None
    try:
        parsed = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        parsed = None
    return True, None, parsed if isinstance(parsed, dict) else None


def _clean(error: str, url: str) -> str:
    """An error fit to store: never the URL's query string (robot keys), at most 200 characters."""
    return error.replace(url, redact_url(url))[:200]


def _record(session_factory: sessionmaker, notice_id: int, attempts: int, status: str, error: str | None) -> None:
    """Write how an attempt went and release the claim."""
    with session_factory.begin() as session:
        notice = session.get(OutboundNotice, notice_id)
        notice.attempts, notice.status, notice.last_error, notice.claimed_at = attempts, status, error, None
        if status == "sent":
            notice.sent_at = utcnow()


def _takeable(now: datetime) -> ColumnElement[bool]:
    """A notice waiting to be sent: pending, or claimed by a sender that has since died."""
    return or_(OutboundNotice.status == "pending",
               and_(OutboundNotice.status == "sending", OutboundNotice.claimed_at < now - CLAIM_EXPIRES))


def _claim(session_factory: sessionmaker, notice_id: int, attempt: int) -> bool:
    """Take this attempt of a notice; False when another sender already has it.

    Two senders (a page's background thread and the sweep) may read the same pending row: the
    one whose UPDATE moves `attempts` on from attempt - 1 sends, the other stops. While the POST
    is under way the notice is "sending", so nobody retries it; a sender that dies mid-POST
    leaves a claim that expires after CLAIM_EXPIRES, and the next sweep tries again.
    """
    now = utcnow()
    with session_factory.begin() as session:
        claimed = session.execute(
            update(OutboundNotice)
            .where(OutboundNotice.id == notice_id, OutboundNotice.attempts == attempt - 1, _takeable(now))
            .values(attempts=attempt, status="sending", claimed_at=now))
        return claimed.rowcount == 1


def deliver(notice_id: int, body: dict, *, session_factory: sessionmaker, settings: Settings,
            sleep: Callable[[float], None] = time.sleep, attempts_done: int = 0) -> str:
    """Send one notice, retrying up to MAX_ATTEMPTS in all; its final status, or "taken" if another sender has it."""
    url = settings.webhook_url or ""
    for attempt in range(attempts_done + 1, MAX_ATTEMPTS + 1):
        if not _claim(session_factory, notice_id, attempt):
            return "taken"
        ok, error, reply = _post(url, body)
        refused = robot_refused(settings.webhook_kind, reply) if ok else None
        if ok and refused is None:
            _record(session_factory, notice_id, attempt, "sent", None)
            return "sent"
        final = attempt >= MAX_ATTEMPTS
        _record(session_factory, notice_id, attempt, "failed" if final else "pending",
                _clean(error or f"robot: {refused}", url))
        if final:
            return "failed"
        sleep(backoff_s(attempt))
    _record(session_factory, notice_id, attempts_done, "failed", "interrupted")  # its last attempt died mid-POST
    return "failed"


def send_pending(*, session_factory: sessionmaker, settings: Settings | None, keys: Iterable[str] | None = None,
                 sleep: Callable[[float], None] = time.sleep, limit: int = 50) -> dict[str, str]:
    """Send pending notices (only those keys when given); returns key → final status."""
    if not enabled(settings):
        return {}
    query = select(OutboundNotice.id, OutboundNotice.key, OutboundNotice.payload, OutboundNotice.attempts).where(
        _takeable(utcnow())).order_by(OutboundNotice.id).limit(limit)
    if keys is not None:
        query = query.where(OutboundNotice.key.in_(list(keys)))
    with session_factory() as session:
        rows = session.execute(query).all()
    return {key: deliver(notice_id, body, session_factory=session_factory, settings=settings, sleep=sleep,
                         attempts_done=attempts)
            for notice_id, key, body, attempts in rows}


def send_soon(*, session_factory: sessionmaker, settings: Settings | None, keys: Iterable[str]) -> None:
    """Send the notices on a background thread, so a page never waits on a slow robot."""
    if enabled(settings):
        threading.Thread(target=send_pending, kwargs={"session_factory": session_factory, "settings": settings,
                                                      "keys": list(keys)}, daemon=True).start()


@dataclass(frozen=True)
class NoticeRow:
    """One notice as the dispatch page lists it."""

    key: str
    kind: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    text: str


def recent(*, session_factory: sessionmaker, actor: Actor, district_id: int, limit: int = 50) -> list[NoticeRow]:
    """The district's newest notices and how they went, for its coordinators."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    with session_factory() as session:
        notices = session.scalars(select(OutboundNotice).where(OutboundNotice.district_id == district_id)
                                  .order_by(OutboundNotice.id.desc()).limit(limit)).all()
        return [NoticeRow(n.key, n.kind, n.status, n.attempts, n.last_error, n.created_at, n.sent_at,
                          text_of(n.payload))
                for n in notices]
