"""The geography page (/geography) under AppTest, on the seeded demo database."""
from __future__ import annotations

from nightwatch.access import Actor
from nightwatch.coords import Datum
from nightwatch.services import geography_lists, points, setup
from nightwatch.services.points import PointKind
from nightwatch.vocab import AccountRole
from test_pages import open_as

PAGE = "pages/20_geography.py"
TABS = ["网格", "地点", "值守点", "打卡点", "巡线", "导入导出", "片区"]


def stored_places() -> list[points.PointRow]:
    """The places of every district, read straight from the store."""
    store = setup.open_store()
    admin = Actor(login="test", role=AccountRole.ADMIN)
    try:
        from nightwatch.services import overview

        ids = [d.id for d in overview.districts_of(session_factory=store.session_factory, actor=admin)]
        return [row for d in ids for row in geography_lists.point_page(
            session_factory=store.session_factory, actor=admin, district_id=d, kind=PointKind.PLACE,
            limit=None).rows]
    finally:
        store.engine.dispose()


def test_the_coordinator_sees_the_tabs_and_tables_of_their_district(app_env):
    at = open_as("demo-coordinator", PAGE)
    assert not at.exception
    assert [tab.label for tab in at.tabs] == TABS
    grids, place_table, _posts, checkpoints, route_table = (frame.value for frame in at.dataframe[:5])
    assert len(grids) == 5 and "编制" in grids.columns  # 东西巷's five micro-grids
    assert len(place_table) > 0 and len(checkpoints) > 0 and len(route_table) > 0
    assert not any("secret" in str(c).lower() or "密钥" in str(c) for frame in at.dataframe for c in frame.value.columns)


def test_adding_a_place_through_the_form_stores_it_and_shows_it(app_env):
    at = open_as("demo-coordinator", PAGE)
    at.text_input(key="place_add_name").input("桂花糕摊")
    at.text_input(key="place_add_coords").input("110.2961, 25.2849").run()
    assert any("将保存为 WGS-84:25.284900, 110.296100" in c.value for c in at.caption)
    at.button(key="place_add_save").click().run()
    assert not at.exception and [s.value for s in at.success] == ["已保存:桂花糕摊"]
    assert "桂花糕摊" in set(at.dataframe[1].value["名称"])
    assert at.text_input(key="place_add_name").value == ""  # the form starts blank for the next one
    (stored,) = [p for p in stored_places() if p.name == "桂花糕摊"]
    assert (stored.lat, stored.lon) == (25.2849, 110.2961) and stored.grid


def test_a_gcj02_point_is_previewed_converted_to_wgs84(app_env):
    at = open_as("demo-coordinator", PAGE)
    at.text_input(key="place_add_coords").input("25.2820, 110.3020")
    at.radio(key="place_add_datum").set_value(Datum.GCJ02).run()
    preview = [c.value for c in at.caption if "WGS-84" in c.value]
    assert preview and "25.2820" not in preview[0]


def test_a_bad_coordinate_shows_the_chinese_error_and_keeps_the_typed_text(app_env):
    at = open_as("demo-coordinator", PAGE)
    before = len(stored_places())
    at.text_input(key="place_add_name").input("老街口")
    at.text_input(key="place_add_coords").input("二十五, 110").run()
    assert any("看不懂这个坐标" in e.value for e in at.error)
    at.button(key="place_add_save").click().run()
    assert not at.exception
    assert any("看不懂这个坐标" in e.value for e in at.error)
    assert at.text_input(key="place_add_name").value == "老街口"
    assert at.text_input(key="place_add_coords").value == "二十五, 110"
    assert len(stored_places()) == before


def test_a_route_offers_its_qr_posters(app_env):
    at = open_as("demo-coordinator", PAGE)
    at.selectbox(key="route_pick").select_index(1).run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "下载打印页(A4,HTML)" in labels and "下载二维码图片(PNG)" in labels
    assert at.get("image")


def test_a_volunteer_is_refused(app_env):
    at = open_as("demo-volunteer", PAGE)
    assert not at.exception and not at.dataframe and not at.tabs
    assert "不对您的角色开放" in " ".join(m.value for m in [*at.warning, *at.info])


def test_an_address_of_a_registered_place_fills_in_the_coordinates(app_env):
    at = open_as("demo-coordinator", PAGE)
    known = at.dataframe[1].value.iloc[0]
    at.text_input(key="duty_post_add_address").input(known["名称"])
    at.button(key="duty_post_add_locate").click().run()
    assert not at.exception and any("已找到" in s.value for s in at.success)
    assert at.text_input(key="duty_post_add_coords").value == f"{known['纬度']:.6f}, {known['经度']:.6f}"


def test_cutting_the_boundary_adds_numbered_grids_to_the_table(app_env):
    at = open_as("demo-coordinator", PAGE)
    at.number_input(key="cut_count").set_value(2)
    at.button(key="cut_save").click().run()
    assert not at.exception and [s.value for s in at.success] == ["已划分出 2 个网格。"]
    names = list(at.dataframe[0].value["名称"])
    assert len(names) == 7 and names[-2:] == ["1号网格", "2号网格"]
