"""The synthetic-city generator: deterministic, loadable on both backends, and true to the domain's rules."""
from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from collections import defaultdict
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, inspect, select
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import make_url

from benchmarks import wire
from benchmarks.generate import CityExists, build, generate, main
from benchmarks.load import bulk_loader
from benchmarks.scale import TINY, Scale
from db.models import (
    Assignment,
    Base,
    CheckIn,
    Checkpoint,
    Dispatch,
    District,
    DutyPost,
    Grid,
    LastPosition,
    Person,
    Place,
    Route,
    Shift,
    Shop,
    Team,
    Tip,
)
from db.session import make_engine, make_session_factory
from nightwatch.geo import cell_of
from nightwatch.nights import duty_date_of
from nightwatch.vocab import HOLDING_STATUSES

# A month of nights on a dozen grids: people patrol often enough for clashes to be possible.
MONTH = Scale(name="month", districts=3, grids=12, people=150, checkpoints=40, routes=15, duty_posts=5,
              places=5, shops=60, nights=30, shifts=150, check_ins=2_000, tips=400)
SCALE_COUNTS = {District: "districts", Grid: "grids", Person: "people", Checkpoint: "checkpoints", Route: "routes",
                DutyPost: "duty_posts", Place: "places", Shop: "shops", Shift: "shifts", CheckIn: "check_ins",
                Tip: "tips"}
SQLALCHEMY_SQLITE_DATETIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")
MOBILE_NUMBER = re.compile(r"1[3-9]\d{9}")


def empty_sqlite(template: Path, path: Path) -> str:
    """A SQLite file holding the migrated, empty schema."""
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> str:
    """One SQLite database holding the month-long city, shared by the read-only tests."""
    url = empty_sqlite(sqlite_template, tmp_path_factory.mktemp("month") / "month.sqlite3")
    generate(url, MONTH, seed=7)
    return url


def rows_of(url: str, model: type) -> list:
    """Every row of a model through the ORM, in primary-key order."""
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return list(session.scalars(select(model).order_by(*inspect(model).primary_key)))
    finally:
        engine.dispose()


def digest(url: str) -> dict[str, str]:
    """A hash of every table's rows in key order, read straight from a SQLite file."""
    connection = sqlite3.connect(make_url(url).database)
    try:
        hashes = {}
        for table in Base.metadata.sorted_tables:
            keys = ", ".join(column.name for column in table.primary_key)
            rows = connection.execute(f"SELECT * FROM {table.name} ORDER BY {keys}").fetchall()
            hashes[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return hashes
    finally:
        connection.close()


def test_tiny_loads_with_the_scales_counts(db_url):
    report = generate(db_url, TINY)
    engine = make_engine(db_url)
    with make_session_factory(engine)() as session:
        for model, field in SCALE_COUNTS.items():
            assert session.scalar(select(func.count()).select_from(model)) == getattr(TINY, field), model
        for table in Base.metadata.sorted_tables:
            if table.name in report.rows:
                assert session.scalar(select(func.count()).select_from(table)) == report.rows[table.name], table
    engine.dispose()


def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows(sqlite_template, tmp_path):
    first, second, other = (empty_sqlite(sqlite_template, tmp_path / f"{name}.sqlite3")
                            for name in ("first", "second", "other"))
    generate(first, TINY, seed=3)
    generate(second, TINY, seed=3)
    generate(other, TINY, seed=4)
    assert digest(first) == digest(second)
    differing = {name for name, value in digest(first).items() if digest(other)[name] != value}
    assert {"person", "shift", "assignment", "check_in", "tip"} <= differing


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_both_backends_read_back_the_same_rows_with_aware_utc_instants(sqlite_url, db_url):
    postgres_url = db_url
    generate(sqlite_url, TINY)
    generate(postgres_url, TINY)
    for mapper in Base.registry.mappers:
        model = mapper.class_
        on_sqlite, on_postgres = rows_of(sqlite_url, model), rows_of(postgres_url, model)
        assert len(on_sqlite) == len(on_postgres), model
        for left, right in zip(on_sqlite, on_postgres):
            for column in mapper.columns:
                a, b = getattr(left, column.key), getattr(right, column.key)
                assert a == b, (model.__name__, column.key, a, b)
                if hasattr(a, "tzinfo") and hasattr(a, "hour"):
                    assert a.utcoffset() == timedelta(0) and b.utcoffset() == timedelta(0)


def test_instants_are_stored_on_sqlite_exactly_as_sqlalchemy_stores_them(sqlite_url):
    generate(sqlite_url, TINY)
    at = rows_of(sqlite_url, CheckIn)[0].at
    engine = make_engine(sqlite_url)
    with make_session_factory(engine).begin() as session:
        session.add(District(name="对照区", city="对照市", created_at=at))
    engine.dispose()
    connection = sqlite3.connect(make_url(sqlite_url).database)
    generated = connection.execute("SELECT at FROM check_in WHERE id = 1").fetchone()[0]
    written = connection.execute("SELECT created_at FROM district WHERE name = '对照区'").fetchone()[0]
    connection.close()
    assert generated == written
    assert SQLALCHEMY_SQLITE_DATETIME.fullmatch(generated)


@settings(max_examples=200, deadline=None)
@given(moments=st.lists(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2999, 12, 31)), min_size=1))
def test_instants_and_dates_are_spelled_as_sqlalchemy_spells_them_on_sqlite(moments):
    dialect = sqlite_dialect.dialect()
    spell_instant = sqlite_dialect.DATETIME().bind_processor(dialect)
    spell_date = sqlite_dialect.DATE().bind_processor(dialect)
    values = np.array(moments, dtype="datetime64[us]")
    assert wire.timestamp_text(values, len(wire.INSTANT_TEMPLATE), "") == [spell_instant(m) for m in moments]
    assert wire.date_text(values) == [spell_date(m.date()) for m in moments]


def test_the_database_gives_back_the_instants_that_were_generated(sqlite_url):
    generate(sqlite_url, TINY)
    tables, _ = build(TINY)
    for model, table, column in ((CheckIn, "check_in", "at"), (Tip, "tip", "received_at"),
                                 (Assignment, "assignment", "confirmed_at")):
        generated = [None if moment is None else moment.replace(tzinfo=timezone.utc)
                     for moment in tables[table][column].astype(object)]
        assert [getattr(row, column) for row in rows_of(sqlite_url, model)] == generated


def test_no_person_holds_overlapping_assignments(month):
    held = defaultdict(list)
    for assignment in rows_of(month, Assignment):
        if assignment.status in HOLDING_STATUSES:
            held[assignment.person_id].append((assignment.starts_at, assignment.ends_at))
    assert any(len(slots) > 3 for slots in held.values()), "people should patrol several nights"
    for slots in held.values():
        slots.sort()
        assert all(earlier[1] <= later[0] for earlier, later in zip(slots, slots[1:]))


def test_assignments_carry_their_shifts_interval(month):
    shifts = {shift.id: shift for shift in rows_of(month, Shift)}
    for assignment in rows_of(month, Assignment):
        shift = shifts[assignment.shift_id]
        assert (assignment.starts_at, assignment.ends_at) == (shift.starts_at, shift.ends_at)


def test_check_ins_fall_inside_their_shift_and_on_its_night(month):
    shifts = {shift.id: shift for shift in rows_of(month, Shift)}
    for check_in in rows_of(month, CheckIn):
        shift = shifts[check_in.shift_id]
        assert shift.starts_at <= check_in.at < shift.ends_at
        assert check_in.duty_date == duty_date_of(check_in.at) == shift.duty_date
    for tip in rows_of(month, Tip):
        assert tip.duty_date == duty_date_of(tip.received_at)


def test_every_check_in_carries_its_checkpoints_cell(month):
    checkpoints = {checkpoint.id: checkpoint for checkpoint in rows_of(month, Checkpoint)}
    for checkpoint in checkpoints.values():
        assert checkpoint.cell == cell_of(checkpoint.lat, checkpoint.lon)
    for check_in in rows_of(month, CheckIn):
        assert check_in.cell == checkpoints[check_in.checkpoint_id].cell


def test_people_have_mobile_numbers_home_grids_and_teams_of_their_district(month):
    grids = {grid.id: grid.district_id for grid in rows_of(month, Grid)}
    teams = {team.id: team.district_id for team in rows_of(month, Team)}
    for person in rows_of(month, Person):
        assert MOBILE_NUMBER.fullmatch(person.phone)
        assert grids[person.home_grid_id] == teams[person.team_id] == person.district_id


def test_the_last_night_leaves_each_patroller_where_they_last_checked_in(month):
    checkpoints = {checkpoint.id: checkpoint for checkpoint in rows_of(month, Checkpoint)}
    last_night = max(shift.duty_date for shift in rows_of(month, Shift))
    last_seen = {}
    for check_in in rows_of(month, CheckIn):  # in time order
        if check_in.duty_date == last_night:
            last_seen[check_in.person_id] = check_in
    positions = {position.person_id: position for position in rows_of(month, LastPosition)}
    assert positions and positions.keys() == last_seen.keys()
    for person_id, position in positions.items():
        check_in = last_seen[person_id]
        checkpoint = checkpoints[check_in.checkpoint_id]
        assert (position.seen_at, position.cell) == (check_in.at, check_in.cell)
        assert (position.lat, position.lon) == (checkpoint.lat, checkpoint.lon)


def test_tip_steps_follow_one_another_and_dispatches_go_to_someone_on_duty(month):
    on_duty = defaultdict(list)
    for assignment in rows_of(month, Assignment):
        on_duty[assignment.person_id].append((assignment.starts_at, assignment.ends_at))
    tips = {tip.id: tip for tip in rows_of(month, Tip)}
    for tip in tips.values():
        steps = [tip.received_at, tip.dispatched_at, tip.acknowledged_at, tip.on_scene_at, tip.closed_at]
        reached = [step for step in steps if step is not None]
        assert reached == sorted(reached)
    dispatches = rows_of(month, Dispatch)
    assert dispatches
    for dispatch in dispatches:
        received = tips[dispatch.tip_id].received_at
        assert any(start <= received < end for start, end in on_duty[dispatch.person_id])


def schema_objects(url: str) -> set:
    """Every index, trigger and constraint of the database, with its definition."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                return set(connection.exec_driver_sql(
                    "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"))
            return set(connection.exec_driver_sql(
                "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' UNION "
                "SELECT 'constraint', conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE connamespace = 'public'::regnamespace UNION "
                "SELECT 'trigger', tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal"))
    finally:
        engine.dispose()


def test_loading_leaves_every_index_trigger_and_constraint_as_it_was(db_url):
    before = schema_objects(db_url)
    generate(db_url, TINY)
    assert schema_objects(db_url) == before
    if make_url(db_url).get_backend_name() == "sqlite":
        with closing(sqlite3.connect(make_url(db_url).database)) as connection:
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


def test_an_overlapping_assignment_is_refused_and_nothing_is_kept(db_url):
    tables, _ = build(TINY)
    assignments = tables["assignment"]
    night = tables["shift"]["duty_date"][assignments["shift_id"] - 1]
    # Every slot of a night shares 22:00-23:00, so two shifts of one night always overlap.
    other = np.nonzero((night == night[0]) & (assignments["shift_id"] != assignments["shift_id"][0]))[0][0]
    assignments["person_id"][other] = assignments["person_id"][0]
    engine = make_engine(db_url)
    with pytest.raises(Exception, match="overlap"):
        with bulk_loader(engine) as loader:
            for name, rows in tables.items():
                loader.load(name, rows)
    with make_session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Shift)) == 0
    engine.dispose()


def test_a_city_is_refused_unless_replaced_and_the_app_can_write_after_it(db_url):
    generate(db_url, TINY)
    with pytest.raises(CityExists):
        generate(db_url, TINY)
    generate(db_url, TINY, replace=True)
    engine = make_engine(db_url)
    with make_session_factory(engine).begin() as session:
        assert session.scalar(select(func.count()).select_from(District)) == TINY.districts
        session.add(District(name="新区", city="临江市"))  # the id sequence sits past the loaded ids
    engine.dispose()


def test_the_command_line_prints_a_summary_and_refuses_a_second_city(sqlite_url, capsys):
    assert main(["--scale", "tiny", "--url", sqlite_url]) == 0
    assert "check_in" in capsys.readouterr().out
    assert main(["--scale", "tiny", "--url", sqlite_url]) == 2
    assert "--replace" in capsys.readouterr().err


@pytest.mark.parametrize("change", [{"grids": 1}, {"shifts": 10_000}, {"check_ins": 10}, {"people": 5}])
def test_a_scale_that_cannot_be_built_is_refused(change):
    fields = {name: getattr(TINY, name) for name in TINY.__dataclass_fields__} | change
    with pytest.raises(ValueError):
        Scale(**fields)
