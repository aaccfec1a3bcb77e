"""Generated columns as the database drivers take them, in the text SQLAlchemy itself would write."""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import sqlalchemy as sa

from db.types import UTCDateTime

# SQLAlchemy's text for a DATETIME on SQLite; PostgreSQL gets the same with an explicit UTC offset.
INSTANT_TEMPLATE = "0000-00-00 00:00:00.000000"
DATE_WIDTH = len("0000-00-00")

Converter = Callable[[Any], list]


def converter(column: sa.Column, values: np.ndarray | list, dialect: str) -> Converter:
    """A function turning a slice of a column into driver values, chosen by the column's type in the ORM."""
    kind = column.type
    if isinstance(kind, UTCDateTime):
        suffix = "+00" if dialect == "postgresql" else ""
        return lambda part: timestamp_text(part, len(INSTANT_TEMPLATE), suffix)
    if isinstance(kind, sa.Date):
        return date_text
    if isinstance(kind, sa.JSON):
        # json.dumps with its defaults is what SQLAlchemy's JSON type writes.
        return lambda part: [None if value is None else json.dumps(value) for value in part]
    if isinstance(kind, sa.Boolean):
        # SQLite keeps booleans as 0 and 1.
        return (lambda part: part.astype(np.int64).tolist()) if dialect == "sqlite" else plain
    if isinstance(kind, sa.Enum):
        check_vocabulary(column, values)
    return plain


def plain(part: np.ndarray | list) -> list:
    """Python values for the driver: numpy scalars become ints and floats, NaN becomes None."""
    if isinstance(part, np.ndarray) and part.dtype.kind == "f" and np.isnan(part).any():
        return np.where(np.isnan(part), None, part).tolist()
    return part.tolist() if isinstance(part, np.ndarray) else list(part)


def check_vocabulary(column: sa.Column, values: np.ndarray | list) -> None:
    """Refuse values outside a vocabulary column's enum, as the ORM would on write."""
    allowed = set(column.type.enums)
    unknown = {value for value in set(np.asarray(values, dtype=object).tolist()) if value is not None} - allowed
    if unknown:
        raise ValueError(f"{column.table.name}.{column.name}: not in the vocabulary: {sorted(unknown)}")


def date_text(part: np.ndarray) -> list[str | None]:
    """Dates as 'YYYY-MM-DD'; None where NaT. A few hundred nights repeat across millions of rows."""
    days, index = np.unique(np.asarray(part).astype("datetime64[D]"), return_inverse=True)
    return np.array(timestamp_text(days, DATE_WIDTH, ""), dtype=object)[index].tolist()


def timestamp_text(part: np.ndarray, width: int, suffix: str) -> list[str | None]:
    """Instants as 'YYYY-MM-DD HH:MM:SS.ffffff' cut to width, plus suffix; None where NaT.

    Built digit by digit in numpy: formatting millions of datetimes one by one in Python is slow.
    """
    ticks = np.asarray(part).astype("datetime64[us]")
    missing = np.isnat(ticks)
    days, micros = np.divmod(np.where(missing, 0, ticks.view(np.int64)), 86_400_000_000)
    day = days.astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    fields = (
        (0, 4, day.astype("datetime64[Y]").astype(np.int64) + 1970),
        (5, 2, month.astype(np.int64) % 12 + 1),
        (8, 2, (day - month).astype(np.int64) + 1),
        (11, 2, micros // 3_600_000_000),
        (14, 2, micros // 60_000_000 % 60),
        (17, 2, micros // 1_000_000 % 60),
        (20, 6, micros % 1_000_000),
    )
    chars = np.tile(np.frombuffer((INSTANT_TEMPLATE[:width] + suffix).encode(), dtype=np.uint8), (len(ticks), 1))
    for start, digits, number in fields:
        for place in range(digits):
            if start + digits - 1 - place < width:
                chars[:, start + digits - 1 - place] = ord("0") + number // 10**place % 10
    text = chars.view(f"S{chars.shape[1]}").ravel().astype(f"U{chars.shape[1]}").astype(object)
    text[missing] = None
    return text.tolist()
