"""Where someone not yet checked in is offered from follows the map as it is edited, on both backends.

A shift carries its start (post, else route's first stop with a point, else grid centre), written by the
database; these edits happen after the shift was made and must move it.
"""
from __future__ import annotations

import itertools

import pytest
from sqlalchemy import text, update

from db.models import Checkpoint, DutyPost, Route, RouteStop, Shift
from dispatch_world import CENTRE, NOW, add_tip, build, on_shift
from nightwatch.geo import offset_point
from nightwatch.services.dispatch_board import candidates
from nightwatch.services.points import PointKind, edit_point
from nightwatch.services.routes import save_route
from nightwatch.vocab import DutyPostKind, TipCategory

_numbers = itertools.count(1)


def holder(session_factory, world, **place) -> tuple[int, int]:
    """A new person of the district holding a new shift at `place`, running at NOW: their id and the shift's."""
    with session_factory.begin() as s:
        person, shift = on_shift(s, world, **place)
        s.flush()
        return person.id, shift.id


def offered_at(session_factory, world, person_id: int) -> tuple[str, float] | None:
    """Where the dispatch screen places the person for a tip at the centre: (source, metres to 10 m), or None."""
    tip = add_tip(session_factory, world, category=TipCategory.NOISE)
    rows = candidates(session_factory=session_factory, actor=world.coordinator, tip_id=tip, now=NOW)
    row = next((r for r in rows if r.person_id == person_id), None)
    return None if row is None else (row.source, round(row.distance_m, -1))


def point(session_factory, model, world, name: str, north_m: float | None) -> int:
    """A post or checkpoint `north_m` north of the centre (None: no point yet); its id."""
    lat, lon = offset_point(*CENTRE, north_m, 0) if north_m is not None else (None, None)
    with session_factory.begin() as s:
        row = model(district_id=world.district, name=name, lat=lat, lon=lon,
                    **({"kind": DutyPostKind.OUTPOST} if model is DutyPost else {"secret": "s" * 16}))
        s.add(row)
        s.flush()
        return row.id


def move(session_factory, world, kind: PointKind, point_id: int, name: str, north_m: float) -> None:
    """Move a post or checkpoint on the geography page."""
    lat, lon = offset_point(*CENTRE, north_m, 0)
    edit_point(session_factory=session_factory, actor=world.coordinator, kind=kind, point_id=point_id, name=name,
               lat=lat, lon=lon, subtype=DutyPostKind.OUTPOST if kind is PointKind.POST else None)


def test_a_post_moved_after_the_shift_was_made_places_its_holder_at_the_new_spot(session_factory):
    world = build(session_factory)
    post = point(session_factory, DutyPost, world, "平安前哨", 150)
    person, _ = holder(session_factory, world, duty_post_id=post, grid_id=world.grid)
    assert offered_at(session_factory, world, person) == ("post", 150)

    move(session_factory, world, PointKind.POST, post, "平安前哨", 420)

    assert offered_at(session_factory, world, person) == ("post", 420)


def test_a_route_rewritten_or_its_first_stop_moved_places_the_walker_at_its_first_stop_as_it_now_is(
        session_factory):
    world = build(session_factory)
    unplaced = point(session_factory, Checkpoint, world, "未定位点", None)
    lane, bridge = (point(session_factory, Checkpoint, world, name, north)
                    for name, north in (("巷口", 300), ("桥头", 700)))
    route = save_route(session_factory=session_factory, actor=world.coordinator, district_id=world.district,
                       name="夜市巡线", stops=[(unplaced, 0), (lane, 5), (bridge, 5)])
    walker, _ = holder(session_factory, world, route_id=route)
    assert offered_at(session_factory, world, walker) == ("route", 300)  # the first stop has no point

    save_route(session_factory=session_factory, actor=world.coordinator, district_id=world.district,
               name="夜市巡线", stops=[(bridge, 0), (lane, 5)], route_id=route)
    assert offered_at(session_factory, world, walker) == ("route", 700)

    move(session_factory, world, PointKind.CHECKPOINT, bridge, "桥头", 550)
    assert offered_at(session_factory, world, walker) == ("route", 550)


def test_a_shift_given_another_place_or_a_grid_moved_in_sql_behind_the_apps_back_is_placed_anew(
        session_factory):
    world = build(session_factory)
    post = point(session_factory, DutyPost, world, "平安前哨", 150)
    person, shift = holder(session_factory, world, grid_id=world.grid)
    assert offered_at(session_factory, world, person) == ("grid", 0)

    with session_factory.begin() as s:
        lat, lon = offset_point(*CENTRE, 250, 0)
        s.execute(text("UPDATE grid SET center_lat = :lat, center_lon = :lon WHERE id = :id"),
                  {"lat": lat, "lon": lon, "id": world.grid})
    assert offered_at(session_factory, world, person) == ("grid", 250)

    with session_factory.begin() as s:
        s.execute(update(Shift).where(Shift.id == shift).values(duty_post_id=post))
    assert offered_at(session_factory, world, person) == ("post", 150)


@pytest.mark.parametrize("gone", ["stop", "route"])
def test_when_a_walkers_stops_or_route_are_gone_they_are_placed_at_their_grid(session_factory, gone):
    world = build(session_factory)
    lane = point(session_factory, Checkpoint, world, "巷口", 300)
    with session_factory.begin() as s:
        route = Route(district_id=world.district, name="夜市巡线")
        s.add(route)
        s.flush()
        s.add(RouteStop(route_id=route.id, position=0, checkpoint_id=lane))
        route_id = route.id
    walker, _ = holder(session_factory, world, route_id=route_id, grid_id=world.grid)
    assert offered_at(session_factory, world, walker) == ("route", 300)

    with session_factory.begin() as s:
        s.execute(text("DELETE FROM route_stop" if gone == "stop" else "DELETE FROM route"))

    assert offered_at(session_factory, world, walker) == ("grid", 0)
