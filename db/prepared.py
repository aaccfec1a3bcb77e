"""Hot-path INSERTs run straight on SQLite's cursor, compiled and bound by SQLAlchemy's own rules.

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

from sqlalchemy import Connection
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
