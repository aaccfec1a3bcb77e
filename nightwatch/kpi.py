"""Dashboard periods and how a figure compares with an earlier one (同比 / 环比). Pure.

A period is an inclusive range of duty dates (nightwatch.nights): the night of 31 March belongs to
March even though it ends on 1 April. Weeks start on Monday. "This week/month/quarter/year" run
up to today, so they compare like with like against an earlier range of the same length.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from nightwatch import i18n

PERIOD_KINDS = ("this_week", "last_week", "this_month", "last_month", "quarter", "year", "custom")


@dataclass(frozen=True)
class Period:
    """Duty dates from `first` to `last`, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a period must not end before it starts")

    @property
    def days(self) -> int:
        """How many nights the period holds."""
        return (self.last - self.first).days + 1


def week_of(day: date) -> Period:
    """The Monday-to-Sunday week holding a day."""
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6))


def _month_start(day: date) -> date:
    return day.replace(day=1)


def period_of(kind: str, today: date, custom: Period | None = None) -> Period:
    """The period a dashboard choice stands for, seen from `today` (a duty date)."""
    if kind == "this_week":
        return Period(week_of(today).first, today)
    if kind == "last_week":
        return week_of(today - timedelta(days=7))
    if kind == "this_month":
        return Period(_month_start(today), today)
    if kind == "last_month":
        last = _month_start(today) - timedelta(days=1)
        return Period(_month_start(last), last)
    if kind == "quarter":
        return Period(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today)
    if kind == "year":
        return Period(date(today.year, 1, 1), today)
    if kind == "custom" and custom is not None:
        return custom
    raise ValueError(kind)


def previous_period(period: Period) -> Period:
    """环比's base: the same number of nights immediately before."""
    return Period(period.first - timedelta(days=period.days), period.first - timedelta(days=1))


def year_before(day: date) -> date:
    """The same date a year earlier; 29 February becomes 28 February."""
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def last_year_period(period: Period) -> Period:
    """同比's base: the same dates a year earlier."""
    return Period(year_before(period.first), year_before(period.last))


@dataclass(frozen=True)
class Change:
    """How a figure moved against its base: kind is no_data, new, flat, up or down; pct for up and down."""

    kind: str
    pct: float | None = None


def compare(now: float | None, before: float | None, before_has_data: bool) -> Change:
    """The change from `before` to `now`; an inactive base is no data, 0 → n is new, never 0% or ∞."""
    if not before_has_data or before is None or now is None:
        return Change("no_data")
    if now == before:
        return Change("flat")
    if before == 0:
        return Change("new")
    pct = round_percent((now - before) / before * 100)
    return Change("up" if now > before else "down", abs(pct))


def round_percent(value: float) -> float:
    """A percentage to show: whole numbers, but one decimal where rounding would hide a change or fake a whole."""
    whole = round(value)
    if (whole == 0 and value != 0) or (abs(whole) == 100 and abs(value) != 100):
        return round(value, 1)
    return float(whole)


def percent_text(share: float | None) -> str | None:
    """A share (0–1) as a percentage such as ``89%``, or None when there is no share."""
    if share is None:
        return None
    return f"{round_percent(share * 100):g}%"


def change_text(change: Change, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A change as words: ``下降 12%``, ``新增``, ``持平``, ``无数据``."""
    if change.kind in ("up", "down"):
        return i18n.t(f"kpi.change.{change.kind}", lang, pct=f"{change.pct:g}")
    return i18n.t(f"kpi.change.{change.kind}", lang)


def has_activity(shifts: int, tips: int, check_ins: int) -> bool:
    """A period has data when the district recorded anything in it: a shift, a tip or a check-in."""
    return shifts > 0 or tips > 0 or check_ins > 0


# The hours of a night in the order it is lived: 18:00 … 23:00, then 00:00 … 05:00.
NIGHT_ORDER: tuple[int, ...] = tuple((18 + n) % 24 for n in range(12))


def night_hour_rank(hour: int) -> int:
    """Where a wall-clock hour falls in the night: 18 → 0 … 05 → 11, daytime hours after."""
    return NIGHT_ORDER.index(hour) if hour in NIGHT_ORDER else 12 + (hour - 6) % 24
