"""What an operator relies on from storage: SQLite's pragmas, refused bad rows, hidden personal data, the URL."""
from __future__ import annotations

import sqlite3
import threading
import time
import traceback
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError

from db import session as storage
from db.models import District, Grid, Person
from db.session import add_math_functions, database_url, is_default_database, make_engine, make_session_factory
from nightwatch.vocab import RoleKind

DEFAULT_URL = f"sqlite:///{Path(__file__).resolve().parent.parent / 'data' / 'nightwatch.sqlite3'}"
PHONE = "13912345678"


def test_every_sqlite_connection_gets_wal_foreign_keys_a_busy_timeout_secure_delete_and_a_bounded_wal(tmp_path):
    path = tmp_path / "not-yet" / "nightwatch.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    # Raw connections: a SQLAlchemy one would BEGIN IMMEDIATE, and two of those cannot be open at once.
    connections = [engine.raw_connection(), engine.raw_connection()]
    try:
        for connection in connections:
            def pragma(name: str) -> object:
                return connection.cursor().execute(f"PRAGMA {name}").fetchone()[0]

            assert pragma("journal_mode") == "wal"
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") >= 5000
            assert pragma("secure_delete") == 1
            # Checkpoints less often than SQLite's 1,000 pages, and the WAL file is cut back after one.
            assert 1_000 < pragma("wal_autocheckpoint") <= 10_000
            assert 0 < pragma("journal_size_limit") <= 64 * 1024 * 1024
        assert path.exists()
    finally:
        for connection in connections:
            connection.close()
        engine.dispose()


def test_a_wal_past_its_bound_is_started_over_after_the_next_write(tmp_path, monkeypatch):
    # Small bounds, so a few thousand short writes cross them; a process may try again at once.
    monkeypatch.setattr(storage, "SQLITE_WAL_RESTART_BYTES", 256 * 1024)
    monkeypatch.setattr(storage, "SQLITE_JOURNAL_LIMIT_BYTES", 64 * 1024)
    monkeypatch.setattr(storage, "SQLITE_RESTART_EVERY_S", 0.0)
    path = tmp_path / "nightwatch.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    wal, largest, notes = Path(f"{path}-wal"), 0, 1_500
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        for _ in range(notes):
            with engine.begin() as connection:
                connection.exec_driver_sql("INSERT INTO note (body) VALUES (?)", ("夜巡" * 200,))
            largest = max(largest, wal.stat().st_size)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM note").scalar_one() == notes
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == storage.SQLITE_BUSY_TIMEOUT_MS
    finally:
        engine.dispose()
    # Left to SQLite's checkpoints at 4,000 pages, it reached 10 MB here (about two pages per write).
    assert largest < 1024 * 1024


def test_an_sqlite_without_math_functions_gets_the_ones_the_dispatch_distances_use():
    connection = sqlite3.connect(":memory:")
    add_math_functions(connection)  # over the built-in ones where they exist, so these are ours
    cosine, missing = connection.execute("SELECT cos(radians(60)), cos(radians(NULL))").fetchone()
    assert cosine == pytest.approx(0.5) and missing is None
    connection.close()


def test_a_row_pointing_at_nothing_is_refused(session_factory):
    with pytest.raises(IntegrityError), session_factory.begin() as session:
        session.add(Grid(district_id=987654, name="无主网格"))
    with session_factory() as session:
        assert session.scalars(select(Grid)).all() == []


def test_a_writer_that_reads_first_waits_for_the_other_writer_instead_of_failing(sqlite_url):
    engine = make_engine(sqlite_url)
    factory = make_session_factory(engine)
    has_read = threading.Event()
    errors: list[BaseException] = []

    def read_then_write() -> None:
        try:
            with factory.begin() as session:
                session.scalars(select(District)).all()
                has_read.set()
                time.sleep(0.3)
                session.add(District(name="先读后写", city="桂林"))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            has_read.set()
            errors.append(error)

    def write() -> None:
        has_read.wait(timeout=10)
        with factory.begin() as session:
            session.add(District(name="后到", city="桂林"))

    try:
        threads = [threading.Thread(target=read_then_write), threading.Thread(target=write)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        # A deferred BEGIN lets the second writer in during the sleep; the first then fails "database is locked".
        assert errors == []
        with factory() as session:
            names = session.scalars(select(District.name).order_by(District.id)).all()
        assert names == ["先读后写", "后到"]
    finally:
        engine.dispose()


def test_reading_sessions_cannot_write_and_writing_sessions_still_can(db_url):
    # SQLite's reads are query_only, PostgreSQL's default_transaction_read_only: a write in a read session fails.
    engine = make_engine(db_url, pool_size=1, max_overflow=0)  # SQLite: one connection that every session shares
    factory = make_session_factory(engine)
    try:
        for name in ("第一", "第二"):
            with pytest.raises(DBAPIError, match="readonly|read-only transaction"), factory() as session:
                session.add(District(name=name, city="桂林"))
                session.flush()
            with factory.begin() as session:
                session.add(District(name=name, city="桂林"))
        with factory() as session:
            assert session.scalars(select(District.name).order_by(District.id)).all() == ["第一", "第二"]
    finally:
        engine.dispose()


# PostgreSQL puts the offending values in the error's DETAIL line, whatever the engine hides;
# db.session drops that line.
@pytest.mark.parametrize("case", ["unknown-district", "duplicate-phone", "missing-name"])
def test_a_refused_write_does_not_show_the_personal_data_it_carried(session_factory, case):
    with session_factory.begin() as session:
        district = District(name="东西巷", city="桂林")
        session.add(district)
        session.flush()
        session.add(Person(district_id=district.id, name="老王", phone="13900000000", role_kind=RoleKind.VOLUNTEER))
        district_id = district.id
    person = {
        "unknown-district": Person(district_id=987654, name="小李", phone=PHONE, role_kind=RoleKind.VOLUNTEER),
        "duplicate-phone": Person(district_id=district_id, name="小李", phone="13900000000",
                                  role_kind=RoleKind.VOLUNTEER),
        "missing-name": Person(district_id=district_id, name=None, phone=PHONE, role_kind=RoleKind.VOLUNTEER),
    }[case]
    marker = person.phone
    with pytest.raises(IntegrityError) as caught, session_factory.begin() as session:
        session.add(person)
    assert "parameters hidden" in str(caught.value)
    # What a log would show: the message and the whole chained traceback.
    assert marker not in str(caught.value)
    assert marker not in "".join(traceback.format_exception(caught.value))


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        pytest.param("postgres://nw:secret@db.internal:5432/nightwatch",
                     "postgresql+psycopg://nw:secret@db.internal:5432/nightwatch", id="heroku-style-postgres"),
        pytest.param("postgresql://nw@127.0.0.1/nightwatch", "postgresql+psycopg://nw@127.0.0.1/nightwatch",
                     id="postgresql"),
        pytest.param("postgresql+psycopg://nw@127.0.0.1/nightwatch", "postgresql+psycopg://nw@127.0.0.1/nightwatch",
                     id="driver-already-named"),
        pytest.param("  postgresql://nw@127.0.0.1/nightwatch\n", "postgresql+psycopg://nw@127.0.0.1/nightwatch",
                     id="surrounding-whitespace"),
        pytest.param("sqlite:////srv/nightwatch/nightwatch.sqlite3", "sqlite:////srv/nightwatch/nightwatch.sqlite3",
                     id="another-sqlite-file"),
    ],
)
def test_a_configured_url_uses_the_psycopg_driver(configured, expected):
    assert database_url({"NIGHTWATCH_DATABASE_URL": configured}) == expected
    assert not is_default_database(expected)


def test_without_a_url_the_app_uses_the_sqlite_file_under_data():
    assert database_url({}) == DEFAULT_URL
    assert database_url({"NIGHTWATCH_DATABASE_URL": "   "}) == DEFAULT_URL
    assert is_default_database(DEFAULT_URL)


def test_the_url_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("NIGHTWATCH_DATABASE_URL", "postgres://nw@127.0.0.1/nightwatch")
    assert database_url() == "postgresql+psycopg://nw@127.0.0.1/nightwatch"
    monkeypatch.delenv("NIGHTWATCH_DATABASE_URL")
    assert database_url() == DEFAULT_URL
