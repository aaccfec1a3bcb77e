"""复查 booking on a real database: which patrol a rectified hazard's re-inspection rides on, and its result."""
from __future__ import annotations

from datetime import date

import pytest
from booking_ground import local
from hazard_world import build, hazard, patrol, png
from sqlalchemy import select

from db.models import Hazard, HazardInspection
from nightwatch.access import Forbidden
from nightwatch.services import hazard_reinspection, hazards
from nightwatch.services.hazard_photos import HazardRefused
from nightwatch.vocab import AssignmentStatus, HazardStatus


def rectify(factory, world, hazard_id, at, tmp_path):
    """Rectify as the coordinator at a Shanghai wall time; the booked inspection row."""
    inspection_id = hazards.rectify(session_factory=factory, actor=world.coordinator(), hazard_id=hazard_id,
                                    photo=png(), note="已清理", now=local(at), upload_dir=tmp_path)
    with factory() as s:
        return s.get(HazardInspection, inspection_id)


def test_the_route_patrol_of_the_grid_wins_over_an_earlier_plain_shift_there(session_factory, tmp_path):
    world = build(session_factory)
    patrol(session_factory, world, "2026-11-20 20:00", "2026-11-20 23:00", grid=world.grid, person=world.other_walker)
    walk = patrol(session_factory, world, "2026-11-20 22:00", "2026-11-21 02:00", route=world.route)
    booked = rectify(session_factory, world, hazard(session_factory, world), "2026-11-20 15:00", tmp_path)
    assert (booked.shift_id, booked.duty_date) == (walk, date(2026, 11, 20))


def test_a_route_with_a_stop_in_the_grid_counts_as_its_patrol(session_factory, tmp_path):
    world = build(session_factory)
    walk = patrol(session_factory, world, "2026-11-21 19:00", "2026-11-21 23:00", route=world.stop_route)
    booked = rectify(session_factory, world, hazard(session_factory, world, grid=world.side_grid),
                     "2026-11-20 15:00", tmp_path)
    assert booked.shift_id == walk


def test_a_patrol_later_the_same_night_is_taken_one_already_started_is_not(session_factory, tmp_path):
    world = build(session_factory)
    patrol(session_factory, world, "2026-11-20 19:00", "2026-11-20 23:00", route=world.route)
    later = patrol(session_factory, world, "2026-11-20 23:30", "2026-11-21 03:00", route=world.route,
                   person=world.other_walker)
    booked = rectify(session_factory, world, hazard(session_factory, world), "2026-11-20 21:00", tmp_path)
    assert booked.shift_id == later


def test_a_patrol_crossing_midnight_keeps_the_night_it_began(session_factory, tmp_path):
    world = build(session_factory)
    small_hours = patrol(session_factory, world, "2026-11-21 00:30", "2026-11-21 04:00", grid=world.grid)
    booked = rectify(session_factory, world, hazard(session_factory, world), "2026-11-20 23:30", tmp_path)
    assert (booked.shift_id, booked.duty_date) == (small_hours, date(2026, 11, 20))


def test_a_patrol_everyone_withdrew_from_is_skipped(session_factory, tmp_path):
    world = build(session_factory)
    patrol(session_factory, world, "2026-11-20 22:00", "2026-11-21 02:00", route=world.route,
           status=AssignmentStatus.WITHDRAWN)
    held = patrol(session_factory, world, "2026-11-21 22:00", "2026-11-22 02:00", route=world.route)
    assert rectify(session_factory, world, hazard(session_factory, world), "2026-11-20 15:00", tmp_path).shift_id == held


def test_without_a_patrol_it_waits_for_the_next_night_then_book_pending_books_it_once(session_factory, tmp_path):
    world = build(session_factory)
    hazard_id = hazard(session_factory, world)
    waiting = rectify(session_factory, world, hazard_id, "2026-11-20 15:00", tmp_path)
    assert waiting.shift_id is None and waiting.duty_date == date(2026, 11, 21)
    with session_factory.begin() as s:
        assert hazard_reinspection.book_pending(s, world.district, local("2026-11-21 10:00")) == 0
    walk = patrol(session_factory, world, "2026-11-22 20:00", "2026-11-22 23:00", grid=world.grid)
    booked = [hazard_reinspection.book_pending_for(session_factory=session_factory, district_ids=[world.district],
                                                   now=local("2026-11-21 10:00")) for _ in range(2)]
    assert booked == [1, 0]
    with session_factory() as s:
        row = s.get(HazardInspection, waiting.id)
        assert (row.shift_id, row.duty_date) == (walk, date(2026, 11, 22))
        assert s.get(Hazard, hazard_id).reinspect_on == date(2026, 11, 22)


def test_the_walker_sees_the_task_and_a_failed_check_reopens_with_a_new_due_date(session_factory, tmp_path):
    world = build(session_factory)
    patrol(session_factory, world, "2026-11-20 22:00", "2026-11-21 02:00", route=world.route)
    hazard_id = hazard(session_factory, world)
    booked = rectify(session_factory, world, hazard_id, "2026-11-20 15:00", tmp_path)
    tasks = hazard_reinspection.my_reinspections(session_factory=session_factory, actor=world.volunteer(),
                                                 now=local("2026-11-20 21:00"))
    assert [task.hazard_id for task in tasks] == [hazard_id] and tasks[0].after_photo_path
    assert not hazard_reinspection.my_reinspections(session_factory=session_factory,
                                                    actor=world.volunteer(world.other_walker),
                                                    now=local("2026-11-20 21:00"))
    with pytest.raises(Forbidden):
        hazard_reinspection.record_result(session_factory=session_factory, actor=world.volunteer(world.other_walker),
                                          inspection_id=booked.id, passed=True, now=local("2026-11-20 22:30"))
    status = hazard_reinspection.record_result(session_factory=session_factory, actor=world.volunteer(),
                                               inspection_id=booked.id, passed=False, note="电线仍外露",
                                               now=local("2026-11-20 22:30"), upload_dir=tmp_path)
    assert status is HazardStatus.REOPENED
    with pytest.raises(HazardRefused) as stale:  # a second click on the same task
        hazard_reinspection.record_result(session_factory=session_factory, actor=world.volunteer(),
                                          inspection_id=booked.id, passed=True, now=local("2026-11-20 22:31"))
    assert stale.value.key == "hazards.stale"
    with session_factory() as s:
        row = s.scalar(select(Hazard).where(Hazard.id == hazard_id))
        assert (row.reopen_count, row.due_on) == (1, date(2026, 11, 23))
        check = s.get(HazardInspection, booked.id)
        assert (check.passed, check.done_by_id, check.note) == (False, world.walker, "电线仍外露")
