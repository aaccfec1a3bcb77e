"""Outreach rules without a database: what a form may hold, an event's times, who may do what, totals."""
from __future__ import annotations

from datetime import date, time

import pytest

from booking_ground import local
from nightwatch.access import VIEWER, Actor
from nightwatch.outreach import (
    MAX_MATERIAL,
    OutreachRefused,
    OutreachTotals,
    checked_counts,
    checked_materials,
    checked_title,
    event_times,
    may_delete,
    may_edit,
    may_log_for,
    period_window,
    totals_of,
)
from nightwatch.vocab import AccountRole

TZ = "Asia/Shanghai"


@pytest.mark.parametrize("given, expected", [
    ({"fan": 200, "bag": 80}, {"fan": 200, "bag": 80}),
    ({"leaflet": 0, "napkin": 500}, {"napkin": 500}),  # nothing handed out is not a row
    ({"fan": 12.0}, {"fan": 12}),  # a number input's float that is whole
    ({}, {}),
    (None, {}),
    ({"booklet": MAX_MATERIAL}, {"booklet": MAX_MATERIAL}),
])
def test_materials_keep_what_was_handed_out(given, expected):
    assert checked_materials(given) == expected


@pytest.mark.parametrize("given, key", [
    ({"fan": -1}, "outreach.material_out_of_range"),
    ({"fan": MAX_MATERIAL + 1}, "outreach.material_out_of_range"),
    ({"fan": 1.5}, "outreach.material_out_of_range"),
    ({"fan": True}, "outreach.material_out_of_range"),
    ({"fan": "10"}, "outreach.material_out_of_range"),
    ({"umbrella": 3}, "outreach.material_unknown"),
])
def test_materials_out_of_range_or_unknown_are_refused_with_a_message(given, key):
    with pytest.raises(OutreachRefused) as refused:
        checked_materials(given)
    assert refused.value.key == key


@pytest.mark.parametrize("reached, installs, expected", [
    (300, 60, (300, 60)), (0, 0, (0, 0)), (50, 50, (50, 50)),
    (-1, 0, "outreach.reached_out_of_range"), (100_001, 0, "outreach.reached_out_of_range"),
    (10, -2, "outreach.installs_out_of_range"), (10, 11, "outreach.installs_above_reached"),
    (None, 0, "outreach.reached_out_of_range"),
])
def test_people_reached_and_installs(reached, installs, expected):
    if isinstance(expected, str):
        with pytest.raises(OutreachRefused) as refused:
            checked_counts(reached, installs)
        assert refused.value.key == expected
    else:
        assert checked_counts(reached, installs) == expected


@pytest.mark.parametrize("title, expected", [
    ("  东西巷反诈摊位 ", "东西巷反诈摊位"), ("", "outreach.title_missing"), ("   ", "outreach.title_missing"),
    ("长" * 121, "outreach.title_too_long"),
])
def test_titles(title, expected):
    if expected.startswith("outreach."):
        with pytest.raises(OutreachRefused) as refused:
            checked_title(title)
        assert refused.value.key == expected
    else:
        assert checked_title(title) == expected


@pytest.mark.parametrize("day, start, end, expected", [
    (date(2026, 11, 20), time(19, 30), time(21, 0), (local("2026-11-20 19:30"), local("2026-11-20 21:00"))),
    (date(2026, 11, 20), time(23, 0), time(0, 30), (local("2026-11-20 23:00"), local("2026-11-21 00:30"))),
    (date(2026, 11, 30), time(22, 0), time(1, 0), (local("2026-11-30 22:00"), local("2026-12-01 01:00"))),
    (date(2026, 11, 20), time(19, 0), None, (local("2026-11-20 19:00"), None)),
])
def test_an_end_before_the_start_is_after_midnight(day, start, end, expected):
    assert event_times(day, start, end, TZ) == expected


@pytest.mark.parametrize("start, end", [(time(8, 0), time(7, 59)), (time(19, 0), time(19, 0))])
def test_an_event_longer_than_an_evening_is_a_slip(start, end):
    with pytest.raises(OutreachRefused) as refused:
        event_times(date(2026, 11, 20), start, end, TZ)
    assert refused.value.key == "outreach.too_long"


def test_a_period_of_nights_runs_from_rollover_to_rollover():
    assert period_window(date(2026, 11, 20), date(2026, 11, 21), TZ) == (local("2026-11-20 06:00"),
                                                                         local("2026-11-22 06:00"))
    assert period_window(date(2026, 11, 21), date(2026, 11, 20), TZ)[0] == local("2026-11-20 06:00")


COORD = Actor(account_id=1, role=AccountRole.COORDINATOR, district_ids=frozenset({1}))
LEADER = Actor(account_id=2, role=AccountRole.TEAM_LEADER, district_ids=frozenset({1}), person_id=20)
VOLUNTEER = Actor(account_id=3, role=AccountRole.VOLUNTEER, district_ids=frozenset({1}), person_id=30)
MERCHANT = Actor(account_id=4, role=AccountRole.MERCHANT, district_ids=frozenset({1}), shop_id=4)
ADMIN = Actor(account_id=5, role=AccountRole.ADMIN)


@pytest.mark.parametrize("actor, district, team, own, allowed", [
    (COORD, 1, 7, None, True), (COORD, 1, None, None, True), (COORD, 2, 7, None, False), (ADMIN, 2, 7, None, True),
    (VOLUNTEER, 1, 7, 7, True), (VOLUNTEER, 1, 8, 7, False), (VOLUNTEER, 1, None, 7, False),
    (VOLUNTEER, 1, 7, None, False), (VOLUNTEER, 2, 7, 7, False), (LEADER, 1, 7, 7, True),
    (MERCHANT, 1, None, None, False), (VIEWER, 1, None, None, False),
])
def test_who_may_log_for_which_team(actor, district, team, own, allowed):
    assert may_log_for(actor, district, team, own) is allowed


@pytest.mark.parametrize("actor, district, created_by, team, own, allowed", [
    (COORD, 1, 99, 8, None, True), (COORD, 2, 1, 8, None, False),
    (VOLUNTEER, 1, 3, 7, 7, True),  # logged it
    (VOLUNTEER, 1, 99, 7, 7, False),  # a teammate's event
    (VOLUNTEER, 1, 99, 8, 7, False),  # another team's event
    (LEADER, 1, 99, 7, 7, True),  # the leader's own team
    (LEADER, 1, 99, 8, 7, False),
    (MERCHANT, 1, 4, None, None, False), (VIEWER, 1, None, None, None, False),
])
def test_who_may_edit(actor, district, created_by, team, own, allowed):
    assert may_edit(actor, district, created_by, team, own) is allowed


def test_only_coordinators_of_the_district_delete():
    assert may_delete(COORD, 1) and may_delete(ADMIN, 9)
    assert not may_delete(COORD, 2) and not may_delete(LEADER, 1) and not may_delete(VOLUNTEER, 1)


@pytest.mark.parametrize("rows, expected", [
    ([], OutreachTotals(0, 0, 0, {})),
    ([(100, 20, {"fan": 50}), (60, 0, {"fan": 10, "leaflet": 30}), (0, 0, None)],
     OutreachTotals(3, 160, 20, {"leaflet": 30, "fan": 60})),
    ([(10, 1, {"poster": 4, "bag": -3})], OutreachTotals(1, 10, 1, {"poster": 4})),  # stored oddities
])
def test_totals_add_up_events_people_installs_and_materials(rows, expected):
    totals = totals_of(rows)
    assert totals == expected
    assert list(totals.materials) == list(expected.materials)  # the form's order, unknown kinds last
    assert totals.handed_out == sum(expected.materials.values())
