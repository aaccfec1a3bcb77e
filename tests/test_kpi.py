"""Dashboard periods and comparisons against hand-computed tables: never 0% or ∞ where there is no base."""
from __future__ import annotations

from datetime import date

import pytest

from nightwatch.kpi import (
    Change,
    Period,
    change_text,
    compare,
    has_activity,
    last_year_period,
    night_hour_rank,
    percent_text,
    period_of,
    previous_period,
    round_percent,
    week_of,
    year_before,
)

D = date


@pytest.mark.parametrize("kind, today, first, last", [
    ("this_week", D(2026, 11, 22), D(2026, 11, 16), D(2026, 11, 22)),  # a Sunday: Monday to today
    ("this_week", D(2026, 11, 16), D(2026, 11, 16), D(2026, 11, 16)),  # a Monday: one night so far
    ("last_week", D(2026, 11, 22), D(2026, 11, 9), D(2026, 11, 15)),
    ("last_week", D(2026, 1, 2), D(2025, 12, 22), D(2025, 12, 28)),  # across the year end
    ("this_month", D(2026, 11, 22), D(2026, 11, 1), D(2026, 11, 22)),
    ("last_month", D(2026, 3, 10), D(2026, 2, 1), D(2026, 2, 28)),
    ("last_month", D(2024, 3, 1), D(2024, 2, 1), D(2024, 2, 29)),  # a leap February
    ("last_month", D(2026, 1, 5), D(2025, 12, 1), D(2025, 12, 31)),
    ("quarter", D(2026, 11, 22), D(2026, 10, 1), D(2026, 11, 22)),
    ("quarter", D(2026, 3, 31), D(2026, 1, 1), D(2026, 3, 31)),
    ("year", D(2026, 11, 22), D(2026, 1, 1), D(2026, 11, 22)),
])
def test_named_periods_are_ranges_of_duty_dates(kind, today, first, last):
    assert period_of(kind, today) == Period(first, last)


def test_a_custom_period_is_taken_as_given_and_a_backwards_one_is_refused():
    assert period_of("custom", D(2026, 11, 22), Period(D(2026, 5, 1), D(2026, 5, 3))).days == 3
    with pytest.raises(ValueError):
        Period(D(2026, 5, 3), D(2026, 5, 1))


@pytest.mark.parametrize("period, before", [
    (Period(D(2026, 11, 16), D(2026, 11, 22)), Period(D(2026, 11, 9), D(2026, 11, 15))),
    (Period(D(2026, 11, 16), D(2026, 11, 19)), Period(D(2026, 11, 12), D(2026, 11, 15))),
    (Period(D(2026, 3, 1), D(2026, 3, 31)), Period(D(2026, 1, 29), D(2026, 2, 28))),  # 31 nights back
    (Period(D(2026, 1, 1), D(2026, 1, 1)), Period(D(2025, 12, 31), D(2025, 12, 31))),
])
def test_the_previous_period_is_the_same_length_immediately_before(period, before):
    assert previous_period(period) == before and before.days == period.days


@pytest.mark.parametrize("day, a_year_before", [
    (D(2024, 2, 29), D(2023, 2, 28)), (D(2026, 2, 28), D(2025, 2, 28)), (D(2025, 3, 1), D(2024, 3, 1)),
    (D(2026, 12, 31), D(2025, 12, 31)),
])
def test_a_year_before_keeps_the_date_and_folds_29_february(day, a_year_before):
    assert year_before(day) == a_year_before


def test_last_year_period_of_a_leap_february():
    assert last_year_period(Period(D(2024, 2, 1), D(2024, 2, 29))) == Period(D(2023, 2, 1), D(2023, 2, 28))


@pytest.mark.parametrize("now, before, has_data, change, zh, en", [
    (37, 42, True, Change("down", 12.0), "下降 12%", "down 12%"),  # 5/42 = 11.9%
    (42, 37, True, Change("up", 14.0), "上升 14%", "up 14%"),  # 5/37 = 13.5%
    (5, 0, True, Change("new"), "新增", "new"),  # never infinity
    (0, 0, True, Change("flat"), "持平", "unchanged"),
    (9, 9, True, Change("flat"), "持平", "unchanged"),
    (0, 7, True, Change("down", 100.0), "下降 100%", "down 100%"),
    (9, 0, False, Change("no_data"), "无数据", "no data"),  # the base period recorded nothing: not 0%
    (0, 0, False, Change("no_data"), "无数据", "no data"),
    (3, None, True, Change("no_data"), "无数据", "no data"),  # no base figure (a rate of nothing)
    (1001, 1000, True, Change("up", 0.1), "上升 0.1%", "up 0.1%"),  # a change is never rounded away
    (1999, 1000, True, Change("up", 99.9), "上升 99.9%", "up 99.9%"),  # nor rounded up to a whole 100
])
def test_a_change_reads_as_words_with_a_sensible_percentage(now, before, has_data, change, zh, en):
    assert compare(now, before, has_data) == change
    assert change_text(change) == zh and change_text(change, "en") == en


@pytest.mark.parametrize("value, shown", [(11.904, 12.0), (0.4, 0.4), (-0.04, -0.0), (99.6, 99.6), (100, 100.0),
                                          (-12.5, -12.0), (250.0, 250.0)])
def test_round_percent(value, shown):
    assert round_percent(value) == shown


@pytest.mark.parametrize("share, text", [(8 / 9, "89%"), (1.0, "100%"), (0.996, "99.6%"), (0.0, "0%"),
                                         (0.001, "0.1%"), (None, None)])
def test_a_share_as_a_percentage(share, text):
    assert percent_text(share) == text


@pytest.mark.parametrize("shifts, tips, check_ins, active", [(0, 0, 0, False), (1, 0, 0, True), (0, 1, 0, True),
                                                           (0, 0, 1, True)])
def test_a_period_has_data_when_anything_was_recorded(shifts, tips, check_ins, active):
    assert has_activity(shifts, tips, check_ins) is active


def test_weeks_start_on_monday_and_the_night_runs_from_six_in_the_evening():
    assert week_of(D(2026, 11, 22)) == Period(D(2026, 11, 16), D(2026, 11, 22))
    assert week_of(D(2026, 11, 16)).first == D(2026, 11, 16)
    assert sorted(range(24), key=night_hour_rank)[:13] == [18, 19, 20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 6]
