"""/routes under AppTest on the demo: the coordinator's board of tonight, a walker's next point, refusals."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select

from db.models import Account, Assignment, CheckIn, Checkpoint, Person, Route, RouteStop, Shift
from nightwatch.nights import duty_date_of, window_of_night
from nightwatch.services import setup
from nightwatch.vocab import HOLDING_STATUSES, AssignmentStatus
from test_pages import open_as

PAGE = "pages/55_routes.py"


def put_on_the_route(login: str = "demo-volunteer") -> tuple[str, str]:
    """Move the account's person from tonight's shifts onto a route walk begun 20 minutes ago, first point tapped.

    Their check-ins of tonight's grid rounds go, so the walk is all that counts. The walk lies wholly within
    tonight: just after the 06:00 rollover it begins at the rollover, waiting until its second point is overdue.

    Returns the names of the point tapped and of the next one.
    """
    store = setup.open_store()
    with store.session_factory.begin() as s:
        person = s.get_one(Person, s.scalar(select(Account.person_id).where(Account.login == login)))
        route = s.scalars(select(Route).where(Route.district_id == person.district_id, Route.active)
                          .order_by(Route.name)).first()
        stops = s.scalars(select(RouteStop).where(RouteStop.route_id == route.id).order_by(RouteStop.position)).all()
        now, begun = _walk_begun(timedelta(minutes=stops[1].minutes_from_previous + 1))
        names = dict(s.execute(select(Checkpoint.id, Checkpoint.name)
                               .where(Checkpoint.id.in_([stop.checkpoint_id for stop in stops]))).all())
        for held in s.scalars(select(Assignment).where(
                Assignment.person_id == person.id, Assignment.status.in_(HOLDING_STATUSES),
                Assignment.ends_at > now - timedelta(hours=1), Assignment.starts_at < now + timedelta(hours=4))):
            held.status = AssignmentStatus.WITHDRAWN
        s.execute(delete(CheckIn).where(CheckIn.person_id == person.id, CheckIn.duty_date == duty_date_of(now)))
        s.flush()
        walk = Shift(district_id=person.district_id, route_id=route.id, duty_date=duty_date_of(now),
                     starts_at=begun, ends_at=now + timedelta(hours=3))
        s.add(walk)
        s.flush()
        s.add(Assignment(shift_id=walk.id, person_id=person.id, status=AssignmentStatus.CONFIRMED,
                         starts_at=walk.starts_at, ends_at=walk.ends_at))
        s.add(CheckIn(district_id=person.district_id, person_id=person.id, checkpoint_id=stops[0].checkpoint_id,
                      shift_id=walk.id, at=begun + timedelta(seconds=30), duty_date=duty_date_of(now)))
        tapped, following = names[stops[0].checkpoint_id], names[stops[1].checkpoint_id]
    store.engine.dispose()
    return tapped, following


def _walk_begun(overdue_after: timedelta) -> tuple[datetime, datetime]:
    """Now and a walk start 20 minutes ago, or at tonight's rollover once the next point is overdue from it."""
    now = datetime.now(timezone.utc)
    rollover = window_of_night(duty_date_of(now)).starts_at
    if now - rollover < overdue_after:
        time.sleep((rollover + overdue_after - now).total_seconds())
        now = datetime.now(timezone.utc)
    return now, max(now - timedelta(minutes=20), rollover)


def shown(at) -> str:
    return " ".join(e.value for e in [*at.markdown, *at.caption, *at.info, *at.success, *at.subheader])


def test_the_coordinator_sees_tonights_routes_of_the_district_with_completion(app_env):
    at = open_as("demo-coordinator", PAGE)
    assert not at.exception
    summary = at.dataframe[0].value
    assert "东西巷全巷巡线" in list(summary["巡线"])
    assert set(summary.columns) >= {"队伍", "巡线人员", "完成度", "按时", "迟到", "漏巡", "最近打卡"}
    assert summary["完成度"].between(0, 100).all()
    assert any(e.label.startswith("东西巷全巷巡线 · 完成") for e in at.expander)
    stops = at.dataframe[1].value
    assert list(stops.columns[:4]) == ["序号", "打卡点", "计划", "首次打卡"] and "状态" in stops.columns


def test_switching_district_shows_that_districts_routes(app_env):
    at = open_as("demo-coordinator", PAGE)
    at.sidebar.selectbox[0].select_index(1).run()
    assert not at.exception
    assert "东西巷全巷巡线" not in list(at.dataframe[0].value["巡线"])


def test_a_volunteer_on_a_route_sees_the_next_point_big_and_their_own_check_in(app_env):
    tapped, following = put_on_the_route()
    at = open_as("demo-volunteer", PAGE)
    assert not at.exception
    text = shown(at)
    assert f"下一个打卡点:{following}" in text
    assert "计划" in text and "落后计划" in text  # planned a few minutes ago, not reached yet
    assert tapped in text and "我今晚的打卡" in text
    assert not at.dataframe  # a phone list, and no colleague's name in a table


def test_a_volunteer_without_a_route_shift_is_pointed_to_their_shifts(app_env):
    at = open_as("demo-volunteer", PAGE)
    assert not at.exception
    assert [i.value for i in at.info] == ["您今晚没有巡线班次。"]
    assert "my_shifts" in [link.proto.page for link in at.main.get("page_link") if link.proto.label == "查看我的班次"]


def test_a_merchant_is_refused_without_any_route(app_env):
    at = open_as("demo-merchant", PAGE)
    assert not at.exception and not at.dataframe
    assert "不对您的角色开放" in " ".join(w.value for w in at.warning)


def add_routes(count: int) -> tuple[int, list[str]]:
    """Give 东西巷's district `count` more routes named 巡线测试00…; returns how many active routes it has then."""
    store = setup.open_store()
    with store.session_factory.begin() as s:
        district_id = s.scalar(select(Route.district_id).where(Route.name == "东西巷全巷巡线"))
        s.add_all([Route(district_id=district_id, name=f"巡线测试{n:02d}") for n in range(count)])
        s.flush()
        names = list(s.scalars(select(Route.name).where(Route.district_id == district_id, Route.active)
                               .order_by(Route.name, Route.id)))
    store.engine.dispose()
    return len(names), names


def test_a_district_with_many_routes_shows_the_first_thirty_and_a_search_reaches_the_rest(app_env):
    total, names = add_routes(40)
    at = open_as("demo-coordinator", PAGE)
    assert not at.exception
    assert list(at.dataframe[0].value["巡线"]) == names[:30] and len(at.expander) == 30
    assert f"显示前 30 条巡线,共 {total} 条" in shown(at)
    hidden = names[-1]
    at.text_input(key="routes_search").input(hidden).run()
    assert not at.exception
    assert list(at.dataframe[0].value["巡线"]) == [hidden] and [e.label for e in at.expander] == [f"{hidden} · 完成 0%"]
    assert "显示前" not in shown(at)


def test_searching_a_walkers_name_finds_the_route_they_walk_tonight(app_env):
    put_on_the_route()
    store = setup.open_store()
    with store.session_factory() as s:
        walker = s.scalar(select(Person.name).join(Account, Account.person_id == Person.id)
                          .where(Account.login == "demo-volunteer"))
    store.engine.dispose()
    at = open_as("demo-coordinator", PAGE)
    at.text_input(key="routes_search").input(walker).run()
    assert not at.exception
    assert walker in at.dataframe[0].value["巡线人员"].iloc[0]
    at.text_input(key="routes_search").input("没有这条线").run()
    assert [i.value for i in at.info] == ["没有符合搜索的巡线。"]
