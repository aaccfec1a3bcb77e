"""Attendance: present on the first check-in, a no-show an hour in, hours and points only for attended time."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import CheckIn, PointsEntry
from duty_world import NOW, TONIGHT, add_shift, assignment, build, counts, put_on
from nightwatch import attendance
from nightwatch.access import Forbidden
from nightwatch.nights import Slot, utc
from nightwatch.services.attendance import coordinator_flags, record_check_in, sweep
from nightwatch.vocab import AssignmentStatus

A = AssignmentStatus
NIGHT = Slot(utc(2026, 6, 13, 14), utc(2026, 6, 13, 22))  # 22:00–06:00 (+1) in Shanghai
M = timedelta(minutes=1)


@pytest.mark.parametrize("at, present", [
    (NIGHT.starts_at - M, False), (NIGHT.starts_at, True), (NIGHT.ends_at - M, True), (NIGHT.ends_at, False), (None, False),
])
def test_present_when_the_first_check_in_falls_within_the_shift(at, present):
    assert attendance.is_present(NIGHT, at) is present


@pytest.mark.parametrize("now, attended, no_show", [
    (NIGHT.starts_at + 59 * M, None, False), (NIGHT.starts_at + 60 * M, None, True),
    (NIGHT.starts_at + 90 * M, NIGHT.starts_at + 70 * M, False), (NIGHT.ends_at + M, None, True),
])
def test_a_no_show_is_nobody_checked_in_an_hour_into_the_shift(now, attended, no_show):
    assert attendance.is_no_show(NIGHT, attended, now) is no_show


def test_a_shift_shorter_than_an_hour_makes_its_no_show_at_its_end():
    short = Slot(NIGHT.starts_at, NIGHT.starts_at + 30 * M)
    assert attendance.no_show_at(short) == short.ends_at


@pytest.mark.parametrize("attended, hours, points", [
    (NIGHT.starts_at, 8.0, 80),  # on time
    (NIGHT.starts_at + 14 * M, 8.0, 80),  # within the grace: counted from the start
    (NIGHT.starts_at + 15 * M, 7.75, 78),  # past it: from the check-in
    (NIGHT.starts_at + 180 * M, 5.0, 50),  # three hours late
    (NIGHT.starts_at - 30 * M, 8.0, 80),  # early: time before the shift is not duty
    (NIGHT.ends_at, 0.0, 0),  # after the end: not attended
    (None, 0.0, 0),  # absent
])
def test_hours_run_from_the_check_in_to_the_end_and_earn_ten_points_each(attended, hours, points):
    assert attendance.attended_hours(NIGHT, attended) == hours
    assert attendance.points_for(hours) == points


def test_police_are_on_the_clock_and_earn_no_points():
    assert attendance.points_for(8.0, "officer") == 0 and attendance.points_for(8.0, "grid_worker") == 80


@pytest.fixture
def world(session_factory):
    return build(session_factory)


def check_in(factory, world, person_id, at, shift_id=None):
    """Write a check-in and let attendance see it, in one transaction, as the check-in service will."""
    with factory.begin() as session:
        row = CheckIn(district_id=world.district, person_id=person_id, checkpoint_id=world.checkpoint,
                      shift_id=shift_id, at=at, duty_date=NIGHT.starts_at.date())
        session.add(row)
        session.flush()
        marked = record_check_in(session, row)
        return marked.id if marked else None


def test_the_first_check_in_marks_the_person_present_and_later_ones_change_nothing(session_factory, world):
    shift = add_shift(session_factory, world)
    mine = put_on(session_factory, shift, world.alice)
    assert check_in(session_factory, world, world.alice, TONIGHT - 5 * M) is None  # before the shift
    assert check_in(session_factory, world, world.alice, TONIGHT + 20 * M) == mine
    check_in(session_factory, world, world.alice, TONIGHT + 90 * M)
    assert assignment(session_factory, mine).attended_at == TONIGHT + 20 * M


def test_a_late_check_in_after_a_no_show_was_marked_makes_the_person_present(session_factory, world):
    shift = add_shift(session_factory, world)
    mine = put_on(session_factory, shift, world.alice, status=A.CONFIRMED, confirmed_at=NOW)
    sweep(session_factory=session_factory, district_id=world.district, now=TONIGHT + 61 * M)
    assert assignment(session_factory, mine).status == A.NO_SHOW
    check_in(session_factory, world, world.alice, TONIGHT + 120 * M, shift_id=shift)
    row = assignment(session_factory, mine)
    assert (row.status, row.attended_at) == (A.CONFIRMED, TONIGHT + 120 * M)


def test_the_sweep_marks_no_shows_only_once_an_hour_has_passed(session_factory, world):
    shift = add_shift(session_factory, world)
    absent, present = put_on(session_factory, shift, world.alice), put_on(session_factory, shift, world.bob)
    check_in(session_factory, world, world.bob, TONIGHT + 5 * M)
    assert sweep(session_factory=session_factory, district_id=world.district, now=TONIGHT + 59 * M).no_shows == 0
    report = sweep(session_factory=session_factory, district_id=world.district, now=TONIGHT + 60 * M)
    assert report.no_shows == 1
    assert assignment(session_factory, absent).status == A.NO_SHOW
    assert assignment(session_factory, present).status == A.ASSIGNED


def test_points_accrue_only_for_attended_time_and_a_second_sweep_writes_nothing(session_factory, world):
    shift = add_shift(session_factory, world)
    on_time, late = put_on(session_factory, shift, world.alice), put_on(session_factory, shift, world.bob)
    absent = put_on(session_factory, shift, world.carol, role="volunteer")
    police = put_on(session_factory, shift, world.officer, role="officer")
    check_in(session_factory, world, world.alice, TONIGHT + 3 * M)
    check_in(session_factory, world, world.bob, TONIGHT + 120 * M)
    check_in(session_factory, world, world.officer, TONIGHT)
    morning = NIGHT.ends_at + 5 * M
    report = sweep(session_factory=session_factory, district_id=world.district, now=morning)
    assert (report.no_shows, report.closed, report.points_entries) == (1, 3, 3)
    with session_factory() as session:
        ledger = {e.assignment_id: (e.hours, e.points) for e in session.scalars(select(PointsEntry))}
    assert ledger == {on_time: (8.0, 80), late: (6.0, 60), police: (8.0, 0)}
    assert [assignment(session_factory, a).status for a in (on_time, late, absent)] == [A.DONE, A.DONE, A.NO_SHOW]

    before = counts(session_factory)
    again = sweep(session_factory=session_factory, district_id=world.district, now=morning + timedelta(hours=1))
    assert (again.no_shows, again.closed, again.points_entries) == (0, 0, 0)
    assert counts(session_factory) == before


def test_the_coordinator_sees_unconfirmed_shifts_within_a_day_and_tonights_no_shows(session_factory, world):
    tonight = add_shift(session_factory, world)
    later = add_shift(session_factory, world, starts_at=TONIGHT + timedelta(days=2))
    unconfirmed = put_on(session_factory, tonight, world.alice)
    put_on(session_factory, tonight, world.bob, status=A.CONFIRMED, confirmed_at=NOW)
    put_on(session_factory, later, world.alice)  # beyond 24 h: not yet a worry
    flags = coordinator_flags(session_factory=session_factory, actor=world.coordinator, district_id=world.district,
                              now=NOW)
    assert [f.assignment_id for f in flags.unconfirmed] == [unconfirmed] and flags.no_shows == []
    assert "****" in flags.unconfirmed[0].phone_masked

    flags = coordinator_flags(session_factory=session_factory, actor=world.coordinator, district_id=world.district,
                              now=TONIGHT + 61 * M)
    assert {f.person for f in flags.no_shows} == {"爱丽", "鲍勃"}
    with pytest.raises(Forbidden):
        coordinator_flags(session_factory=session_factory, actor=world.outsider, district_id=world.district, now=NOW)
