"""The night model: shifts cross midnight, month and year ends and clock changes, and keep their duty date."""
from __future__ import annotations

import os
import time as process_time
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from nightwatch.nights import Slot, duty_date_of, format_slot, night_slot, overlaps, window_of_night

SHANGHAI, BERLIN, NEW_YORK = "Asia/Shanghai", "Europe/Berlin", "America/New_York"


def z(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware UTC instant."""
    return datetime(year, month, day, hour, minute, tzinfo=timezone.utc)


NIGHTS = [
    # duty date, local start and end, zone; UTC start and end, local date the shift ends, hours, text.
    pytest.param(date(2026, 6, 12), time(22), time(6), SHANGHAI,
                 z(2026, 6, 12, 14), z(2026, 6, 12, 22), date(2026, 6, 13), 8, "22:00–06:00 (+1)", id="22-06"),
    pytest.param(date(2026, 6, 12), time(23, 45), time(0), SHANGHAI,
                 z(2026, 6, 12, 15, 45), z(2026, 6, 12, 16), date(2026, 6, 13), 0.25, "23:45–00:00 (+1)",
                 id="23:45-midnight"),
    pytest.param(date(2026, 6, 12), time(0), time(6), SHANGHAI,
                 z(2026, 6, 12, 16), z(2026, 6, 12, 22), date(2026, 6, 13), 6, "00:00 (+1)–06:00 (+1)",
                 id="00-06-belongs-to-the-night-before"),
    pytest.param(date(2026, 6, 12), time(19), time(2), SHANGHAI,
                 z(2026, 6, 12, 11), z(2026, 6, 12, 18), date(2026, 6, 13), 7, "19:00–02:00 (+1)", id="19-02"),
    pytest.param(date(2026, 6, 12), time(18), time(22), SHANGHAI,
                 z(2026, 6, 12, 10), z(2026, 6, 12, 14), date(2026, 6, 12), 4, "18:00–22:00", id="evening-only"),
    pytest.param(date(2026, 6, 13), time(6), time(10), SHANGHAI,
                 z(2026, 6, 12, 22), z(2026, 6, 13, 2), date(2026, 6, 13), 4, "06:00–10:00", id="06-10-own-day"),
    pytest.param(date(2026, 1, 31), time(22), time(6), SHANGHAI,
                 z(2026, 1, 31, 14), z(2026, 1, 31, 22), date(2026, 2, 1), 8, "22:00–06:00 (+1)", id="jan-31"),
    pytest.param(date(2026, 2, 28), time(22), time(6), SHANGHAI,
                 z(2026, 2, 28, 14), z(2026, 2, 28, 22), date(2026, 3, 1), 8, "22:00–06:00 (+1)",
                 id="feb-28-non-leap"),
    pytest.param(date(2028, 2, 28), time(22), time(6), SHANGHAI,
                 z(2028, 2, 28, 14), z(2028, 2, 28, 22), date(2028, 2, 29), 8, "22:00–06:00 (+1)",
                 id="feb-28-leap"),
    pytest.param(date(2028, 2, 29), time(0), time(6), SHANGHAI,
                 z(2028, 2, 29, 16), z(2028, 2, 29, 22), date(2028, 3, 1), 6, "00:00 (+1)–06:00 (+1)",
                 id="feb-29-after-midnight"),
    pytest.param(date(2026, 12, 31), time(22), time(6), SHANGHAI,
                 z(2026, 12, 31, 14), z(2026, 12, 31, 22), date(2027, 1, 1), 8, "22:00–06:00 (+1)", id="dec-31"),
    pytest.param(date(2026, 12, 31), time(0, 30), time(2), SHANGHAI,
                 z(2026, 12, 31, 16, 30), z(2026, 12, 31, 18), date(2027, 1, 1), 1.5, "00:30 (+1)–02:00 (+1)",
                 id="new-years-small-hours"),
    # Berlin's offset is small enough that the UTC instants cross the month and year too.
    pytest.param(date(2026, 1, 31), time(22), time(6), BERLIN,
                 z(2026, 1, 31, 21), z(2026, 2, 1, 5), date(2026, 2, 1), 8, "22:00–06:00 (+1)", id="berlin-jan-31"),
    pytest.param(date(2026, 12, 31), time(22), time(6), BERLIN,
                 z(2026, 12, 31, 21), z(2027, 1, 1, 5), date(2027, 1, 1), 8, "22:00–06:00 (+1)",
                 id="berlin-dec-31"),
    # Clock changes: the spring night is an hour short, the autumn night an hour long; Shanghai keeps 8.
    pytest.param(date(2026, 3, 28), time(22), time(6), BERLIN,
                 z(2026, 3, 28, 21), z(2026, 3, 29, 4), date(2026, 3, 29), 7, "22:00–06:00 (+1)",
                 id="berlin-spring-forward"),
    pytest.param(date(2026, 10, 24), time(22), time(6), BERLIN,
                 z(2026, 10, 24, 20), z(2026, 10, 25, 5), date(2026, 10, 25), 9, "22:00–06:00 (+1)",
                 id="berlin-fall-back"),
    pytest.param(date(2026, 10, 24), time(2, 30), time(3), BERLIN,
                 z(2026, 10, 25, 0, 30), z(2026, 10, 25, 2), date(2026, 10, 25), 1.5, "02:30 (+1)–03:00 (+1)",
                 id="berlin-repeated-hour-takes-the-first"),
    pytest.param(date(2026, 3, 7), time(22), time(6), NEW_YORK,
                 z(2026, 3, 8, 3), z(2026, 3, 8, 10), date(2026, 3, 8), 7, "22:00–06:00 (+1)",
                 id="new-york-spring-forward"),
    pytest.param(date(2026, 10, 31), time(22), time(6), NEW_YORK,
                 z(2026, 11, 1, 2), z(2026, 11, 1, 11), date(2026, 11, 1), 9, "22:00–06:00 (+1)",
                 id="new-york-fall-back"),
    pytest.param(date(2026, 3, 28), time(22), time(6), SHANGHAI,
                 z(2026, 3, 28, 14), z(2026, 3, 28, 22), date(2026, 3, 29), 8, "22:00–06:00 (+1)",
                 id="shanghai-has-no-spring-forward"),
    pytest.param(date(2026, 10, 24), time(22), time(6), SHANGHAI,
                 z(2026, 10, 24, 14), z(2026, 10, 24, 22), date(2026, 10, 25), 8, "22:00–06:00 (+1)",
                 id="shanghai-has-no-fall-back"),
]


@pytest.mark.parametrize(
    ("duty_date", "start", "end", "tz", "starts_at", "ends_at", "ends_on", "hours", "text"), NIGHTS
)
def test_a_night_shift_is_two_utc_instants_shown_from_its_duty_date(
    duty_date, start, end, tz, starts_at, ends_at, ends_on, hours, text
):
    slot = night_slot(duty_date, start, end, tz)
    assert (slot.starts_at, slot.ends_at) == (starts_at, ends_at)
    assert slot.starts_at.utcoffset() == timedelta(0)
    assert slot.ends_at.astimezone(ZoneInfo(tz)).date() == ends_on
    assert slot.hours == hours
    assert duty_date_of(slot.starts_at, tz) == duty_date
    assert format_slot(slot, tz, duty_date) == text


def test_a_slot_shown_without_its_duty_date_counts_days_from_its_start():
    small_hours = night_slot(date(2026, 6, 12), time(0), time(6))
    assert format_slot(small_hours) == "00:00–06:00"
    assert format_slot(night_slot(date(2026, 6, 12), time(22), time(6))) == "22:00–06:00 (+1)"


@pytest.mark.parametrize(
    ("instant", "tz", "night"),
    [
        pytest.param(datetime(2026, 6, 12, 22, tzinfo=ZoneInfo(SHANGHAI)), SHANGHAI, date(2026, 6, 12), id="22:00"),
        pytest.param(datetime(2026, 6, 13, 3, tzinfo=ZoneInfo(SHANGHAI)), SHANGHAI, date(2026, 6, 12),
                     id="03:00-is-last-night"),
        pytest.param(datetime(2026, 6, 13, 5, 59, tzinfo=ZoneInfo(SHANGHAI)), SHANGHAI, date(2026, 6, 12),
                     id="05:59-is-last-night"),
        pytest.param(datetime(2026, 6, 13, 6, tzinfo=ZoneInfo(SHANGHAI)), SHANGHAI, date(2026, 6, 13),
                     id="06:00-is-a-new-day"),
        pytest.param(z(2026, 6, 12, 18), SHANGHAI, date(2026, 6, 12), id="given-in-utc"),
        pytest.param(datetime(2027, 1, 1, 0, tzinfo=ZoneInfo(SHANGHAI)), SHANGHAI, date(2026, 12, 31),
                     id="new-years-midnight"),
        pytest.param(datetime(2028, 3, 1, 2, tzinfo=ZoneInfo(SHANGHAI)), SHANGHAI, date(2028, 2, 29),
                     id="after-a-leap-day"),
        pytest.param(datetime(2026, 3, 1, 2, tzinfo=ZoneInfo(SHANGHAI)), SHANGHAI, date(2026, 2, 28),
                     id="after-feb-28"),
        pytest.param(z(2026, 3, 29, 3, 30), BERLIN, date(2026, 3, 28), id="berlin-05:30-after-spring-forward"),
        pytest.param(z(2026, 10, 25, 1, 30), BERLIN, date(2026, 10, 24), id="berlin-second-02:30"),
    ],
)
def test_an_instant_belongs_to_the_night_it_falls_in(instant, tz, night):
    assert duty_date_of(instant, tz) == night


@pytest.mark.parametrize(
    ("first", "second", "clash"),
    [
        pytest.param((0, time(22), time(6)), (1, time(6), time(10)), False, id="night-then-morning"),
        pytest.param((0, time(22), time(6)), (0, time(5, 59), time(7)), True, id="05:59-morning"),
        pytest.param((0, time(22), time(6)), (1, time(22), time(6)), False, id="two-nights-in-a-row"),
        pytest.param((0, time(23, 45), time(0)), (0, time(0), time(6)), False, id="touching-at-midnight"),
        pytest.param((0, time(19), time(2)), (0, time(1), time(5)), True, id="both-after-midnight"),
    ],
)
def test_back_to_back_nights_touch_without_overlapping(first, second, clash):
    night = date(2026, 2, 27)
    a = night_slot(night + timedelta(days=first[0]), first[1], first[2])
    b = night_slot(night + timedelta(days=second[0]), second[1], second[2])
    assert overlaps(a, b) is clash


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        pytest.param(datetime(2026, 6, 12, 22), datetime(2026, 6, 13, 6), id="naive"),
        pytest.param(z(2026, 6, 12, 22), z(2026, 6, 12, 22), id="empty"),
        pytest.param(z(2026, 6, 13, 6), z(2026, 6, 12, 22), id="backwards"),
    ],
)
def test_a_slot_refuses_naive_empty_or_backwards_times(starts_at, ends_at):
    with pytest.raises(ValueError):
        Slot(starts_at, ends_at)


@pytest.mark.parametrize(
    ("duty_date", "start", "end", "tz"),
    [
        pytest.param(date(2026, 3, 28), time(2, 30), time(3, 30), BERLIN, id="berlin"),
        pytest.param(date(2026, 3, 7), time(2, 15), time(3, 15), NEW_YORK, id="new-york"),
    ],
)
def test_a_shift_starting_in_the_spring_forward_gap_still_gets_its_slot(duty_date, start, end, tz):
    slot = night_slot(duty_date, start, end, tz)
    assert duty_date_of(slot.starts_at, tz) == duty_date
    assert slot.ends_at.astimezone(ZoneInfo(tz)).time() == end


# Slots on a minute grid, written in UTC or in Shanghai time: the same instants either way.
BASE = datetime(2026, 2, 27, 12, tzinfo=timezone.utc)


@st.composite
def slots(draw: st.DrawFn) -> Slot:
    """A slot of up to half a day within four days; offsets are whole minutes from BASE."""
    start = draw(st.integers(min_value=0, max_value=4 * 24 * 60))
    length = draw(st.integers(min_value=1, max_value=12 * 60))
    zone = draw(st.sampled_from([timezone.utc, ZoneInfo(SHANGHAI)]))
    begin = BASE + timedelta(minutes=start)
    return Slot(begin.astimezone(zone), (begin + timedelta(minutes=length)).astimezone(zone))


def minutes_of(slot: Slot) -> set[int]:
    """The minutes from BASE that a slot covers (end exclusive)."""
    first = int((slot.starts_at - BASE).total_seconds() // 60)
    last = int((slot.ends_at - BASE).total_seconds() // 60)
    return set(range(first, last))


@given(slots(), slots())
def test_overlap_means_sharing_a_minute_and_is_symmetric(a, b):
    assert overlaps(a, b) == bool(minutes_of(a) & minutes_of(b))
    assert overlaps(a, b) == overlaps(b, a)


@given(slots(), st.integers(min_value=1, max_value=12 * 60))
def test_a_slot_overlaps_itself_and_never_the_one_it_touches(slot, length):
    after = Slot(slot.ends_at, slot.ends_at + timedelta(minutes=length))
    before = Slot(slot.starts_at - timedelta(minutes=length), slot.starts_at)
    assert overlaps(slot, slot)
    assert not overlaps(slot, after)
    assert not overlaps(before, slot)


# Asia/Shanghai has kept UTC+8 without daylight saving since 1992 (China last changed clocks in 1991).
china_nights = st.dates(min_value=date(1992, 1, 1), max_value=date(2200, 12, 31))


@given(china_nights, st.times(), st.times(), st.sampled_from([SHANGHAI, "Asia/Urumqi"]))
def test_every_night_slot_in_china_starts_on_its_duty_date(duty_date, start, end, tz):
    slot = night_slot(duty_date, start, end, tz)
    assert duty_date_of(slot.starts_at, tz) == duty_date
    window = window_of_night(duty_date, tz)
    assert window.starts_at <= slot.starts_at < window.ends_at
    assert 0 < slot.hours <= 24


CLOCK_CHANGE_NIGHTS = [
    date(2026, 3, 28), date(2026, 10, 24),  # Berlin
    date(2026, 3, 7), date(2026, 10, 31),  # New York
    date(2026, 4, 4), date(2026, 10, 3),  # Sydney
]
DST_ZONES = [BERLIN, NEW_YORK, "Australia/Sydney"]
small_hours = st.builds(time, st.integers(min_value=0, max_value=5), st.sampled_from([0, 15, 30, 45]))


def exists(day: date, wall: time, tz: str) -> bool:
    """True when a local clock in the zone shows this wall time on this day (no clock change skips it)."""
    local = datetime.combine(day, wall, tzinfo=ZoneInfo(tz))
    return local.astimezone(timezone.utc).astimezone(ZoneInfo(tz)).replace(tzinfo=None) == local.replace(tzinfo=None)


@given(
    st.one_of(st.sampled_from(CLOCK_CHANGE_NIGHTS), st.dates(min_value=date(1992, 1, 1), max_value=date(2200, 12, 31))),
    st.one_of(small_hours, st.times()),
    st.one_of(small_hours, st.times()),
    st.sampled_from(DST_ZONES),
)
# Found by Hypothesis in a full run: the second 02:00 of Sydney's fall-back night read with its fold.
@example(date(2026, 4, 4), time(2, 0, fold=1), time(2, 0, 0, 1), "Australia/Sydney")
def test_every_night_slot_in_a_dst_zone_starts_on_its_duty_date(duty_date, start, end, tz):
    # Wall times a clock change skips are the known bug above; every time a clock shows must work.
    nearby = [duty_date + timedelta(days=offset) for offset in range(3)]
    assume(all(exists(day, wall, tz) for day in nearby for wall in (start, end)))
    slot = night_slot(duty_date, start, end, tz)
    assert duty_date_of(slot.starts_at, tz) == duty_date
    assert slot.starts_at.astimezone(ZoneInfo(tz)).time() == start
    assert slot.ends_at.astimezone(ZoneInfo(tz)).time() == end


@pytest.fixture(params=["UTC", SHANGHAI, NEW_YORK, "Pacific/Kiritimati"])
def process_timezone(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test with the process's own timezone (TZ) set, then put it back."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    process_time.tzset()
    yield request.param
    if saved is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = saved
    process_time.tzset()


def test_the_process_timezone_changes_no_night(process_timezone):
    slot = night_slot(date(2026, 12, 31), time(22), time(6))
    assert (slot.starts_at, slot.ends_at) == (z(2026, 12, 31, 14), z(2026, 12, 31, 22))
    assert duty_date_of(z(2026, 12, 31, 20)) == date(2026, 12, 31)
    assert format_slot(slot) == "22:00–06:00 (+1)"
    assert window_of_night(date(2026, 12, 31)) == Slot(z(2026, 12, 30, 22), z(2026, 12, 31, 22))
