"""The heatmap's pure rules: night hours across midnight, coarsening, suppression and the gap ranking."""
from __future__ import annotations

import random
from datetime import date

import h3
import pytest

from nightwatch.access import Actor
from nightwatch.geo import cell_of, haversine_m, offset_point
from nightwatch.heatmap import (
    NIGHT_HOURS,
    Cell,
    Landmark,
    RouteLine,
    _to_segment_m,
    coarsen,
    colour_of,
    full_view,
    hour_label,
    hours_between,
    nearest_landmark,
    nearest_route,
    public_nights,
    publishable,
    rank_gaps,
)
from nightwatch.vocab import AccountRole

LANE = (25.2847, 110.2965)


def test_the_night_runs_from_six_in_the_evening_to_six_in_the_morning_across_midnight():
    assert [hour_label(h) for h in NIGHT_HOURS] == [
        "18:00", "19:00", "20:00", "21:00", "22:00", "23:00", "00:00", "01:00", "02:00", "03:00", "04:00", "05:00",
        "06:00"]


@pytest.mark.parametrize("first, last, hours", [
    (22, 2, {22, 23, 0, 1, 2}),
    (18, 6, set(NIGHT_HOURS)),
    (0, 3, {0, 1, 2, 3}),
    (23, 23, {23}),
    (2, 22, {22, 23, 0, 1, 2}),  # a slider's ends given backwards mean the same stretch of night
])
def test_a_slider_range_over_the_night_maps_to_wall_clock_hours(first, last, hours):
    assert hours_between(first, last) == hours


def test_an_afternoon_hour_is_not_on_the_slider():
    with pytest.raises(ValueError):
        hours_between(14, 2)


def test_sparse_cells_are_dropped_and_the_rest_kept_whole():
    cells = [Cell("a", 4), Cell("b", 5), Cell("c", 12), Cell("d", 1)]
    assert publishable(cells, 5) == [Cell("b", 5), Cell("c", 12)]


def test_coarser_cells_add_up_their_children_so_fewer_are_hidden():
    parent = cell_of(*LANE, 8)
    children = sorted(h3.cell_to_children(parent, 9))[:3]
    coarse = coarsen([Cell(children[0], 2), Cell(children[1], 2), Cell(children[2], 1)], 8)
    assert coarse == [Cell(parent, 5)]
    assert publishable(coarse, 5) == [Cell(parent, 5)]
    assert coarsen([Cell(children[0], 2)], 9) == [Cell(children[0], 2)]


def test_darker_means_more():
    low, high = colour_of(1, 20, "patrol"), colour_of(20, 20, "patrol")
    assert sum(high[:3]) < sum(low[:3]) and high[3] > low[3]


def test_only_the_districts_own_coordinators_and_admins_get_the_full_view():
    assert full_view(Actor(role=AccountRole.COORDINATOR, district_ids=frozenset({1})), 1)
    assert full_view(Actor(role=AccountRole.ADMIN), 7)
    assert not full_view(Actor(role=AccountRole.COORDINATOR, district_ids=frozenset({2})), 1)
    assert not full_view(Actor(role=AccountRole.VOLUNTEER, district_ids=frozenset({1})), 1)
    assert not full_view(Actor(), 1)


def _cell(north_m: float, east_m: float) -> str:
    return cell_of(*offset_point(*LANE, north_m, east_m))


def test_gaps_rank_cells_whose_share_of_incidents_runs_ahead_of_their_share_of_patrols():
    market, lane, square, quiet = _cell(0, 0), _cell(600, 0), _cell(0, 600), _cell(-600, 0)
    incidents = [Cell(market, 6), Cell(lane, 3), Cell(square, 1)]  # shares 60 %, 30 %, 10 %
    patrols = [Cell(market, 10), Cell(lane, 80), Cell(quiet, 10)]  # shares 10 %, 80 %, 0 %, 10 %
    gaps = rank_gaps(incidents, patrols)
    assert [(g.rank, g.cell, g.incidents, g.patrols, g.score) for g in gaps] == [
        (1, market, 6, 10, 50.0),
        (2, square, 1, 0, 10.0),
    ]  # the lane is over-patrolled for its incidents: not a gap; the quiet cell has no incidents


def test_each_gap_names_the_route_passing_closest_and_how_far_and_the_nearest_place():
    market = _cell(0, 0)
    centre = h3.cell_to_latlng(market)
    north = RouteLine("北线", (offset_point(*centre, 300, -500), offset_point(*centre, 300, 500)))
    east = RouteLine("东线", (offset_point(*centre, -500, 800), offset_point(*centre, 500, 800)))
    gap, = rank_gaps([Cell(market, 3)], [], [east, north],
                     [Landmark("夜市", *offset_point(*centre, 20, 0)), Landmark("码头", *offset_point(*centre, 900, 0))])
    assert (gap.route, gap.place) == ("北线", "夜市")
    assert gap.route_m == pytest.approx(300, abs=3)  # the segment passes due north, not at its ends


def test_a_route_of_one_stop_is_measured_to_that_stop():
    assert nearest_route(LANE, [RouteLine("岗", (offset_point(*LANE, 0, 100),))])[1] == pytest.approx(100, abs=1)
    assert nearest_route(LANE, []) is None


@pytest.mark.parametrize("first, last, tonight, shown", [
    ("2026-11-15", "2026-11-21", "2026-11-22", ("2026-11-15", "2026-11-21")),  # last week as it is
    ("2026-11-16", "2026-11-22", "2026-11-22", ("2026-11-15", "2026-11-21")),  # tonight left out
    ("2026-11-20", "2026-11-20", "2026-11-22", ("2026-11-15", "2026-11-21")),  # one night widens to its week
    ("2026-11-01", "2026-11-21", "2026-11-22", ("2026-11-01", "2026-11-21")),  # three whole weeks
    ("2026-11-02", "2026-11-21", "2026-11-22", ("2026-11-01", "2026-11-21")),  # rounded up to whole weeks
    ("2026-11-05", "2026-11-10", "2026-11-22", ("2026-11-01", "2026-11-14")),  # an older window on the same grid
])
def test_public_nights_are_whole_weeks_on_a_grid_ending_last_night(first, last, tonight, shown):
    got = public_nights(date.fromisoformat(first), date.fromisoformat(last), date.fromisoformat(tonight))
    assert got == tuple(date.fromisoformat(d) for d in shown)


def test_among_a_districts_hundred_lines_and_places_the_nearest_is_the_one_measuring_all_would_name():
    rng = random.Random(7)
    lines = [RouteLine(f"线{n}", tuple(offset_point(*LANE, rng.uniform(-3000, 3000), rng.uniform(-3000, 3000))
                                      for _ in range(rng.randint(1, 12)))) for n in range(150)]
    lines.append(RouteLine("重复线", lines[40].points))  # the same line twice: the first listed is named
    for _ in range(200):
        point = offset_point(*LANE, rng.uniform(-4000, 4000), rng.uniform(-4000, 4000))
        every = min(((min(_to_segment_m(point, a, b) for a, b in (list(zip(line.points, line.points[1:]))
                                                                   or [(line.points[0], line.points[0])])), index)
                     for index, line in enumerate(lines)))
        assert nearest_route(point, lines) == (lines[every[1]].name, every[0])
        places = [Landmark(f"地标{n}", *line.points[0]) for n, line in enumerate(lines)]
        assert nearest_landmark(point, places) == min(places, key=lambda p: haversine_m(*point, p.lat, p.lon)).name
