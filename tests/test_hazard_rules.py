"""The hazard life cycle, due dates and overdue as pure rules: tables of dates, and random event sequences."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from booking_ground import local
from hypothesis import given, settings
from hypothesis import strategies as st

from nightwatch.hazards import (
    TRANSITIONS,
    HazardEvent,
    HazardTransitionRefused,
    advance,
    days_overdue,
    due_date,
    is_overdue,
    rectification_rate,
    reported,
)
from nightwatch.nights import duty_date_of
from nightwatch.vocab import HazardCategory, HazardStatus

C = HazardCategory


@pytest.mark.parametrize("category, found, due", [
    (C.BLOCKED_FIRE_EXIT, "2026-01-31 23:50", date(2026, 2, 1)),   # the night of 31 Jan, due the next night
    (C.UNSAFE_WIRING, "2026-02-26 21:00", date(2026, 3, 1)),       # across a 28-day February
    (C.UNSAFE_WIRING, "2028-02-26 21:00", date(2028, 2, 29)),      # a leap year keeps the 29th
    (C.GREASE_DUCT, "2026-12-31 02:30", date(2027, 1, 6)),         # 02:30 on the 31st is still the night of the 30th
    (C.UNLICENSED_VENUE, "2026-12-20 20:00", date(2027, 1, 4)),    # across the year end
    (C.UNLOCKED_VEHICLE, "2026-03-01 01:10", date(2026, 2, 28)),   # same night: the night began on 28 Feb
    (C.GAS_SAFETY, "2026-12-31 23:59", date(2027, 1, 1)),
    (C.OTHER, "2026-11-20 22:30", date(2026, 11, 27)),
])
def test_the_due_date_counts_nights_from_the_night_it_was_found(category, found, due):
    assert due_date(category, duty_date_of(local(found))) == due


@pytest.mark.parametrize("status, due, today, overdue, days", [
    (HazardStatus.ASSIGNED, date(2026, 1, 31), date(2026, 2, 1), True, 1),
    (HazardStatus.ASSIGNED, date(2026, 2, 28), date(2026, 2, 28), False, 0),  # the due night itself is in time
    (HazardStatus.REOPENED, date(2026, 12, 31), date(2027, 1, 2), True, 2),
    (HazardStatus.RECTIFIED, date(2026, 12, 31), date(2027, 1, 2), False, 0),  # fixed in time or late, not overdue
    (HazardStatus.CLOSED, date(2026, 1, 1), date(2026, 6, 1), False, 0),
    (HazardStatus.REPORTED, None, date(2026, 6, 1), False, 0),
])
def test_only_an_unrectified_hazard_past_its_due_night_is_overdue(status, due, today, overdue, days):
    assert is_overdue(status, due, today) is overdue
    assert days_overdue(status, due, today) == days


def test_the_rate_is_no_data_when_nothing_was_found():
    assert rectification_rate(0, 0) is None
    assert rectification_rate(4, 3) == 0.75


START = local("2026-01-31 21:00")
events = st.lists(st.tuples(st.sampled_from(list(HazardEvent)), st.integers(-120, 3000), st.booleans()),
                  max_size=40)


@settings(max_examples=300, deadline=None)
@given(category=st.sampled_from(list(HazardCategory)), steps=events)
def test_random_event_sequences_follow_the_table_and_never_go_back(category, steps):
    state = reported(category, START, duty_date_of(START))
    clock, passes, failures, reopens = START, 0, 0, 0
    for event, minutes, photo in steps:
        at = clock + timedelta(minutes=minutes)
        sources, target, field = TRANSITIONS[event]
        needs_photo = event is HazardEvent.RECTIFY and not photo
        if state.status not in sources or at < state.last_step_at or needs_photo:
            with pytest.raises(HazardTransitionRefused):
                advance(state, event, at, duty_date_of(at), after_photo=photo)
            continue  # refused: the state is the same object, unchanged
        before = state
        state = advance(state, event, at, duty_date_of(at), after_photo=photo)
        clock = at
        assert state.status is target
        if field is not None:
            assert getattr(state, field) == at
        assert state.last_step_at >= before.last_step_at  # no timestamp goes back
        if event is HazardEvent.CLOSE:
            assert before.status is HazardStatus.REINSPECTED  # closing only after a passing re-inspection
            assert passes > 0
        passes += event is HazardEvent.PASS
        failures += event is HazardEvent.FAIL
        reopens += event is HazardEvent.REOPEN
        if event in (HazardEvent.FAIL, HazardEvent.REOPEN):
            assert state.due_on == due_date(category, duty_date_of(at))  # the clock starts again
        assert state.reopen_count == failures + reopens


def test_rectifying_needs_an_after_photo_and_a_failed_check_reopens():
    state = reported(C.UNSAFE_WIRING, START, duty_date_of(START))
    state = advance(state, HazardEvent.VERIFY, START, duty_date_of(START))
    with pytest.raises(HazardTransitionRefused) as refused:
        advance(state, HazardEvent.RECTIFY, START, duty_date_of(START))
    assert refused.value.key == "hazards.cannot.rectify_without_photo"
    later = local("2026-02-02 20:00")
    state = advance(state, HazardEvent.RECTIFY, later, duty_date_of(later), after_photo=True)
    failed = advance(state, HazardEvent.FAIL, later, duty_date_of(later))
    assert failed.status is HazardStatus.REOPENED and failed.reopen_count == 1
    assert failed.due_on == date(2026, 2, 5)
    with pytest.raises(HazardTransitionRefused):
        advance(failed, HazardEvent.CLOSE, later, duty_date_of(later))
