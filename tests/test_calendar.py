"""The .ics export parses with a real iCalendar library, in UTC, with nights spanning midnight."""
from __future__ import annotations

from datetime import date, time, timezone

from icalendar import Calendar

from nightwatch.calendar import PRODID, CalendarShift, shifts_ics, uid_of
from nightwatch.nights import night_slot, utc

STAMP = utc(2026, 6, 1)


def events(ics: bytes) -> list:
    return list(Calendar.from_ical(ics).walk("VEVENT"))


def test_the_file_parses_and_carries_its_name_and_producer():
    ics = shifts_ics([], name="夜巡 · 我的班次", stamp=STAMP)
    calendar = Calendar.from_ical(ics)
    assert str(calendar["PRODID"]) == PRODID and str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "夜巡 · 我的班次"
    assert events(ics) == []


def test_a_22_to_06_night_spans_midnight_in_utc_with_a_chinese_title():
    slot = night_slot(date(2026, 12, 31), time(22), time(6), "Asia/Shanghai")  # New Year's Eve
    shift = CalendarShift(42, slot.starts_at, slot.ends_at, "东西巷三网格", "东西巷")
    (event,) = events(shifts_ics([shift], name="x", stamp=STAMP))
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.utcoffset().total_seconds() == 0 and start == utc(2026, 12, 31, 14)
    assert end == utc(2026, 12, 31, 22) and (end - start).total_seconds() == 8 * 3600
    assert start.astimezone(timezone.utc).tzinfo is not None
    assert str(event["SUMMARY"]) == "夜巡值班 · 东西巷三网格" and "东西巷" in str(event["LOCATION"])
    assert str(event["UID"]) == uid_of(42)
    assert b"DTSTART:20261231T140000Z" in shifts_ics([shift], name="x", stamp=STAMP)


def test_events_match_the_shifts_and_uids_stay_the_same_on_every_export():
    shifts = [CalendarShift(n, utc(2026, 6, n, 11), utc(2026, 6, n, 18), f"{n}号岗", "东西巷") for n in (3, 4)]
    first, second = shifts_ics(shifts, name="x", stamp=STAMP), shifts_ics(shifts, name="x", stamp=utc(2026, 6, 2))
    assert [str(e["UID"]) for e in events(first)] == [str(e["UID"]) for e in events(second)]
    assert [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in events(first)] == [
        (s.starts_at, s.ends_at) for s in shifts]
