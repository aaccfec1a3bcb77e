"""Engines and session factories: SQLite file by default, PostgreSQL when the URL says so."""
from __future__ import annotations

import math
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "nightwatch.sqlite3"
URL_VARIABLE = "NIGHTWATCH_DATABASE_URL"
# How long a SQLite writer waits for another writer before giving up, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 30_000
# SQLite's own busy handler sleeps 1, 2, 5, 10 … up to 100 ms between tries, far longer than a tip holds
# the write lock (under half a millisecond): writers slept while the lock stood free. Polling every 0.1 ms
# was no better: with eight writers on two cores the waiters' wake-ups evicted the holder from the CPU
# caches and doubled the cost of each write. A writer tries again after 1 ms, then 2, then every 4 ms
# until the busy timeout: 8 writer processes then post about twice as many tips per second, and no tip
# waits more than a few hundred ms (measured: docs/benchmarks.md, scenario 5).
SQLITE_FIRST_PAUSE_S = 0.001
SQLITE_LONGEST_PAUSE_S = 0.004
# SQLite copies the WAL back into the file once it holds this many pages (its default is 1,000). A tip
# rewrites the same hot pages (the newest leaf of each index, the rollup row), so a longer WAL copies each
# once per checkpoint instead of once every 60 tips, with a quarter of the fsyncs: 8 writer processes
# post about a fifth more tips per second (interleaved A/B; the intake figure: docs/benchmarks.md, scenario 5).
# About 16 MB of WAL.
SQLITE_AUTOCHECKPOINT_PAGES = 4_000
# After a checkpoint that emptied it, the WAL file is cut back to this size instead of keeping its peak.
SQLITE_JOURNAL_LIMIT_BYTES = 32 * 1024 * 1024
# Under writers that never pause, SQLite's automatic checkpoints copy the WAL back but never start it over,
# which needs a moment with no transaction reading it: it grew by 40 MB a second under 8 tip writers, each
# new transaction reading its pages back through a longer WAL index and each commit extending the file. A
# writer that finds the WAL file past this size runs a RESTART checkpoint, which waits for that moment (at
# most SQLITE_RESTART_WAIT_MS) so the next writer starts the WAL over; a process tries at most once every
# SQLITE_RESTART_EVERY_S. 8 writer processes then post about a fifth more tips per second (interleaved A/B,
# ahead in 11 of 12 rounds; the intake figure: docs/benchmarks.md, scenario 5).
SQLITE_WAL_RESTART_BYTES = 48 * 1024 * 1024
SQLITE_RESTART_WAIT_MS = 200
SQLITE_RESTART_EVERY_S = 1.0
# Execution option marking a read-only session's connection (see Sessions).
READING = "nightwatch_reading"
# A PostgreSQL connection back from the pool after this long idle is pinged before use (see _ping_when_idle).
PING_AFTER_IDLE_S = 2.0


def database_url(env: dict[str, str] | None = None) -> str:
    """The configured database URL, or the embedded SQLite file when none is set."""
    env = os.environ if env is None else env
    url = env.get(URL_VARIABLE, "").strip()
    if not url:
        return f"sqlite:///{DEFAULT_SQLITE_PATH}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def is_default_database(url: str) -> bool:
    """True when the URL is the embedded SQLite file (demo data is seeded there on first run)."""
    return url == f"sqlite:///{DEFAULT_SQLITE_PATH}"


def make_engine(url: str | URL | None = None, *, reading: bool = False, **kwargs: Any) -> Engine:
    """An engine that never shows statement parameters in errors; SQLite gets its pragmas.

    `reading` asks PostgreSQL for connections in autocommit and read-only from the moment each opens (see Sessions).
    """
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, **kwargs)
    if reading:
        kwargs["isolation_level"] = "AUTOCOMMIT"
        read_only = "-c default_transaction_read_only=on"
        connect_args = kwargs.setdefault("connect_args", {})
        connect_args["options"] = " ".join(filter(None, (parsed.query.get("options"), read_only)))
    engine = create_engine(url, hide_parameters=True, **kwargs)
    event.listen(engine, "handle_error", _drop_detail)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Make sure a connection that sat idle in the pool still reaches the server before it is handed out.

    Pinging at every checkout (SQLAlchemy's `pool_pre_ping`) cost a round trip per session, a fifth of the
    dispatch screen's ranking; one page's sessions follow each other within milliseconds. A dead connection
    is replaced, and with it every one pooled before, as the server restarted; one used within PING_AFTER_IDLE_S
    of a restart fails its statement instead, and SQLAlchemy then empties the pool the same way.
    """
    idle_s = PING_AFTER_IDLE_S

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get("returned")
        if returned is None or time.monotonic() - returned < idle_s:
            return  # new, or used a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.InvalidatePoolError(str(error)) from error


def _drop_detail(context: Any) -> None:
    """Keep PostgreSQL's primary message only: its DETAIL line quotes the row's values (phones, names)."""
    original = context.original_exception
    diagnostics = getattr(original, "diag", None)
    primary = getattr(diagnostics, "message_primary", None)
    if not primary:
        return
    original.args = (primary,)
    if context.sqlalchemy_exception is not None:
        kind = type(original)
        context.sqlalchemy_exception.args = (f"({kind.__module__}.{kind.__name__}) {primary}",)


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    """SQLite with WAL, foreign keys, a busy timeout, secure delete, and BEGIN IMMEDIATE."""
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    connect_args = kwargs.pop("connect_args", {})
    connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
    connect_args.setdefault("check_same_thread", False)
    engine = create_engine(url, hide_parameters=True, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event, not pysqlite, decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "foreign_keys=ON",
            f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
            "secure_delete=ON",
            "synchronous=NORMAL",
            f"wal_autocheckpoint={SQLITE_AUTOCHECKPOINT_PAGES}",
            f"journal_size_limit={SQLITE_JOURNAL_LIMIT_BYTES}",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()
        try:
            dbapi_connection.execute("SELECT cos(radians(0))")
        except sqlite3.OperationalError:  # an SQLite built without its math functions
            add_math_functions(dbapi_connection)

    if database and database != ":memory:":
        wal, tried = Path(f"{database}-wal"), [0.0]

        @event.listens_for(engine, "checkin")
        def _checkin(dbapi_connection: Any, record: Any) -> None:
            # As a connection comes back from a write: one stat, and rarely a checkpoint.
            writer = dbapi_connection is not None and record.info.get("query_only") is False
            if writer and time.monotonic() >= tried[0] + SQLITE_RESTART_EVERY_S:
                if restart_long_wal(dbapi_connection, wal):
                    tried[0] = time.monotonic()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # A deferred BEGIN that later writes fails at once with "database is locked" when another
        # writer got in first; IMMEDIATE takes the write lock up front and waits its turn. Reads
        # stay deferred so readers never queue, and query_only makes a write there fail loudly.
        reading = bool(connection.get_execution_options().get(READING))
        raw = connection.connection.dbapi_connection
        held = connection.connection.info  # lives as long as the DBAPI connection
        if held.get("query_only") is not reading:  # set only when it changes: reads come many to a write
            raw.execute(f"PRAGMA query_only = {'ON' if reading else 'OFF'}")
            held["query_only"] = reading
        if reading:
            connection.exec_driver_sql("BEGIN")
        else:
            _begin_immediate(connection, raw)

    return engine


def restart_long_wal(dbapi_connection: sqlite3.Connection, wal: Path) -> bool:
    """Start the WAL over when it has grown past SQLITE_WAL_RESTART_BYTES; True when a checkpoint was tried."""
    try:
        if wal.stat().st_size <= SQLITE_WAL_RESTART_BYTES:
            return False
    except OSError:  # no WAL file (yet)
        return False
    # Readers in a long transaction (an export) keep it waiting: then it copies what it can, as SQLite would.
    try:
        dbapi_connection.execute(f"PRAGMA busy_timeout = {SQLITE_RESTART_WAIT_MS}")
        try:
            dbapi_connection.execute("PRAGMA wal_checkpoint(RESTART)").fetchall()
        finally:
            dbapi_connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    except sqlite3.Error:  # housekeeping after a write that has committed: never fail that write
        pass
    return True


def add_math_functions(dbapi_connection: sqlite3.Connection) -> None:
    """SQLite's cos() and radians(), for builds without them: the dispatch screen's distances use them."""
    for name, function in (("cos", math.cos), ("radians", math.radians)):
        dbapi_connection.create_function(name, 1, lambda x, f=function: None if x is None else f(x),
                                         deterministic=True)


def _begin_immediate(connection: Any, dbapi_connection: sqlite3.Connection) -> None:
    """Take SQLite's write lock, trying again every few ms until the busy timeout.

    The last try goes through SQLAlchemy, so a timeout reaches callers as its OperationalError.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    pause = SQLITE_FIRST_PAUSE_S
    dbapi_connection.execute("PRAGMA busy_timeout = 0")
    try:
        while time.monotonic() + pause < deadline:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if getattr(error, "sqlite_errorcode", 0) & 0xFF != 5:  # not SQLITE_BUSY
                    break
            time.sleep(pause)
            pause = min(pause * 2, SQLITE_LONGEST_PAUSE_S)
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")


class Sessions(sessionmaker):
    """Sessions for reading (`sessions()`), for writing (`with sessions.begin()`) and for streaming rows.

    On SQLite a write transaction begins IMMEDIATE and a read transaction deferred and query-only. On
    PostgreSQL reads have a pool of their own, its connections in autocommit and read-only from the start:
    under READ COMMITTED a read transaction gives its statements no common snapshot anyway, its BEGIN and
    COMMIT were two of the five round trips of the dispatch screen's ranking, and switching one pool's
    connections between reads and writes took 40 of the 90 us it cost to open a session. A write there
    fails. Loaded values stay readable after commit, since services return them.
    """

    def __init__(self, engine: Engine) -> None:
        self.writer = engine
        if engine.dialect.name == "postgresql":
            self.reader = make_engine(engine.url, reading=True)
            event.listen(engine, "engine_disposed", lambda _engine: self.reader.dispose())
            self._in_one_read = self.reader.execution_options(isolation_level="READ COMMITTED")
        else:
            self.reader = self._in_one_read = engine.execution_options(**{READING: True})
        super().__init__(bind=self.reader, expire_on_commit=False)

    @contextmanager
    def streaming(self) -> Iterator[Session]:
        """A read session in one read-only transaction, for rows fetched in chunks (`yield_per`).

        PostgreSQL's server-side cursors live only inside a transaction, which `sessions()` does not open there.
        """
        with self(bind=self._in_one_read) as session:
            yield session

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """A session in a write transaction, committed at the end of the block."""
        with self(bind=self.writer) as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A bare read-only connection, for hot paths that need no ORM (`self.writer.begin()` writes).

        Like `sessions()`, on PostgreSQL its statements run one by one, each in its own read-only transaction;
        the connection is in autocommit there, so no transaction is begun and committed around them.
        """
        if self.writer.dialect.name == "postgresql":  # its read pool is in autocommit
            with self.reader.connect() as connection:
                yield connection
            return
        with self.reader.connect() as connection, connection.begin():
            yield connection


def make_session_factory(engine: Engine) -> Sessions:
    """The session factory services take."""
    return Sessions(engine)
