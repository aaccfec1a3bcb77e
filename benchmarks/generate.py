"""Generate a synthetic city into a database: the same seed and scale always give the same rows.

    python -m benchmarks.generate --scale small --url sqlite:////tmp/city.sqlite3 [--seed 42] [--replace]
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from benchmarks.city import build_city
from benchmarks.draw import Table
from benchmarks.load import bulk_loader
from benchmarks.roster import Calendar, build_roster
from benchmarks.scale import SCALES, Scale
from benchmarks.tips import build_tips
from db.migrate import needs_upgrade, upgrade
from db.models import District
from db.session import URL_VARIABLE, database_url, make_engine

# The last night a city covers unless told otherwise; fixed, so a seed gives the same rows any day.
DEFAULT_END = date(2026, 10, 31)
# Rows that stand before patrols begin were created this long before the first night.
LEAD_TIME = timedelta(days=30)


class CityExists(Exception):
    """The database already holds districts, and replacing them was not asked for."""


@dataclass(frozen=True)
class GenerateReport:
    """What a generation built, where, and how long it took."""

    scale: str
    seed: int
    first_night: date
    last_night: date
    database: str  # the URL, password hidden
    rows: dict[str, int]
    build_seconds: float
    load_seconds: float  # all of loading: tables, finishing, closing
    load_seconds_by_table: dict[str, float]
    finish_seconds: float  # building indexes, checking rules, committing
    database_bytes: int | None  # SQLite only

    @property
    def seconds(self) -> float:
        """Building plus loading, in seconds."""
        return self.build_seconds + self.load_seconds

    def summary(self) -> str:
        """A few lines for people: the scale, the row counts, the time and the size."""
        lines = [
            f"scale {self.scale}, seed {self.seed}, nights {self.first_night} … {self.last_night}",
            f"into {self.database}",
        ]
        width = max(len(name) for name in self.rows)
        for name, count in self.rows.items():
            seconds = self.load_seconds_by_table.get(name, 0.0)
            lines.append(f"  {name:<{width}} {count:>10,} rows  {seconds:7.2f} s")
        lines.append(f"built in {self.build_seconds:.1f} s, loaded in {self.load_seconds:.1f} s "
                     f"(indexes, checks and commit {self.finish_seconds:.1f} s), {self.seconds:.1f} s in all")
        if self.database_bytes is not None:
            lines.append(f"database file {self.database_bytes / 2**20:,.1f} MiB")
        return "\n".join(lines)


def build(scale: Scale, *, seed: int = 42, end: date | None = None) -> tuple[dict[str, Table], Table]:
    """Every generated table in load order, and the team leaders to set once people exist."""
    calendar = Calendar.ending(end or DEFAULT_END, scale.nights)
    opened = np.datetime64(calendar.dates[0], "us") - np.timedelta64(LEAD_TIME)
    city = build_city(scale, seed, opened)
    roster = build_roster(city, scale, seed, calendar)
    tips = build_tips(city, scale, seed, calendar, roster.on_duty)
    return city.tables | roster.tables | tips, city.team_leaders


def generate(url: str, scale: Scale, *, seed: int = 42, end: date | None = None,
             replace: bool = False) -> GenerateReport:
    """Build a synthetic city and bulk-load it into the database at `url`, migrating it first if needed.

    Refuses a database that already has districts unless `replace`, which empties every table first.
    """
    end = end or DEFAULT_END
    url = database_url({URL_VARIABLE: url})  # postgres:// and postgresql:// mean psycopg, as for the app
    engine = make_engine(url)
    try:
        if needs_upgrade(engine):
            upgrade(engine)
        with engine.connect() as connection:
            existing = connection.execute(select(func.count()).select_from(District)).scalar_one()
        if existing and not replace:
            raise CityExists(f"the database already has {existing} districts")
        started = time.perf_counter()
        tables, team_leaders = build(scale, seed=seed, end=end)
        built = time.perf_counter()
        with bulk_loader(engine) as loader:
            if replace:
                loader.wipe()
            for name, rows in tables.items():
                loader.load(name, rows)
                if name == "person":
                    loader.update("team", "leader_id", team_leaders)
        loaded = time.perf_counter()
    finally:
        engine.dispose()
    return GenerateReport(
        scale=scale.name, seed=seed, first_night=end - timedelta(days=scale.nights - 1), last_night=end,
        database=make_url(url).render_as_string(hide_password=True),
        rows={name: len(next(iter(rows.values()))) for name, rows in tables.items()},
        build_seconds=built - started, load_seconds=loaded - built, load_seconds_by_table=dict(loader.seconds),
        finish_seconds=loader.finish_seconds,
        database_bytes=_sqlite_bytes(url),
    )


def _sqlite_bytes(url: str) -> int | None:
    """Size of a SQLite database file with its write-ahead log, or None for other databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    files = [Path(parsed.database + suffix) for suffix in ("", "-wal")]
    return sum(path.stat().st_size for path in files if path.exists())


def main(argv: list[str] | None = None) -> int:
    """Command line: generate a city and print what was built."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--url", required=True, help="database URL, e.g. sqlite:////tmp/city.sqlite3")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end", type=date.fromisoformat, default=DEFAULT_END, help="last night, YYYY-MM-DD")
    parser.add_argument("--replace", action="store_true", help="empty a database that already has a city")
    args = parser.parse_args(argv)
    try:
        report = generate(args.url, SCALES[args.scale], seed=args.seed, end=args.end, replace=args.replace)
    except CityExists as refusal:
        print(f"refused: {refusal}; --replace empties it first", file=sys.stderr)
        return 2
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
