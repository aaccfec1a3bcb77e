"""The coverage board: pure cells and colours, then the service on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from coverage_ground import MONDAY, add_ground, add_shift, hold, week
from db.models import DutyPost, Route, Shift
from nightwatch.access import Actor, Forbidden
from nightwatch.coverage import ShiftRow, build_board, shift_staffed, week_of
from nightwatch.nights import night_slot, utc
from nightwatch.services import coverage, tonight
from nightwatch.situation import Staffing, staffing_of
from nightwatch.vocab import AccountRole, DutyPostKind

NIGHT = date(2026, 6, 8)


def row(shift_id: int, grid: int = 1, required=None, start_h: int = 11, hours: int = 7, night: date = NIGHT) -> ShiftRow:
    starts = datetime(night.year, night.month, night.day, start_h, tzinfo=timezone.utc)
    return ShiftRow(shift_id, grid, night, starts, starts + timedelta(hours=hours),
                    {"officer": 1, "grid_worker": 2} if required is None else required)


@pytest.mark.parametrize("holding, expected, label", [
    ((), Staffing.EMPTY, "0/3"),
    (("grid_worker",), Staffing.SHORT, "1/3"),
    (("officer", "grid_worker", "grid_worker"), Staffing.FULL, "3/3"),
    (("officer", "grid_worker", "grid_worker", "grid_worker"), Staffing.FULL, "3/3"),
    (("volunteer",), Staffing.SHORT, "0/3"),
])
def test_a_cell_is_coloured_by_the_maps_rule(holding, expected, label):
    board = build_board([1], [NIGHT], [row(7)], {7: list(holding)})
    cell = board.cell(1, NIGHT)
    assert cell.staffing is expected is staffing_of(cell.required, cell.staffed)
    assert cell.label == label


def test_a_night_with_nobody_is_red_and_a_grid_without_shifts_is_grey():
    board = build_board([1, 2], [NIGHT, NIGHT + timedelta(days=1)], [row(7)], {})
    assert board.cell(1, NIGHT).staffing is Staffing.EMPTY
    assert board.cell(2, NIGHT).staffing is Staffing.UNPLANNED and board.cell(2, NIGHT).label == "–"
    assert board.totals(NIGHT) == (0, 3)


def test_a_spare_person_on_one_shift_never_hides_a_gap_on_another():
    shifts = [row(7), row(8, start_h=15)]
    holding = {7: ["officer", "officer", "grid_worker", "grid_worker"], 8: ["grid_worker", "grid_worker"]}
    cell = build_board([1], [NIGHT], shifts, holding).cell(1, NIGHT)
    assert cell.short == {"officer": 1} and cell.staffing is Staffing.SHORT and cell.label == "5/6"
    assert shift_staffed({"officer": 1}, ["officer", "officer", "volunteer"]) == {"officer": 1, "volunteer": 1}


def test_hours_mode_counts_the_shifts_running_in_each_hour():
    # 19:00–02:00 and a tidal 21:00–23:00 in Shanghai (11:00 and 13:00 UTC).
    shifts = [row(7), row(8, required={"grid_worker": 1}, start_h=13, hours=2)]
    board = build_board([1], [NIGHT], shifts, {8: ["grid_worker"]}, by_hour=True, tz="Asia/Shanghai")
    assert board.hours == (19, 20, 21, 22, 23, 0, 1)
    assert board.cell(1, NIGHT, 19).shift_ids == (7,) and board.cell(1, NIGHT, 19).staffing is Staffing.EMPTY
    assert board.cell(1, NIGHT, 21).shift_ids == (7, 8) and board.cell(1, NIGHT, 21).label == "1/4"
    assert board.cell(1, NIGHT, 1).label == "0/3"


def test_a_week_is_seven_nights_from_the_first():
    assert week_of(NIGHT) == tuple(NIGHT + timedelta(days=n) for n in range(7))


def test_the_service_board_matches_the_map_colours(session_factory):
    ground = add_ground(session_factory)
    west, east = ground.grids
    full, short = add_shift(session_factory, ground, west, MONDAY), add_shift(session_factory, ground, east, MONDAY)
    for person, role in ((ground.people[west, "officer"][0], "officer"),
                         (ground.people[west, "grid_worker"][0], "grid_worker")):
        hold(session_factory, full, person, role)
    hold(session_factory, short, ground.people[east, "officer"][0], "officer")
    view = coverage.board(session_factory=session_factory, actor=ground.coordinator, district_id=ground.district_id,
                          first_night=MONDAY)
    assert list(view.grids.values()) == ["一网格", "二网格"]
    monday, tuesday = view.board.cell(west, MONDAY), view.board.cell(east, MONDAY + timedelta(days=1))
    assert (monday.label, monday.staffing) == ("2/3", Staffing.SHORT)
    assert view.board.cell(east, MONDAY).short == {"grid_worker": 2}
    assert tuesday.staffing is Staffing.UNPLANNED
    assert view.shifts[short].when == "06-08 19:00–02:00 (+1)" and view.shifts[short].short == {"grid_worker": 2}
    assert view.board.totals(MONDAY) == (3, 6)


def test_someone_put_on_a_shift_without_a_role_fills_their_own_kind_on_the_board_and_tonight(session_factory):
    ground = add_ground(session_factory)
    west, _ = ground.grids
    shift = add_shift(session_factory, ground, west, MONDAY)
    hold(session_factory, shift, ground.people[west, "officer"][0], None)
    hold(session_factory, shift, ground.people[west, "grid_worker"][0], "grid_worker")
    view = coverage.board(session_factory=session_factory, actor=ground.coordinator, district_id=ground.district_id,
                          first_night=MONDAY)
    assert view.board.cell(west, MONDAY).label == "2/3"
    assert view.shifts[shift].short == {"grid_worker": 1}
    night = tonight.district_tonight(session_factory=session_factory, actor=ground.coordinator,
                                     district_id=ground.district_id, now=utc(2026, 6, 8, 13))  # 21:00 there
    assert {g.grid: g.staffed for g in night.grids}["一网格"] == {"officer": 1, "grid_worker": 1}
    assert night.on_duty_by_role == {"officer": 1, "grid_worker": 1}


def test_the_service_board_by_hour_and_for_a_night_with_nobody(session_factory):
    ground = add_ground(session_factory)
    week(session_factory, ground, nights=1)
    view = coverage.board(session_factory=session_factory, actor=ground.coordinator, district_id=ground.district_id,
                          first_night=MONDAY, nights=1, by_hour=True)
    assert view.board.hours == (19, 20, 21, 22, 23, 0, 1)
    assert {view.board.cell(g, MONDAY, 22).staffing for g in ground.grids} == {Staffing.EMPTY}


def test_shifts_on_a_route_or_at_a_post_sit_in_their_grid_named_by_their_place(session_factory):
    ground = add_ground(session_factory)
    west, east = ground.grids
    slot = night_slot(MONDAY, time(19), time(2), "Asia/Shanghai")
    with session_factory.begin() as session:
        route = Route(district_id=ground.district_id, grid_id=east, name="沿江线")
        post = DutyPost(district_id=ground.district_id, grid_id=west, name="桥头岗亭", kind=DutyPostKind.SECURITY_KIOSK)
        session.add_all([route, post])
        session.flush()
        shifts = [Shift(district_id=ground.district_id, duty_date=MONDAY, starts_at=slot.starts_at,
                        ends_at=slot.ends_at, required={"officer": 1}, **place)
                  for place in ({"route_id": route.id}, {"duty_post_id": post.id}, {"grid_id": west})]
        session.add_all(shifts)
        session.flush()
        on_route, at_post, in_grid = (shift.id for shift in shifts)
    view = coverage.board(session_factory=session_factory, actor=ground.coordinator, district_id=ground.district_id,
                          first_night=MONDAY)
    assert {i: (view.shifts[i].grid_id, view.shifts[i].where) for i in (on_route, at_post, in_grid)} == {
        on_route: (east, "沿江线"), at_post: (west, "桥头岗亭"), in_grid: (west, "一网格")}
    assert view.board.cell(west, MONDAY).shift_ids == tuple(sorted((at_post, in_grid)))
    assert view.board.cell(east, MONDAY).need == 1


def test_candidates_for_a_cell_come_nearest_first_and_clashes_are_marked(session_factory):
    ground = add_ground(session_factory, per_role=2)
    west, east = ground.grids
    shift = add_shift(session_factory, ground, west, MONDAY)
    busy = ground.people[east, "grid_worker"][0]
    hold(session_factory, add_shift(session_factory, ground, east, MONDAY), busy, "grid_worker")
    found = coverage.candidates(session_factory=session_factory, actor=ground.coordinator, shift_id=shift)
    assert [c.person_id for c in found[:2]] == ground.people[west, "grid_worker"]
    assert all(c.distance_m == 0 for c in found[:3]) and found[-1].person_id == busy
    assert found[-1].clash == "coverage.clash_overlap"
    assert {c.role_kind for c in found} == {"officer", "grid_worker"}


def test_another_districts_coordinator_may_not_read_the_board(session_factory):
    ground = add_ground(session_factory)
    stranger = Actor(login="x", role=AccountRole.COORDINATOR, district_ids=frozenset({ground.district_id + 100}))
    with pytest.raises(Forbidden):
        coverage.board(session_factory=session_factory, actor=stranger, district_id=ground.district_id,
                       first_night=MONDAY)
    volunteer = Actor(login="v", role=AccountRole.VOLUNTEER, district_ids=frozenset({ground.district_id}))
    with pytest.raises(Forbidden):
        coverage.board(session_factory=session_factory, actor=volunteer, district_id=ground.district_id,
                       first_night=MONDAY)
