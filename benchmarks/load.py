"""Bulk loading of generated tables into SQLite (executemany) or PostgreSQL (COPY), in one transaction.

Like pg_restore, a loader drops a table's secondary indexes before its rows go in and makes them
again at the end: building an index once is cheaper than growing it row by row. Foreign keys are
checked all at once too (PostgreSQL: dropped and added again; SQLite: switched off, then
PRAGMA foreign_key_check). SQLite's two insert triggers on assignment cost more than the rest of
the insert, so they are lifted the same way and their rule is checked over the whole table;
PostgreSQL's exclusion constraint and triggers stay and check every row.
"""
from __future__ import annotations

import json
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine

from benchmarks import wire
from benchmarks.draw import Table
from db.models import Base
from nightwatch.vocab import HOLDING_STATUSES

BATCH_ROWS = 100_000
# Speed over durability while loading: a crash leaves a benchmark database to generate again.
SQLITE_LOAD_PRAGMAS = ("foreign_keys=OFF", "synchronous=OFF", "secure_delete=OFF", "cache_size=-1048576",
                       "temp_store=MEMORY")
_HOLDING = ", ".join(f"'{status}'" for status in HOLDING_STATUSES)
# Each lifted SQLite trigger, with a query counting the rows that break its rule.
LIFTED_TRIGGERS = {
    "assignment_no_overlap_insert": f"""
        SELECT COUNT(*) FROM (
            SELECT starts_at, LAG(ends_at) OVER (PARTITION BY person_id ORDER BY starts_at, id) AS previous_end
            FROM assignment WHERE status IN ({_HOLDING})
        ) AS held WHERE starts_at < previous_end""",
    "assignment_interval_insert": """
        SELECT COUNT(*) FROM assignment LEFT JOIN shift ON shift.id = assignment.shift_id
        WHERE shift.id IS NULL
           OR shift.starts_at <> assignment.starts_at OR shift.ends_at <> assignment.ends_at""",
}
POSTGRESQL_SECONDARY_INDEXES = """
    SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index
    WHERE indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)"""
POSTGRESQL_FOREIGN_KEYS = """
    SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'"""


class Loader(ABC):
    """Writes tables into one database in one transaction; subclasses speak to one driver."""

    dialect = ""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.seconds: dict[str, float] = {}  # loading each table
        self.finish_seconds = 0.0  # making indexes and keys again, checking rules, committing
        # What was dropped to load faster: its name and the statement that makes it again.
        self.lifted: list[tuple[str, str]] = []

    def load(self, name: str, rows: Table) -> None:
        """Insert every row of a table."""
        started = time.perf_counter()
        table = Base.metadata.tables[name]
        names = list(rows)
        converters = [wire.converter(table.c[column], rows[column], self.dialect) for column in names]
        count = len(rows[names[0]])
        self.lifted.extend(self._lift(name))
        for start in range(0, count, BATCH_ROWS):
            stop = min(start + BATCH_ROWS, count)
            columns = [convert(rows[column][start:stop]) for column, convert in zip(names, converters)]
            self._write(name, names, list(zip(*columns)))
        self.seconds[name] = time.perf_counter() - started

    def finish(self) -> None:
        """Make again what was lifted, check what it would have checked, and commit."""
        started = time.perf_counter()
        for dropped, statement in self.lifted:
            self._execute(statement)
            if dropped in LIFTED_TRIGGERS:
                broken = self._query(LIFTED_TRIGGERS[dropped])[0][0]
                if broken:
                    raise RuntimeError(f"{broken} generated rows break the rule of trigger {dropped}")
        self._commit()
        self.finish_seconds = time.perf_counter() - started

    @abstractmethod
    def _lift(self, name: str) -> list[tuple[str, str]]:
        """Drop what slows inserts into a table; returns what was dropped and how to make it again."""

    @abstractmethod
    def _write(self, name: str, columns: list[str], rows: list[tuple]) -> None:
        """Insert rows given as tuples in column order."""

    @abstractmethod
    def _execute(self, statement: str) -> None:
        """Run one statement."""

    @abstractmethod
    def _query(self, statement: str, parameters: tuple = ()) -> list[tuple]:
        """Run one query and return its rows."""

    @abstractmethod
    def begin(self) -> None:
        """Start the one transaction."""

    @abstractmethod
    def _commit(self) -> None:
        """Commit the one transaction."""

    @abstractmethod
    def abort(self) -> None:
        """Roll the transaction back, lifted objects included."""

    @abstractmethod
    def update(self, name: str, column: str, rows: Table) -> None:
        """Set one column of existing rows, found by id."""

    @abstractmethod
    def wipe(self) -> None:
        """Empty every table of the schema."""


class SQLiteLoader(Loader):
    """executemany on the sqlite3 connection; foreign keys are checked all at once before committing."""

    dialect = "sqlite"

    def begin(self) -> None:
        """Start the one transaction, after pragmas that only apply outside one."""
        # The engine's connect hook put pysqlite in autocommit, so BEGIN and COMMIT are ours to issue.
        for pragma in SQLITE_LOAD_PRAGMAS:
            self.connection.execute(f"PRAGMA {pragma}")
        self.connection.execute("BEGIN IMMEDIATE")

    def _lift(self, name: str) -> list[tuple[str, str]]:
        found = self._query(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL "
            "AND (type = 'index' OR (type = 'trigger' AND name IN (SELECT value FROM json_each(?))))",
            (name, json.dumps(list(LIFTED_TRIGGERS))),
        )
        for kind, dropped, _ in found:
            self._execute(f"DROP {kind.upper()} {dropped}")
        return [(dropped, statement) for _, dropped, statement in found]

    def _write(self, name: str, columns: list[str], rows: list[tuple]) -> None:
        marks = ", ".join("?" for _ in columns)
        self.connection.executemany(f"INSERT INTO {name} ({_names(columns)}) VALUES ({marks})", rows)

    def _execute(self, statement: str) -> None:
        self.connection.execute(statement)

    def _query(self, statement: str, parameters: tuple = ()) -> list[tuple]:
        return self.connection.execute(statement, parameters).fetchall()

    def _commit(self) -> None:
        dangling = self._query("PRAGMA foreign_key_check")
        if dangling:
            raise RuntimeError(f"{len(dangling)} generated rows point at missing rows, e.g. {dangling[:3]}")
        self._execute("COMMIT")

    def abort(self) -> None:
        """Roll the transaction back, lifted objects included."""
        self._execute("ROLLBACK")

    def update(self, name: str, column: str, rows: Table) -> None:
        """Set one column of existing rows, found by id."""
        pairs = zip(wire.plain(rows[column]), wire.plain(rows["id"]))
        self.connection.executemany(f'UPDATE {name} SET "{column}" = ? WHERE id = ?', pairs)

    def wipe(self) -> None:
        """Empty every table of the schema."""
        for table in reversed(Base.metadata.sorted_tables):
            self._execute(f"DELETE FROM {table.name}")


class PostgreSQLLoader(Loader):
    """COPY through psycopg; the exclusion constraint and triggers still check every row."""

    dialect = "postgresql"

    def begin(self) -> None:
        """Start the one transaction (psycopg opens it with the first statement)."""

    def _lift(self, name: str) -> list[tuple[str, str]]:
        lifted = []
        for index, definition in self._query(POSTGRESQL_SECONDARY_INDEXES, (name,)):
            self._execute(f"DROP INDEX {index}")
            lifted.append((index, definition))
        for constraint, definition in self._query(POSTGRESQL_FOREIGN_KEYS, (name,)):
            self._execute(f"ALTER TABLE {name} DROP CONSTRAINT {constraint}")
            lifted.append((constraint, f"ALTER TABLE {name} ADD CONSTRAINT {constraint} {definition}"))
        return lifted

    def _write(self, name: str, columns: list[str], rows: list[tuple]) -> None:
        statement = f"COPY {name} ({_names(columns)}) FROM STDIN"
        with self.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def _execute(self, statement: str) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(statement)

    def _query(self, statement: str, parameters: tuple = ()) -> list[tuple]:
        with self.connection.cursor() as cursor:
            return cursor.execute(statement, parameters).fetchall()

    def _commit(self) -> None:
        for name in self.seconds:
            if "id" in Base.metadata.tables[name].c:
                # Rows came with their ids, so move each id sequence past them for the app's own inserts.
                self._query(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), MAX(id)) FROM {name} "
                            "HAVING MAX(id) IS NOT NULL")
        self.connection.commit()
        self.connection.autocommit = True
        self._execute("ANALYZE")

    def abort(self) -> None:
        """Roll the transaction back, lifted objects included."""
        self.connection.rollback()

    def update(self, name: str, column: str, rows: Table) -> None:
        """Set one column of existing rows, found by id."""
        with self.connection.cursor() as cursor:
            cursor.executemany(f'UPDATE {name} SET "{column}" = %s WHERE id = %s',
                               list(zip(wire.plain(rows[column]), wire.plain(rows["id"]))))

    def wipe(self) -> None:
        """Empty every table of the schema and restart its id sequences."""
        names = ", ".join(table.name for table in Base.metadata.sorted_tables)
        self._execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


LOADERS: dict[str, type[Loader]] = {"sqlite": SQLiteLoader, "postgresql": PostgreSQLLoader}


@contextmanager
def bulk_loader(engine: Engine) -> Iterator[Loader]:
    """A loader on one raw connection inside one transaction, finished when the block ends cleanly."""
    if engine.dialect.name not in LOADERS:
        raise ValueError(f"no bulk loader for {engine.dialect.name}")
    engine.dispose()  # a fresh connection, so the pragmas set for loading leave with it
    raw = engine.raw_connection()
    try:
        loader = LOADERS[engine.dialect.name](raw.driver_connection)
        loader.begin()
        try:
            yield loader
            loader.finish()
        except BaseException:
            loader.abort()
            raise
    finally:
        raw.close()
        engine.dispose()


def _names(columns: list[str]) -> str:
    return ", ".join(f'"{column}"' for column in columns)
