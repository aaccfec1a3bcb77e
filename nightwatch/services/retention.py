"""The retention purge (PIPL): old tips and check-ins anonymised, their photos removed, the bytes gone from disk."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from db.models import CheckIn, Dispatch, GeocodeCache, Tip, TipFollower
from nightwatch import retention
from nightwatch.access import Actor, require_role
from nightwatch.retention import PurgeCounts
from nightwatch.services.audit import record
from nightwatch.services.hazard_photos import photo_file
from nightwatch.vocab import AccountRole

ADMINS = frozenset({AccountRole.ADMIN})


def _tips_to_purge(before: datetime):
    """Old tips that still hold anything personal."""
    return select(Tip).where(Tip.received_at < before, or_(
        Tip.text != "", *[getattr(Tip, name).isnot(None) for name in retention.TIP_PERSONAL]))


def _check_ins_to_purge(before: datetime):
    """The condition for old check-ins that still name someone or keep a phone location."""
    return (CheckIn.at < before,
            or_(CheckIn.person_id.isnot(None), CheckIn.phone_lat.isnot(None), CheckIn.phone_lon.isnot(None)))


def anonymise_tips(session: Session, tips: Iterable[Tip], upload_dir: str | Path | None) -> list[Path]:
    """Anonymise the tips in place (with their followers' and dispatches' notes); the photo files to remove."""
    photos: list[Path] = []
    ids: list[int] = []
    for tip in tips:
        stored = photo_file(tip.photo_path, upload_dir)
        if stored is not None:
            photos.append(stored)
        for name, value in retention.anonymised_tip(tip).items():
            setattr(tip, name, value)
        ids.append(tip.id)
    for chunk in _chunks(ids):
        session.execute(update(TipFollower).where(TipFollower.tip_id.in_(chunk))
                        .values(account_id=None, note=None))
        session.execute(update(Dispatch).where(Dispatch.tip_id.in_(chunk)).values(note=None))
    return photos


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    """The ids in slices small enough for one IN list on either database."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def purge(*, session_factory: sessionmaker, actor: Actor, now: datetime, days: int,
          upload_dir: str | Path | None = None, dry_run: bool = False) -> PurgeCounts:
    """Anonymise tips and check-ins older than `days` and forget old geocodes; administrators (the operator) only."""
    require_role(actor, ADMINS)
    before = retention.cutoff(now, days)
    if dry_run:
        return _count(session_factory, before, upload_dir)
    with session_factory.begin() as session:
        tips = session.scalars(_tips_to_purge(before)).all()
        photos = anonymise_tips(session, tips, upload_dir)
        check_ins = session.execute(update(CheckIn).where(*_check_ins_to_purge(before))
                                    .values(**retention.anonymised_check_in())).rowcount
        geocodes = session.execute(delete(GeocodeCache).where(GeocodeCache.found_at < before)).rowcount
        counts = PurgeCounts(tips=len(tips), check_ins=check_ins, photos=len(photos), geocodes=geocodes)
        record(session, actor, "retention.purge", "retention", at=now, after={"days": days, **counts.as_dict()})
    remove_files(photos)
    settle_on_disk(session_factory)
    return counts


def _count(session_factory: sessionmaker, before: datetime, upload_dir: str | Path | None) -> PurgeCounts:
    """What a purge would change, changing nothing."""
    with session_factory() as session:
        paths = session.scalars(_tips_to_purge(before).with_only_columns(Tip.photo_path)).all()
        return PurgeCounts(
            tips=len(paths),
            check_ins=session.scalar(select(func.count()).select_from(CheckIn).where(*_check_ins_to_purge(before))),
            photos=sum(photo_file(path, upload_dir) is not None for path in paths),
            geocodes=session.scalar(select(func.count()).select_from(GeocodeCache)
                                    .where(GeocodeCache.found_at < before)),
        )


def remove_files(paths: Iterable[Path]) -> None:
    """Delete the photo files of anonymised rows (after the commit, so a failed purge keeps them)."""
    for path in paths:
        path.unlink(missing_ok=True)


def settle_on_disk(session_factory: sessionmaker) -> bool:
    """On SQLite, fold the WAL into the database file and truncate it, so old page images are gone; True when done."""
    engine: Engine | None = getattr(session_factory, "writer", None) or session_factory.kw.get("bind")
    if engine is None or engine.dialect.name != "sqlite":
        return False
    raw = engine.raw_connection()
    try:
        busy, _log, _done = raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        raw.close()
    return busy == 0
