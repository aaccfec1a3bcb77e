"""A big district's situation map: the most pressing of each live layer first, and what was cut said in numbers."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from nightwatch.situation import Audience, Layer, OnDuty, TipMark, redact
from nightwatch.situation_overview import drawn, labels_grids
from nightwatch.vocab import TeamType, TipCategory, TipStatus, Urgency
from test_situation_layers import AT, lane


def _tip(tip_id: int, urgency: Urgency, waited_min: int) -> TipMark:
    return TipMark(tip_id, TipCategory.DISPUTE, urgency, TipStatus.RECEIVED, AT - timedelta(minutes=waited_min),
                   25.2847, 110.2965, False, "东西巷一网格", 1)


def _person(person_id: int, seen_min: int) -> OnDuty:
    return OnDuty(person_id, f"队员{person_id}", "volunteer", None, TeamType.RED_VEST, 25.2847, 110.2965,
                  AT - timedelta(minutes=seen_min), "checkin", "22:00–02:00 (+1)")


def test_a_crowded_night_draws_the_most_urgent_tips_and_the_freshest_positions_and_counts_the_rest():
    tips = (_tip(1, Urgency.LOW, 90), _tip(2, Urgency.CRITICAL, 5), _tip(3, Urgency.HIGH, 40),
            _tip(4, Urgency.CRITICAL, 30), _tip(5, Urgency.NORMAL, 60))
    people = tuple(_person(n, seen_min=n * 10) for n in range(1, 6))
    shown, cut = drawn(replace(lane(), tips=tips, people=people), cap=3)
    assert [tip.id for tip in shown.tips] == [4, 2, 3]  # critical, longest waiting first; then high
    assert [person.person_id for person in shown.people] == [1, 2, 3]  # seen 10, 20, 30 minutes ago
    assert cut == {Layer.TIPS: 5, Layer.PEOPLE: 5}
    assert shown.grids == lane().grids and shown.spots == lane().spots  # the rest is left as it was


def test_a_demo_sized_district_is_drawn_whole_with_its_grid_names():
    shown, cut = drawn(lane())
    assert shown == lane() and cut == {}
    assert labels_grids(lane())
    crowded = replace(lane(), grids=lane().grids * 20)
    assert not labels_grids(crowded)


def test_what_the_public_may_not_see_is_not_even_counted_for_them():
    held = replace(lane(), held_back={Layer.CHECKPOINTS: 100, Layer.SHOPS: 100})
    assert redact(held, Audience.PUBLIC).held_back == {Layer.SHOPS: 100}
    assert redact(held, Audience.COORDINATOR).held_back == {Layer.CHECKPOINTS: 100, Layer.SHOPS: 100}
