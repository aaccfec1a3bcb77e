"""Scenario 5: tip intake through the service layer with eight concurrent writer processes, on SQLite.

Runs on a copy of the city file (with its WAL), so the cached city stays as generated. Eight merchant
processes post tips with idempotency keys as fast as they can for a window; then every tip a writer was
given must be stored, each key once, with no error. The reference is the raw ceiling: the same eight
processes committing single-row INSERTs into a scratch table of the same file. PostgreSQL is skipped:
the target is about SQLite's single writer, and posting into the shared city would change it.
"""
from __future__ import annotations

import multiprocessing
import sqlite3
import statistics
import tempfile
from collections import Counter
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from benchmarks.ground import Ground
from benchmarks.measure import Figure, Stats
from benchmarks.writers import (
    SCRATCH,
    Plan,
    Report,
    Writer,
    add_merchants,
    key_of,
    run_writers,
    window_s,
)
from db.models import Tip
from db.session import make_engine, make_session_factory

TARGET_RATE = 1_000.0
CITY_SECONDS = 30.0
SMALL_SECONDS = 5.0
MAX_WINDOWS = 3
# Keys of window w start at w * KEY_STRIDE, so windows never reuse a key.
KEY_STRIDE = 100_000


def run(ground: Ground, runs: int) -> list[Figure]:
    """Tips/s sustained by eight writer processes, against raw single-row commits by the same eight."""
    if ground.backend != "sqlite":
        return []
    seconds = CITY_SECONDS if ground.scale.name == "city" else SMALL_SECONDS
    with tempfile.TemporaryDirectory(prefix="nightwatch-intake-") as folder:
        url = _copy(ground.url, Path(folder))
        engine = make_engine(url)
        factory = make_session_factory(engine)
        writers = add_merchants(factory, ground.district_ids[0])
        with factory.writer.begin() as connection:
            connection.execute(text(f"CREATE TABLE {SCRATCH} (id INTEGER PRIMARY KEY, k TEXT NOT NULL)"))
        engine.dispose()  # no connection of ours is open while the writers run
        context = multiprocessing.get_context("spawn")
        ours, raw = [], []
        for window in range(max(1, min(runs, MAX_WINDOWS))):
            start = window * KEY_STRIDE
            ours.append(_tips_window(context, url, writers, Plan(seconds=seconds, start=start, warm=True)))
            raw.append(_raw_window(context, url, writers, Plan(seconds=seconds, start=start, warm=True, raw=True)))
    rate, ceiling = statistics.median(r for r, _ in ours), statistics.median(r for r, _ in raw)
    city = ground.scale.name == "city"
    return [Figure(
        scenario="intake", backend=ground.backend, measure=f"tips/s sustained, 8 writer processes, {seconds:.0f} s",
        value=rate, unit="tips/s", target=f"≥ {TARGET_RATE:,.0f} tips/s over 30 s, 0 lost, 0 duplicated",
        met=rate >= TARGET_RATE if city else None, stats=Stats.of([s for _, s in ours]),
        reference="single-row INSERT commits, same 8 processes", reference_value=ceiling, ratio=rate / ceiling,
        note=f"windows {', '.join(f'{r:,.0f}' for r, _ in ours)} tips/s; 0 lost, 0 duplicated, 0 errors",
    )]


def _copy(city_url: str, folder: Path) -> str:
    """A consistent snapshot of the city in `folder` (SQLite's online backup); the copy's URL."""
    target = folder / Path(make_url(city_url).database).name
    source = sqlite3.connect(make_url(city_url).database)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return f"sqlite:///{target}"


def _tips_window(context, url: str, writers: list[Writer], plan: Plan) -> tuple[float, float]:
    """One window of tip posting, checked: (tips stored per second, seconds)."""
    reports = run_writers(context, url, writers, plan)
    stored = _check(url, reports, plan)
    seconds = window_s(reports)
    return stored / seconds, seconds


def _raw_window(context, url: str, writers: list[Writer], plan: Plan) -> tuple[float, float]:
    """One window of raw commits: (rows per second, seconds)."""
    reports = run_writers(context, url, writers, plan)
    errors = [message for report in reports for message in report.errors]
    if errors:
        raise AssertionError(f"reference: {len(errors)} errors, first: {errors[:3]}")
    seconds = window_s(reports)
    return sum(len(report.ids) for report in reports) / seconds, seconds


def _check(url: str, reports: list[Report], plan: Plan) -> int:
    """Tips the window stored; raises when one was lost, duplicated, or a writer saw an error."""
    errors = [message for report in reports for message in report.errors]
    if errors:
        raise AssertionError(f"{len(errors)} writer errors, first: {errors[:3]}")
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            stored = session.execute(select(Tip.id, Tip.idempotency_key).where(
                Tip.idempotency_key.like("writer%-race"))).all()
    finally:
        engine.dispose()
    expected = {key_of(r.index, plan.start + n) for r in reports for n in range(len(r.ids))}
    keys = Counter(key for _, key in stored if key in expected)
    given = [tip_id for r in reports for tip_id in r.ids]
    lost = set(given) - {tip_id for tip_id, _ in stored}
    if len(given) != len(set(given)):
        raise AssertionError(f"{len(given) - len(set(given))} tip ids handed to two posts")
    if lost or len(keys) != len(expected):
        raise AssertionError(f"lost {len(lost)} tip ids and {len(expected) - len(keys)} keys of {len(given)} posts")
    if any(n > 1 for n in keys.values()):
        raise AssertionError(f"{sum(n - 1 for n in keys.values())} keys stored twice")
    return len(given)
