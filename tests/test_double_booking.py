"""No one holds two overlapping shifts: the database refuses it on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from booking_ground import (
    add_ground,
    add_local_shift,
    add_person,
    add_shift,
    assign,
    change,
    held,
    interval_of,
    local,
    refusal,
)

from db.errors import is_interval_mismatch, is_overlap
from db.models import Assignment, Shift
from nightwatch.vocab import HOLDING_STATUSES, AssignmentStatus

PAIRS = [
    pytest.param(("2026-06-12 22:00", "2026-06-13 06:00"), ("2026-06-13 06:00", "2026-06-13 10:00"), False,
                 id="night-then-morning-back-to-back"),
    pytest.param(("2026-06-12 22:00", "2026-06-13 06:00"), ("2026-06-13 05:59", "2026-06-13 07:00"), True,
                 id="morning-starting-a-minute-early"),
    pytest.param(("2026-06-12 22:00", "2026-06-13 06:00"), ("2026-06-13 22:00", "2026-06-14 06:00"), False,
                 id="two-nights-in-a-row"),
    pytest.param(("2026-06-12 23:45", "2026-06-13 00:00"), ("2026-06-13 00:00", "2026-06-13 06:00"), False,
                 id="touching-at-midnight"),
    pytest.param(("2026-06-12 19:00", "2026-06-13 02:00"), ("2026-06-13 01:00", "2026-06-13 05:00"), True,
                 id="overlap-after-midnight"),
    pytest.param(("2026-06-12 23:00", "2026-06-13 01:00"), ("2026-06-12 23:30", "2026-06-13 02:00"), True,
                 id="both-cross-midnight"),
    pytest.param(("2026-06-12 22:00", "2026-06-13 06:00"), ("2026-06-13 01:00", "2026-06-13 02:00"), True,
                 id="one-inside-the-other"),
    pytest.param(("2026-01-31 22:00", "2026-02-01 06:00"), ("2026-02-01 05:00", "2026-02-01 08:00"), True,
                 id="month-end"),
    pytest.param(("2026-12-31 22:00", "2027-01-01 06:00"), ("2027-01-01 00:30", "2027-01-01 01:30"), True,
                 id="year-end"),
    pytest.param(("2028-02-28 22:00", "2028-02-29 06:00"), ("2028-02-29 06:00", "2028-02-29 12:00"), False,
                 id="leap-day-back-to-back"),
]


@pytest.mark.parametrize(("first", "second", "clash"), PAIRS)
def test_a_person_holds_two_shifts_unless_they_share_an_instant(session_factory, first, second, clash):
    ground = add_ground(session_factory)
    shifts = (add_local_shift(session_factory, ground, *first), add_local_shift(session_factory, ground, *second))
    for earlier, later in (shifts, shifts[::-1]):
        person = add_person(session_factory, ground)
        assign(session_factory, earlier, person)
        if clash:
            error = refusal(lambda: assign(session_factory, later, person))
            assert is_overlap(error)
            assert not is_interval_mismatch(error)
            assert len(held(session_factory, person)) == 1
        else:
            assign(session_factory, later, person)
            assert len(held(session_factory, person)) == 2


def test_two_people_may_hold_overlapping_shifts(session_factory):
    ground = add_ground(session_factory)
    night = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 06:00")
    early = add_local_shift(session_factory, ground, "2026-06-13 01:00", "2026-06-13 05:00")
    first, second = add_person(session_factory, ground), add_person(session_factory, ground)
    assign(session_factory, night, first)
    assign(session_factory, early, second)
    assign(session_factory, early, first, AssignmentStatus.WAITLISTED)
    assert held(session_factory, first) == [(local("2026-06-12 22:00"), local("2026-06-13 06:00"))]
    assert held(session_factory, second) == [(local("2026-06-13 01:00"), local("2026-06-13 05:00"))]


# Whether an assignment in each status takes up the person's time: only these may never overlap.
STATUS_HOLDS_TIME = {
    AssignmentStatus.ASSIGNED: True,
    AssignmentStatus.CONFIRMED: True,
    AssignmentStatus.NO_SHOW: True,
    AssignmentStatus.DONE: True,
    AssignmentStatus.WAITLISTED: False,
    AssignmentStatus.WITHDRAWN: False,
    AssignmentStatus.SWAPPED: False,
}


def test_every_status_is_decided_and_agrees_with_the_vocabulary():
    assert set(STATUS_HOLDS_TIME) == set(AssignmentStatus)
    assert {status for status, holds in STATUS_HOLDS_TIME.items() if holds} == set(HOLDING_STATUSES)


@pytest.mark.parametrize("status", list(STATUS_HOLDS_TIME), ids=str)
def test_only_assignments_that_hold_time_clash(session_factory, status):
    ground = add_ground(session_factory)
    night = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 06:00")
    early = add_local_shift(session_factory, ground, "2026-06-13 01:00", "2026-06-13 05:00")
    person = add_person(session_factory, ground)
    assign(session_factory, night, person)
    if STATUS_HOLDS_TIME[status]:
        assert is_overlap(refusal(lambda: assign(session_factory, early, person, status)))
        return
    assign(session_factory, early, person, status)
    # The other way round: a waitlisted (withdrawn, swapped) night does not block a later holding one.
    other = add_person(session_factory, ground)
    assign(session_factory, night, other, status)
    assign(session_factory, early, other)
    assert held(session_factory, other) == [(local("2026-06-13 01:00"), local("2026-06-13 05:00"))]


def test_promoting_from_the_waitlist_is_refused_while_it_would_overlap(session_factory):
    ground = add_ground(session_factory)
    night = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 06:00")
    morning = add_local_shift(session_factory, ground, "2026-06-13 05:00", "2026-06-13 08:00")
    person = add_person(session_factory, ground)
    holding = assign(session_factory, night, person)
    waiting = assign(session_factory, morning, person, AssignmentStatus.WAITLISTED)

    error = refusal(lambda: change(session_factory, Assignment, waiting, status=AssignmentStatus.ASSIGNED))
    assert is_overlap(error)
    with session_factory() as session:
        assert session.get_one(Assignment, waiting).status == AssignmentStatus.WAITLISTED

    change(session_factory, Assignment, holding, status=AssignmentStatus.WITHDRAWN)
    change(session_factory, Assignment, waiting, status=AssignmentStatus.ASSIGNED)
    assert held(session_factory, person) == [(local("2026-06-13 05:00"), local("2026-06-13 08:00"))]


def test_handing_a_shift_to_someone_already_on_duty_then_is_refused(session_factory):
    ground = add_ground(session_factory)
    night = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 06:00")
    early = add_local_shift(session_factory, ground, "2026-06-13 02:00", "2026-06-13 04:00")
    busy, free = add_person(session_factory, ground), add_person(session_factory, ground)
    assign(session_factory, night, busy)
    swapped = assign(session_factory, early, free)
    assert is_overlap(refusal(lambda: change(session_factory, Assignment, swapped, person_id=busy)))
    assert held(session_factory, free) == [(local("2026-06-13 02:00"), local("2026-06-13 04:00"))]


def test_moving_a_shift_moves_its_assignments(session_factory):
    ground = add_ground(session_factory)
    shift = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 02:00")
    holding = assign(session_factory, shift, add_person(session_factory, ground))
    waiting = assign(session_factory, shift, add_person(session_factory, ground), AssignmentStatus.WAITLISTED)

    moved = (local("2026-06-12 23:00"), local("2026-06-13 03:00"))
    change(session_factory, Shift, shift, starts_at=moved[0], ends_at=moved[1])
    assert interval_of(session_factory, Assignment, holding) == moved
    assert interval_of(session_factory, Assignment, waiting) == moved


def test_moving_a_shift_onto_another_of_the_persons_shifts_is_refused(session_factory):
    ground = add_ground(session_factory)
    night = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 02:00")
    late = add_local_shift(session_factory, ground, "2026-06-13 02:00", "2026-06-13 06:00")
    person = add_person(session_factory, ground)
    assign(session_factory, night, person)
    late_assignment = assign(session_factory, late, person)

    error = refusal(lambda: change(session_factory, Shift, late, starts_at=local("2026-06-13 01:00")))
    assert is_overlap(error)
    unmoved = (local("2026-06-13 02:00"), local("2026-06-13 06:00"))
    assert interval_of(session_factory, Shift, late) == unmoved
    assert interval_of(session_factory, Assignment, late_assignment) == unmoved

    change(session_factory, Shift, late, starts_at=local("2026-06-13 02:30"), ends_at=local("2026-06-13 06:30"))
    assert held(session_factory, person)[1] == (local("2026-06-13 02:30"), local("2026-06-13 06:30"))


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        pytest.param("2026-06-12 23:00", "2026-06-13 06:00", id="starts-late"),
        pytest.param("2026-06-12 22:00", "2026-06-13 05:00", id="ends-early"),
        pytest.param("2026-06-13 22:00", "2026-06-14 06:00", id="the-next-night"),
    ],
)
def test_an_assignment_carries_exactly_its_shifts_interval(session_factory, starts, ends):
    ground = add_ground(session_factory)
    shift = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 06:00")
    person = add_person(session_factory, ground)

    def add_mismatched() -> None:
        with session_factory.begin() as session:
            session.add(Assignment(shift_id=shift, person_id=person, starts_at=local(starts), ends_at=local(ends)))

    error = refusal(add_mismatched)
    assert is_interval_mismatch(error)
    assert not is_overlap(error)


def test_an_assignment_cannot_leave_its_shifts_interval(session_factory):
    ground = add_ground(session_factory)
    night = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 06:00")
    other = add_local_shift(session_factory, ground, "2026-06-13 22:00", "2026-06-14 06:00")
    assignment = assign(session_factory, night, add_person(session_factory, ground))

    assert is_interval_mismatch(refusal(
        lambda: change(session_factory, Assignment, assignment, ends_at=local("2026-06-13 07:00"))))
    assert is_interval_mismatch(refusal(lambda: change(session_factory, Assignment, assignment, shift_id=other)))
    assert interval_of(session_factory, Assignment, assignment) == interval_of(session_factory, Shift, night)


def test_other_refusals_are_neither_an_overlap_nor_a_mismatch(session_factory):
    ground = add_ground(session_factory)
    shift = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 06:00")
    person = add_person(session_factory, ground)
    assign(session_factory, shift, person, AssignmentStatus.WAITLISTED)
    twice = refusal(lambda: assign(session_factory, shift, person, AssignmentStatus.WAITLISTED))
    # PostgreSQL reports a plain CHECK constraint with the same SQLSTATE as the interval trigger.
    backwards = refusal(lambda: add_shift(session_factory, ground, local("2026-06-13 06:00"),
                                          local("2026-06-12 22:00")))
    for error in (twice, backwards):
        assert not is_overlap(error)
        assert not is_interval_mismatch(error)
