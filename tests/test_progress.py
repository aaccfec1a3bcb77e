"""Route progress as pure rules: a table of walks over one four-stop route, judged against its plan."""
from __future__ import annotations

from datetime import timedelta

import pytest

from booking_ground import local
from nightwatch.progress import (
    LATE_TOLERANCE, SAME_VISIT_GAP, Stop, StopStatus, Tap, progress_of, walk_start,
)

# 巷口 at the start, 牌坊 10 minutes on, 酒吧街 15 more, 码头 5 more: the plan runs start+0/10/25/30.
ROUTE = [Stop(0, 11, "巷口"), Stop(1, 12, "牌坊", 10), Stop(2, 13, "酒吧街", 15), Stop(3, 14, "码头", 5)]
POINT = {"巷口": 11, "牌坊": 12, "酒吧街": 13, "码头": 14}
ON, LATE, MISSED, DUE, PENDING = (StopStatus.VISITED_ON_TIME, StopStatus.VISITED_LATE, StopStatus.MISSED,
                                  StopStatus.DUE, StopStatus.PENDING)


def taps(*walk: tuple[str, str], who: str = "李巡") -> list[Tap]:
    """Taps written as (point, Shanghai wall time)."""
    return [Tap(POINT[name], local(wall), who) for name, wall in walk]


# id, start, end, now, taps, statuses, visit order as walked (* = out of order), completion %, laps, next point
CASES = [
    ("in order, on time", "2026-11-20 22:00", "2026-11-21 02:00", "2026-11-20 22:40",
     taps(("巷口", "2026-11-20 22:01"), ("牌坊", "2026-11-20 22:12"), ("酒吧街", "2026-11-20 22:26"),
          ("码头", "2026-11-20 22:31")),
     [ON, ON, ON, ON], ["巷口", "牌坊", "酒吧街", "码头"], 100, 1, "巷口"),
    ("half way, the next one due", "2026-11-20 22:00", "2026-11-21 02:00", "2026-11-20 22:27",
     taps(("巷口", "2026-11-20 22:01"), ("牌坊", "2026-11-20 22:12")),
     [ON, ON, DUE, PENDING], ["巷口", "牌坊"], 50, 0, "酒吧街"),
    ("out of order: a stop jumped ahead", "2026-11-20 22:00", "2026-11-21 02:00", "2026-11-20 22:40",
     taps(("巷口", "2026-11-20 22:01"), ("码头", "2026-11-20 22:05"), ("牌坊", "2026-11-20 22:12"),
          ("酒吧街", "2026-11-20 22:26")),
     [ON, ON, ON, ON], ["巷口", "码头*", "牌坊", "酒吧街"], 100, 1, "巷口"),
    ("a skipped stop is missed once a later one is visited", "2026-11-20 22:00", "2026-11-21 02:00",
     "2026-11-20 22:27", taps(("巷口", "2026-11-20 22:01"), ("酒吧街", "2026-11-20 22:24")),
     [ON, MISSED, ON, PENDING], ["巷口", "酒吧街"], 50, 0, "码头"),
    ("everything unvisited is missed when the walk has ended", "2026-11-20 22:00", "2026-11-21 02:00",
     "2026-11-21 03:00", taps(("巷口", "2026-11-20 22:01"), ("牌坊", "2026-11-20 22:12")),
     [ON, ON, MISSED, MISSED], ["巷口", "牌坊"], 50, 0, None),
    ("late beyond the tolerance, on time within it", "2026-11-20 22:00", "2026-11-21 02:00", "2026-11-20 23:00",
     taps(("巷口", "2026-11-20 22:00"), ("牌坊", "2026-11-20 22:21"), ("酒吧街", "2026-11-20 22:35"),
          ("码头", "2026-11-20 22:50")),
     [ON, LATE, ON, LATE], ["巷口", "牌坊", "酒吧街", "码头"], 100, 1, "巷口"),
    ("crossing midnight: 00:05 comes after 23:58", "2026-11-20 23:40", "2026-11-21 03:00", "2026-11-21 00:20",
     taps(("巷口", "2026-11-20 23:41"), ("牌坊", "2026-11-20 23:52"), ("酒吧街", "2026-11-21 00:05"),
          ("码头", "2026-11-21 00:11")),
     [ON, ON, ON, ON], ["巷口", "牌坊", "酒吧街", "码头"], 100, 1, "巷口"),
    ("crossing midnight late: due 00:05, tapped 00:20", "2026-11-20 23:40", "2026-11-21 03:00",
     "2026-11-21 00:30", taps(("巷口", "2026-11-20 23:41"), ("牌坊", "2026-11-20 23:58"),
                              ("酒吧街", "2026-11-21 00:20")),
     [ON, ON, LATE, DUE], ["巷口", "牌坊", "酒吧街"], 75, 0, "码头"),
    ("a second lap counts the stops once and the laps twice", "2026-11-20 22:00", "2026-11-21 02:00",
     "2026-11-20 23:50",
     taps(("巷口", "2026-11-20 22:01"), ("牌坊", "2026-11-20 22:12"), ("酒吧街", "2026-11-20 22:26"),
          ("码头", "2026-11-20 22:31"), ("巷口", "2026-11-20 23:31"), ("牌坊", "2026-11-20 23:40"),
          ("酒吧街", "2026-11-20 23:55"), ("码头", "2026-11-20 23:59"), ("巷口", "2026-11-21 00:40")),
     [ON, ON, ON, ON], ["巷口", "牌坊", "酒吧街", "码头"] * 2 + ["巷口"], 100, 2, "牌坊"),
    ("no check-ins yet, before the first planned time", "2026-11-20 22:00", "2026-11-21 02:00",
     "2026-11-20 21:50", [], [PENDING] * 4, [], 0, 0, "巷口"),
    ("no check-ins all night", "2026-11-20 22:00", "2026-11-21 02:00", "2026-11-21 02:00", [],
     [MISSED] * 4, [], 0, 0, None),
    ("a walk begun after the briefing is timed from its first tap", "2026-11-20 22:00", "2026-11-21 02:00",
     "2026-11-20 22:40", taps(("巷口", "2026-11-20 22:12"), ("牌坊", "2026-11-20 22:22"), ("酒吧街", "2026-11-20 22:37")),
     [ON, ON, ON, PENDING], ["巷口", "牌坊", "酒吧街"], 75, 0, "码头"),
    ("a walk begun past the briefing grace is late against the shift", "2026-11-20 22:00", "2026-11-21 02:00",
     "2026-11-20 22:40", taps(("巷口", "2026-11-20 22:16"), ("牌坊", "2026-11-20 22:26")),
     [LATE, LATE, DUE, DUE], ["巷口", "牌坊"], 50, 0, "酒吧街"),
    ("no route shift: the first tap starts the walk", None, None, "2026-11-20 23:05",
     taps(("巷口", "2026-11-20 22:30"), ("牌坊", "2026-11-20 22:52")),
     [ON, LATE, DUE, DUE], ["巷口", "牌坊"], 50, 0, "酒吧街"),
]


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_a_walk_is_judged_stop_by_stop(case):
    _, start, end, now, walk, statuses, order, percent, laps, next_name = case
    begins = walk_start(local(start) if start else None, walk, ROUTE)
    progress = progress_of(ROUTE, walk, start=begins, end=local(end) if end else None, now=local(now))
    assert [stop.status for stop in progress.stops] == statuses
    assert [v.name + ("*" if v.out_of_order else "") for v in progress.visits] == order
    assert progress.percent == percent
    assert progress.laps == laps
    assert (progress.next_point.stop.name if progress.next_point else None) == next_name


def test_expected_times_add_up_the_legs_and_late_means_past_the_tolerance():
    start = local("2026-11-20 23:50")
    walk = [Tap(12, start + timedelta(minutes=10) + LATE_TOLERANCE, "李巡"),
            Tap(13, start + timedelta(minutes=25) + LATE_TOLERANCE + timedelta(seconds=1), "李巡")]
    progress = progress_of(ROUTE, walk, start=start, end=None, now=start + timedelta(hours=1))
    assert [s.expected_at for s in progress.stops] == [start + timedelta(minutes=m) for m in (0, 10, 25, 30)]
    assert [s.status for s in progress.stops] == [MISSED, ON, LATE, DUE]


def test_a_group_tapping_together_is_one_visit_with_everyone_named():
    walk = [*taps(("巷口", "2026-11-20 22:01")), *taps(("巷口", "2026-11-20 22:01"), who="王守"),
            *taps(("牌坊", "2026-11-20 22:11")), *taps(("牌坊", "2026-11-20 22:12"), who="王守")]
    progress = progress_of(ROUTE, walk, start=local("2026-11-20 22:00"), end=None, now=local("2026-11-20 22:15"))
    assert [(v.name, v.people) for v in progress.visits] == [("巷口", ("李巡", "王守")), ("牌坊", ("李巡", "王守"))]
    assert progress.stops[0].first_by == ("李巡", "王守") and progress.laps == 0


def test_a_tap_again_after_the_gap_is_another_visit():
    at = local("2026-11-20 22:01")
    walk = [Tap(11, at, "李巡"), Tap(11, at + SAME_VISIT_GAP + timedelta(seconds=1), "李巡")]
    progress = progress_of(ROUTE, walk, start=at, end=None, now=at + timedelta(hours=1))
    assert progress.stops[0].visits == 2 and progress.visited == 1


def test_a_loop_back_to_the_start_fills_both_of_its_stops():
    loop = [*ROUTE, Stop(4, 11, "巷口", 5)]
    walk = taps(("巷口", "2026-11-20 22:01"), ("牌坊", "2026-11-20 22:11"), ("酒吧街", "2026-11-20 22:25"),
                ("码头", "2026-11-20 22:30"), ("巷口", "2026-11-20 22:35"))
    progress = progress_of(loop, walk, start=local("2026-11-20 22:00"), end=None, now=local("2026-11-20 22:40"))
    assert progress.percent == 100 and progress.laps == 1
    assert [v.position for v in progress.visits] == [0, 1, 2, 3, 4]


def test_a_route_without_stops_has_no_progress_and_no_next_point():
    progress = progress_of([], taps(("巷口", "2026-11-20 22:01")), start=None, end=None,
                           now=local("2026-11-20 23:00"))
    assert progress.stops == () and progress.percent == 0 and progress.next_point is None


def test_taps_elsewhere_do_not_count_and_the_next_point_says_how_far_behind():
    walk = [Tap(99, local("2026-11-20 22:05"), "李巡"), *taps(("巷口", "2026-11-20 22:01"))]
    progress = progress_of(ROUTE, walk, start=local("2026-11-20 22:00"), end=None, now=local("2026-11-20 22:16"))
    assert [v.name for v in progress.visits] == ["巷口"]
    assert progress.next_point.stop.name == "牌坊" and progress.next_point.behind == timedelta(minutes=6)
    assert progress.last_at == local("2026-11-20 22:01")
