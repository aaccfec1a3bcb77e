"""Reminders to confirm: a day and two hours before, until confirmed; confirming one's own shift."""
from __future__ import annotations

from datetime import timedelta

import pytest

from duty_world import NOW, TONIGHT, actions, add_shift, assignment, build, put_on
from nightwatch.nights import utc
from nightwatch.reminders import reminder_for, window_due
from nightwatch.services.reminders import ConfirmRefused, confirm, my_reminders, reminders_due
from nightwatch.vocab import AccountRole, AssignmentStatus

A = AssignmentStatus
START = utc(2026, 6, 13, 14)
H = timedelta(hours=1)


@pytest.mark.parametrize("before, window", [
    (25 * H, None), (24 * H, 24 * H), (3 * H, 24 * H), (2 * H, 2 * H), (timedelta(minutes=1), 2 * H), (0 * H, None),
    (-H, None),
])
def test_the_reminder_due_is_the_narrowest_window_the_start_falls_in(before, window):
    assert window_due(START, START - before) == window


@pytest.mark.parametrize("status, confirmed_at, due", [
    (A.ASSIGNED, None, True), (A.CONFIRMED, START - 30 * H, False), (A.WAITLISTED, None, False),
    (A.WITHDRAWN, None, False), (A.SWAPPED, None, False),
])
def test_only_held_unconfirmed_shifts_are_reminded(status, confirmed_at, due):
    assert (reminder_for(1, 2, START, status, confirmed_at, START - 3 * H) is not None) is due


def test_a_reminder_is_named_by_its_window_so_a_sender_sends_it_once():
    assert reminder_for(7, 2, START, A.ASSIGNED, None, START - 3 * H).key == "7:24h"
    assert reminder_for(7, 2, START, A.ASSIGNED, None, START - H).key == "7:2h"


@pytest.fixture
def world(session_factory):
    return build(session_factory)


def test_reminders_due_lists_unconfirmed_shifts_within_a_day_for_everyone(session_factory, world):
    tonight, far = add_shift(session_factory, world), add_shift(session_factory, world, starts_at=TONIGHT + 48 * H)
    alice = put_on(session_factory, tonight, world.alice)
    put_on(session_factory, tonight, world.bob, status=A.CONFIRMED, confirmed_at=NOW)
    put_on(session_factory, far, world.carol, role="volunteer")
    due = reminders_due(session_factory=session_factory, now=NOW)
    assert [(d.assignment_id, d.window_hours, d.where, d.when) for d in due] == [
        (alice, 24, "东西巷一号网格", "22:00–06:00 (+1)")]
    assert reminders_due(session_factory=session_factory, now=TONIGHT - H)[0].key == f"{alice}:2h"
    assert my_reminders(session_factory=session_factory, actor=world.actor(world.bob), now=NOW) == []


def test_confirming_sets_the_time_and_status_and_stops_the_reminders(session_factory, world):
    shift = add_shift(session_factory, world)
    mine = put_on(session_factory, shift, world.alice)
    confirm(session_factory=session_factory, actor=world.actor(world.alice), assignment_id=mine, now=NOW)
    row = assignment(session_factory, mine)
    assert (row.status, row.confirmed_at) == (A.CONFIRMED, NOW)
    assert my_reminders(session_factory=session_factory, actor=world.actor(world.alice), now=NOW) == []
    confirm(session_factory=session_factory, actor=world.actor(world.alice), assignment_id=mine, now=NOW + H)
    assert actions(session_factory) == ["assignment.confirm"]


def test_confirming_is_refused_for_someone_elses_shift_a_waitlist_place_or_a_finished_shift(session_factory, world):
    shift = add_shift(session_factory, world)
    mine = put_on(session_factory, shift, world.alice)
    waiting = put_on(session_factory, shift, world.bob, status=A.WAITLISTED)
    cases = [(world.bob, mine, NOW, "my_shifts.not_yours"), (world.bob, waiting, NOW, "my_shifts.cannot_confirm"),
             (world.alice, mine, TONIGHT + 9 * H, "my_shifts.shift_over")]
    for person, assignment_id, now, key in cases:
        with pytest.raises(ConfirmRefused, match=key):
            confirm(session_factory=session_factory, actor=world.actor(person), assignment_id=assignment_id, now=now)
    assert actions(session_factory) == []
    with pytest.raises(Exception, match="access.role"):
        confirm(session_factory=session_factory, actor=world.actor(world.alice, AccountRole.MERCHANT),
                assignment_id=mine, now=NOW)
