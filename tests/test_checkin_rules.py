"""The pure check-in rules: duplicates, distance and flag, which shift a scan belongs to, the next point."""
from __future__ import annotations

from datetime import timedelta

import pytest
from booking_ground import local

from nightwatch.checkins import (
    DUPLICATE_WINDOW,
    Distance,
    HeldShift,
    PhoneFix,
    choose_shift,
    is_duplicate,
    measure,
    next_point,
    phone_fix_from,
)
from nightwatch.geo import offset_point

NOW = local("2026-11-20 22:30")
POINT = (25.2847, 110.2965)


@pytest.mark.parametrize("ago, duplicate", [
    (None, False), (timedelta(0), True), (timedelta(minutes=4, seconds=59), True), (DUPLICATE_WINDOW, False),
    (timedelta(hours=1), False), (-timedelta(minutes=1), False)])
def test_a_second_scan_within_five_minutes_counts_once(ago, duplicate):
    assert is_duplicate(None if ago is None else NOW - ago, NOW) is duplicate


def test_the_distance_is_rounded_and_only_beyond_the_radius_flagged():
    near = PhoneFix(*offset_point(*POINT, 149, 0))
    far = PhoneFix(*offset_point(*POINT, 151, 0))
    close = measure(*POINT, near, 150)
    assert close.metres == pytest.approx(149.0, abs=0.2) and not close.flagged
    result = measure(*POINT, far, 150)
    assert result.flagged and result.metres == round(result.metres, 1)
    assert measure(*POINT, None, 150) == Distance(None, False)
    assert measure(None, None, near, 150) == Distance(None, False)


@pytest.mark.parametrize("value, expected", [
    ({"lat": 25.28, "lon": 110.29, "accuracy": 12.5}, PhoneFix(25.28, 110.29, 12.5)),
    ({"lat": 25.28, "lon": 110.29}, PhoneFix(25.28, 110.29, None)),
    ({"lat": 95, "lon": 110.29}, None),
    ({"lat": True, "lon": 110.29}, None),
    ({"lat": "25", "lon": "110"}, None),
    ({"error": "denied"}, None),
    ({"lat": float("nan"), "lon": 1.0}, None),
    (None, None),
    ("25,110", None),
])
def test_only_a_real_position_from_the_browser_becomes_a_phone_fix(value, expected):
    assert phone_fix_from(value) == expected


def _held(shift_id, hour, grid=None, route=None, points=()):
    return HeldShift(shift_id, local(f"2026-11-20 {hour}:00"), grid, route, tuple(points))


def test_a_route_through_the_point_wins_then_the_grid_then_any_held_shift():
    any_shift, in_grid, on_route = _held(1, 20), _held(2, 21, grid=7), _held(3, 22, grid=8, route=5, points=[10, 11])
    assert choose_shift([any_shift, in_grid, on_route], 11, 7) == on_route
    assert choose_shift([any_shift, in_grid], 11, 7) == in_grid
    assert choose_shift([in_grid, any_shift], 11, 9) == any_shift  # the earliest held one
    assert choose_shift([], 11, 7) is None


def test_the_next_point_follows_the_route_and_wraps_after_the_last():
    assert next_point((10, 11, 12), 10) == 11
    assert next_point((10, 11, 12), 12) == 10
    assert next_point((10,), 10) is None
    assert next_point((10, 11), 99) is None
