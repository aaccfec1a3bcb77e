"""The hostile-input corpus: strings, numbers, coordinates and dates the app must survive.

Shared by the service tests (tests/test_hostile_services.py) and the page tests. Every entry is
data: a category, the text itself and a note saying what it tries (the strings live in
tests/hostile_text.py). Long strings are built by code.
`sample(every)` gives a deterministic subset that still holds every category (quick runs).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime

import hostile_text


@dataclass(frozen=True)
class Hostile:
    """One hostile string: which category it belongs to, the text, and what it tries."""

    category: str
    text: str
    note: str


CATEGORIES = (
    "html", "markdown", "formula", "sql", "control", "long", "invisible",
    "fullwidth", "emoji", "gb18030", "template", "filename",
)

_GROUPS = {category: getattr(hostile_text, category.upper()) for category in CATEGORIES}

CORPUS: tuple[Hostile, ...] = tuple(
    Hostile(category, text, note) for category, entries in _GROUPS.items() for text, note in entries
)

# Numbers a count, a rate or a coordinate field might receive, as typed or as parsed.
HOSTILE_NUMBERS: tuple[object, ...] = (
    math.nan, math.inf, -math.inf, 1e308, -1e308, -0.0, 5e-324, 10**30, -(10**30), 2**63, 2**31, -1, -2**31,
    "NaN", "inf", "-inf", "1e308", "abc", "", "１２", "1,000", "0x10", "12abc", None, True,
)

# (latitude, longitude) pairs: none of these is a place on Earth the app may store.
HOSTILE_COORDINATES: tuple[tuple[object, object], ...] = (
    (math.nan, 121.47), (31.23, math.nan), (math.inf, 121.47), (-math.inf, 121.47), (31.23, math.inf),
    (31.23, -math.inf), (91.0, 121.47), (-91.0, 121.47), (31.23, 181.0), (31.23, -181.0),
    (1e308, 1e308), ("31.2,abc", 121.47), (31.23, "abc"), ("", ""), (None, None), ("NaN", "inf"),
)

# Dates and moments: far past, far future, impossible calendar days given as text.
HOSTILE_DATES: tuple[object, ...] = (
    date(1, 1, 1), date(9999, 12, 31), "2026-02-30", "2026-13-01", "0000-00-00", "not a date",
    datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
    date(3000, 1, 1), "9999-12-31T23:59:59+14:00",
)


def by_category(category: str) -> tuple[Hostile, ...]:
    """Every corpus entry of one category."""
    return tuple(entry for entry in CORPUS if entry.category == category)


def sample(every: int) -> tuple[Hostile, ...]:
    """Every `every`-th entry of each category, starting with its first: the same subset on every call."""
    step = max(1, every)
    return tuple(entry for category in CATEGORIES for entry in by_category(category)[::step])


def texts(entries: tuple[Hostile, ...] = CORPUS) -> tuple[str, ...]:
    """Just the strings of some entries."""
    return tuple(entry.text for entry in entries)
