"""`kill -9` a process in the middle of a people import, again and again: nothing committed is lost, nothing is half done.

Each victim (tests/import_victim.py) imports its own file of distinct people through the real service while
this test sends it SIGKILL at a seeded random moment: anywhere in the import, or just as it commits. After
every kill the killed import left all of its rows or none, every import committed before is whole, and on
SQLite the file passes `PRAGMA integrity_check` and `foreign_key_check`. At the end a normal import still works.
"""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url

from db.models import AuditEvent, District, Person
from db.session import make_engine, make_session_factory
from nightwatch.access import Actor
from nightwatch.services.people_import import import_people
from nightwatch.vocab import AccountRole

pytestmark = pytest.mark.reliability

VICTIM = Path(__file__).resolve().parent / "import_victim.py"
VICTIM_NAME = "import-victim"  # the PostgreSQL application_name of a victim's connection
SEED = 20261122
# One kill in this many waits for the victim to say it is committing, then fires within the commit.
AIM_AT_COMMIT_EVERY = 3
TOPIC = "concurrency and crashes"


@dataclass(frozen=True)
class Run:
    """How one victim's import went: seconds from start to commit and to done (None when it died first)."""

    commit_at: float | None
    done_at: float | None
    lines: list[str]


def people_file(directory: Path, batch: int, rows: int) -> Path:
    """A CSV of `rows` valid, distinct people; the batch number is in every phone (139 + batch + row)."""
    lines = ["姓名,手机,身份"] + [f"导入{batch}号{n},139{batch:03d}{n:05d},志愿者" for n in range(rows)]
    path = directory / f"people-{batch:03d}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rows_of(engine: Engine, batch: int) -> int:
    """How many people of a batch's file are in the database."""
    low, high = f"139{batch:03d}00000", f"139{batch + 1:03d}00000"
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Person).where(Person.phone >= low,
                                                                              Person.phone < high))


def imports_audited(engine: Engine) -> int:
    """How many imports the audit trail says were made."""
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "people.import"))


class Victims:
    """The forking victim runner (tests/import_victim.py), and the lines it and its victims printed."""

    def __init__(self) -> None:
        # One BLAS thread: the runner forks, and a child should not inherit a pool of threads it cannot use.
        env = dict(os.environ, PYTHONUNBUFFERED="1", PGAPPNAME=VICTIM_NAME, OPENBLAS_NUM_THREADS="1")
        self.process = subprocess.Popen([sys.executable, str(VICTIM)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=env)
        self.lines: list[list[str]] = []

    def wait_for(self, word: str) -> list[str] | None:
        """The first unread line starting with `word`; None when the victim ended first (one victim at a time)."""
        while True:
            for index, parts in enumerate(self.lines):
                if parts[0] == word:
                    return self.lines.pop(index)
            if any(parts[0] == "exit" for parts in self.lines):
                return None
            line = self.process.stdout.readline()
            assert line, f"the victim runner died: {self.process.stderr.read()[-3000:]}"
            self.lines.append(line.split())

    def run(self, url: str, path: Path, district_id: int, delay: float | None = None, at_commit: bool = False) -> Run:
        """Import the file in a new victim, SIGKILLed `delay` s after it starts (or after it starts committing)."""
        self.lines.clear()
        self.process.stdin.write(f"{url}\t{path}\t{district_id}\n")
        self.process.stdin.flush()
        pid = int(self.wait_for("pid")[1])
        started = self.wait_for("start")
        assert started is not None, f"victim {pid} never started"
        seen = [" ".join(started)]
        if delay is not None:
            if not at_commit or self.wait_for("commit") is not None:
                time.sleep(delay)
            os.kill(pid, signal.SIGKILL)
        self.process.stdin.write("reap\n")
        self.process.stdin.flush()
        ended = self.wait_for("exit")
        seen += [" ".join(parts) for parts in self.lines]
        marks = {parts[0]: float(parts[1]) - float(started[1]) for parts in self.lines if parts[0] in ("commit", "done")}
        if delay is None:
            assert ended[2] == "0", f"victim {pid} failed: {seen}"
        return Run(marks.get("commit"), marks.get("done"), seen)

    def close(self) -> None:
        """End the runner: no more commands."""
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def victims() -> Iterator[Victims]:
    """One victim runner for the module: it loads the app once and forks each victim from there."""
    runner = Victims()
    yield runner
    runner.close()


def settle(engine: Engine) -> None:
    """Wait until PostgreSQL has ended the killed victim's session, so its transaction is finally in or out."""
    if engine.dialect.name != "postgresql":
        return
    deadline = time.monotonic() + 30
    query = text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name")
    while True:
        with engine.connect() as connection:
            if connection.scalar(query, {"name": VICTIM_NAME}) == 0:
                return
        assert time.monotonic() < deadline, "the killed victim's PostgreSQL session never ended"
        time.sleep(0.02)


def sqlite_checks(url: str) -> tuple[str, list[tuple]]:
    """SQLite's own verdict on the file: integrity_check's answer and foreign_key_check's rows."""
    connection = sqlite3.connect(make_url(url).database)
    try:
        integrity = "; ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
        return integrity, connection.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        connection.close()


def add_district(engine: Engine) -> int:
    """The district every file is imported into."""
    with make_session_factory(engine).begin() as session:
        district = District(name="崩溃测试街道", city="桂林")
        session.add(district)
        session.flush()
        return district.id


def test_kill_9_during_people_imports_loses_nothing_committed_and_leaves_no_half_import(db_url, tmp_path, victims,
                                                                                        scorecard):
    backend = make_url(db_url).get_backend_name()
    kills, rows = scorecard.scale(full=50, quick=3), scorecard.scale(full=10_000, quick=1_000)
    engine = make_engine(db_url)
    district = add_district(engine)
    # An uninterrupted import first: it is committed, and it tells how long an import takes.
    measured = victims.run(db_url, people_file(tmp_path, 0, rows), district)
    assert rows_of(engine, 0) == rows and measured.done_at is not None and measured.commit_at is not None
    committed, undone, aimed, integrity_ok, foreign_ok = [0], [], 0, 0, 0
    chooser = random.Random(SEED)
    for batch in range(1, kills + 1):
        at_commit = batch % AIM_AT_COMMIT_EVERY == 0
        # Spread over the whole import (a little past its measured end), or within the commit itself.
        delay = chooser.uniform(0, 0.004) if at_commit else chooser.uniform(0, measured.done_at * 1.1)
        aimed += at_commit
        run = victims.run(db_url, people_file(tmp_path, batch, rows), district, delay, at_commit)
        settle(engine)
        found = rows_of(engine, batch)
        assert found in (0, rows), f"kill {batch} after {delay:.3f} s left a partial import: {found} of {rows} rows"
        (committed if found else undone).append(batch)
        lost = {earlier: rows_of(engine, earlier) for earlier in committed if rows_of(engine, earlier) != rows}
        assert lost == {}, f"after kill {batch}, committed imports lost rows: {lost}"
        assert imports_audited(engine) == len(committed), f"kill {batch}: audit and rows disagree ({run.lines})"
        if backend == "sqlite":
            integrity, orphans = sqlite_checks(db_url)
            assert integrity == "ok", f"kill {batch}: integrity_check says {integrity}"
            assert orphans == [], f"kill {batch}: foreign_key_check found {orphans[:5]}"
            integrity_ok, foreign_ok = integrity_ok + 1, foreign_ok + 1
    # The database still takes a normal import, in this process, through the service.
    coordinator = Actor(login="crash-coordinator", role=AccountRole.COORDINATOR, district_ids=frozenset({district}))
    after = kills + 1
    added = import_people(session_factory=make_session_factory(engine), actor=coordinator, district_id=district,
                          data=people_file(tmp_path, after, rows).read_bytes(), filename="after.csv")
    assert added == rows == rows_of(engine, after)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Person)) == rows * (len(committed) + 1)
    engine.dispose()

    where = "SQLite" if backend == "sqlite" else "PostgreSQL"
    scorecard.record(TOPIC, f"{where}: kill -9 during a people import", f"{kills} kills ({aimed} aimed at the commit)",
                     "50")
    scorecard.record(TOPIC, f"{where}: rows per import", f"{rows:,}", "10,000")
    scorecard.record(TOPIC, f"{where}: partial imports after a kill", 0, "0")
    scorecard.record(TOPIC, f"{where}: killed imports found whole / found absent",
                     f"{len(committed) - 1} / {len(undone)}", "each all or nothing")
    scorecard.record(TOPIC, f"{where}: committed imports missing rows after a later kill", 0, "0")
    if backend == "sqlite":
        scorecard.record(TOPIC, "SQLite: integrity_check ok after each kill", f"{integrity_ok} of {kills}", "all ok")
        scorecard.record(TOPIC, "SQLite: foreign_key_check empty after each kill", f"{foreign_ok} of {kills}",
                         "all empty")
    scorecard.record(TOPIC, f"{where}: time per uninterrupted import of {rows:,} rows",
                     f"{measured.done_at:.2f} s (commit {measured.done_at - measured.commit_at:.3f} s)", "")
    scorecard.record(TOPIC, f"{where}: a normal import after the kills", f"{added:,} rows added", "accepted")
