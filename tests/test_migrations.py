"""The migrations build exactly the models' schema, with the double-booking guard, on SQLite and PostgreSQL."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from db.migrate import alembic_config, current_revision, downgrade, head_revision, needs_upgrade, upgrade
from db.models import Base
from db.session import make_engine, make_session_factory
from nightwatch.services import setup

SQLITE_GUARD = {
    "assignment_no_overlap_insert",
    "assignment_no_overlap_update",
    "assignment_interval_insert",
    "assignment_interval_update",
    "shift_moves_assignments",
}
POSTGRESQL_TRIGGERS = {"assignment_interval_matches_shift", "shift_moves_assignments"}
POSTGRESQL_EXCLUSION = "ex_assignment_person_overlap"
POSTGRESQL_FUNCTIONS = {f"{name}()" for name in POSTGRESQL_TRIGGERS}
# Migration 0011: what keeps each shift's start (post, route start or grid centre) current.
START_TRIGGERS = {"shift_takes_its_start", "duty_post_moves_shift_starts", "grid_moves_shift_starts",
                  "checkpoint_moves_shift_starts"}
SQLITE_START = START_TRIGGERS | {"shift_moves_its_start", "route_stop_added_moves_shift_starts",
                                 "route_stop_changed_moves_shift_starts", "route_stop_removed_moves_shift_starts"}
POSTGRESQL_START = START_TRIGGERS | {"route_stops_move_shift_starts"}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a database that has never been migrated, on each backend in turn."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    else:
        server = request.getfixturevalue("postgres")
        name = f"nw_empty_{uuid.uuid4().hex[:12]}"
        admin = make_engine(server.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        engine = make_engine(server.url_for(name))
    yield engine
    engine.dispose()


def guard_objects(engine: Engine) -> set[str]:
    """The triggers, trigger functions and exclusion constraints that keep one person off two overlapping shifts."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            return set(connection.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
        triggers = connection.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))
        exclusions = connection.scalars(text("SELECT conname FROM pg_constraint WHERE contype = 'x'"))
        functions = connection.scalars(text(
            "SELECT proname || '()' FROM pg_proc"
            " WHERE pronamespace = 'public'::regnamespace AND prorettype = 'trigger'::regtype"
        ))
        return set(triggers) | set(exclusions) | set(functions)


def expected_guard(engine: Engine, starts: bool = True) -> set[str]:
    """The guard objects migration 0001 makes on this backend, and (with `starts`) 0011's triggers."""
    if engine.dialect.name == "sqlite":
        return SQLITE_GUARD | (SQLITE_START if starts else set())
    start = POSTGRESQL_START | {f"{name}()" for name in POSTGRESQL_START} if starts else set()
    return POSTGRESQL_TRIGGERS | POSTGRESQL_FUNCTIONS | {POSTGRESQL_EXCLUSION} | start


def assert_schema_is_the_models(engine: Engine) -> None:
    """Alembic finds nothing to add, drop or alter; the guard is in place."""
    command.check(alembic_config(engine))
    assert set(inspect(engine).get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}
    assert inspect(engine).get_view_names() == ["shift_start"]
    assert guard_objects(engine) == expected_guard(engine)


def test_upgrading_an_empty_database_builds_exactly_the_models_schema(empty_engine):
    assert current_revision(empty_engine) is None
    assert needs_upgrade(empty_engine)

    upgrade(empty_engine)

    assert current_revision(empty_engine) == head_revision()
    assert not needs_upgrade(empty_engine)
    assert_schema_is_the_models(empty_engine)


def test_the_postgresql_guard_is_an_exclusion_on_person_and_interval_for_holding_statuses(postgres):
    name = f"nw_guard_{uuid.uuid4().hex[:12]}"
    admin = make_engine(postgres.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = make_engine(postgres.url_for(name))
    try:
        upgrade(engine)
        with engine.connect() as connection:
            definition = connection.scalar(text(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = :name"
            ), {"name": POSTGRESQL_EXCLUSION})
        assert definition.startswith("EXCLUDE USING gist (person_id WITH =, tstzrange(starts_at, ends_at, '[)'")
        for status in ("assigned", "confirmed", "no_show", "done"):
            assert f"'{status}'" in definition
        for status in ("waitlisted", "withdrawn", "swapped"):
            assert f"'{status}'" not in definition
    finally:
        engine.dispose()


def test_downgrading_to_base_and_upgrading_again_rebuilds_it(empty_engine):
    upgrade(empty_engine)

    downgrade(empty_engine, "base")

    assert current_revision(empty_engine) is None
    assert needs_upgrade(empty_engine)
    assert set(inspect(empty_engine).get_table_names()) == {"alembic_version"}
    assert inspect(empty_engine).get_view_names() == []
    assert guard_objects(empty_engine) == set()

    upgrade(empty_engine)

    assert not needs_upgrade(empty_engine)
    assert_schema_is_the_models(empty_engine)


def test_upgrading_a_database_with_history_counts_it_into_the_heatmap_rollups(empty_engine):
    upgrade(empty_engine, "0005")
    with empty_engine.begin() as connection:
        insert = connection.execute
        insert(text("INSERT INTO district (id, name, city, timezone, created_at) VALUES"
                    " (1, '东西巷', '桂林', 'Asia/Shanghai', '2026-01-01 00:00:00+00:00')"))
        insert(text("INSERT INTO team (id, district_id, name, team_type, swap_needs_approval, active, created_at)"
                    " VALUES (1, 1, '红袖标', 'red_vest', true, true, '2026-01-01 00:00:00+00:00')"))
        insert(text("INSERT INTO person (id, district_id, team_id, name, phone, role_kind, skills, active, created_at)"
                    " VALUES (1, 1, 1, '李红', '13800000001', 'volunteer', '[]', true, '2026-01-01 00:00:00+00:00')"))
        insert(text("INSERT INTO checkpoint (id, district_id, name, secret, active, lat, lon, cell, approximate,"
                    " created_at) VALUES (1, 1, '巷口', 'ab', true, 25.28, 110.29, '8940d2c0d2bffff', false,"
                    " '2026-01-01 00:00:00+00:00')"))
        # 22:10 and 22:40 local on the night of 20 November, then 00:20 local the next morning (same night).
        for at in ("2026-11-20 14:10:00+00:00", "2026-11-20 14:40:00+00:00", "2026-11-20 16:20:00+00:00"):
            insert(text("INSERT INTO check_in (district_id, person_id, checkpoint_id, at, duty_date, method, cell,"
                        " flagged) VALUES (1, 1, 1, :at, '2026-11-20', 'qr', '8940d2c0d2bffff', false)"), {"at": at})
    store = setup.Store(url=str(empty_engine.url), engine=empty_engine,
                        session_factory=make_session_factory(empty_engine))

    setup.upgrade_database(store)

    with empty_engine.connect() as connection:
        heat = connection.execute(text("SELECT hour, team_type, n FROM patrol_heat ORDER BY n DESC, hour")).all()
        team_types = set(connection.scalars(text("SELECT team_type FROM check_in")))
    assert [tuple(row) for row in heat] == [(22, "red_vest", 2), (0, "red_vest", 1)]
    assert team_types == {"red_vest"}


def test_upgrading_a_database_with_shifts_places_each_at_its_start_and_one_step_back_keeps_the_older_triggers(
        empty_engine):
    upgrade(empty_engine, "0010")
    with empty_engine.begin() as connection:
        insert = connection.execute
        insert(text("INSERT INTO district (id, name, city, timezone, created_at) VALUES"
                    " (1, '东西巷', '桂林', 'Asia/Shanghai', '2026-01-01 00:00:00+00:00')"))
        insert(text("INSERT INTO grid (id, district_id, name, center_lat, center_lon, staffing_template, created_at)"
                    " VALUES (1, 1, '一网格', 25.28, 110.29, '{}', '2026-01-01 00:00:00+00:00')"))
        insert(text("INSERT INTO duty_post (id, district_id, name, kind, active, lat, lon, approximate, created_at)"
                    " VALUES (1, 1, '平安岗', 'outpost', true, 25.29, 110.30, false, '2026-01-01 00:00:00+00:00')"))
        for shift_id, post in ((1, "NULL"), (2, "1")):
            insert(text("INSERT INTO shift (id, district_id, grid_id, duty_post_id, duty_date, starts_at, ends_at,"
                        f" kind, required, created_at) VALUES ({shift_id}, 1, 1, {post}, '2026-11-20',"
                        " '2026-11-20 11:00:00+00:00', '2026-11-20 18:00:00+00:00', 'regular', '{}',"
                        " '2026-11-01 00:00:00+00:00')"))

    upgrade(empty_engine)

    def starts():
        with empty_engine.connect() as connection:
            return [tuple(row) for row in connection.execute(
                text("SELECT id, start_lat, start_lon, start_source FROM shift ORDER BY id"))]
    assert starts() == [(1, 25.28, 110.29, "grid"), (2, 25.29, 110.30, "post")]

    downgrade(empty_engine, "0010")

    assert "start_lat" not in {column["name"] for column in inspect(empty_engine).get_columns("shift")}
    assert guard_objects(empty_engine) == expected_guard(empty_engine, starts=False)
    upgrade(empty_engine)
    assert starts() == [(1, 25.28, 110.29, "grid"), (2, 25.29, 110.30, "post")]
    assert_schema_is_the_models(empty_engine)
