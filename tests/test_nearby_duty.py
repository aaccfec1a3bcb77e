"""Who the dispatch screen offers for a tip, on both backends: the nearest on duty, each placed by their best evidence."""
from __future__ import annotations

import itertools
from datetime import time, timedelta

import pytest

from db.models import (
    Assignment,
    CheckIn,
    Checkpoint,
    Dispatch,
    District,
    DutyPost,
    LastPosition,
    Person,
    Route,
    RouteStop,
    Shift,
    Tip,
)
from dispatch_world import CENTRE, NOW, SHIFT_START, add_tip, build, on_shift
from nightwatch.access import Forbidden
from nightwatch.geo import offset_point
from nightwatch.nights import duty_date_of, night_slot
from nightwatch.services.dispatch_board import candidates
from nightwatch.vocab import AssignmentStatus, DispatchStatus, DutyPostKind, RoleKind, TipCategory

_names = itertools.count(1)


def checked_in(s, world, person: Person, shift: Shift, north_m: float, at) -> None:
    """A check-in `north_m` north of the centre, kept as their last position the way the check-in service does."""
    lat, lon = offset_point(*CENTRE, north_m, 0)
    point = Checkpoint(district_id=world.district, name=f"点{next(_names)}", secret="x" * 16, lat=lat, lon=lon)
    s.add(point)
    s.flush()
    s.add(CheckIn(district_id=world.district, person_id=person.id, checkpoint_id=point.id, shift_id=shift.id, at=at,
                  duty_date=shift.duty_date))
    s.merge(LastPosition(person_id=person.id, lat=lat, lon=lon, seen_at=at, source="checkin"))


def offered(session_factory, world) -> dict[int, object]:
    tip = add_tip(session_factory, world, category=TipCategory.NOISE)
    rows = candidates(session_factory=session_factory, actor=world.coordinator, tip_id=tip, now=NOW)
    return {row.person_id: row for row in rows}


def test_with_more_people_on_duty_than_the_list_holds_the_nearest_thirty_are_offered(session_factory):
    world = build(session_factory)
    extras = {}
    with session_factory.begin() as s:
        for n in range(35):
            person, shift = on_shift(s, world, grid_id=world.grid)
            checked_in(s, world, person, shift, 1_000 + 100 * n, NOW - timedelta(minutes=3))
            extras[person.id] = 1_000 + 100 * n
    rows = offered(session_factory, world)
    assert len(rows) == 30
    nearest_extras = sorted(extras, key=extras.get)[:26]  # the world's own four are all within 600 m
    assert set(rows) == {world.near, world.mid, world.far, world.stale, *nearest_extras}
    assert max(r.distance_m for r in rows.values()) < min(extras[p] for p in extras if p not in rows)


def test_when_people_at_the_same_spot_straddle_the_end_of_the_list_the_same_ones_are_offered_every_time(
        session_factory):
    world = build(session_factory)
    with session_factory.begin() as s:
        extras = []
        for _ in range(30):  # all at one spot 1 km north: 26 places are left after the world's own four
            person, shift = on_shift(s, world, grid_id=world.grid)
            checked_in(s, world, person, shift, 1_000, NOW - timedelta(minutes=3))
            extras.append(person.id)
    tip = add_tip(session_factory, world, category=TipCategory.NOISE)
    offers = [{row.person_id for row in candidates(session_factory=session_factory, actor=world.coordinator,
                                                   tip_id=tip, now=NOW)} for _ in range(3)]
    assert offers[0] == offers[1] == offers[2]
    assert offers[0] == {world.near, world.mid, world.far, world.stale, *sorted(extras)[:26]}


def test_someone_not_yet_checked_in_is_placed_at_their_post_their_route_start_or_their_grid(session_factory):
    world = build(session_factory)
    post_at, stop_at = offset_point(*CENTRE, 150, 0), offset_point(*CENTRE, 0, 300)
    with session_factory.begin() as s:
        post = DutyPost(district_id=world.district, name="平安前哨", kind=DutyPostKind.OUTPOST,
                        lat=post_at[0], lon=post_at[1])
        route = Route(district_id=world.district, name="夜市巡线")
        unplaced = Checkpoint(district_id=world.district, name="未定位点", secret="y" * 16)
        located = Checkpoint(district_id=world.district, name="巷口", secret="z" * 16, lat=stop_at[0], lon=stop_at[1])
        s.add_all([post, route, unplaced, located])
        s.flush()
        s.add_all([RouteStop(route_id=route.id, position=1, checkpoint_id=unplaced.id),
                   RouteStop(route_id=route.id, position=2, checkpoint_id=located.id)])
        at_post, _ = on_shift(s, world, duty_post_id=post.id)
        walker, _ = on_shift(s, world, route_id=route.id)
        in_grid, _ = on_shift(s, world, grid_id=world.grid)
    rows = offered(session_factory, world)
    assert rows[at_post.id].source == "post" and rows[at_post.id].distance_m == pytest.approx(150, abs=2)
    # The route's first stop has no point yet: the walker is taken to be at the first one that has.
    assert rows[walker.id].source == "route" and rows[walker.id].distance_m == pytest.approx(300, abs=2)
    assert rows[in_grid.id].source == "grid" and rows[in_grid.id].distance_m == pytest.approx(0, abs=1)
    assert rows[at_post.id].ranked.candidate.seen_at == SHIFT_START  # as old as the shift: nobody has seen them


def test_a_position_from_after_the_moment_asked_about_is_not_used(session_factory):
    world = build(session_factory)
    with session_factory.begin() as s:
        person, shift = on_shift(s, world, grid_id=world.grid)
        checked_in(s, world, person, shift, 500, NOW - timedelta(minutes=30))
        checked_in(s, world, person, shift, 2_000, NOW + timedelta(minutes=10))  # the last position is later
    row = offered(session_factory, world)[person.id]
    assert row.source == "checkin" and row.distance_m == pytest.approx(500, abs=2)
    assert row.ranked.age_min == 30



def test_the_dispatches_someone_still_carries_weigh_on_them_and_a_tip_already_sent_to_them_shows(session_factory):
    world = build(session_factory)
    tip = add_tip(session_factory, world, category=TipCategory.NOISE)
    earlier = [add_tip(session_factory, world, minutes_ago=20 + n) for n in range(5)]
    with session_factory.begin() as s:
        busy, _ = on_shift(s, world, grid_id=world.grid)
        done, _ = on_shift(s, world, grid_id=world.grid)
        s.flush()
        s.add_all([Dispatch(tip_id=earlier[0], person_id=busy.id, status=DispatchStatus.SENT),
                   Dispatch(tip_id=earlier[1], person_id=busy.id, status=DispatchStatus.ON_SCENE),
                   Dispatch(tip_id=earlier[2], person_id=done.id, status=DispatchStatus.CLOSED),
                   Dispatch(tip_id=earlier[3], person_id=done.id, status=DispatchStatus.CANCELLED),
                   Dispatch(tip_id=tip, person_id=done.id, status=DispatchStatus.ACKNOWLEDGED)])
    rows = {row.person_id: row for row in candidates(session_factory=session_factory, actor=world.coordinator,
                                                      tip_id=tip, now=NOW)}
    assert rows[busy.id].candidate.load == 2 and not rows[busy.id].already_sent
    # Closed and cancelled dispatches are off their hands; this tip's own is not a load but shows as sent.
    assert rows[done.id].candidate.load == 0 and rows[done.id].already_sent


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])  # UTC+14 and UTC-11
def test_a_district_on_a_clock_far_from_beijings_still_sees_its_night_patrol(session_factory, zone):
    world = build(session_factory)
    night = duty_date_of(NOW, zone)
    slot = night_slot(night, time(20), time(5), zone)  # 20:00-05:00 there: running at NOW, 03:30 or 04:30 local
    with session_factory.begin() as s:
        s.get(District, world.district).timezone = zone
        person = Person(district_id=world.district, name="远方队员", phone="13800009999", role_kind=RoleKind.VOLUNTEER)
        shift = Shift(district_id=world.district, duty_date=night, starts_at=slot.starts_at, ends_at=slot.ends_at,
                      grid_id=world.grid)
        s.add_all([person, shift])
        s.flush()
        s.add(Assignment(shift_id=shift.id, person_id=person.id, status=AssignmentStatus.CONFIRMED,
                         starts_at=shift.starts_at, ends_at=shift.ends_at))
    assert person.id in offered(session_factory, world)


def test_a_tip_without_a_point_is_measured_from_its_grid_and_a_quiet_hour_still_checks_the_district(session_factory):
    world = build(session_factory)
    pinned, unpinned = add_tip(session_factory, world), add_tip(session_factory, world)
    with session_factory.begin() as s:
        tip = s.get(Tip, unpinned)
        tip.lat = tip.lon = None

    def distances(tip, now=NOW, actor=world.coordinator):
        rows = candidates(session_factory=session_factory, actor=actor, tip_id=tip, now=now)
        return {row.person_id: round(row.distance_m) for row in rows}

    assert distances(unpinned) == distances(pinned) != {}  # the tips' grid centre is where the pinned one is
    noon = NOW + timedelta(hours=10)  # nobody on duty
    assert distances(pinned, noon) == {}
    with pytest.raises(Forbidden):
        distances(pinned, noon, world.outsider)
    assert distances(10**9) == {}
