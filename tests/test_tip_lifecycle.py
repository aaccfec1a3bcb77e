"""The tip life cycle: a table of allowed and refused moves, and random event sequences."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nightwatch import tips
from nightwatch.tips import TipEvent, TipState, TipTransitionRefused, advance, received
from nightwatch.vocab import Outcome, TipStatus

T0 = datetime(2026, 6, 13, 14, 0, tzinfo=UTC)
E = TipEvent
S = TipStatus


def _reach(*events: TipEvent) -> TipState:
    """The state after the events, a minute apart."""
    state = received(T0)
    for minute, event in enumerate(events, start=1):
        state = advance(state, event, T0 + timedelta(minutes=minute), Outcome.RESOLVED)
    return state


@pytest.mark.parametrize(("path", "event", "expected"), [
    ((), E.DISPATCH, S.DISPATCHED),
    ((E.DISPATCH,), E.DISPATCH, S.DISPATCHED),
    ((E.DISPATCH,), E.ACKNOWLEDGE, S.ACKNOWLEDGED),
    ((E.DISPATCH,), E.ARRIVE, S.ON_SCENE),
    ((E.DISPATCH, E.ACKNOWLEDGE), E.ARRIVE, S.ON_SCENE),
    ((E.DISPATCH,), E.CLOSE, S.CLOSED),
    ((E.DISPATCH, E.ACKNOWLEDGE), E.CLOSE, S.CLOSED),
    ((E.DISPATCH, E.ACKNOWLEDGE, E.ARRIVE), E.CLOSE, S.CLOSED),
    ((), E.REFER, S.REFERRED),
    ((E.DISPATCH, E.ACKNOWLEDGE, E.ARRIVE), E.REFER, S.REFERRED),
    ((), E.MERGE, S.MERGED),
    ((E.DISPATCH, E.ACKNOWLEDGE), E.MERGE, S.MERGED),
])
def test_allowed(path, event, expected):
    assert advance(_reach(*path), event, T0 + timedelta(hours=1), Outcome.MEDIATED).status is expected


@pytest.mark.parametrize(("path", "event", "key"), [
    ((), E.ACKNOWLEDGE, "tips.cannot.acknowledge_before_dispatch"),
    ((), E.ARRIVE, "tips.cannot.arrive_before_dispatch"),
    ((), E.CLOSE, "tips.cannot.close_before_dispatch"),
    ((E.DISPATCH, E.ACKNOWLEDGE), E.ACKNOWLEDGE, "tips.cannot.acknowledge_when_acknowledged"),
    ((E.DISPATCH, E.ARRIVE), E.ACKNOWLEDGE, "tips.cannot.acknowledge_when_on_scene"),
    ((E.DISPATCH, E.ARRIVE), E.DISPATCH, "tips.cannot.dispatch_when_on_scene"),
    ((E.DISPATCH, E.CLOSE), E.DISPATCH, "tips.cannot.dispatch_when_closed"),
    ((E.DISPATCH, E.CLOSE), E.REFER, "tips.cannot.refer_when_closed"),
    ((E.REFER,), E.CLOSE, "tips.cannot.close_when_referred"),
    ((E.MERGE,), E.DISPATCH, "tips.cannot.dispatch_when_merged"),
    ((E.MERGE,), E.MERGE, "tips.cannot.merge_when_merged"),
])
def test_refused(path, event, key):
    with pytest.raises(TipTransitionRefused) as refused:
        advance(_reach(*path), event, T0 + timedelta(hours=1), Outcome.RESOLVED)
    assert refused.value.key == key


def test_close_needs_an_outcome_and_refer_sets_it():
    dispatched = _reach(E.DISPATCH)
    for outcome in (None, Outcome.REFERRED):
        with pytest.raises(TipTransitionRefused) as refused:
            advance(dispatched, E.CLOSE, T0 + timedelta(hours=1), outcome)
        assert refused.value.key == "tips.cannot.close_without_outcome"
    assert advance(dispatched, E.REFER, T0 + timedelta(hours=1)).outcome is Outcome.REFERRED


def test_a_time_before_the_last_step_is_refused():
    dispatched = _reach(E.DISPATCH)
    with pytest.raises(TipTransitionRefused) as refused:
        advance(dispatched, E.ACKNOWLEDGE, T0 + timedelta(seconds=30))
    assert refused.value.key == "tips.cannot.before_previous_step"
    with pytest.raises(TipTransitionRefused):
        advance(dispatched, E.ACKNOWLEDGE, datetime(2026, 6, 13, 15, 0))


def test_a_second_dispatch_keeps_the_first_time():
    again = advance(_reach(E.DISPATCH), E.DISPATCH, T0 + timedelta(hours=1))
    assert again.dispatched_at == T0 + timedelta(minutes=1)


def test_timeline_and_row_helpers():
    state = _reach(E.DISPATCH, E.ACKNOWLEDGE, E.ARRIVE, E.CLOSE)
    assert [key for key, _ in tips.timeline(state)] == [
        "tips.step.received", "tips.step.dispatched", "tips.step.acknowledged", "tips.step.on_scene",
        "tips.step.closed"]
    row = SimpleNamespace()
    tips.apply_state(row, state)
    assert tips.state_of(row) == state


events = st.lists(st.tuples(st.sampled_from(list(TipEvent)), st.integers(-600, 3600),
                            st.sampled_from([None, *Outcome])), max_size=12)


@settings(max_examples=400, deadline=None)
@given(events)
def test_random_sequences_never_reach_an_impossible_state(sequence):
    state, clock = received(T0), T0
    for event, seconds, outcome in sequence:
        at = clock + timedelta(seconds=seconds)
        before = state
        try:
            state = advance(state, event, at, outcome)
        except TipTransitionRefused:
            assert state == before
            assert event not in tips.allowed_events(state) or at < state.last_step_at or (
                event is E.CLOSE and outcome in (None, Outcome.REFERRED))
            continue
        clock = max(clock, at)
        assert event in tips.allowed_events(before)
        assert tips.is_consistent(state), state
        steps = [when for _key, when in tips.timeline(state)]
        assert steps == sorted(steps) and steps[0] == T0
        assert all(when >= before.last_step_at for _key, when in tips.timeline(state)
                   if (_key, when) not in tips.timeline(before))
        if not state.is_open:
            assert tips.allowed_events(state) == []
