"""Scenarios 1 and 4 on a tiny city: they measure the product's ranking and board, and refuse a wrong nearest."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from benchmarks import scenario_dispatch, scenario_responders
from benchmarks.prepare import city
from benchmarks.scale import SCALES
from benchmarks.scenario_responders import Seen, agree


@pytest.fixture
def tiny(db_url):
    return city(SCALES["tiny"], db_url, say=lambda words: None)


def test_both_scenarios_report_a_figure_with_their_checks_passed(tiny):
    (ranking,) = scenario_responders.run(tiny, runs=1)
    (dispatching,) = scenario_dispatch.run(tiny, runs=1)
    assert ranking.unit == "ms" and ranking.value > 0 and ranking.reference_value > 0 and ranking.ratio > 0
    assert "nearest agrees with geopy" in ranking.note
    assert dispatching.value > 0 and "open tips" in dispatching.note
    assert ranking.met is None and dispatching.met is None  # only the city scale has targets


def ranked(*people: tuple[int, float]) -> list:
    return [SimpleNamespace(person_id=person, distance_m=metres) for person, metres in people]


def test_a_nearest_that_geopy_puts_much_further_away_fails_the_run():
    everyone = [Seen(1, 7, 0.0, 0.0), Seen(2, 7, 0.0, 0.0), Seen(3, 8, 0.0, 0.0)]
    with pytest.raises(AssertionError, match="product's nearest is person 2"):
        agree(99, 7, everyone, [100.0, 400.0, 10.0], ranked((2, 90.0), (1, 95.0)))


def test_a_near_tie_between_two_people_may_fall_either_way():
    everyone = [Seen(1, 7, 0.0, 0.0), Seen(2, 7, 0.0, 0.0)]
    agree(99, 7, everyone, [100.0, 100.2], ranked((2, 99.9), (1, 100.0)))


def test_someone_on_duty_whom_the_product_does_not_rank_fails_the_run():
    with pytest.raises(AssertionError, match="ranked 0 people, geopy found 1"):
        agree(99, 7, [Seen(1, 7, 0.0, 0.0)], [50.0], [])
