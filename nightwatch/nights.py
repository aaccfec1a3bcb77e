"""The night-first time model: aware UTC instants, duty dates, and how a night is shown.

A night shift crosses midnight, so a shift is two aware instants plus its 勤务日 (duty
date): the local date on which the night begins. Everything here is pure.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Shanghai"
# Local hour before which an instant still belongs to the previous night (03:00 is "last night").
NIGHT_ROLLOVER_HOUR = 6


@dataclass(frozen=True)
class Slot:
    """A stretch of time from `starts_at` (inclusive) to `ends_at` (exclusive), both aware UTC."""

    starts_at: datetime
    ends_at: datetime

    def __post_init__(self) -> None:
        for instant in (self.starts_at, self.ends_at):
            if instant.tzinfo is None or instant.utcoffset() is None:
                raise ValueError("a slot needs aware instants")
        if self.ends_at <= self.starts_at:
            raise ValueError("a slot must end after it starts")

    @property
    def hours(self) -> float:
        """Length in hours."""
        return (self.ends_at - self.starts_at).total_seconds() / 3600


def overlaps(a: Slot, b: Slot) -> bool:
    """True when the two slots share any instant (end is exclusive)."""
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def duty_date_of(instant: datetime, tz: str = DEFAULT_TIMEZONE) -> date:
    """The night an instant belongs to: its local date, or the day before until the rollover hour."""
    local = instant.astimezone(ZoneInfo(tz))
    return (local - timedelta(hours=NIGHT_ROLLOVER_HOUR)).date()


def night_slot(duty_date: date, start: time, end: time, tz: str = DEFAULT_TIMEZONE) -> Slot:
    """The slot of a shift on a duty date from local wall times; an end at or before the start is next day.

    A start before the rollover hour (00:00–06:00) is the early morning after the duty date.
    A wall time that a spring-forward clock change skips means the moment the clock jumps; one that a
    fall-back change shows twice means its first showing (a typed time carries no fold).
    """
    zone = ZoneInfo(tz)
    start, end = start.replace(fold=0), end.replace(fold=0)
    start_day = duty_date + timedelta(days=1) if start.hour < NIGHT_ROLLOVER_HOUR else duty_date
    end_day = start_day + timedelta(days=1) if end <= start else start_day
    starts_at, ends_at = wall_instant(start_day, start, zone), wall_instant(end_day, end, zone)
    if ends_at <= starts_at:
        raise ValueError(f"the clock change on {start_day} skips the whole of {start:%H:%M}–{end:%H:%M}")
    return Slot(starts_at, ends_at)


def wall_instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The UTC instant a local clock shows `wall` on `day`; a skipped wall time gives the jump itself."""
    local = datetime.combine(day, wall, tzinfo=zone)
    instant = local.astimezone(timezone.utc)
    if instant.astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None):
        return instant
    # In a gap, reading the wall time with the offset after the change gives an instant before
    # the jump, and with the offset before it an instant after; halve the span to the jump.
    early, late = local.replace(fold=1).astimezone(timezone.utc), instant
    early, late = min(early, late), max(early, late)
    while late - early > timedelta(seconds=1):
        middle = early + (late - early) / 2
        if middle.astimezone(zone).utcoffset() == early.astimezone(zone).utcoffset():
            early = middle
        else:
            late = middle
    return late.replace(microsecond=0) + (timedelta(seconds=1) if late.microsecond else timedelta(0))


def format_slot(slot: Slot, tz: str = DEFAULT_TIMEZONE, duty_date: date | None = None) -> str:
    """Local wall times with day offsets from the duty date: ``22:00–06:00 (+1)``."""
    base = duty_date or slot.starts_at.astimezone(ZoneInfo(tz)).date()
    return f"{wall_clock(slot.starts_at, tz, base)}–{wall_clock(slot.ends_at, tz, base)}"


def wall_clock(instant: datetime, tz: str, duty_date: date) -> str:
    """An instant as local ``HH:MM``, with its day offset from the duty date: ``00:20 (+1)``."""
    local = instant.astimezone(ZoneInfo(tz))
    return local.strftime("%H:%M") + _offset(local.date(), duty_date)


def _offset(day: date, base: date) -> str:
    days = (day - base).days
    return f" (+{days})" if days > 0 else (f" ({days})" if days < 0 else "")


def window_of_night(duty_date: date, tz: str = DEFAULT_TIMEZONE) -> Slot:
    """The whole night of a duty date: from the rollover hour that day to the rollover hour the next."""
    zone = ZoneInfo(tz)
    start = datetime.combine(duty_date, time(NIGHT_ROLLOVER_HOUR), tzinfo=zone)
    end = datetime.combine(duty_date + timedelta(days=1), time(NIGHT_ROLLOVER_HOUR), tzinfo=zone)
    return Slot(start.astimezone(timezone.utc), end.astimezone(timezone.utc))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware UTC instant; a short spelling for tests and seeds."""
    return datetime(year, month, day, hour, minute, tzinfo=timezone.utc)


def night_hours() -> list[int]:
    """The hours of a duty date in the order the night lives them: 06, 07 … 23, 00 … 05."""
    return [(NIGHT_ROLLOVER_HOUR + n) % 24 for n in range(24)]


def hour_of_night(duty_date: date, hour: int, tz: str = DEFAULT_TIMEZONE) -> datetime:
    """The instant a wall-clock hour starts on a night; hours before the rollover are the next morning."""
    day = duty_date + timedelta(days=1) if hour < NIGHT_ROLLOVER_HOUR else duty_date
    return wall_instant(day, time(hour), ZoneInfo(tz))
