"""Route progress on a real database (SQLite and PostgreSQL): a route walked across midnight in 东西巷."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from booking_ground import local
from db.models import Assignment, CheckIn, Checkpoint, District, Grid, Person, Route, RouteStop, Shift, Team
from nightwatch.access import Actor, Forbidden
from nightwatch.progress import StopStatus
from nightwatch.services.route_progress import my_route, night_board, night_progress
from nightwatch.vocab import AccountRole, AssignmentStatus, RoleKind, TeamType

NIGHT = date(2026, 11, 20)
POINTS = {"西巷口": (25.2847, 110.2965), "灯笼墙": (25.2850, 110.2970), "王城出口": (25.2853, 110.2975)}


def _person(s, district_id: int, name: str, phone: str, role=RoleKind.VOLUNTEER) -> Person:
    person = Person(district_id=district_id, name=name, phone=phone, role_kind=role)
    s.add(person)
    s.flush()
    return person


def _shift(s, district_id: int, starts: str, ends: str, people: list[Person], night: date = NIGHT, **place) -> Shift:
    shift = Shift(district_id=district_id, duty_date=night, starts_at=local(starts), ends_at=local(ends), **place)
    s.add(shift)
    s.flush()
    s.add_all([Assignment(shift_id=shift.id, person_id=p.id, status=AssignmentStatus.CONFIRMED,
                          starts_at=shift.starts_at, ends_at=shift.ends_at) for p in people])
    return shift


@pytest.fixture
def lane(session_factory: sessionmaker) -> dict[str, int]:
    """A three-stop route (0, +10, +15 min) walked 23:40–03:00 by 李巡 and 王守, and a grid worker scanning too."""
    with session_factory.begin() as s:
        district, other = District(name="东西巷", city="桂林"), District(name="万达金街", city="襄阳")
        s.add_all([district, other])
        s.flush()
        grid = Grid(district_id=district.id, name="一网格")
        team = Team(district_id=district.id, name="东西巷志愿服务队", team_type=TeamType.RED_VEST)
        s.add_all([grid, team])
        s.flush()
        points = {name: Checkpoint(district_id=district.id, grid_id=grid.id, name=name, secret="ab" * 16,
                                   lat=lat, lon=lon) for name, (lat, lon) in POINTS.items()}
        s.add_all(points.values())
        s.flush()
        route = Route(district_id=district.id, grid_id=grid.id, team_id=team.id, name="东西巷全巷巡线")
        idle = Route(district_id=district.id, name="夜市巡线")
        s.add_all([route, idle])
        s.flush()
        s.add_all([RouteStop(route_id=route.id, position=i, checkpoint_id=points[name].id, minutes_from_previous=m)
                   for i, (name, m) in enumerate([("西巷口", 0), ("灯笼墙", 10), ("王城出口", 15)])])
        s.add(RouteStop(route_id=idle.id, position=0, checkpoint_id=points["王城出口"].id))
        li, wang = _person(s, district.id, "李巡", "13900000001"), _person(s, district.id, "王守", "13900000002")
        grid_worker = _person(s, district.id, "张网", "13900000003", RoleKind.GRID_WORKER)
        idle_walker = _person(s, district.id, "赵闲", "13900000004")
        walk = _shift(s, district.id, "2026-11-20 23:40", "2026-11-21 03:00", [li, wang], route_id=route.id)
        rounds = _shift(s, district.id, "2026-11-20 19:00", "2026-11-21 02:00", [grid_worker], grid_id=grid.id)

        def tap(person: Person, point: str, wall: str, shift: Shift | None, night: date = NIGHT) -> None:
            s.add(CheckIn(district_id=district.id, person_id=person.id, checkpoint_id=points[point].id,
                          shift_id=shift.id if shift else None, at=local(wall), duty_date=night))

        tap(li, "西巷口", "2026-11-20 23:41", walk)
        tap(wang, "西巷口", "2026-11-20 23:41", walk)
        tap(li, "灯笼墙", "2026-11-21 00:05", walk)  # planned 23:50: late past the 10-minute tolerance
        tap(grid_worker, "王城出口", "2026-11-20 23:55", rounds)  # a grid round, not the route's walk
        tap(li, "王城出口", "2026-11-19 23:55", None, date(2026, 11, 19))  # the night before
        tap(idle_walker, "王城出口", "2026-11-21 01:10", None)  # nobody's shift: the idle route's first tap
        return {"district": district.id, "other": other.id, "li": li.id, "wang": wang.id,
                "grid_worker": grid_worker.id, "idle_walker": idle_walker.id}


def coordinator(district_id: int) -> Actor:
    return Actor(account_id=1, login="c", role=AccountRole.COORDINATOR, district_ids=frozenset({district_id}))


def walker(person_id: int) -> Actor:
    return Actor(account_id=2, login="v", role=AccountRole.VOLUNTEER, person_id=person_id)


def test_the_coordinator_sees_each_route_walked_across_midnight_with_names(session_factory, lane):
    routes = night_progress(session_factory=session_factory, actor=coordinator(lane["district"]), night=NIGHT,
                            district_id=lane["district"], now=local("2026-11-21 00:10"))
    assert [r.name for r in routes] == ["东西巷全巷巡线", "夜市巡线"]
    walked = routes[0]
    assert walked.team == "东西巷志愿服务队" and walked.walkers == ("李巡", "王守")
    assert [s.status for s in walked.progress.stops] == [
        StopStatus.VISITED_ON_TIME, StopStatus.VISITED_LATE, StopStatus.DUE]  # 王城出口 was planned for 00:05
    assert walked.progress.stops[0].first_by == ("李巡", "王守")
    assert walked.progress.percent == 67 and walked.progress.last_at == local("2026-11-21 00:05")
    assert [v.name for v in walked.progress.visits] == ["西巷口", "灯笼墙"]  # not the grid round, not last night


def test_a_route_without_a_shift_is_timed_from_its_first_tap(session_factory, lane):
    routes = night_progress(session_factory=session_factory, actor=coordinator(lane["district"]), night=NIGHT,
                            district_id=lane["district"], now=local("2026-11-21 04:00"))
    idle = routes[1]
    assert idle.walkers == ("张网", "赵闲") and idle.starts_at is None
    assert idle.progress.started_at == local("2026-11-20 23:55") and idle.progress.percent == 100
    walked = routes[0]
    assert [s.status for s in walked.progress.stops][2] is StopStatus.MISSED  # the shift ended at 03:00


@pytest.mark.parametrize("actor", [lambda ids: coordinator(ids["other"]), lambda ids: walker(ids["li"])],
                         ids=["coordinator of another district", "volunteer"])
def test_only_the_districts_coordinators_see_its_board(session_factory, lane, actor):
    with pytest.raises(Forbidden):
        night_progress(session_factory=session_factory, actor=actor(lane), district_id=lane["district"],
                       night=NIGHT, now=local("2026-11-21 00:10"))


def test_a_walker_sees_the_next_point_and_their_own_check_ins_but_no_colleague_names(session_factory, lane):
    mine = my_route(session_factory=session_factory, actor=walker(lane["li"]), now=local("2026-11-21 00:10"))
    assert mine is not None and mine.night == NIGHT and mine.route.name == "东西巷全巷巡线"
    nxt = mine.route.progress.next_point
    assert nxt.stop.name == "王城出口" and (mine.next_lat, mine.next_lon) == POINTS["王城出口"]
    # The walk began at 23:41, a minute into the shift and within the briefing grace: the plan runs from there.
    assert nxt.expected_at == local("2026-11-21 00:06") and nxt.behind.total_seconds() == 240
    assert [(c.at, c.point) for c in mine.check_ins] == [(local("2026-11-20 23:41"), "西巷口"),
                                                          (local("2026-11-21 00:05"), "灯笼墙")]
    assert mine.route.progress.stops[0].first_by == ("李巡",)  # 王守 tapped too, unnamed to a colleague


def test_a_colleagues_taps_move_the_route_on_for_the_other_walker(session_factory, lane):
    mine = my_route(session_factory=session_factory, actor=walker(lane["wang"]), now=local("2026-11-21 00:10"))
    assert mine.route.progress.visited == 2 and mine.route.progress.stops[1].first_by == ()
    assert [c.point for c in mine.check_ins] == ["西巷口"]


@pytest.mark.parametrize("who, now", [("grid_worker", "2026-11-21 00:10"), ("li", "2026-11-21 03:30"),
                                      ("idle_walker", "2026-11-21 00:10")],
                         ids=["grid shift only", "route shift over", "no shift at all"])
def test_without_a_route_shift_tonight_there_is_no_route(session_factory, lane, who, now):
    assert my_route(session_factory=session_factory, actor=walker(lane[who]), now=local(now)) is None


def test_an_account_without_a_person_is_told_so(session_factory, lane):
    with pytest.raises(Forbidden) as refused:
        my_route(session_factory=session_factory, actor=walker(None), now=local("2026-11-21 00:10"))
    assert refused.value.key == "progress.no_person"


def test_a_walkers_own_grid_round_earlier_that_night_does_not_count_on_the_route(session_factory, lane):
    with session_factory.begin() as s:
        # 李巡 also did a grid round before the walk and scanned 王城出口 on it.
        grid = s.scalar(select(Grid.id).where(Grid.district_id == lane["district"]))
        rounds = _shift(s, lane["district"], "2026-11-20 19:00", "2026-11-20 23:30", [s.get(Person, lane["li"])],
                        grid_id=grid)
        point = s.scalar(select(Checkpoint.id).where(Checkpoint.name == "王城出口"))
        s.add(CheckIn(district_id=lane["district"], person_id=lane["li"], checkpoint_id=point, shift_id=rounds.id,
                      at=local("2026-11-20 21:00"), duty_date=NIGHT))
    routes = night_progress(session_factory=session_factory, actor=coordinator(lane["district"]), night=NIGHT,
                            district_id=lane["district"], now=local("2026-11-21 00:10"))
    assert [v.name for v in routes[0].progress.visits] == ["西巷口", "灯笼墙"]
    assert routes[0].progress.stops[2].status is StopStatus.DUE


@pytest.mark.parametrize("search", ["全巷", "志愿服务", "王守", "  李巡 "], ids=["route", "team", "walker", "padded"])
def test_searching_a_route_team_or_walker_on_the_nights_shift_finds_only_that_route(session_factory, lane, search):
    board = night_board(session_factory=session_factory, actor=coordinator(lane["district"]), night=NIGHT,
                        district_id=lane["district"], now=local("2026-11-21 00:10"), search=search)
    assert [r.name for r in board.routes] == ["东西巷全巷巡线"] and board.total == 1


def test_a_walker_on_another_night_or_a_percent_sign_finds_nothing(session_factory, lane):
    for night, search in ((date(2026, 11, 21), "李巡"), (NIGHT, "%")):
        board = night_board(session_factory=session_factory, actor=coordinator(lane["district"]), night=night,
                            district_id=lane["district"], now=local("2026-11-21 00:10"), search=search)
        assert board.routes == [] and board.total == 0


def test_the_board_cut_to_one_route_still_counts_both(session_factory, lane):
    board = night_board(session_factory=session_factory, actor=coordinator(lane["district"]), night=NIGHT,
                        district_id=lane["district"], now=local("2026-11-21 00:10"), limit=1)
    assert [r.name for r in board.routes] == ["东西巷全巷巡线"] and board.total == 2
    assert board.routes[0].walkers == ("李巡", "王守") and board.routes[0].progress.percent == 67
