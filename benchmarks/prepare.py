"""Build, or reuse, the databases the benchmarks measure: a synthetic city and the ordinary demo.

The city ends on tonight's duty date, so the pages (which read the wall clock) show a busy night
of it; its rows are the same for the same scale, seed and last night. A finished city carries a
benchmark coordinator whose display name stamps what was built; a database with that stamp is
reused as it is, anything else is generated again.
"""
from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, literal, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from benchmarks.generate import generate
from benchmarks.ground import BENCH_PASSWORD, Ground
from benchmarks.scale import Scale
from db.migrate import needs_upgrade, upgrade
from db.models import Account, AccountDistrict, CheckIn, Checkpoint, District, LastPosition, Tip
from db.seed import seed_demo
from db.session import make_engine, make_session_factory
from nightwatch.nights import DEFAULT_TIMEZONE, duty_date_of
from nightwatch.passwords import hash_password
from nightwatch.services.heat_rollup import rebuild_all
from nightwatch.vocab import AccountRole

CACHE = Path(__file__).resolve().parent / ".cache"
COORDINATOR = "bench-coordinator"
# Late on the city's last night: its tips are open and its patrols out.
LATE = 23


def sqlite_url(name: str) -> str:
    """A SQLite file in the benchmark cache."""
    CACHE.mkdir(exist_ok=True)
    return f"sqlite:///{CACHE / name}"


def tonight(now: datetime | None = None) -> date:
    """The duty date the city ends on: tonight's."""
    return duty_date_of(now or datetime.now(timezone.utc), DEFAULT_TIMEZONE)


def stamp(scale: Scale, seed: int, last_night: date) -> str:
    """What a finished city records about itself."""
    return f"基准调度员 {scale.name} seed {seed} to {last_night} {LATE}:00"


def city(scale: Scale, url: str, *, seed: int = 42, last_night: date | None = None,
         say=print) -> Ground:
    """The city at `url`, generated (replacing whatever is there) unless it is already this city."""
    last_night = last_night or tonight()
    wanted = stamp(scale, seed, last_night)
    if _stamp_at(url) != wanted:
        with _building(url) as build_url:
            if _stamp_at(url) != wanted:  # another process may have finished it while we waited
                say(f"generating the {scale.name} city into {make_url(url).render_as_string(hide_password=True)} …")
                started = time.perf_counter()
                say(generate(build_url, scale, seed=seed, end=last_night, replace=True).summary())
                _finish(build_url, wanted, late_on(last_night))
                say(f"ready in {time.perf_counter() - started:.0f} s")
    measured = make_engine(url)
    with measured.connect() as connection:
        ids = tuple(connection.scalars(select(District.id).order_by(District.id)))
    return Ground(scale=scale, backend=measured.dialect.name, url=url, session_factory=make_session_factory(measured),
                  now=late_on(last_night), timezone=DEFAULT_TIMEZONE, district_ids=ids,
                  coordinator_login=COORDINATOR, demo_url=demo_beside(url, last_night))


@contextmanager
def _building(url: str) -> Iterator[str]:
    """Where to build: for SQLite a side file, renamed over the city only once finished, one builder at a time.

    Two benchmark runs sharing the cache therefore never see (or corrupt) a half-built city.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        yield url
        return
    path = Path(parsed.database)
    side = path.with_name(path.name + ".building")
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for leftover in (side, Path(f"{side}-wal"), Path(f"{side}-shm")):
            leftover.unlink(missing_ok=True)
        yield f"sqlite:///{side}"
        for stale in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        os.replace(side, path)


def _stamp_at(url: str) -> str | None:
    """The stamp of the city at `url`, or None when there is none yet."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database).exists():
        return None
    engine = make_engine(url)
    try:
        return _stamp_of(engine)
    finally:
        engine.dispose()


def late_on(night: date) -> datetime:
    """23:00 local on a night, as an aware UTC instant."""
    local = datetime.combine(night, datetime.min.time(), ZoneInfo(DEFAULT_TIMEZONE)) + timedelta(hours=LATE)
    return local.astimezone(timezone.utc)


def demo(last_night: date) -> str:
    """A SQLite file holding the ordinary demo seed for the same night, built once."""
    url = sqlite_url(f"demo-{last_night}.sqlite3")
    if not _seeded(url):
        with _building(url) as build_url:
            if not _seeded(url):
                _seed(build_url, last_night)
    return url


def demo_beside(city_url: str, last_night: date) -> str:
    """The ordinary demo for the same night on the city's own backend, so pages compare history, not databases.

    On PostgreSQL it is a database beside the city's on the same server, seeded once per night under a
    side name and renamed when whole; demos of other nights are dropped.
    """
    parsed = make_url(city_url)
    if parsed.get_backend_name() == "sqlite":
        return demo(last_night)
    name = f"{parsed.database}_demo_{last_night:%Y%m%d}"
    url = parsed.set(database=name).render_as_string(hide_password=False)
    admin = make_engine(parsed.set(database="postgres").render_as_string(hide_password=False),
                        isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            present = set(connection.scalars(text("SELECT datname FROM pg_database WHERE datname LIKE :like"),
                                             {"like": f"{parsed.database}\\_demo\\_%"}))
            for stale in present - {name}:
                connection.execute(text(f'DROP DATABASE "{stale}"'))
            if name not in present:
                connection.execute(text(f'CREATE DATABASE "{name}_building"'))
                _seed(parsed.set(database=f"{name}_building").render_as_string(hide_password=False), last_night)
                connection.execute(text(f'ALTER DATABASE "{name}_building" RENAME TO "{name}"'))
    finally:
        admin.dispose()
    return url


def _seed(url: str, last_night: date) -> None:
    """The demo seed for a night into an empty database."""
    engine = make_engine(url)
    try:
        upgrade(engine)
        seed_demo(make_session_factory(engine), today=last_night)
        if engine.dialect.name == "sqlite":
            _fold_wal(engine)
        else:  # as autovacuum soon would: without statistics the reference's plans vary from run to run
            with engine.begin() as connection:
                connection.execute(text("ANALYZE"))
    finally:
        engine.dispose()


def _seeded(url: str) -> bool:
    """Whether a SQLite file exists at its current schema and holds districts."""
    if not Path(make_url(url).database).exists():
        return False
    engine = make_engine(url)
    try:
        if needs_upgrade(engine):
            return False
        with engine.connect() as connection:
            return connection.scalar(select(District.id).limit(1)) is not None
    finally:
        engine.dispose()


def _stamp_of(engine: Engine) -> str | None:
    """The display name of the benchmark coordinator, or None when the database is not a finished city."""
    if needs_upgrade(engine):
        return None
    with engine.connect() as connection:
        return connection.scalar(select(Account.display_name).where(Account.login == COORDINATOR))


def _finish(url: str, wanted: str, now: datetime) -> None:
    """The city as it stands at `now`; its rollups counted, the stamped coordinator added, the planner told."""
    engine = make_engine(url)
    try:
        factory = make_session_factory(engine)
        with factory.begin() as session:
            as_of(session, now)
        rebuild_all(factory)
        with factory.begin() as session:
            districts = session.scalars(select(District.id)).all()
            session.add(Account(login=COORDINATOR, role=AccountRole.COORDINATOR, display_name=wanted,
                                password_hash=hash_password(BENCH_PASSWORD),
                                districts=[AccountDistrict(district_id=d) for d in districts]))
            session.execute(text("ANALYZE"))
        if engine.dialect.name == "sqlite":
            _fold_wal(engine)
    finally:
        engine.dispose()


def as_of(session: Session, now: datetime) -> None:
    """Drop what the generator drew after `now` on the last night, and set last positions as the app keeps them.

    The app writes a check-in, a tip and a last position as they happen, so nothing lies in the future;
    the dispatch screen reads last positions for the present moment.
    """
    session.execute(delete(CheckIn).where(CheckIn.at > now))
    session.execute(delete(Tip).where(Tip.received_at > now))  # their dispatches go with them
    session.execute(delete(LastPosition))
    latest = (select(CheckIn.person_id, func.max(CheckIn.at).label("at"))
              .group_by(CheckIn.person_id).subquery())
    # One row per person even when two check-ins share the latest instant.
    seen = (select(CheckIn.person_id, func.min(Checkpoint.lat), func.min(Checkpoint.lon), func.min(CheckIn.cell),
                   latest.c.at, literal("checkin"))
            .join(latest, (latest.c.person_id == CheckIn.person_id) & (latest.c.at == CheckIn.at))
            .join(Checkpoint, Checkpoint.id == CheckIn.checkpoint_id)
            .group_by(CheckIn.person_id, latest.c.at))
    session.execute(insert(LastPosition).from_select(
        ["person_id", "lat", "lon", "cell", "seen_at", "source"], seen))


def _fold_wal(engine: Engine) -> None:
    """Write the WAL back into the SQLite file, so the file alone is the whole database when renamed."""
    engine.dispose()  # no connection of ours may hold a read snapshot
    connection = sqlite3.connect(engine.url.database, isolation_level=None)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        connection.close()
