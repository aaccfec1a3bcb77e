"""My shifts as an iCalendar (.ics) file that phone and desktop calendar apps import."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from icalendar import Calendar, Event

PRODID = "-//NightWatch//夜巡//ZH"
UID_DOMAIN = "nightwatch.local"


@dataclass(frozen=True)
class CalendarShift:
    """One of my shifts as the calendar shows it."""

    assignment_id: int
    starts_at: datetime  # aware
    ends_at: datetime
    where: str
    district: str
    note: str = ""


def uid_of(assignment_id: int) -> str:
    """A UID that stays the same on every export, so re-importing updates instead of duplicating."""
    return f"assignment-{assignment_id}@{UID_DOMAIN}"


def summary_of(shift: CalendarShift) -> str:
    """The event's title: 夜巡值班 · place."""
    return f"夜巡值班 · {shift.where}" if shift.where else "夜巡值班"


def shifts_ics(shifts: Iterable[CalendarShift], *, name: str, stamp: datetime) -> bytes:
    """An iCalendar file of the shifts: UTC start and end, stable UIDs, Chinese titles."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "UTC")
    for shift in shifts:
        calendar.add_component(_event(shift, stamp))
    return calendar.to_ical()


def _event(shift: CalendarShift, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid_of(shift.assignment_id))
    event.add("dtstamp", stamp.astimezone(timezone.utc))
    event.add("dtstart", shift.starts_at.astimezone(timezone.utc))
    event.add("dtend", shift.ends_at.astimezone(timezone.utc))
    event.add("summary", summary_of(shift))
    if shift.where:
        event.add("location", f"{shift.district} {shift.where}".strip())
    if shift.note:
        event.add("description", shift.note)
    return event
