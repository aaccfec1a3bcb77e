"""Column types that behave the same on SQLite and PostgreSQL."""
from __future__ import annotations

import enum
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, Enum, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB


class UTCDateTime(TypeDecorator[datetime]):
    """An aware instant stored as UTC; SQLite would otherwise drop the offset silently.

    Naive datetimes are refused on the way in: a naive value is a bug that would
    shift a night by eight hours, and it is better loud than wrong.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to UTC; SQLite gets the naive UTC wall time."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime refused (store aware instants): {value!r}")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return an aware UTC datetime whatever the backend gave."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


# JSONB on PostgreSQL (indexable, compact), plain JSON text elsewhere.
JSONDoc = JSON().with_variant(JSONB(), "postgresql")


def vocab(enum_cls: type[enum.StrEnum]) -> Enum:
    """A string column restricted to a vocabulary; checked in Python, stored as VARCHAR(32).

    No CHECK constraint: the vocabulary grows with the product, and a constraint would
    make every new value a table rebuild on SQLite. SQLAlchemy refuses unknown values on write.
    """
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        validate_strings=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


def utcnow() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(timezone.utc)


__all__: list[Any] = ["UTCDateTime", "JSONDoc", "vocab", "utcnow"]
