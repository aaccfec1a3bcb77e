"""Datums: WGS-84 ⇄ GCJ-02 ⇄ BD-09 round trips, real offsets, reference pairs, and pasted points."""
from __future__ import annotations

import math

import pytest
from geopy.distance import geodesic
from hypothesis import given
from hypothesis import strategies as st

from nightwatch.coords import Datum, from_wgs84, in_china_box, parse_pasted, to_wgs84

# WGS-84 points across China, north-east to far west to the south coast.
CITIES = {
    "Harbin": (45.7567, 126.6424),
    "Urumqi": (43.8256, 87.6168),
    "Lhasa": (29.6525, 91.1721),
    "Kunming": (25.0389, 102.7183),
    "Sanya": (18.2528, 109.5119),
    "Guilin 东西巷": (25.2847, 110.2965),
    "Shanghai": (31.2304, 121.4737),
}
ABROAD = {"Tokyo": (35.6895, 139.6917), "London": (51.5074, -0.1278)}
SHIFTED = [Datum.GCJ02, Datum.BD09]

# Mainland China and Hainan, south to north and west to east (as in test_geo.py).
china_lat = st.floats(min_value=18.2, max_value=53.5)
china_lon = st.floats(min_value=73.5, max_value=134.8)


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance between two (lat, lon) points in metres."""
    return geodesic(a, b).meters


@pytest.mark.parametrize("datum", SHIFTED)
@pytest.mark.parametrize("city", CITIES)
def test_round_trip_through_a_shifted_datum_comes_back_within_half_a_metre(city, datum):
    wgs = CITIES[city]
    assert metres(to_wgs84(*from_wgs84(*wgs, datum), datum), wgs) < 0.5


@pytest.mark.parametrize("datum", SHIFTED)
@pytest.mark.parametrize("city", CITIES)
def test_reading_a_shifted_point_back_lands_on_it_again(city, datum):
    # The inverse direction: a point read off AMap/Baidu, stored, and shown again.
    shown = CITIES[city]
    assert metres(from_wgs84(*to_wgs84(*shown, datum), datum), shown) < 0.5


@pytest.mark.parametrize("city", CITIES)
def test_the_gcj02_offset_is_real_in_china(city):
    wgs = CITIES[city]
    assert 100 < metres(from_wgs84(*wgs, "gcj02"), wgs) < 700


@pytest.mark.parametrize("city", CITIES)
def test_the_iterative_inverse_beats_the_one_step_approximation(city):
    # One step (subtract the offset computed at the GCJ point) is metres out; ours is not.
    wgs = CITIES[city]
    gcj = from_wgs84(*wgs, "gcj02")
    approx_gcj = from_wgs84(*gcj, "gcj02")
    one_step = (2 * gcj[0] - approx_gcj[0], 2 * gcj[1] - approx_gcj[1])
    assert metres(to_wgs84(*gcj, "gcj02"), wgs) < 0.01 < metres(one_step, wgs)


@pytest.mark.parametrize("datum", [*SHIFTED, Datum.WGS84])
@pytest.mark.parametrize("place", ABROAD)
def test_points_outside_china_are_unchanged(place, datum):
    point = ABROAD[place]
    assert not in_china_box(*point)
    assert from_wgs84(*point, datum) == point
    assert to_wgs84(*point, datum) == point


def test_wgs84_to_wgs84_is_the_identity():
    assert from_wgs84(25.2847, 110.2965, "wgs84") == (25.2847, 110.2965)
    assert to_wgs84(25.2847, 110.2965, Datum.WGS84) == (25.2847, 110.2965)


# (WGS-84, GCJ-02) pairs published as the test vectors of googollee/eviltransform
# (transform_test.go, MIT), and reused verbatim by its PHP, JS and Elixir ports.
REFERENCE_GCJ = {
    "Shanghai": ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),
    "Shenzhen": ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),
    "Beijing": ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),
}


@pytest.mark.parametrize("place", REFERENCE_GCJ)
def test_gcj02_matches_published_reference_pairs(place):
    wgs, gcj = REFERENCE_GCJ[place]
    assert metres(from_wgs84(*wgs, "gcj02"), gcj) < 1.0
    assert metres(to_wgs84(*gcj, "gcj02"), wgs) < 1.0


def test_bd09_is_gcj02_plus_baidus_shift_of_a_few_hundred_metres():
    wgs = CITIES["Guilin 东西巷"]
    gcj, bd = from_wgs84(*wgs, "gcj02"), from_wgs84(*wgs, "bd09")
    # Baidu's extra step adds ~0.006° north and ~0.0065° east: several hundred metres.
    assert 0.004 < bd[0] - gcj[0] < 0.008
    assert 0.004 < bd[1] - gcj[1] < 0.009


@given(china_lat, china_lon, st.sampled_from(SHIFTED))
def test_round_trip_error_is_under_half_a_metre_anywhere_in_china(lat, lon, datum):
    assert metres(to_wgs84(*from_wgs84(lat, lon, datum), datum), (lat, lon)) < 0.5


@given(china_lat, china_lon, st.sampled_from(SHIFTED))
def test_inverse_then_forward_is_under_half_a_metre_anywhere_in_china(lat, lon, datum):
    assert metres(from_wgs84(*to_wgs84(lat, lon, datum), datum), (lat, lon)) < 0.5


@pytest.mark.parametrize(
    ("lat", "lon", "datum", "key"),
    [
        (math.nan, 110.0, "gcj02", "coords.not_finite"),
        (25.0, math.inf, "bd09", "coords.not_finite"),
        (25.0, -math.inf, "wgs84", "coords.not_finite"),
        (90.5, 110.0, "gcj02", "coords.out_of_range"),
        (-91.0, 110.0, "gcj02", "coords.out_of_range"),
        (25.0, 180.01, "bd09", "coords.out_of_range"),
        (25.0, 110.0, "wgs-84", "coords.unknown_datum"),
        (25.0, 110.0, "baidu", "coords.unknown_datum"),
    ],
)
@pytest.mark.parametrize("convert", [to_wgs84, from_wgs84])
def test_bad_input_is_refused_with_a_message_key(convert, lat, lon, datum, key):
    with pytest.raises(ValueError, match=f"^{key}$"):
        convert(lat, lon, datum)


@pytest.mark.parametrize("lat", [True, "25.0", None])
@pytest.mark.parametrize("convert", [to_wgs84, from_wgs84])
def test_a_non_number_is_a_type_error(convert, lat):
    with pytest.raises(TypeError, match="^coords.not_a_number$"):
        convert(lat, 110.0, "gcj02")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Google Maps / Baidu "lat, lon".
        ("25.2847, 110.2965", (25.2847, 110.2965)),
        ("25.2847,110.2965", (25.2847, 110.2965)),
        ("25.2847 110.2965", (25.2847, 110.2965)),
        ("  25.2847 ,\t110.2965\n", (25.2847, 110.2965)),
        # AMap copies "lon,lat".
        ("110.2965,25.2847", (25.2847, 110.2965)),
        ("110.2965, 25.2847", (25.2847, 110.2965)),
        # Full-width punctuation, spaces and digits from Chinese input methods.
        ("25.2847，110.2965", (25.2847, 110.2965)),
        ("110.2965，　25.2847", (25.2847, 110.2965)),
        ("25.2847、110.2965", (25.2847, 110.2965)),
        ("25.2847　110.2965", (25.2847, 110.2965)),
        ("２５．２８４７，１１０．２９６５", (25.2847, 110.2965)),
        ("25.2847；110.2965", (25.2847, 110.2965)),
        # Brackets, integers and a leading plus.
        ("(25.2847, 110.2965)", (25.2847, 110.2965)),
        ("[110.2965,25.2847]", (25.2847, 110.2965)),
        ("+45, 126", (45.0, 126.0)),
        # The far corners: Sanya, Mohe, Kashgar, Fuyuan.
        ("18.2528,109.5119", (18.2528, 109.5119)),
        ("122.5,53.0", (53.0, 122.5)),
        ("39.47, 75.99", (39.47, 75.99)),
        ("134.3, 48.36", (48.36, 134.3)),
    ],
)
def test_parse_pasted_reads_either_order(text, expected):
    assert parse_pasted(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "coords.unparseable"),
        ("   ", "coords.unparseable"),
        ("东西巷", "coords.unparseable"),
        ("25.2847", "coords.unparseable"),
        ("25.2847, 110.2965, 12", "coords.unparseable"),
        ("25.2847,,110.2965", "coords.unparseable"),
        ("25.2847N, 110.2965E", "coords.unparseable"),
        ("nan, 110.2965", "coords.unparseable"),
        ("inf, 110", "coords.unparseable"),
        ("1e1, 110", "coords.unparseable"),
        ("25.2847; DROP TABLE places", "coords.unparseable"),
        ("https://uri.amap.com/marker?position=110.2965,25.2847", "coords.unparseable"),
        # Numbers, but in neither order a point in mainland China.
        ("35.6895, 139.6917", "coords.outside_china"),
        ("51.5074, -0.1278", "coords.outside_china"),
        ("30, 30", "coords.outside_china"),
        ("110, 120", "coords.outside_china"),
        ("200, 300", "coords.outside_china"),
    ],
)
def test_parse_pasted_refuses_junk_with_a_message_key(text, key):
    with pytest.raises(ValueError, match=f"^{key}$"):
        parse_pasted(text)
