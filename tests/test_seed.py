"""The demo seed shows the articles' places and people, and a believable night, on both databases."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from conftest import fresh_postgres_url, fresh_sqlite_url
from sqlalchemy import inspect, select

from db.models import (
    Assignment,
    CheckIn,
    Checkpoint,
    Dispatch,
    District,
    DutyPost,
    Grid,
    Hazard,
    LastPosition,
    OutreachEvent,
    Person,
    Place,
    Route,
    Shift,
    Shop,
    Team,
    Tip,
)
from db.seed import SEEDED_TABLES, seed_demo, table_counts
from db.session import make_engine, make_session_factory
from nightwatch.nights import duty_date_of
from nightwatch.vocab import HOLDING_STATUSES, OPEN_TIP_STATUSES, AssignmentStatus, TipStatus

TODAY = date(2026, 6, 13)
SHANGHAI = ZoneInfo("Asia/Shanghai")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
TIMESTAMPED = (Shift, Assignment, CheckIn, Tip, Dispatch, Hazard, OutreachEvent)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(request, sqlite_template, tmp_path_factory):
    """A database on each backend holding the demo as it stands on the evening of TODAY.

    Seeding takes seconds, so the tests that only read share one per backend; tests that
    seed again use the per-test `session_factory` of conftest.
    """
    if request.param == "sqlite":
        url = fresh_sqlite_url(sqlite_template, tmp_path_factory.mktemp("seeded"))
    else:
        url = fresh_postgres_url(request.getfixturevalue("postgres"))
    engine = make_engine(url)
    session_factory = make_session_factory(engine)
    seed_demo(session_factory, today=TODAY)
    yield session_factory
    engine.dispose()


def names(session, model, **where) -> set[str]:
    """The names of the rows of a model that match."""
    return set(session.scalars(select(model.name).filter_by(**where)))


def district(session, city: str, name: str) -> District:
    """One seeded district."""
    return session.scalars(select(District).filter_by(city=city, name=name)).one()


@pytest.mark.parametrize(
    "city, name, hotspots",
    [
        ("襄阳", "襄城区", {"管家巷文化休闲街区", "闸口"}),
        ("襄阳", "高新区", {"万达金街", "比亚迪产业园美食街"}),
        ("襄阳", "樊城区", {"风华路夜市"}),
        ("南昌", "西湖区", set()),
        ("太仓", "浏河镇", {"听海路夜市", "听海路金域连廊停车场"}),
        ("桂林", "东西巷", {"东西巷"}),
        ("重庆", "大渡口区", {"九宫庙商圈"}),
        ("晋江", "青阳街道", set()),
        ("常德", "市城区", set()),
        ("无锡", "梁溪区", {"站前商贸街酒吧街"}),
        ("无锡", "江阴市", {"云新二村"}),
        ("无锡", "锡山区", {"蓝光五彩城"}),
        ("无锡", "经开区", {"新东国际广场"}),
    ],
)
def test_the_articles_districts_and_hotspots_exist(seeded, city, name, hotspots):
    session_factory = seeded
    with session_factory() as session:
        found = district(session, city, name)
        assert hotspots <= names(session, Place, district_id=found.id)
        assert names(session, Grid, district_id=found.id), "every district has a grid to staff"


def test_police_stations_are_places_and_kiosks_are_posts(seeded):
    session_factory = seeded
    with session_factory() as session:
        stations = names(session, Place, kind="police_station")
        posts = {(p.name, p.kind) for p in session.scalars(select(DutyPost))}
        kiosks = [name for name, kind in posts if kind == "security_kiosk"]
    assert {"庞公派出所", "紫贞派出所", "汉江派出所", "米公派出所", "筷子巷派出所", "浏河派出所",
            "新山村派出所", "永安派出所", "通江派出所", "云亭派出所", "东亭派出所"} <= stations
    assert {("东西巷警务室", "police_office"), ("比亚迪警务室", "police_office"),
            ("站前商贸街平安前哨", "outpost")} <= posts
    assert 3 <= len(kiosks) < 27  # 西湖区 has 27 kiosks; the demo seeds a handful


def test_dongxixiang_has_five_grids_on_the_standing_template(seeded):
    session_factory = seeded
    with session_factory() as session:
        lane = district(session, "桂林", "东西巷")
        grids = list(session.scalars(select(Grid).filter_by(district_id=lane.id)))
        shops = list(session.scalars(select(Shop).filter_by(district_id=lane.id)))
    assert len(grids) == 5
    assert sum(g.area_m2 for g in grids) == pytest.approx(29_200)
    for grid in grids:
        template = dict(grid.staffing_template)
        assert template.pop("merchant") >= 1
        assert template == {"officer": 1, "auxiliary": 2, "grid_worker": 3}
    codefenders = [s for s in shops if s.is_codefender]
    assert len(shops) >= 50 and 0 < len(codefenders) < len(shops)
    assert all(s.codefender_id is not None for s in codefenders)


def test_gaoxin_has_the_five_teams(seeded):
    session_factory = seeded
    with session_factory() as session:
        teams = names(session, Team, district_id=district(session, "襄阳", "高新区").id)
    assert {"红色志愿队", "义警巡逻队", "联合快反队", "楼宇守护队", "反诈宣讲队"} <= teams


def test_routes_walk_ordered_checkpoints_with_expected_minutes(seeded):
    session_factory = seeded
    with session_factory() as session:
        xiangcheng = district(session, "襄阳", "襄城区")
        routes = list(session.scalars(select(Route).filter_by(district_id=xiangcheng.id)))
        party_posts = names(session, DutyPost, district_id=xiangcheng.id, kind="party_post")
        assert len(routes) >= 3 and len(party_posts) >= 4
        for route in routes:
            positions = [stop.position for stop in route.stops]
            assert positions == list(range(len(positions))) and len(positions) >= 3
            assert route.stops[0].minutes_from_previous == 0
            assert all(stop.minutes_from_previous > 0 for stop in route.stops[1:])


def test_phone_numbers_are_eleven_digit_mobiles_and_unique(seeded):
    session_factory = seeded
    with session_factory() as session:
        phones = list(session.scalars(select(Person.phone)))
        owners = list(session.scalars(select(Shop.owner_phone)))
        callers = [p for p in session.scalars(select(Tip.caller_phone)) if p]
    assert len(phones) == len(set(phones)) > 300
    assert all(MOBILE.match(p) for p in phones + owners + callers)


def test_seeding_again_changes_nothing_and_a_later_day_tops_up(session_factory):
    first = seed_demo(session_factory, today=TODAY)
    assert first.as_dict() == table_counts(session_factory)
    before = _snapshot(session_factory)
    second = seed_demo(session_factory, today=TODAY)
    assert first.rows_added > 0 and second.rows_added == 0
    assert table_counts(session_factory) == first.as_dict()
    assert _snapshot(session_factory) == before
    # A later night tops up new nights and settles the ones that passed.
    tomorrow = TODAY + timedelta(days=1)
    report = seed_demo(session_factory, today=tomorrow)
    assert report.shift > 0 and report.tip > 0 and report.person == 0
    with session_factory() as session:
        unsettled = session.scalars(select(Assignment).join(Shift).where(
            Shift.duty_date < tomorrow, Assignment.status.in_([AssignmentStatus.ASSIGNED, AssignmentStatus.CONFIRMED])))
        assert list(unsettled) == []
    _assert_tonight_is_busy(session_factory, tomorrow)
    assert seed_demo(session_factory, today=tomorrow).rows_added == 0


def test_tonight_has_people_on_duty_at_ten_and_open_tips(seeded):
    session_factory = seeded
    _assert_tonight_is_busy(session_factory, TODAY)


def _assert_tonight_is_busy(session_factory, night: date) -> None:
    ten = datetime.combine(night, time(22), tzinfo=SHANGHAI)
    with session_factory() as session:
        on_duty = session.scalars(select(Assignment).join(Shift).where(
            Shift.starts_at <= ten, Shift.ends_at > ten, Assignment.status.in_(HOLDING_STATUSES))).all()
        open_tips = session.scalars(select(Tip).where(
            Tip.duty_date == night, Tip.status.in_([TipStatus.RECEIVED, TipStatus.DISPATCHED]))).all()
        districts = session.scalars(select(District)).all()
    assert len({a.shift_id for a in on_duty}) >= len(districts)
    assert len(open_tips) >= 3


def test_every_tip_moves_forward_in_time(seeded):
    session_factory = seeded
    with session_factory() as session:
        tips = session.scalars(select(Tip)).all()
        for tip in tips:
            steps = [tip.received_at, tip.dispatched_at, tip.acknowledged_at, tip.on_scene_at,
                     tip.closed_at or tip.referred_at]
            reached = [step for step in steps if step is not None]
            assert steps[: len(reached)] == reached, f"a step was skipped: {tip.text}"
            assert all(a <= b for a, b in pairwise(reached)), tip.text
            assert (tip.status in OPEN_TIP_STATUSES) == (tip.outcome is None)
            assert tip.duty_date == duty_date_of(tip.received_at)
            for dispatch in tip.dispatches:
                assert tip.received_at <= dispatch.sent_at
                assert dispatch.acknowledged_at is None or dispatch.sent_at <= dispatch.acknowledged_at
    assert any(tip.dispatches for tip in tips)


def test_tips_go_to_the_people_on_duty_and_tonight_shows_where_they_are(seeded):
    session_factory = seeded
    snapshot = datetime.combine(TODAY, time(22, 30), tzinfo=SHANGHAI)
    with session_factory() as session:
        sent = session.execute(select(Dispatch.person_id, Tip.received_at).join(Tip).where(
            Tip.idempotency_key.not_like("%:history:%"))).all()
        held = {}
        for person, start, end in session.execute(select(Assignment.person_id, Shift.starts_at, Shift.ends_at)
                                                  .join(Shift).where(Assignment.status.in_(HOLDING_STATUSES))):
            held.setdefault(person, []).append((start, end))
        positions = session.scalars(select(LastPosition)).all()
    on_duty = [any(start <= at < end for start, end in held.get(person, [])) for person, at in sent]
    assert sent and sum(on_duty) >= 0.95 * len(sent)
    assert positions
    for position in positions:
        assert position.seen_at <= snapshot and position.cell
        assert any(start <= snapshot < end for start, end in held[position.person_id])


def test_every_timestamp_is_aware(seeded):
    session_factory = seeded
    with session_factory() as session:
        for model in TIMESTAMPED:
            columns = [c.key for c in inspect(model).columns if c.type.python_type is datetime]
            for row in session.scalars(select(model).limit(300)):
                for column in columns:
                    value = getattr(row, column)
                    assert value is None or value.utcoffset() == timedelta(0), (model.__name__, column)


def test_nobody_holds_two_overlapping_shifts(seeded):
    session_factory = seeded
    with session_factory() as session:
        held = session.execute(select(Assignment.person_id, Assignment.starts_at, Assignment.ends_at, Shift.starts_at,
                                      Shift.ends_at).join(Shift).where(Assignment.status.in_(HOLDING_STATUSES))
                               .order_by(Assignment.person_id, Assignment.starts_at)).all()
    assert held
    for _, start, end, shift_start, shift_end in held:
        assert (start, end) == (shift_start, shift_end)
    for (a_person, _, a_end, _, _), (b_person, b_start, _, _, _) in pairwise(held):
        assert a_person != b_person or a_end <= b_start


def test_check_ins_fall_inside_their_shift_at_their_point(seeded):
    session_factory = seeded
    with session_factory() as session:
        rows = session.execute(select(CheckIn, Shift, Checkpoint).join(Shift, CheckIn.shift_id == Shift.id)
                               .join(Checkpoint, CheckIn.checkpoint_id == Checkpoint.id)).all()
    assert len(rows) > 1000
    for check_in, shift, checkpoint in rows:
        assert shift.starts_at <= check_in.at < shift.ends_at
        assert check_in.cell == checkpoint.cell and check_in.duty_date == shift.duty_date


def test_every_located_row_has_a_cell(seeded):
    session_factory = seeded
    with session_factory() as session:
        for model in (Place, DutyPost, Checkpoint, Shop, Tip, Hazard, OutreachEvent):
            rows = session.scalars(select(model)).all()
            assert rows, model.__name__
            assert all(row.lat is not None and row.cell for row in rows), model.__name__


def test_the_articles_figures_show_in_the_history(seeded):
    session_factory = seeded
    with session_factory() as session:
        lane = district(session, "桂林", "东西巷")
        liuhe = district(session, "太仓", "浏河镇")
        outcomes = session.scalars(select(Tip.outcome).where(
            Tip.district_id == lane.id, Tip.idempotency_key.like("%:history:%"))).all()
        liuhe_hazards = session.scalars(select(Hazard).filter_by(district_id=liuhe.id)).all()
    assert (outcomes.count("mediated"), outcomes.count("found"), outcomes.count("returned")) == (23, 12, 90)
    rectified = [h for h in liuhe_hazards if h.rectified_at is not None]
    assert len(rectified) >= 42
    assert not [h for h in liuhe_hazards if h.rectified_at is None and h.due_on and h.due_on < TODAY]


def _snapshot(session_factory) -> dict[str, list[tuple]]:
    """Every row of every seeded table, so two runs can be compared value for value."""
    with session_factory() as session:
        tables = {}
        for model in SEEDED_TABLES:
            columns = [c for c in model.__table__.columns]
            tables[model.__tablename__] = [tuple(row) for row in session.execute(
                select(*columns).order_by(*model.__table__.primary_key.columns))]
        return tables


def test_a_live_demo_seeded_before_half_past_ten_holds_nothing_from_the_future(sqlite_url):
    # `make run` at 20:15 must not show tips, check-ins or hazards from later tonight.
    today = date(2026, 6, 13)
    now = datetime.combine(today, time(20, 15), tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(ZoneInfo("UTC"))
    factory = make_session_factory(make_engine(sqlite_url))
    seed_demo(factory, today=today, now=now)
    with factory() as session:
        received = session.scalars(select(Tip.received_at)).all()
        checked = session.scalars(select(CheckIn.at)).all()
        found = session.scalars(select(Hazard.found_at)).all()
    assert max(received) <= now and max(checked) <= now and max(found) <= now
    assert any(now - timedelta(minutes=10) <= at for at in received)  # tonight's first tip just came in
