"""The benchmark suite: prepare the city on each backend, run every scenario on it, write the table.

`python -m nightwatch bench --scale small|city` calls `bench`. Scenario modules are imported only
when they run, so a missing one is a "not built" row and a raising one a FAILED row, never a crash.
"""
from __future__ import annotations

import importlib
import os
import platform
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from benchmarks import pg_server
from benchmarks.ground import Ground
from benchmarks.measure import Figure
from benchmarks.report import FAILED, NOT_BUILT, Header, Row, markdown, plain
from benchmarks.scale import CITY, SCALES, Scale

PG_URL_VARIABLE = "NIGHTWATCH_BENCH_PG_URL"
PG_FAILED = "PostgreSQL FAILED"
DEFAULT_OUT = Path("docs/benchmarks.md")
# Tables whose sizes head the report, in the order they are listed.
COUNTED = ("district", "grid", "person", "shop", "shift", "assignment", "check_in", "tip", "dispatch",
           "patrol_heat")


@dataclass(frozen=True)
class Scenario:
    """One numbered scenario of the issue and the module under benchmarks/ that measures it."""

    number: int
    title: str
    module: str


SCENARIOS = (
    Scenario(1, "responders", "scenario_responders"),
    Scenario(2, "heatmap", "scenario_heatmap"),
    Scenario(3, "coverage", "scenario_coverage"),
    Scenario(4, "dispatch", "scenario_dispatch"),
    Scenario(5, "intake", "scenario_intake"),
    Scenario(6, "pages", "scenario_pages"),
    Scenario(7, "memory", "scenario_memory"),
)


class NotBuilt(Exception):
    """The scenario's module does not exist yet."""


def load(scenario: Scenario) -> Callable[[Ground, int], list[Figure]]:
    """The scenario's `run(ground, runs)`, imported now; NotBuilt when its module is missing."""
    name = f"benchmarks.{scenario.module}"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name == name:
            raise NotBuilt(f"{name} does not exist yet") from None
        raise
    run = getattr(module, "run", None)
    if not callable(run):
        raise TypeError(f"{name} has no run(ground, runs)")
    return run


def run_scenarios(ground: Ground, chosen: list[Scenario], runs: int, say: Callable[[str], None]) -> list[Row]:
    """Every chosen scenario on one prepared city: its figures, or why there are none."""
    rows = []
    for scenario in chosen:
        started = time.perf_counter()
        say(f"[{ground.backend}] {scenario.number} {scenario.title} …")
        rows += _outcome(scenario, ground, runs)
        say(f"[{ground.backend}] {scenario.number} {scenario.title}: {rows[-1].status or 'done'}, "
            f"{time.perf_counter() - started:.1f} s")
    return rows


def _outcome(scenario: Scenario, ground: Ground, runs: int) -> list[Row]:
    def row(status: str, message: str = "") -> list[Row]:
        return [Row(scenario.number, scenario.title, ground.backend, status=status, message=message)]

    try:
        figures = load(scenario)(ground, runs)
    except NotBuilt as missing:
        return row(NOT_BUILT, str(missing))
    except Exception as error:  # a scenario's failure is a row of the table, not the end of the run
        traceback.print_exc(file=sys.stderr)
        return row(FAILED, _first_line(error))
    if not isinstance(figures, list) or not all(isinstance(figure, Figure) for figure in figures):
        return row(FAILED, "run() must return a list of Figure")
    if not figures:
        if ground.backend == "sqlite":
            return row(FAILED, "no figures on SQLite")
        return row("not run", "the scenario measures SQLite only")
    return [Row(scenario.number, scenario.title, ground.backend, figure=figure) for figure in figures]


def _first_line(error: BaseException) -> str:
    words = str(error).strip()
    return f"{type(error).__name__}: {words.splitlines()[0]}" if words else type(error).__name__


def choose(only: str | None) -> list[Scenario]:
    """The scenarios named by `--only 1,3` (all when None); ValueError for an unknown number."""
    if not only:
        return list(SCENARIOS)
    numbers = {scenario.number: scenario for scenario in SCENARIOS}
    try:
        wanted = {int(part) for part in only.split(",") if part.strip()}
    except ValueError:
        raise ValueError(f"--only takes scenario numbers separated by commas, not {only!r}") from None
    unknown = sorted(wanted - numbers.keys())
    if unknown or not wanted:
        raise ValueError(f"no scenario numbered {unknown or only!r}; they are 1 to {len(SCENARIOS)}")
    return [numbers[number] for number in sorted(wanted)]


def default_runs(scale: Scale) -> int:
    """Runs per figure: 7 at city scale, 3 at the smaller ones."""
    return 7 if scale.name == CITY.name else 3


@contextmanager
def postgres(scale: Scale, url: str | None, wanted: bool, say: Callable[[str], None]
             ) -> Iterator[tuple[Ground | None, str]]:
    """The city on PostgreSQL and a note on where it came from; None and the reason when skipped."""
    from benchmarks.prepare import city

    if not wanted:
        yield None, "PostgreSQL skipped: --sqlite-only."
        return
    if url:
        say("preparing the PostgreSQL city (its database's contents are replaced unless it is already this city) …")
        try:
            ground = city(scale, url, say=say)
        except SQLAlchemyError as error:  # keep the SQLite figures already measured
            yield None, f"{PG_FAILED} preparing the city at the given URL: {_first_line(error)}"
            return
        try:
            yield ground, "PostgreSQL: the given server (--pg-url or NIGHTWATCH_BENCH_PG_URL)."
        finally:
            _dispose(ground)
        return
    try:
        server = pg_server.start()
    except RuntimeError as error:
        yield None, f"PostgreSQL skipped: no --pg-url or {PG_URL_VARIABLE}, and no throwaway server ({error})."
        return
    try:
        _create_database(server.url, "nightwatch_bench")
        started = time.perf_counter()
        say("generating the PostgreSQL city on a throwaway server (done on every run) …")
        ground = city(scale, server.url_for("nightwatch_bench"), say=say)
        built = time.perf_counter() - started
        try:
            yield ground, (f"PostgreSQL: a throwaway server from Debian's binaries (fsync off), its city generated "
                           f"in this run ({built:.0f} s).")
        finally:
            _dispose(ground)
    finally:
        server.stop()


def _create_database(admin_url: str, name: str) -> None:
    from db.session import make_engine

    engine = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


def _dispose(ground: Ground) -> None:
    """Close the ground's connections (before its server stops, or its file is reused)."""
    ground.session_factory.writer.dispose()


def row_counts(ground: Ground) -> dict[str, int]:
    """Rows in the tables that size the city."""
    with ground.session_factory() as session:
        return {table: session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() for table in COUNTED}


def server_version(ground: Ground) -> str:
    with ground.session_factory() as session:
        return session.execute(text("SHOW server_version")).scalar_one()


def machine() -> dict[str, str]:
    """The facts about this machine a figure depends on."""
    facts = {"CPUs": str(os.cpu_count()), "RAM": _memory(), "system": platform.platform(),
             "Python": platform.python_version(), "SQLite": sqlite3.sqlite_version}
    facts["PostgreSQL"] = "not run"
    return facts


def _memory() -> str:
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "unknown"
    return f"{total / 2**30:.1f} GiB"


def bench(scale_name: str, *, runs: int | None = None, only: str | None = None, sqlite_only: bool = False,
          pg_url: str | None = None, out: Path = DEFAULT_OUT, say: Callable[[str], None] | None = None) -> int:
    """Run the suite, print the table, write the Markdown; 1 when a scenario FAILED, else 0."""
    from benchmarks.prepare import city, sqlite_url

    say = say or (lambda words: print(words, file=sys.stderr, flush=True))
    scale = SCALES[scale_name]
    runs = runs or default_runs(scale)
    chosen = choose(only)
    facts, counts, notes = machine(), {}, []
    if len(chosen) < len(SCENARIOS):
        notes.append("Only these scenarios were run: " + ", ".join(str(scenario.number) for scenario in chosen) + ".")
    sqlite = city(scale, sqlite_url(f"{scale.name}-42.sqlite3"), say=say)
    try:
        counts["sqlite"] = row_counts(sqlite)
        rows = run_scenarios(sqlite, chosen, runs, say)
    finally:
        _dispose(sqlite)
    with postgres(scale, pg_url or os.environ.get(PG_URL_VARIABLE), not sqlite_only, say) as (ground, note):
        notes.append(note)
        if ground is not None:
            facts["PostgreSQL"] = server_version(ground)
            counts["postgresql"] = row_counts(ground)
            rows += run_scenarios(ground, chosen, runs, say)
    rows.sort(key=lambda row: row.number)  # stable: SQLite before PostgreSQL within a scenario
    header = Header(date=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), machine=facts,
                    scale=scale.name, runs=runs, row_counts=counts, notes=notes)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown(header, rows), encoding="utf-8")
    print(plain(rows))
    for line in notes + [f"written to {out}"]:
        print(line)
    return 1 if any(row.failed for row in rows) or any(note.startswith(PG_FAILED) for note in notes) else 0
