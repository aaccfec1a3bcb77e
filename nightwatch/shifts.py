"""Shift rules: campaigns into nights, staffing templates into needs, role fit, rest between nights.

Pure: the roster services feed these from the database. Staffing is a mapping of role kind to
head count, e.g. {"officer": 1, "auxiliary": 2, "grid_worker": 3, "merchant": 6}. An empty
mapping means no staffing was set: the shift takes anyone, without a limit (a patrol line
that welcomes every volunteer who turns up), and never waitlists.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta

from nightwatch.nights import DEFAULT_TIMEZONE, Slot, format_slot, night_slot, overlaps

# Least time off between two shifts of different nights; shorter needs a coordinator's reason.
MIN_REST = timedelta(hours=8)
# A campaign runs at most this many nights, so a typo cannot make ten thousand shifts.
MAX_CAMPAIGN_NIGHTS = 400


@dataclass(frozen=True)
class Night:
    """One shift a campaign makes: its duty date and its slot."""

    duty_date: date
    slot: Slot


@dataclass(frozen=True)
class HeldShift:
    """A shift someone already holds, for the rest check: its duty date and slot."""

    duty_date: date
    slot: Slot


def campaign_dates(first: date, last: date, weekdays: Iterable[int] | None = None) -> list[date]:
    """The duty dates from the first night to the last (inclusive) on the given weekdays (0 = Monday)."""
    if last < first:
        raise ValueError("the last night comes before the first")
    count = (last - first).days + 1
    if count > MAX_CAMPAIGN_NIGHTS:
        raise ValueError(f"a campaign runs at most {MAX_CAMPAIGN_NIGHTS} nights")
    days = None if weekdays is None else frozenset(weekdays)
    dates = (first + timedelta(days=n) for n in range(count))
    return [day for day in dates if days is None or day.weekday() in days]


def campaign_nights(first: date, last: date, start: time, end: time, tz: str = DEFAULT_TIMEZONE,
                    weekdays: Iterable[int] | None = None) -> list[Night]:
    """The shifts a campaign makes: one slot per duty date, from local wall times in the district's zone."""
    return [Night(day, night_slot(day, start, end, tz)) for day in campaign_dates(first, last, weekdays)]


def required_from_template(template: Mapping[str, object] | None) -> dict[str, int]:
    """A grid's staffing template as a shift's required staffing: positive whole counts only."""
    required: dict[str, int] = {}
    for role, count in (template or {}).items():
        number = int(count)  # type: ignore[call-overload]
        if number > 0:
            required[str(role)] = number
    return required


def capacity(required: Mapping[str, int]) -> int | None:
    """How many people a shift holds: the sum of its required staffing; None when unlimited."""
    return sum(required.values()) if required else None


def remaining(required: Mapping[str, int], held: Mapping[str, int]) -> dict[str, int]:
    """Role kinds still short on a shift, and by how many."""
    return {role: need - held.get(role, 0) for role, need in required.items() if held.get(role, 0) < need}


def is_full(required: Mapping[str, int], held: Mapping[str, int]) -> bool:
    """True when every required role is filled (never for an unlimited shift)."""
    return bool(required) and not remaining(required, held)


def kinds_of(role_kind: str, skills: Iterable[str] = ()) -> tuple[str, ...]:
    """The role kinds a person can fill: their own first, then their further skills."""
    kinds = [str(role_kind)]
    kinds.extend(str(skill) for skill in skills if str(skill) not in kinds)
    return tuple(kinds)


def fits(kinds: Iterable[str], required: Mapping[str, int]) -> bool:
    """True when a person with these role kinds can fill any role the shift asks for."""
    return not required or any(kind in required for kind in kinds)


def pick_role(kinds: tuple[str, ...], required: Mapping[str, int], held: Mapping[str, int],
              preferred: str | None = None) -> str | None:
    """The role a person takes on a shift: the preferred or their first kind still short; None when none is."""
    if not required:
        return preferred or kinds[0]
    short = remaining(required, held)
    order = ((preferred,) if preferred else ()) + kinds
    return next((kind for kind in order if kind in short and (kind == preferred or kind in kinds)), None)


def waiting_role(kinds: tuple[str, ...], required: Mapping[str, int], preferred: str | None = None) -> str | None:
    """The role a person waits for on a full shift: the preferred or their first kind the shift asks for."""
    order = ((preferred,) if preferred else ()) + kinds
    return next((kind for kind in order if kind in required), None)


def rest_gaps(slot: Slot, duty_date: date, held: Iterable[HeldShift]) -> list[timedelta]:
    """Time off between this shift and each held shift of another night that does not overlap it."""
    gaps = []
    for other in held:
        if other.duty_date == duty_date or overlaps(slot, other.slot):
            continue
        gaps.append(slot.starts_at - other.slot.ends_at if other.slot.ends_at <= slot.starts_at
                    else other.slot.starts_at - slot.ends_at)
    return gaps


def short_rest(slot: Slot, duty_date: date, held: Iterable[HeldShift],
               min_rest: timedelta = MIN_REST) -> timedelta | None:
    """The shortest rest to a neighbouring night when it is under the minimum; None when rest is enough."""
    gaps = [gap for gap in rest_gaps(slot, duty_date, held) if gap < min_rest]
    return min(gaps) if gaps else None


def when_text(slot: Slot, duty_date: date, tz: str = DEFAULT_TIMEZONE) -> str:
    """A shift's night and times as people read them: ``11-20 22:00–06:00 (+1)``."""
    return f"{duty_date:%m-%d} {format_slot(slot, tz, duty_date)}"
