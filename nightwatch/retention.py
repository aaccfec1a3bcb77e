"""Retention and erasure rules (PIPL): what is old enough to purge, and what an anonymised row keeps. Pure."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import h3

DEFAULT_RETENTION_DAYS = 365
# What stands in for a removed name or phone inside text, and for an erased person's name.
REDACTED = "***"
# Names shorter than this are not searched for inside other rows' free text (a single character is everywhere).
MIN_NAME_TO_SCRUB = 2


@dataclass(frozen=True)
class PurgeCounts:
    """How many rows and files a purge changed (or, on a dry run, would change)."""

    tips: int = 0
    check_ins: int = 0
    photos: int = 0
    geocodes: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counts by name, as the audit log keeps them."""
        return {"tips": self.tips, "check_ins": self.check_ins, "photos": self.photos, "geocodes": self.geocodes}


def cutoff(now: datetime, days: int) -> datetime:
    """The instant before which rows are purged: `days` whole days before now."""
    if days < 1:
        raise ValueError("retention.days_too_small")
    return now - timedelta(days=days)


def cell_centre(cell: str | None, lat: float | None, lon: float | None) -> tuple[float | None, float | None]:
    """A point no finer than its H3 cell: the cell's centre, or nothing when there is no cell."""
    if not cell:
        return None, None
    try:
        centre_lat, centre_lon = h3.cell_to_latlng(cell)
    except (ValueError, TypeError, h3.H3BaseException):
        return None, None
    return round(centre_lat, 6), round(centre_lon, 6)


# Tip columns that carry who reported it or what they said; cleared by a purge or an erasure.
TIP_PERSONAL = ("reporter_account_id", "reporter_person_id", "caller_name", "caller_phone", "location_note",
                "outcome_note", "photo_path", "idempotency_key")


def tip_is_anonymised(tip: Any) -> bool:
    """True when the tip holds no reporter, no words and no photo, and its point is no finer than its cell."""
    if any(getattr(tip, name) for name in TIP_PERSONAL) or tip.text:
        return False
    return (tip.lat, tip.lon) == cell_centre(tip.cell, tip.lat, tip.lon)


def anonymised_tip(tip: Any) -> dict[str, Any]:
    """The values an anonymised tip takes: category, grid, cell, status and times stay for the statistics."""
    lat, lon = cell_centre(tip.cell, tip.lat, tip.lon)
    return {**{name: None for name in TIP_PERSONAL}, "text": "", "anonymous": True, "lat": lat, "lon": lon,
            "approximate": True}


def check_in_is_anonymised(check_in: Any) -> bool:
    """True when the check-in names nobody and keeps no phone location."""
    return check_in.person_id is None and check_in.phone_lat is None and check_in.phone_lon is None


def anonymised_check_in() -> dict[str, Any]:
    """The values an anonymised check-in takes: point, cell, time, team type and distance stay."""
    return {"person_id": None, "phone_lat": None, "phone_lon": None}


def needles_for(names: Iterable[str | None] = (), phones: Iterable[str | None] = (),
                logins: Iterable[str | None] = ()) -> tuple[str, ...]:
    """The strings that identify a person inside free text, longest first: their names (two characters or
    more), phones (seven digits or more) and logins (four characters or more)."""
    found: set[str] = set()
    for values, fits in ((names, lambda v: len(v) >= MIN_NAME_TO_SCRUB),
                         (phones, lambda v: sum(ch.isdigit() for ch in v) >= 7),
                         (logins, lambda v: len(v) >= 4)):
        found.update(v.strip() for v in values if v and fits(v.strip()) and v.strip() != REDACTED)
    return tuple(sorted(found, key=lambda needle: (-len(needle), needle)))


def scrub(value: Any, needles: tuple[str, ...]) -> Any:
    """The value with every needle inside its strings replaced by REDACTED (dicts and lists walked)."""
    if not needles:
        return value
    if isinstance(value, str):
        for needle in needles:
            value = value.replace(needle, REDACTED)
        return value
    if isinstance(value, dict):
        return {key: scrub(item, needles) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(item, needles) for item in value]
    return value


def erased_phone(person_id: int) -> str:
    """The unique placeholder that replaces an erased person's phone (the column is unique and required)."""
    return f"erased-{person_id}"


def erased_login(account_id: int) -> str:
    """The unique placeholder that replaces an erased person's account login."""
    return f"erased-{account_id}"
