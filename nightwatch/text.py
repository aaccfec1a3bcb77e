"""The one normalisation of free text typed into NightWatch, and the check of typed days.

Every service that stores free text (tip words, names, notes, descriptions, import cells) passes
it through `clean_text` before anything else, so SQLite and PostgreSQL receive the same characters
and every decision is taken before a database sees the text:

1. Nothing (`None`) becomes the empty string.
2. Line breaks become uniform: CR LF and a lone CR become LF.
3. Invisible control characters are removed: NUL and every other C0 control (U+0000 to U+001F)
   except tab and line feed, DEL (U+007F), and unpaired UTF-16 surrogates. PostgreSQL refuses NUL
   in text while SQLite stores it; removing them here gives one answer on both.
4. Surrounding whitespace is stripped (spaces, tabs, line breaks, the ideographic space U+3000).
5. Nothing else changes: HTML, Markdown, spreadsheet formulas, braces, emoji, full-width digits,
   zero-width and right-to-left characters are stored exactly as typed. Pages render text as text
   and exports neutralise formulas; the stored words stay the reporter's own.
6. Length limits stay with each field's service, counted in Unicode code points after this
   normalisation: longer text is refused with the field's own message, never cut, except two
   labels stored for display only (a tip's location label, 200 characters; a swap offer's note).

A typed day (`checked_day`) must be a calendar date from EARLIEST_DAY to LATEST_DAY: text such as
"2026-02-30", year 1 and year 9999 are refused (`input.bad_date`). Points are checked by
`nightwatch.geo.is_valid_point` (finite, latitude within ±90, longitude within ±180).
"""
from __future__ import annotations

import re
from datetime import date, datetime

# C0 controls but tab (\x09) and line feed (\x0a), DEL, and lone surrogates.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
# The days a patrol record can be about: none before the app's time, none centuries ahead.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2099, 12, 31)


class InputRefused(Exception):
    """Typed input the app will not store; ``key`` is a catalog key, ``values`` fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def clean_text(value: str | None) -> str:
    """Free text after the documented normalisation (see the module docstring)."""
    text = "" if value is None else str(value)
    return _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def optional_text(value: str | None) -> str | None:
    """Like `clean_text`, but nothing left after cleaning is None."""
    return clean_text(value) or None


def checked_day(value: object) -> date:
    """A typed calendar day (a datetime gives its date) within EARLIEST_DAY..LATEST_DAY; else refused."""
    day = value.date() if isinstance(value, datetime) else value
    if not isinstance(day, date) or not EARLIEST_DAY <= day <= LATEST_DAY:
        raise InputRefused("input.bad_date", low=EARLIEST_DAY.isoformat(), high=LATEST_DAY.isoformat())
    return day
