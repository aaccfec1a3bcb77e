"""Nearest-responder ranking against a brute-force reference: random cases, equal distances, stale positions, loads."""
from __future__ import annotations

import random
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nightwatch import responders
from nightwatch.geo import haversine_m, offset_point
from nightwatch.nights import utc
from nightwatch.responders import Candidate, rank
from nightwatch.vocab import TeamType, TipCategory

NOW = utc(2026, 6, 13, 14, 30)
POINT = (25.28, 110.29)


def reference(cands: list[Candidate], point, category, now) -> list[int]:
    """The ranking written out longhand: every pair compared, the formula of the module docstring."""
    def score(c: Candidate) -> tuple[float, float, int]:
        metres = haversine_m(point[0], point[1], c.lat, c.lon)
        age = max(0.0, (now - c.seen_at).total_seconds() / 60)
        stale = 0.5 * (age - 20) if age > 20 else 0.0
        fit = 2.0 if c.team_type in responders.TEAM_FIT.get(category, ()) else 0.0
        return round(metres / 80 + stale - fit + 3 * c.load, 5), round(metres, 3), c.person_id

    order = list(cands)
    for i in range(len(order)):  # selection sort: the smallest remaining first
        best = min(range(i, len(order)), key=lambda j: score(order[j]))
        order[i], order[best] = order[best], order[i]
    return [c.person_id for c in order]


candidate_st = st.builds(
    lambda pid, north, east, age, team, load: Candidate(pid, *offset_point(*POINT, north, east),
                                                       NOW - timedelta(minutes=age), team, load),
    st.integers(1, 10_000),
    st.sampled_from([0, 80, 160, -80, 400, 1200]) | st.floats(-2000, 2000),
    st.sampled_from([0, 80, 160, -80]) | st.floats(-2000, 2000),
    st.sampled_from([0, 5, 20, 21, 60, 180]) | st.floats(0, 300),
    st.none() | st.sampled_from(list(TeamType)),
    st.integers(0, 3),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(candidate_st, max_size=25, unique_by=lambda c: c.person_id), st.sampled_from(list(TipCategory)))
def test_ranking_matches_the_brute_force_reference(cands, category):
    assert [r.candidate.person_id for r in rank(cands, POINT, category, NOW)] == reference(cands, POINT, category, NOW)


def test_ranking_ignores_input_order_and_breaks_equal_distances_by_person_id():
    rng = random.Random(7)
    same = [Candidate(pid, *offset_point(*POINT, 0, 200), NOW) for pid in (9, 3, 5)]
    for _ in range(20):
        rng.shuffle(same)
        assert [r.candidate.person_id for r in rank(same, POINT, TipCategory.NOISE, NOW)] == [3, 5, 9]


def test_a_stale_near_position_falls_behind_a_fresh_farther_one():
    near_old = Candidate(1, *offset_point(*POINT, 100, 0), NOW - timedelta(minutes=60))
    far_fresh = Candidate(2, *offset_point(*POINT, 300, 0), NOW - timedelta(minutes=2))
    ranked = rank([near_old, far_fresh], POINT, TipCategory.NOISE, NOW)
    assert [r.candidate.person_id for r in ranked] == [2, 1]
    assert ranked[1].stale and not ranked[0].stale and ranked[1].age_min == pytest.approx(60)


def test_team_fit_and_load_move_people_by_their_minutes():
    fraud = Candidate(1, *offset_point(*POINT, 200, 0), NOW, TeamType.ANTI_FRAUD)
    plain = Candidate(2, *offset_point(*POINT, 100, 0), NOW, TeamType.RED_VEST)
    assert [r.candidate.person_id for r in rank([fraud, plain], POINT, TipCategory.FRAUD, NOW)] == [1, 2]
    busy = Candidate(3, *offset_point(*POINT, 10, 0), NOW, load=2)
    assert rank([busy, plain], POINT, TipCategory.NOISE, NOW)[0].candidate.person_id == 2

