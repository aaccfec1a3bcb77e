"""Shared fixtures: real databases (a SQLite file and a throwaway PostgreSQL server), real browsers.

Tests that need PostgreSQL or Chromium skip with their reason when those are missing,
unless NIGHTWATCH_TESTS_STRICT=1 (set by .ci/run), where a missing part fails the run.
"""
from __future__ import annotations

import itertools
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pg_server  # noqa: E402

# The reliability scorecard's option, hooks and `scorecard` fixture (see tests/scorecard.py).
from scorecard import (  # noqa: E402, F401
    pytest_addoption,
    pytest_configure,
    pytest_runtest_makereport,
    pytest_runtest_setup,
    pytest_sessionfinish,
    scorecard,
)

from db.migrate import upgrade  # noqa: E402
from db.session import make_engine, make_session_factory  # noqa: E402

if TYPE_CHECKING:
    from authz_world import World

STRICT = os.environ.get("NIGHTWATCH_TESTS_STRICT") == "1"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
_counter = itertools.count()


def missing(reason: str) -> None:
    """Skip for a missing part, or fail when the run must be complete."""
    if STRICT:
        pytest.fail(f"required for this run (NIGHTWATCH_TESTS_STRICT=1): {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite file that tests copy instead of migrating again."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection to close folds the WAL back into the file
    return path


@pytest.fixture(scope="session")
def postgres() -> Iterator[pg_server.PostgresServer]:
    """One PostgreSQL server for the whole session, with a migrated template database."""
    try:
        server = pg_server.start()
    except RuntimeError as error:
        missing(f"PostgreSQL unavailable: {error}")
        return
    admin = make_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE nightwatch_template"))
    template = make_engine(server.url_for("nightwatch_template"))
    upgrade(template)
    template.dispose()
    admin.dispose()
    yield server
    server.stop()


def fresh_sqlite_url(template: Path, directory: Path) -> str:
    """A new SQLite file holding the migrated, empty schema."""
    path = directory / f"nightwatch-{next(_counter)}.sqlite3"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def fresh_postgres_url(server: pg_server.PostgresServer) -> str:
    """A new PostgreSQL database holding the migrated, empty schema."""
    name = f"nw_test_{os.getpid()}_{next(_counter)}"
    admin = make_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE nightwatch_template'))
    admin.dispose()
    return server.url_for(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh, migrated, empty database on each backend in turn."""
    if request.param == "sqlite":
        return fresh_sqlite_url(sqlite_template, tmp_path)
    return fresh_postgres_url(request.getfixturevalue("postgres"))


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh, migrated, empty SQLite file (for tests about SQLite itself or the app)."""
    return fresh_sqlite_url(sqlite_template, tmp_path)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on the fresh database of this test."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker:
    """Sessions on the fresh database of this test."""
    return make_session_factory(engine)


@pytest.fixture(scope="session")
def seeded_sqlite_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file holding the demo data for tonight, seeded once per session."""
    from db.seed import seed_demo

    path = tmp_path_factory.mktemp("seeded-template") / "seeded.sqlite3"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    seed_demo(make_session_factory(engine))
    engine.dispose()
    return path


@pytest.fixture
def seeded_sqlite_url(seeded_sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh SQLite file holding the demo data, for page and browser tests."""
    return fresh_sqlite_url(seeded_sqlite_template, tmp_path)


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, seeded_sqlite_url: str) -> str:
    """Point the app at a seeded SQLite file (AppTest runs the script in this process)."""
    monkeypatch.setenv("NIGHTWATCH_DATABASE_URL", seeded_sqlite_url)
    monkeypatch.setenv("NIGHTWATCH_DEMO", "0")
    monkeypatch.delenv("NIGHTWATCH_LANG", raising=False)
    return seeded_sqlite_url


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium, for Playwright; never a browser downloaded by a test tool."""
    if not CHROMIUM.exists():
        missing("Chromium not installed (Debian package `chromium`)")
    return CHROMIUM


BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright, shared by the module."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(chromium), args=BROWSER_ARGS)
        yield launched
        launched.close()


# The authorisation world (tests/authz_world.py): one per backend to read, a fresh one to write.
@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared(request: pytest.FixtureRequest, sqlite_template: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[sessionmaker, "World"]]:
    """One world per backend for tests that only read or are refused."""
    from authz_world import build_world

    if request.param == "sqlite":
        url = fresh_sqlite_url(sqlite_template, tmp_path_factory.mktemp("authorisation"))
    else:
        url = fresh_postgres_url(request.getfixturevalue("postgres"))
    engine = make_engine(url)
    factory = make_session_factory(engine)
    yield factory, build_world(factory)
    engine.dispose()


@pytest.fixture
def world(session_factory: sessionmaker) -> "World":
    """A fresh world on this test's own database, for tests that write."""
    from authz_world import build_world

    return build_world(session_factory)
