"""A table of nights: campaign expansion, display and the stored round trip, under TZ=UTC and TZ=Asia/Shanghai."""
from __future__ import annotations

import os
import subprocess
import sys
import time as clock
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from roster_ground import add_patch
from sqlalchemy import select

from db.models import Shift
from nightwatch.nights import Slot, duty_date_of, format_slot, utc
from nightwatch.services import campaigns
from nightwatch.shifts import (
    MIN_REST,
    HeldShift,
    campaign_dates,
    campaign_nights,
    capacity,
    is_full,
    kinds_of,
    pick_role,
    remaining,
    required_from_template,
    short_rest,
    when_text,
)

ROOT = Path(__file__).resolve().parent.parent
# (duty date, start, end, zone) → UTC start, UTC end, shown as
NIGHTS = [
    pytest.param(date(2026, 6, 12), time(22), time(6), "Asia/Shanghai", utc(2026, 6, 12, 14), utc(2026, 6, 12, 22),
                 "22:00–06:00 (+1)", id="22-06"),
    pytest.param(date(2026, 6, 12), time(23, 45), time(0), "Asia/Shanghai", utc(2026, 6, 12, 15, 45),
                 utc(2026, 6, 12, 16), "23:45–00:00 (+1)", id="23:45-midnight"),
    pytest.param(date(2026, 6, 12), time(0), time(6), "Asia/Shanghai", utc(2026, 6, 12, 16), utc(2026, 6, 12, 22),
                 "00:00 (+1)–06:00 (+1)", id="00-06-belongs-to-the-night-before"),
    pytest.param(date(2026, 1, 31), time(22), time(6), "Asia/Shanghai", utc(2026, 1, 31, 14), utc(2026, 1, 31, 22),
                 "22:00–06:00 (+1)", id="month-end"),
    pytest.param(date(2026, 2, 28), time(19), time(2), "Asia/Shanghai", utc(2026, 2, 28, 11), utc(2026, 2, 28, 18),
                 "19:00–02:00 (+1)", id="february-end"),
    pytest.param(date(2026, 12, 31), time(22), time(6), "Asia/Shanghai", utc(2026, 12, 31, 14), utc(2026, 12, 31, 22),
                 "22:00–06:00 (+1)", id="year-end"),
    # Berlin springs forward at 02:00 on 29 March 2026 (UTC+1 → +2) and falls back at 03:00 on 25 October.
    pytest.param(date(2026, 3, 28), time(22), time(6), "Europe/Berlin", utc(2026, 3, 28, 21), utc(2026, 3, 29, 4),
                 "22:00–06:00 (+1)", id="dst-spring-forward-7h"),
    pytest.param(date(2026, 10, 24), time(22), time(6), "Europe/Berlin", utc(2026, 10, 24, 20), utc(2026, 10, 25, 5),
                 "22:00–06:00 (+1)", id="dst-fall-back-9h"),
    pytest.param(date(2026, 3, 7), time(22), time(6), "America/New_York", utc(2026, 3, 8, 3), utc(2026, 3, 8, 10),
                 "22:00–06:00 (+1)", id="new-york-spring-forward"),
]


@pytest.fixture(params=["UTC", "Asia/Shanghai"])
def process_tz(request, monkeypatch):
    """Run the test with the process's local zone set, proving nothing reads the machine's clock zone."""
    monkeypatch.setenv("TZ", request.param)
    clock.tzset()
    yield request.param
    monkeypatch.undo()
    clock.tzset()


@pytest.mark.parametrize(("night", "start", "end", "tz", "starts_at", "ends_at", "shown"), NIGHTS)
def test_a_night_expands_to_utc_instants_and_reads_back_in_local_time(process_tz, night, start, end, tz, starts_at,
                                                                        ends_at, shown):
    (made,) = campaign_nights(night, night, start, end, tz)
    assert (made.duty_date, made.slot) == (night, Slot(starts_at, ends_at))
    assert duty_date_of(made.slot.starts_at, tz) == night
    assert format_slot(made.slot, tz, night) == shown


@pytest.mark.parametrize(("night", "start", "end", "tz", "starts_at", "ends_at", "shown"), NIGHTS)
def test_a_campaign_night_is_stored_and_read_back_unchanged(session_factory, process_tz, night, start, end, tz,
                                                             starts_at, ends_at, shown):
    patch = add_patch(session_factory, tz=tz)
    plan = campaigns.CampaignPlan("夜巡", night, night, start, end, grid_id=patch.grid_id, required={"volunteer": 2})
    campaigns.create_campaign(session_factory=session_factory, actor=patch.coordinator, district_id=patch.district_id,
                              plan=plan, now=utc(2026, 1, 1))
    with session_factory() as session:
        (shift,) = session.scalars(select(Shift)).all()
    assert (shift.duty_date, shift.starts_at, shift.ends_at) == (night, starts_at, ends_at)
    assert shift.starts_at.utcoffset() == timedelta(0)
    assert format_slot(Slot(shift.starts_at, shift.ends_at), tz, shift.duty_date) == shown


def test_back_to_back_nights_touch_without_overlapping_and_each_keeps_its_duty_date():
    nights = campaign_nights(date(2026, 6, 29), date(2026, 7, 2), time(18), time(6))
    assert [n.duty_date.day for n in nights] == [29, 30, 1, 2]
    assert all(a.slot.ends_at + timedelta(hours=12) == b.slot.starts_at for a, b in zip(nights, nights[1:]))
    night, morning = campaign_nights(date(2026, 6, 12), date(2026, 6, 12), time(22), time(6))[0], \
        campaign_nights(date(2026, 6, 13), date(2026, 6, 13), time(6), time(10))[0]
    assert night.slot.ends_at == morning.slot.starts_at and morning.duty_date == date(2026, 6, 13)
    gap = short_rest(morning.slot, morning.duty_date, [HeldShift(night.duty_date, night.slot)])
    assert gap == timedelta(0) < MIN_REST


def test_campaign_dates_follow_the_weekdays_and_refuse_backwards_or_endless_ranges():
    assert campaign_dates(date(2026, 6, 1), date(2026, 6, 14), [5, 6]) == [date(2026, 6, d) for d in (6, 7, 13, 14)]
    assert len(campaign_dates(date(2026, 6, 1), date(2026, 9, 8))) == 100
    with pytest.raises(ValueError):
        campaign_dates(date(2026, 6, 2), date(2026, 6, 1))
    with pytest.raises(ValueError):
        campaign_dates(date(2026, 1, 1), date(2028, 1, 1))


def test_staffing_rules():
    required = required_from_template({"officer": 1, "auxiliary": 2, "grid_worker": 3, "merchant": 0})
    assert required == {"officer": 1, "auxiliary": 2, "grid_worker": 3} and capacity(required) == 6
    assert capacity({}) is None and not is_full({}, {"volunteer": 40})
    assert remaining(required, {"auxiliary": 2}) == {"officer": 1, "grid_worker": 3}
    kinds = kinds_of("volunteer", ["party_member", "auxiliary"])
    assert pick_role(kinds, required, {}) == "auxiliary"
    assert pick_role(kinds, required, {"auxiliary": 2}) is None
    assert pick_role(kinds, {}, {}) == "volunteer"


def test_a_shift_is_named_by_its_night_and_hours():
    (night,) = campaign_nights(date(2026, 11, 20), date(2026, 11, 20), time(22), time(6))
    assert when_text(night.slot, night.duty_date) == "11-20 22:00–06:00 (+1)"


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai"])
def test_the_night_table_passes_in_a_process_whose_clock_zone_is(zone):
    """The pure table again in a fresh interpreter started with TZ set, as a deployment would be."""
    env = dict(os.environ, TZ=zone, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "expands_to_utc",
                           str(Path(__file__))], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
