"""A big district's geography: each tab lists the first rows, says how many, and search reaches the rest.

The service tests run on SQLite and PostgreSQL; the page tests lower the cut so the demo's district crosses it.
"""
from __future__ import annotations

import io

import pandas as pd
import pytest

from db.models import District
from nightwatch.access import Actor
from nightwatch.services import geography_lists, grids, overview, points, routes, setup
from nightwatch.services.points import PointKind
from nightwatch.vocab import AccountRole
from test_exports import builders  # noqa: F401  (a fixture)
from test_pages import open_as

PAGE = "pages/20_geography.py"
ADMIN = Actor(login="chief", role=AccountRole.ADMIN)
LANE = (25.2847, 110.2965)


@pytest.fixture
def lane(session_factory):
    """A district of twelve checkpoints 点00…点11, and routes 北线 (点00 → 点01) and 南线 (点10 → 点11)."""
    with session_factory.begin() as session:
        district = District(name="东西巷", city="桂林")
        session.add(district)
        session.flush()
        district_id = district.id
    ids = [points.add_point(session_factory=session_factory, actor=ADMIN, district_id=district_id,
                            kind=PointKind.CHECKPOINT, name=f"点{n:02d}", lat=LANE[0], lon=LANE[1] + n / 10_000)
           for n in range(12)]
    for name, stops in (("北线", ids[:2]), ("南线", ids[10:])):
        routes.save_route(session_factory=session_factory, actor=ADMIN, district_id=district_id, name=name,
                          stops=[(stop, 5) for stop in stops])
    return session_factory, district_id


def test_the_first_points_by_name_come_with_how_many_match(lane):
    factory, district = lane
    shown = geography_lists.point_page(session_factory=factory, actor=ADMIN, district_id=district,
                                       kind=PointKind.CHECKPOINT, limit=5)
    assert [p.name for p in shown.rows] == ["点00", "点01", "点02", "点03", "点04"]
    assert (shown.total, shown.cut) == (12, True)
    found = geography_lists.point_page(session_factory=factory, actor=ADMIN, district_id=district,
                                       kind=PointKind.CHECKPOINT, search=" 点11 ", limit=5)
    assert ([p.name for p in found.rows], found.total, found.cut) == (["点11"], 1, False)
    every = geography_lists.point_page(session_factory=factory, actor=ADMIN, district_id=district,
                                       kind=PointKind.CHECKPOINT, limit=None)
    assert len(every.rows) == every.total == 12


def test_a_wildcard_typed_in_the_search_is_matched_literally(lane):
    factory, district = lane
    for typed in ("%", "_", "点%"):
        shown = geography_lists.point_page(session_factory=factory, actor=ADMIN, district_id=district,
                                           kind=PointKind.CHECKPOINT, search=typed, limit=10)
        assert (shown.rows, shown.total) == ([], 0)


def test_a_route_is_found_by_its_name_or_by_a_checkpoint_on_it(lane):
    factory, district = lane

    def names(search: str) -> list[str]:
        return [r.name for r in geography_lists.route_page(session_factory=factory, actor=ADMIN,
                                                           district_id=district, search=search,
                                                           limit=10).rows]

    assert sorted(names("")) == ["北线", "南线"]
    assert names("南") == ["南线"]
    assert names("点11") == ["南线"]  # a stop's name reaches the routes through it
    assert names("点05") == []
    (south,) = geography_lists.route_page(session_factory=factory, actor=ADMIN, district_id=district,
                                          search="南线", limit=10).rows
    assert [s.name for s in south.stops] == ["点10", "点11"] and south.total_minutes == 5


def test_grids_are_listed_in_drawn_order_and_found_by_name(lane):
    factory, district = lane
    with factory.begin() as session:
        session.get(District, district).boundary = {"type": "Polygon", "coordinates": [[
            [110.2950, 25.2840], [110.2980, 25.2840], [110.2980, 25.2855], [110.2950, 25.2855], [110.2950, 25.2840]]]}
    grids.cut_grids(session_factory=factory, actor=ADMIN, district_id=district, count=6)
    shown = geography_lists.grid_page(session_factory=factory, actor=ADMIN, district_id=district, limit=2)
    assert [g.name for g in shown.rows] == ["1号网格", "2号网格"] and shown.total >= 6
    found = geography_lists.grid_page(session_factory=factory, actor=ADMIN, district_id=district, search="3号",
                                      limit=10)
    assert [g.name for g in found.rows] == ["3号网格"] and found.rows[0].area_m2 > 0


def dongxi_checkpoints() -> list[points.PointRow]:
    """东西巷's checkpoints, by name, from the demo store."""
    store = setup.open_store()
    try:
        (district,) = [d.id for d in overview.districts_of(session_factory=store.session_factory, actor=ADMIN)
                       if d.label.endswith("东西巷")]
        return geography_lists.point_page(session_factory=store.session_factory, actor=ADMIN,
                                          district_id=district, kind=PointKind.CHECKPOINT, limit=None).rows
    finally:
        store.engine.dispose()


def checkpoint_table(at) -> pd.DataFrame:
    """The 打卡点 tab's table (the tabs draw grids, places, posts, then checkpoints)."""
    return at.dataframe[3].value


def test_a_big_district_lists_the_first_checkpoints_and_search_reaches_the_rest(app_env, monkeypatch, builders):  # noqa: F811
    monkeypatch.setattr(geography_lists, "SHOWN", 3)
    every = dongxi_checkpoints()
    assert len(every) > 3
    at = open_as("demo-coordinator", PAGE)
    assert not at.exception
    assert list(checkpoint_table(at)["名称"]) == [c.name for c in every[:3]]
    assert f"显示前 3 项,共 {len(every)} 项" in " ".join(c.value for c in at.caption)
    assert len(at.selectbox(key="checkpoint_pick").options) == 3  # the picker offers what is listed
    csv_builder, _ = builders[at.download_button(key="export_csv_geo_checkpoint_table").proto.deferred_file_id]
    exported = pd.read_csv(io.BytesIO(csv_builder()), encoding="utf-8-sig", dtype=str)
    assert list(exported["名称"]) == [c.name for c in every]  # the file holds them all
    last = every[-1]
    at.text_input(key="checkpoint_search").input(last.name).run()
    assert not at.exception
    assert last.name in list(checkpoint_table(at)["名称"])
    assert last.name in at.selectbox(key="checkpoint_pick").options


def test_a_search_that_matches_nothing_says_so_and_keeps_the_form(app_env):
    at = open_as("demo-coordinator", PAGE)
    at.text_input(key="route_search").input("没有这条线").run()
    assert not at.exception
    assert "没有符合搜索的项。" in [i.value for i in at.info]
    assert len(at.selectbox(key="route_pick").options) == 1  # only "a new route": nothing matched to edit


def test_a_download_is_built_in_the_language_of_the_page_that_offered_it(app_env, builders):  # noqa: F811
    at = open_as("demo-coordinator", PAGE)
    at.session_state["lang"] = "en"
    at.run()
    assert "Name" in checkpoint_table(at).columns
    # The server builds the file when the button is clicked, after the run and outside its session.
    csv_builder, _ = builders[at.download_button(key="export_csv_geo_checkpoint_table").proto.deferred_file_id]
    exported = pd.read_csv(io.BytesIO(csv_builder()), encoding="utf-8-sig", dtype=str)
    assert list(exported.columns) == list(checkpoint_table(at).columns)
