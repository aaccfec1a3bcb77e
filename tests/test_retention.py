"""Retention (PIPL): `purge` anonymises old tips and check-ins, deletes their photos, keeps the statistics,
and leaves none of the purged bytes in the SQLite file or its WAL; on SQLite and PostgreSQL."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from db.models import AuditEvent, CheckIn, GeocodeCache, Tip
from db.session import make_engine, make_session_factory
from nightwatch import cli
from nightwatch.access import Actor, Forbidden
from nightwatch.services import heat_rollup
from nightwatch.services.accounts import OPERATOR
from nightwatch.services.retention import purge
from nightwatch.vocab import AccountRole
from privacy_world import (
    ALICE_PHONE, NOW, OLD, OLD_MARKERS, RECENT, RECENT_MARKERS, RETENTION_DAYS, backend, build, bytes_found,
    sqlite_files, statistics,
)

pytestmark = pytest.mark.reliability
ROOT = Path(__file__).resolve().parent.parent


def _tips(factory: sessionmaker) -> list[Tip]:
    with factory() as s:
        return list(s.scalars(select(Tip).order_by(Tip.received_at)))


def _check_ins(factory: sessionmaker) -> list[CheckIn]:
    with factory() as s:
        return list(s.scalars(select(CheckIn).order_by(CheckIn.at)))


def _words(tip: Tip) -> str:
    return " ".join(str(v) for v in (tip.text, tip.caller_name, tip.caller_phone, tip.location_note,
                                      tip.outcome_note, tip.photo_path) if v)


def test_purge_anonymises_old_reports_keeps_recent_ones_and_the_statistics(session_factory, tmp_path, scorecard):
    uploads = tmp_path / "uploads"
    world = build(session_factory, uploads, old_rows=scorecard.scale(full=2000, quick=24))
    before = statistics(session_factory)
    recent_before = [(_words(t), t.lat, t.reporter_person_id) for t in _tips(session_factory)[world.old_tips:]]

    counts = purge(session_factory=session_factory, actor=OPERATOR, now=NOW, days=RETENTION_DAYS,
                   upload_dir=uploads)

    assert (counts.tips, counts.check_ins, counts.photos, counts.geocodes) == (
        world.old_tips, world.old_check_ins, len(world.old_photos), 1)
    tips, check_ins = _tips(session_factory), _check_ins(session_factory)
    for tip in tips[:world.old_tips]:
        assert _words(tip) == "" and tip.reporter_person_id is None and tip.reporter_account_id is None
        assert tip.anonymous and tip.approximate and tip.cell and tip.lat is not None
    for check_in in check_ins[:world.old_check_ins]:
        assert (check_in.person_id, check_in.phone_lat, check_in.phone_lon) == (None, None, None)
    # The recent ones are exactly as reported.
    assert [(_words(t), t.lat, t.reporter_person_id) for t in tips[world.old_tips:]] == recent_before
    assert all(c.person_id is not None and c.phone_lat is not None for c in check_ins[world.old_check_ins:])
    assert not any(path.exists() for path in world.old_photos)
    assert all(path.exists() for path in world.recent_photos)
    with session_factory() as s:
        assert [row.label for row in s.scalars(select(GeocodeCache))] == ["新门牌七十七号"]
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purge")).all()
    assert [e.after for e in events] == [{"days": RETENTION_DAYS, **counts.as_dict()}]
    # Counts per category, grid, night and cell, and the heat rollups, are unchanged; a rebuild agrees.
    assert statistics(session_factory) == before
    heat_rollup.rebuild_all(session_factory)
    assert statistics(session_factory) == before
    scorecard.record("privacy", f"tips and check-ins anonymised by one purge, {backend(session_factory)}",
                     f"{counts.tips} + {counts.check_ins} of {world.old_tips} + {world.old_check_ins}", "all old")
    scorecard.record("privacy", f"photos of purged tips removed from the upload folder, {backend(session_factory)}",
                     f"{counts.photos} of {len(world.old_photos)}", "all")
    scorecard.record("privacy", f"recent tips, check-ins and photos changed by the purge, {backend(session_factory)}",
                     0, "0")


def test_the_purged_bytes_are_gone_from_the_sqlite_file_and_its_wal(sqlite_url, tmp_path, scorecard):
    engine = make_engine(sqlite_url)
    session_factory = make_session_factory(engine)
    files = sqlite_files(session_factory)
    uploads = tmp_path / "uploads"
    build(session_factory, uploads, old_rows=scorecard.scale(full=500, quick=12))
    with session_factory() as s:  # the markers are really on disk before the purge
        s.scalar(select(Tip.id).limit(1))
    assert sum(sum(bytes_found(path, OLD_MARKERS).values()) for path in files) > 0

    purge(session_factory=session_factory, actor=OPERATOR, now=NOW, days=RETENTION_DAYS, upload_dir=uploads)

    left = {path.name: bytes_found(path, OLD_MARKERS) for path in files}
    assert all(count == 0 for found in left.values() for count in found.values()), left
    assert all(count > 0 for count in bytes_found(files[0], RECENT_MARKERS[:2]).values())
    scorecard.record("privacy", "marker bytes left in the SQLite file and its WAL after purge",
                     sum(sum(found.values()) for found in left.values()), "0")


def test_purge_is_idempotent_and_a_dry_run_changes_nothing(session_factory, tmp_path):
    uploads = tmp_path / "uploads"
    world = build(session_factory, uploads)
    snapshot = [(_words(t), t.lat, t.reporter_person_id) for t in _tips(session_factory)]

    dry = purge(session_factory=session_factory, actor=OPERATOR, now=NOW, days=RETENTION_DAYS,
                upload_dir=uploads, dry_run=True)
    assert (dry.tips, dry.check_ins, dry.photos, dry.geocodes) == (world.old_tips, world.old_check_ins,
                                                                  len(world.old_photos), 1)
    assert [(_words(t), t.lat, t.reporter_person_id) for t in _tips(session_factory)] == snapshot
    assert all(path.exists() for path in world.old_photos)

    first = purge(session_factory=session_factory, actor=OPERATOR, now=NOW, days=RETENTION_DAYS, upload_dir=uploads)
    after_first = [(_words(t), t.lat, t.lon, t.reporter_person_id) for t in _tips(session_factory)]
    again = purge(session_factory=session_factory, actor=OPERATOR, now=NOW, days=RETENTION_DAYS, upload_dir=uploads)
    assert first.tips == world.old_tips and again.as_dict() == {"tips": 0, "check_ins": 0, "photos": 0,
                                                                 "geocodes": 0}
    assert [(_words(t), t.lat, t.lon, t.reporter_person_id) for t in _tips(session_factory)] == after_first


def test_only_the_operator_or_an_administrator_may_purge(session_factory, tmp_path):
    build(session_factory, tmp_path)
    coordinator = Actor(account_id=None, login="coord", role=AccountRole.COORDINATOR, district_ids=frozenset({1}))
    with pytest.raises(Forbidden):
        purge(session_factory=session_factory, actor=coordinator, now=NOW, days=RETENTION_DAYS, upload_dir=tmp_path)
    assert ALICE_PHONE and all(_words(t) for t in _tips(session_factory))


def test_the_purge_command_counts_in_words_honours_the_setting_and_cleans_the_file(sqlite_url, tmp_path, monkeypatch,
                                                                                  capsys):
    engine = make_engine(sqlite_url)
    factory = make_session_factory(engine)
    uploads = tmp_path / "uploads"
    world = build(factory, uploads)
    engine.dispose()
    # The command reads the clock: keep the recent reports inside the setting's period, the old ones outside --days.
    now = datetime.now(timezone.utc)
    recent_age, old_age = (now - RECENT).days, (now - OLD).days
    env = {"NIGHTWATCH_DATABASE_URL": sqlite_url, "NIGHTWATCH_UPLOAD_DIR": str(uploads),
           "NIGHTWATCH_RETENTION_DAYS": str(recent_age - 1)}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("NIGHTWATCH_LANG", raising=False)

    assert cli.main(["purge", "--dry-run"]) == 0
    # The setting's period reaches the recent reports too: the setting is honoured.
    printed = capsys.readouterr().out
    assert f"将匿名化线索 {world.old_tips + 3} 条" in printed and "未做修改" in printed
    assert all(path.exists() for path in world.old_photos + world.recent_photos)
    with pytest.raises(SystemExit) as refused:
        cli.main(["purge", "--days", "0"])
    assert refused.value.code == 2 and "不小于 1" in capsys.readouterr().err

    # The real thing, as a scheduled job runs it: its own process on the SQLite file.
    done = subprocess.run([sys.executable, "-m", "nightwatch", "purge", "--days", str(old_age - 1)], cwd=ROOT,
                          env={**os.environ, "NIGHTWATCH_LANG": "en"}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"{world.old_tips} tips and {world.old_check_ins} check-ins anonymised" in done.stdout
    assert f"{len(world.old_photos)} photos deleted" in done.stdout
    database = Path(sqlite_url.removeprefix("sqlite:///"))
    assert not any(bytes_found(database, OLD_MARKERS).values())
    assert not any(bytes_found(Path(f"{database}-wal"), OLD_MARKERS).values())
    assert not any(path.exists() for path in world.old_photos)
    assert all(path.exists() for path in world.recent_photos)
