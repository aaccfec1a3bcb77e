"""Hot-path statements run straight on the driver's cursor, compiled and bound by SQLAlchemy's own rules.

INSERTs (`Prepared`) on SQLite; one SELECT asked for on every screen open (`PreparedSelect`) on both.

A merchant's tip writes three rows while SQLite's single write lock is held, and SQLAlchemy's
per-execution work (execution context, events, result set-up) cost more than SQLite's own insert.
`Prepared` compiles its statement once per set of column names and keeps each column type's bind
processor, so enums, aware datetimes and JSON reach the file exactly as `Connection.execute` stores
them; only the per-call machinery is skipped. Errors come back as SQLAlchemy's own exceptions.
Other databases take the ordinary path, with the same check that every bound column is named.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Connection, Dialect, Select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import Insert

Plan = tuple[str, tuple[tuple[str, Callable[[Any], Any] | None], ...]]


class Prepared:
    """One INSERT statement, run with a row's values; `values` must name every column the INSERT binds."""

    def __init__(self, statement: Insert) -> None:
        self.statement = statement
        self._plans: dict[tuple[str, ...], Plan] = {}

    def execute(self, connection: Connection, values: Mapping[str, Any]) -> int | None:
        """Insert the row; its id when the table has a single-column key (the rowid on SQLite), else None."""
        single = len(self.statement.table.primary_key) == 1
        sql, binds = self._plan(connection, tuple(values))  # checks the values name every bound column
        if connection.dialect.name != "sqlite":
            result = connection.execute(self.statement, values)
            return result.inserted_primary_key[0] if single else None
        parameters = tuple(process(values[name]) if process else values[name] for name, process in binds)
        cursor = connection.connection.driver_connection.cursor()
        try:
            cursor.execute(sql, parameters)
            return cursor.lastrowid if single else None
        except connection.dialect.loaded_dbapi.Error as error:
            raise DBAPIError.instance(sql, parameters, error, connection.dialect.loaded_dbapi.Error,
                                      hide_parameters=True, dialect=connection.dialect) from error
        finally:
            cursor.close()

    def _plan(self, connection: Connection, names: tuple[str, ...]) -> Plan:
        """The SQL and (column, bind processor) pairs for these column names, compiled on first use."""
        dialect = connection.dialect
        plan = self._plans.get((dialect.name, *names))
        if plan is None:
            compiled = self.statement.compile(dialect=dialect, column_keys=list(names))
            bound = compiled.positiontup if compiled.positiontup is not None else list(compiled.binds)  # named style
            missing = [name for name in bound if name not in names]
            if missing:  # a Python-side default the ordinary path would fill in: name it instead
                raise KeyError(f"{self.statement.table.name}: give a value for {', '.join(missing)}")
            plan = compiled.string, tuple(
                (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
                for name in bound)
            self._plans[(dialect.name, *names)] = plan
        return plan


CURSOR = "nightwatch_select_cursor"  # key of the kept cursor in the DBAPI connection's info


def _kept_cursor(connection: Connection) -> Any:
    """The driver cursor kept with this DBAPI connection for PreparedSelect, opened on first use.

    A new psycopg cursor sets up its result loaders anew: 25-70 us of the client's CPU for each ranking on
    the dispatch screen. The pool clears `info` when it replaces the DBAPI connection, and the cursor with it.
    """
    info = connection.connection.info
    cursor = info.get(CURSOR)
    if cursor is None:
        cursor = info[CURSOR] = connection.connection.driver_connection.cursor()
    return cursor


def _drop_cursor(connection: Connection) -> None:
    """Close and forget the kept cursor (after an error, so the next statement starts clean)."""
    cursor = connection.connection.info.pop(CURSOR, None)
    if cursor is not None:
        cursor.close()


Processor = Callable[[Any], Any] | None
SelectPlan = tuple[str, tuple[tuple[str, Any, Processor], ...], bool]
_REQUIRED = object()  # a bound name with no value of its own in the statement


class PreparedSelect:
    """One SELECT run straight on the driver's cursor, its values bound and its rows read by SQLAlchemy's rules.

    For a read asked for on every screen open: SQLAlchemy's per-execution work (the compiled-cache lookup,
    which hashes the whole statement's key, the execution context and the result set-up) took a quarter of
    the dispatch screen's ranking in Python. The statement is compiled once per dialect; each bound value
    goes through its type's bind processor and each column through its result processor, as
    `Connection.execute` would. Errors come back as SQLAlchemy's own exceptions.
    """

    def __init__(self, statement: Select, *, binary: bool = False) -> None:
        """`binary`: PostgreSQL's binary result format, which spares parsing numbers and times (not for JSON)."""
        self.statement = statement
        self._binary = binary
        self._plans: dict[str, SelectPlan] = {}
        self._results: dict[str, tuple[Processor, ...]] = {}

    def rows(self, connection: Connection, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Every row, as tuples of processed values in the statement's column order."""
        dialect = connection.dialect
        sql, binds, positional = self._plan(dialect)
        missing = [name for name, bound, _ in binds if bound is _REQUIRED and name not in values]
        if missing:
            raise KeyError(f"give a value for {', '.join(missing)}")
        given = [(name, values.get(name, bound), process) for name, bound, process in binds]
        processed = [(name, value if process is None else process(value)) for name, value, process in given]
        parameters = tuple(value for _, value in processed) if positional else dict(processed)
        cursor = _kept_cursor(connection)
        try:
            if self._binary and dialect.driver == "psycopg":
                cursor.execute(sql, parameters, binary=True)
            else:
                cursor.execute(sql, parameters)
            raw = cursor.fetchall()
            results = self._results.get(dialect.name) or self._result_processors(dialect, cursor.description)
        except dialect.loaded_dbapi.Error as error:
            _drop_cursor(connection)
            raise DBAPIError.instance(sql, parameters, error, dialect.loaded_dbapi.Error, hide_parameters=True,
                                      dialect=dialect) from error
        processed = [(i, process) for i, process in enumerate(results) if process is not None]
        if not processed:
            return [tuple(row) for row in raw]
        rows = []
        for row in raw:  # a few columns of many need processing: only they are touched
            values = list(row)
            for i, process in processed:
                values[i] = process(values[i])
            rows.append(tuple(values))
        return rows

    def _plan(self, dialect: Dialect) -> SelectPlan:
        """The SQL, and each bound name with its value in the statement (or _REQUIRED) and its bind processor."""
        plan = self._plans.get(dialect.name)
        if plan is None:
            compiled = self.statement.compile(dialect=dialect)
            positional = compiled.positiontup is not None
            names = compiled.positiontup if positional else list(compiled.binds)
            binds = tuple((name, _REQUIRED if compiled.binds[name].required else compiled.binds[name].value,
                           compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)) for name in names)
            plan = self._plans[dialect.name] = (compiled.string, binds, positional)
        return plan

    def _result_processors(self, dialect: Dialect, description: Any) -> tuple[Processor, ...]:
        """Each column's result processor, for the driver's type of it (numbers depend on it on PostgreSQL)."""
        processors = tuple(column.type.dialect_impl(dialect).result_processor(dialect, described[1])
                           for column, described in zip(self.statement.selected_columns, description))
        self._results[dialect.name] = processors
        return processors
