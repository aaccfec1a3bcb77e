"""Attendance rules: who turned up, who did not, and the hours and points (积分) a shift earns.

Pure: the attendance service reads the rows and applies these.

Hours run from the first check-in to the end of the shift. A first check-in within the
first 15 minutes counts from the shift's start: people gather at the post and scan once the
briefing is done, and a volunteer who came on time should not lose a quarter hour for it.
A check-in before the start also counts from the start (time before the shift is not duty).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from nightwatch.nights import Slot
from nightwatch.vocab import RoleKind

POINTS_PER_HOUR = 10  # the same rate as the demo ledger (db/seed_patrols.py)
NO_SHOW_AFTER = timedelta(hours=1)
ON_TIME_GRACE = timedelta(minutes=15)
# Police are on the clock and earn no volunteer points (as the demo ledger has it).
ON_THE_CLOCK: frozenset[str] = frozenset({RoleKind.OFFICER.value, RoleKind.AUXILIARY.value})


def is_present(slot: Slot, first_check_in: datetime | None) -> bool:
    """True when the first check-in falls within the shift (start inclusive, end exclusive)."""
    return first_check_in is not None and slot.starts_at <= first_check_in < slot.ends_at


def no_show_at(slot: Slot) -> datetime:
    """When a missing check-in makes a no-show: an hour in, or the end of a shorter shift."""
    return min(slot.starts_at + NO_SHOW_AFTER, slot.ends_at)


def is_no_show(slot: Slot, attended_at: datetime | None, now: datetime) -> bool:
    """True when nobody checked in and the no-show moment has come."""
    return attended_at is None and now >= no_show_at(slot)


def counted_from(slot: Slot, attended_at: datetime) -> datetime:
    """Where attended time starts: the shift's start when on time (within the grace), else the check-in."""
    if attended_at < slot.starts_at + ON_TIME_GRACE:
        return slot.starts_at
    return attended_at


def attended_hours(slot: Slot, attended_at: datetime | None) -> float:
    """Hours on duty, from `counted_from` to the shift's end, capped at the shift; 0 when absent."""
    if attended_at is None or attended_at >= slot.ends_at:
        return 0.0
    seconds = (slot.ends_at - counted_from(slot, attended_at)).total_seconds()
    return round(min(max(seconds, 0.0) / 3600, slot.hours), 2)


def points_for(hours: float, role_kind: str | None = None) -> int:
    """Points for attended hours: POINTS_PER_HOUR each, none for police on the clock."""
    if role_kind in ON_THE_CLOCK:
        return 0
    return round(hours * POINTS_PER_HOUR)
