"""1-3-5 measurement: which span counts for which target, countdowns, and reports only on enough tips."""
from __future__ import annotations

from datetime import timedelta

import pytest

from nightwatch.nights import utc
from nightwatch.response_times import Steps, countdowns, durations, report, targets_of

T0 = utc(2026, 6, 13, 14)
DEFAULTS = targets_of(None)


def at(seconds: float):
    return T0 + timedelta(seconds=seconds)


def test_the_defaults_are_one_three_five_and_a_district_overrides_them():
    assert DEFAULTS == {"react_min": 1, "reach_hotspot_min": 3, "reach_anywhere_min": 5, "acknowledge_min": 3}
    assert targets_of({"react_min": 2, "reach_anywhere_min": 8, "escalate_after_min": 4})["react_min"] == 2
    assert targets_of({"reach_hotspot_min": 4})["acknowledge_min"] == 4
    assert targets_of({"react_min": "fast", "reach_anywhere_min": -1}) == DEFAULTS


@pytest.mark.parametrize("steps, hotspot, expected", [
    (Steps(T0), False, {}),
    (Steps(T0, at(59)), False, {"react": (59, True)}),
    (Steps(T0, at(61)), False, {"react": (61, False)}),
    (Steps(T0, at(30), at(210), at(240)), True, {"react": (30, True), "acknowledge": (180, True), "reach": (240, False)}),
    (Steps(T0, at(30), at(211), at(240)), False, {"react": (30, True), "acknowledge": (181, False), "reach": (240, True)}),
    (Steps(T0, at(30), None, at(300)), False, {"react": (30, True), "reach": (300, True)}),
    (Steps(T0, at(30), None, at(301)), False, {"react": (30, True), "reach": (301, False)}),
])
def test_each_measure_counts_its_own_span_against_its_target(steps, hotspot, expected):
    assert durations(steps, DEFAULTS, hotspot) == expected


def test_countdowns_run_down_and_go_negative_once_missed():
    shown = {c.measure: c for c in countdowns(Steps(T0), DEFAULTS, at(45))}
    assert set(shown) == {"react", "reach"}  # no acknowledge clock before a dispatch
    assert shown["react"].remaining_s == 15 and not shown["react"].missed
    assert shown["reach"].remaining_s == 255
    late = {c.measure: c for c in countdowns(Steps(T0, at(80)), DEFAULTS, at(300), hotspot=True)}
    assert late["react"].done and late["react"].missed and late["react"].remaining_s == -20
    assert late["acknowledge"].remaining_s == -40 and late["reach"].missed and not late["reach"].done


def test_a_report_shows_figures_only_from_the_minimum_sample():
    quick = {"react": (30.0, True)}
    slow = {"react": (90.0, False)}
    rows = {r.group: r for r in report([("一号网格", quick)] * 4 + [("一号网格", slow)] + [("二号网格", quick)] * 4)}
    one, two = rows["一号网格"], rows["二号网格"]
    assert one.enough and one.n == 5 and one.median_s["react"] == 30 and one.met_rate["react"] == pytest.approx(0.8)
    assert one.median_s["reach"] is None and one.counted["reach"] == 0
    assert not two.enough and two.median_s["react"] is None and two.met_rate["react"] is None and two.n == 4
