"""The situation map's pure parts: what each audience's layers carry to the browser, colours, circles, views."""
from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta, timezone

import pytest

from nightwatch.basemap import STYLE_PATH, Basemap, basemap_from, raster_style
from nightwatch.config import Settings
from nightwatch.coords import Datum, from_wgs84
from nightwatch.geo import haversine_m, rectangle
from nightwatch.nights import hour_of_night, night_hours
from nightwatch.response import Travel, reach, rings
from nightwatch.situation import (
    Audience, GridArea, HazardMark, Layer, OnDuty, OutreachMark, RouteLine, Situation, Spot, SpotKind, Staffing,
    TeamMark, TipMark, redact, staffing_of, within_grid,
)
from nightwatch.situation_details import describe, feature_choices
from nightwatch.situation_layers import build_deck, build_layers
from nightwatch.viewport import View, fit_view, spread_points
from nightwatch.vocab import (
    HazardCategory, HazardStatus, OutreachKind, TeamType, TipCategory, TipStatus, Urgency,
)

AT = datetime(2026, 11, 20, 15, 0, tzinfo=timezone.utc)  # 23:00 in Shanghai
LANE = (25.2847, 110.2965)
PHONE = "13912345678"
SECRET_TEXT = "穿红衣服的男子 13800001111"


def lane() -> Situation:
    """东西巷 at 23:00, everything a coordinator may see."""
    return Situation(
        district_id=1, district="东西巷", timezone="Asia/Shanghai", duty_date=date(2026, 11, 20), at=AT,
        center=LANE, targets={"react_min": 1, "reach_hotspot_min": 3, "reach_anywhere_min": 5},
        grids=(GridArea(1, "东西巷一网格", rectangle(*LANE, 100, 100), LANE, {"officer": 1, "volunteer": 2},
                        {"volunteer": 1}),
               GridArea(2, "东西巷二网格", rectangle(LANE[0], LANE[1] + 0.001, 100, 100), None, {}, {})),
        teams=(TeamMark(1, "东西巷志愿服务队", TeamType.RED_VEST, *LANE, None, 12, "陈队长"),
               TeamMark(2, "东西巷警务室民警组", TeamType.POLICE_PATROL, *LANE, None, 3, None),
               TeamMark(3, "反诈宣讲队", TeamType.ANTI_FRAUD, 25.2900, 110.3000, rectangle(25.29, 110.30, 300, 300),
                        8, None)),
        routes=(RouteLine(1, "东西巷巡线", "东西巷志愿服务队", TeamType.RED_VEST, (LANE, (25.2850, 110.2970)),
                          ("巷口", "巷尾"), 12),),
        spots=(Spot(SpotKind.CHECKPOINT, 1, "巷口", *LANE, "", "东西巷一网格", 1),
               Spot(SpotKind.POST, 2, "党员值守点", 25.2848, 110.2966, "party_post", "东西巷一网格", 1),
               Spot(SpotKind.SHOP, 3, "三花酒坊", 25.2849, 110.2964, "restaurant", "东西巷一网格", 1)),
        people=(OnDuty(7, "李巡", "volunteer", "东西巷志愿服务队", TeamType.RED_VEST, 25.2848, 110.2965,
                       AT - timedelta(minutes=20), "checkin", "22:00–02:00 (+1)", PHONE, 1),
                OnDuty(8, "赵警官", "officer", None, TeamType.POLICE_PATROL, 25.2900, 110.3000,
                       AT - timedelta(minutes=90), "post", "22:00–02:00 (+1)", "13900000003", 2)),
        tips=(TipMark(5, TipCategory.DISPUTE, Urgency.HIGH, TipStatus.RECEIVED, AT - timedelta(minutes=12),
                      25.28466, 110.29671, False, "东西巷一网格", 1, 3, "三花酒坊", SECRET_TEXT, "二楼包间", "老周"),),
        outreach=(OutreachMark(11, OutreachKind.ANTI_FRAUD_BOOTH, "东西巷反诈摊位", AT - timedelta(minutes=30),
                               AT + timedelta(minutes=90), 180, 40, 25.2846, 110.2963, "东西巷", "反诈宣讲队", 1),),
        hazards=(HazardMark(21, HazardCategory.BLOCKED_FIRE_EXIT, HazardStatus.ASSIGNED, True, date(2026, 11, 18),
                            25.2849, 110.2964, False, "三花酒坊", "东西巷一网格", 1),),
    )


def sent(situation: Situation, **options) -> dict:
    """The JSON the browser receives for a situation."""
    layers = build_layers(situation, show=options.pop("show", list(Layer)), basemap=options.pop("basemap", Basemap()),
                          lang="zh-CN", **options)
    return json.loads(build_deck(layers, View(*LANE), Basemap()).to_json())


def layer(deck: dict, layer_id: str) -> dict:
    return next(item for item in deck["layers"] if item["id"] == layer_id)


def ids(deck: dict) -> set[str]:
    return {item["id"] for item in deck["layers"]}


@pytest.mark.parametrize("audience, expected", [
    (Audience.COORDINATOR, {"grids", "team_areas", "routes", "checkpoints", "posts", "shops", "teams", "people",
                            "tips", "outreach", "hazards", "labels"}),
    (Audience.PATROL, {"grids", "team_areas", "routes", "checkpoints", "posts", "shops", "teams", "people", "tips",
                       "outreach", "hazards", "labels"}),
    (Audience.MERCHANT, {"grids", "team_areas", "posts", "shops", "teams", "tips", "outreach", "labels"}),
    (Audience.PUBLIC, {"grids", "team_areas", "posts", "shops", "teams", "outreach", "labels"}),
])
def test_each_audience_gets_only_its_layers(audience, expected):
    assert ids(sent(redact(lane(), audience))) == expected


@pytest.mark.parametrize("audience", list(Audience))
def test_phone_numbers_never_reach_the_browser_in_map_data(audience):
    text = json.dumps(sent(redact(lane(), audience, shop_id=3)), ensure_ascii=False)
    assert PHONE not in text and "13900000003" not in text


@pytest.mark.parametrize("audience", [Audience.PATROL, Audience.PUBLIC, Audience.MERCHANT])
def test_what_a_reporter_wrote_and_who_they_are_stay_with_coordinators(audience):
    text = json.dumps(sent(redact(lane(), audience)), ensure_ascii=False)
    assert SECRET_TEXT not in text and "老周" not in text and "二楼包间" not in text


def test_patrols_see_the_tip_moved_to_its_cell_centre_not_at_the_shop():
    rough = redact(lane(), Audience.PATROL).tips[0]
    exact = lane().tips[0]
    assert rough.approximate and 1 < haversine_m(rough.lat, rough.lon, exact.lat, exact.lon) < 250
    [record] = layer(sent(redact(lane(), Audience.PATROL)), "tips")["data"]
    assert record["position"] != [exact.lon, exact.lat]
    assert "大致位置" in record["tooltip"]


def test_a_merchant_sees_their_own_shops_tip_and_not_anothers():
    assert redact(lane(), Audience.MERCHANT, shop_id=3).tips[0].text == SECRET_TEXT
    assert redact(lane(), Audience.MERCHANT, shop_id=3).tips[0].caller is None
    assert not redact(lane(), Audience.MERCHANT, shop_id=99).tips


def test_chinese_labels_are_drawn_with_the_auto_character_set_and_a_cjk_font():
    labels = layer(sent(lane()), "labels")
    assert labels["characterSet"] == "auto"
    assert labels["fontFamily"].startswith('"Noto Sans CJK SC"')  # a constant, not a data accessor
    assert {"东西巷一网格", "东西巷二网格"} <= {r["name"] for r in labels["data"]}
    assert any("等 2 支队伍" in r["name"] for r in labels["data"])  # two teams share one base


def test_sizes_in_pixels_and_metres_are_constants_not_data_accessors():
    deck = sent(lane(), focus=LANE, rings=rings(None))
    assert layer(deck, "posts")["radiusUnits"] == "pixels"
    assert layer(deck, "rings")["radiusUnits"] == "meters"
    assert [r["radius"] for r in layer(deck, "rings")["data"]] == [80, 240, 400]


def test_tooltips_are_plain_text_and_every_pickable_layer_has_an_id():
    deck = sent(lane())
    assert deck.get("tooltip") in (None, {"text": "{tooltip}"}) or "html" not in json.dumps(deck.get("tooltip"))
    for item in deck["layers"]:
        assert item["id"]
        for record in item["data"]:
            assert isinstance(record["tooltip"], str) and {"kind", "id"} <= record.keys()


def test_grids_are_filled_by_staffing_and_hidden_from_the_public():
    grids = layer(sent(lane()), "grids")["data"]
    assert [g["tooltip"].split("\n")[1] for g in grids] == ["缺员 · 在岗 1/3", "未排班"]
    public = layer(sent(redact(lane(), Audience.PUBLIC)), "grids")["data"]
    assert {g["tooltip"].split("\n")[1] for g in public} == {"微网格"}


@pytest.mark.parametrize("required, staffed, expected", [
    ({"officer": 1, "volunteer": 2}, {"officer": 1, "volunteer": 2}, Staffing.FULL),
    ({"officer": 1, "volunteer": 2}, {"officer": 1, "volunteer": 3}, Staffing.FULL),
    ({"officer": 1, "volunteer": 2}, {"volunteer": 5}, Staffing.SHORT),
    ({"officer": 1, "volunteer": 2}, {}, Staffing.EMPTY),
    ({"officer": 0}, {}, Staffing.UNPLANNED),
    ({}, {"volunteer": 1}, Staffing.FULL),
    ({}, {}, Staffing.UNPLANNED),
])
def test_staffing_compares_each_role_kind(required, staffed, expected):
    assert staffing_of(required, staffed) is expected


def test_the_team_type_filter_keeps_teams_and_people_of_the_chosen_types():
    deck = sent(lane(), team_types={TeamType.RED_VEST})
    assert [r["id"] for r in layer(deck, "teams")["data"]] == [1]
    assert [r["id"] for r in layer(deck, "people")["data"]] == [7]
    assert layer(sent(lane(), team_types=set()), "teams")["data"] == []


def test_layers_switched_off_are_not_sent():
    assert ids(sent(lane(), show=[Layer.GRIDS])) == {"grids", "labels"}


def test_a_gcj02_basemap_gets_every_point_shifted_into_its_datum():
    shifted = Basemap(style=STYLE_PATH, tiles="https://t/{z}/{x}/{y}.png", datum=Datum.GCJ02)
    [post] = layer(sent(lane(), basemap=shifted), "posts")["data"]
    lat, lon = from_wgs84(25.2848, 110.2966, Datum.GCJ02)
    assert post["position"] == [round(lon, 7), round(lat, 7)]
    assert 100 < haversine_m(25.2848, 110.2966, lat, lon) < 1000


def test_the_default_basemap_is_offline_and_fetches_nothing():
    assert basemap_from(Settings.from_env({})).offline
    text = build_deck([], View(*LANE), Basemap()).to_json()
    assert "http" not in text and "mapProvider" not in text


def test_configured_tiles_are_served_as_a_raster_style_with_subdomains():
    basemap = basemap_from(Settings.from_env({"NIGHTWATCH_MAP_TILES": "https://webrd0{s}.is.autonavi.com/{z}/{x}/{y}",
                                              "NIGHTWATCH_MAP_DATUM": "gcj02"}))
    assert basemap.style == STYLE_PATH and basemap.datum is Datum.GCJ02
    style = raster_style(basemap.tiles)
    assert style["sources"]["basemap"]["tiles"][0] == "https://webrd01.is.autonavi.com/{z}/{x}/{y}"
    assert len(style["sources"]["basemap"]["tiles"]) == 4
    carto = basemap_from(Settings.from_env({"NIGHTWATCH_MAP_STYLE": "https://basemaps.cartocdn.com/gl/positron-gl-style/style.json"}))
    assert not carto.offline and carto.datum is Datum.WGS84
    assert json.loads(build_deck([], View(*LANE), carto).to_json())["mapStyle"] == carto.style


def test_response_circles_follow_the_districts_targets_and_the_travel_speed():
    assert [(r.minutes, r.radius_m) for r in rings(None, Travel.FOOT)] == [(1, 80), (3, 240), (5, 400)]
    assert [r.radius_m for r in rings({"reach_anywhere_min": 8}, Travel.BIKE)] == [250, 750, 2000]


def test_reach_puts_each_person_in_the_smallest_circle_that_holds_them_nearest_first():
    circles = rings(None)
    near, mid, far = ("near", 25.2850, 110.2965), ("mid", 25.2865, 110.2965), ("far", 25.3000, 110.2965)
    inside = reach(LANE, circles, [far, mid, near])
    assert [name for name, _ in inside["react_min"]] == ["near"]
    assert [name for name, _ in inside["reach_hotspot_min"]] == ["mid"]
    assert inside["reach_anywhere_min"] == []


def test_details_say_what_a_phone_user_cannot_hover_for():
    person = describe(lane(), "person", 7, "zh-CN")
    assert person.title == "李巡" and ("电话", PHONE) in person.rows
    assert ("位置", "20 分钟前在此打卡") in person.rows
    patrol_person = describe(redact(lane(), Audience.PATROL), "person", 7, "zh-CN")
    assert all(value != PHONE for _, value in patrol_person.rows)
    grid = describe(lane(), "grid", 1, "zh-CN")
    assert ("缺", "民警 1、志愿者 1") in grid.rows
    assert describe(redact(lane(), Audience.PUBLIC), "person", 7, "zh-CN") is None
    assert describe(lane(), "nonsense", 1, "zh-CN") is None


def test_the_feature_list_offers_what_the_audience_can_see():
    public = {kind for kind, _, _ in feature_choices(redact(lane(), Audience.PUBLIC), "zh-CN")}
    assert public == {"grid", "team", "post", "shop", "outreach"}


@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.MERCHANT])
def test_open_hazards_never_reach_the_public_or_merchants_but_outreach_does(audience):
    seen = redact(lane(), audience, shop_id=3)
    assert not seen.hazards and describe(seen, "hazard", 21, "zh-CN") is None
    text = json.dumps(sent(seen), ensure_ascii=False)
    assert "消防通道" not in text and "东西巷反诈摊位" in text


def test_an_outreach_event_says_its_kind_time_past_midnight_and_reach():
    [record] = layer(sent(lane()), "outreach")["data"]
    assert record["tooltip"] == "东西巷反诈摊位\n反诈摊位 · 22:30–00:30 (+1)\n覆盖 180 人 · 推广App 40 人"
    details = describe(redact(lane(), Audience.PUBLIC), "outreach", 11, "zh-CN")
    assert details.title == "东西巷反诈摊位" and ("覆盖人数", "180") in details.rows


def test_an_overdue_hazard_is_ringed_red_and_says_so_to_patrols():
    [record] = layer(sent(redact(lane(), Audience.PATROL)), "hazards")["data"]
    assert record["outline"] == [214, 39, 40, 255] and "已逾期" in record["tooltip"] and "三花酒坊" in record["tooltip"]
    details = describe(lane(), "hazard", 21, "zh-CN")
    assert ("整改期限", "2026-11-18") in details.rows and ("状态", "已交办 · 已逾期") in details.rows


def test_choosing_a_grid_keeps_only_what_lies_in_it():
    only = within_grid(lane(), 2)
    assert [g.id for g in only.grids] == [2] and [p.person_id for p in only.people] == [8]
    assert not only.tips and not only.spots and not only.outreach and not only.hazards
    assert [h.id for h in within_grid(lane(), 1).hazards] == [21]


def test_the_opening_view_holds_every_grid():
    view = fit_view([(25.28, 110.29), (25.29, 110.30)])
    assert view.lat == pytest.approx(25.285) and view.lon == pytest.approx(110.295)
    # What a 400 × 500 px deck.gl map shows at that zoom (its world is 512 px wide at zoom 0).
    shown_lon = 400 * 360 / (512 * 2 ** view.zoom)
    shown_lat = 500 * 360 / (512 * 2 ** view.zoom) * math.cos(math.radians(view.lat))
    assert 0.01 < shown_lon < 0.04 and 0.01 < shown_lat < 0.04  # all of it, with a margin, not a speck
    assert fit_view([]) is None


def test_teams_sharing_a_base_are_spread_so_each_can_be_tapped():
    points = spread_points([LANE, LANE, LANE, (25.3, 110.3)])
    assert points[3] == (25.3, 110.3)
    assert all(10 < haversine_m(*p, *LANE) < 14 for p in points[:3])
    assert haversine_m(*points[0], *points[1]) > 15


def test_night_hours_run_from_the_rollover_and_early_hours_belong_to_the_next_morning():
    assert night_hours()[:2] == [6, 7] and night_hours()[-1] == 5 and len(night_hours()) == 24
    assert hour_of_night(date(2026, 11, 30), 1) == datetime(2026, 11, 30, 17, 0, tzinfo=timezone.utc)  # 12-01 01:00
    assert hour_of_night(date(2026, 12, 31), 23) == datetime(2026, 12, 31, 15, 0, tzinfo=timezone.utc)
