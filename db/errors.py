"""Recognise the database's refusals on SQLite and PostgreSQL, so services can name them (ShiftClash)."""
from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError, IntegrityError

# Made by migration 0001: the SQLite triggers raise these messages, the PostgreSQL guard uses these names.
OVERLAP_MESSAGE = "assignment_overlap"
INTERVAL_MISMATCH_MESSAGE = "assignment_interval_mismatch"
OVERLAP_CONSTRAINT = "ex_assignment_person_overlap"

# PostgreSQL SQLSTATE codes.
EXCLUSION_VIOLATION = "23P01"
CHECK_VIOLATION = "23514"
DEADLOCK_DETECTED = "40P01"
SERIALIZATION_FAILURE = "40001"

# SQLite's primary result codes for "another connection holds the lock".
SQLITE_BUSY = 5
SQLITE_LOCKED = 6


def is_overlap(error: IntegrityError) -> bool:
    """True when the database refused two holding assignments of one person that share an instant."""
    orig = getattr(error, "orig", None)
    state = _sqlstate(orig)
    if state is not None:
        return state == EXCLUSION_VIOLATION and _diagnostic(orig, "constraint_name") == OVERLAP_CONSTRAINT
    return _is_sqlite_trigger_refusal(orig, OVERLAP_MESSAGE)


def is_interval_mismatch(error: IntegrityError) -> bool:
    """True when the database refused an assignment whose interval is not its shift's."""
    orig = getattr(error, "orig", None)
    state = _sqlstate(orig)
    if state is not None:
        # A plain CHECK constraint raises the same SQLSTATE; only the trigger's message tells them apart.
        message = _diagnostic(orig, "message_primary") or ""
        return state == CHECK_VIOLATION and message.startswith(INTERVAL_MISMATCH_MESSAGE)
    return _is_sqlite_trigger_refusal(orig, INTERVAL_MISMATCH_MESSAGE)


def is_retryable(error: DBAPIError) -> bool:
    """True when PostgreSQL gave the transaction up as a deadlock or serialisation victim; running it again is safe."""
    return _sqlstate(getattr(error, "orig", None)) in (DEADLOCK_DETECTED, SERIALIZATION_FAILURE)


def is_busy(error: DBAPIError) -> bool:
    """True when the database gave up waiting for another writer (SQLite's busy timeout ran out) or for a lock.

    PostgreSQL's deadlock and serialisation victims count too: either way nothing was written, and the same
    work may be tried again a moment later.
    """
    orig = getattr(error, "orig", None)
    if isinstance(orig, sqlite3.OperationalError):
        code = getattr(orig, "sqlite_errorcode", None)
        if code is not None:
            return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)
        return str(orig).startswith(("database is locked", "database table is locked"))
    return is_retryable(error)


def _sqlstate(orig: object) -> str | None:
    """The PostgreSQL SQLSTATE of a driver error (psycopg 3 or psycopg2), None for other databases."""
    return getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)


def _diagnostic(orig: object, field: str) -> str | None:
    """One field of a PostgreSQL error's diagnostics."""
    return getattr(getattr(orig, "diag", None), field, None)


def _is_sqlite_trigger_refusal(orig: object, message: str) -> bool:
    """True for SQLite's RAISE(ABORT, ...) from one of our triggers with the given message."""
    return isinstance(orig, sqlite3.IntegrityError) and str(orig).startswith(message)
