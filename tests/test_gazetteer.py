"""The offline gazetteer finds the one place a coordinator means, or admits it cannot tell."""
from __future__ import annotations

import pytest

from nightwatch.gazetteer import Named, best_match, normalise

MARKET = Named("听海路夜市", 25.2801, 110.2960, address="听海路 18 号", district_id=1)
LANE = Named("东西巷", 25.2820, 110.2990, district_id=1)
LANE_SHOP = Named("东西巷桂林米粉", 25.2823, 110.2994, district_id=1)
STATION = Named("人民路派出所", 32.0200, 112.1400, district_id=2)
STATION_TOO = Named("人民路派出所", 25.2700, 110.2900, district_id=1)
BAR = Named("Bar Street 7", 25.2750, 110.2950, address="No. 7 Binjiang Rd", district_id=1)
KIOSK = Named("红马甲值守点", 25.2830, 110.3000, district_id=1)
KIOSK_SAME_SPOT = Named("红马甲值守点", 25.2830, 110.3000, district_id=2)
PLACES = [MARKET, LANE, LANE_SHOP, STATION, STATION_TOO, BAR, KIOSK]


@pytest.mark.parametrize("query, district_id, expected", [
    # exact names and addresses
    ("听海路夜市", None, MARKET),
    ("听海路 18 号", None, MARKET),
    ("东西巷", None, LANE),  # exact beats the shop whose name contains it
    # spaces, full-width and case do not matter
    ("  听海路夜市 ", None, MARKET),
    ("听海路　夜市", None, MARKET),  # ideographic space inside
    ("听海路18号", None, MARKET),
    ("听海路１８号", None, MARKET),  # full-width digits
    ("ＢＡＲ　ＳＴＲＥＥＴ　７", None, BAR),
    ("no. 7   binjiang rd", None, BAR),
    # a unique part of a name or address
    ("夜市", None, MARKET),
    ("米粉", None, LANE_SHOP),
    ("Binjiang", None, BAR),
    # the same name in two districts: the given district decides, none given is ambiguous
    ("人民路派出所", 2, STATION),
    ("人民路派出所", 1, STATION_TOO),
    ("人民路派出所", None, None),
    ("人民路派出所", 99, None),
    # a part shared by two different places is ambiguous
    ("东西", None, None),
    ("路", None, None),
    # nothing to match
    ("闸口观景台", None, None),
    ("", None, None),
    ("   ", None, None),
])
def test_a_query_finds_the_one_place_it_names(query, district_id, expected):
    assert best_match(query, PLACES, district_id) == expected


def test_the_given_district_is_searched_before_anywhere_else():
    # "派出所" is ambiguous across the city, but district 2 has only one.
    assert best_match("派出所", PLACES, 2) == STATION
    assert best_match("派出所", PLACES, None) is None


def test_two_records_at_the_same_spot_are_not_ambiguous():
    found = best_match("红马甲值守点", [KIOSK, KIOSK_SAME_SPOT])
    assert (found.lat, found.lon) == (KIOSK.lat, KIOSK.lon)


def test_an_empty_gazetteer_finds_nothing():
    assert best_match("听海路夜市", []) is None


@pytest.mark.parametrize("raw, expected", [
    ("  听海路   夜市  ", "听海路 夜市"),
    ("ＡＢＣ１２３", "ABC123"),
    ("东西巷\u3000\t一网格", "东西巷 一网格"),
    ("", ""),
])
def test_normalise_folds_width_and_spaces(raw, expected):
    assert normalise(raw) == expected
