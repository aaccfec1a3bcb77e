"""The situation map's data on a real database (SQLite and PostgreSQL): who is where, at which hour."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy.orm import sessionmaker

from booking_ground import local
from db.models import (
    Assignment,
    CheckIn,
    Checkpoint,
    District,
    DutyPost,
    Grid,
    Hazard,
    OutreachEvent,
    Person,
    Route,
    RouteStop,
    Shift,
    Shop,
    Team,
    Tip,
)
from nightwatch.access import VIEWER, Actor
from nightwatch.geo import cell_of, haversine_m, rectangle
from nightwatch.nights import duty_date_of
from nightwatch.services.situation import DistrictMissing, situation
from nightwatch.situation import Audience, Layer, Staffing
from nightwatch.vocab import (
    AccountRole,
    AssignmentStatus,
    DutyPostKind,
    HazardCategory,
    HazardStatus,
    OutreachKind,
    RoleKind,
    TeamType,
    TipCategory,
    TipStatus,
    Urgency,
)

NIGHT = date(2026, 11, 20)
NOW = local("2026-11-21 12:00")  # the next day: the night is history
LANE = (25.2847, 110.2965)
POST = (25.2850, 110.2960)
CORNER = (25.2843, 110.2969)
SHOP = (25.2846, 110.2967)


def _shift(session, district_id, grid_id, starts, ends, **extra) -> Shift:
    shift = Shift(district_id=district_id, grid_id=grid_id, duty_date=NIGHT, starts_at=local(starts),
                  ends_at=local(ends), **extra)
    session.add(shift)
    session.flush()
    return shift


def _person(session, district_id, name, phone, role, team_id=None) -> Person:
    person = Person(district_id=district_id, name=name, phone=phone, role_kind=role, team_id=team_id)
    session.add(person)
    session.flush()
    return person


def _hold(session, shift: Shift, person: Person) -> None:
    session.add(Assignment(shift_id=shift.id, person_id=person.id, status=AssignmentStatus.CONFIRMED,
                           starts_at=shift.starts_at, ends_at=shift.ends_at))


@pytest.fixture
def lane(session_factory: sessionmaker) -> dict[str, int]:
    """东西巷 on one night: a grid wanting 1 officer + 2 volunteers, three people on duty, two tips."""
    with session_factory.begin() as s:
        district = District(name="东西巷", city="桂林", center_lat=LANE[0], center_lon=LANE[1])
        other = District(name="万达金街", city="襄阳", center_lat=32.0, center_lon=112.1)
        s.add_all([district, other])
        s.flush()
        grid = Grid(district_id=district.id, name="东西巷一网格", polygon=rectangle(*LANE, 200, 120),
                    center_lat=LANE[0], center_lon=LANE[1], staffing_template={"officer": 1, "volunteer": 2})
        s.add(grid)
        s.flush()
        team = Team(district_id=district.id, name="东西巷志愿服务队", team_type=TeamType.RED_VEST,
                    base_lat=LANE[0], base_lon=LANE[1])
        s.add(team)
        s.flush()
        walker = _person(s, district.id, "李巡", "13900000001", RoleKind.VOLUNTEER, team.id)
        sitter = _person(s, district.id, "王守", "13900000002", RoleKind.VOLUNTEER, team.id)
        officer = _person(s, district.id, "赵警官", "13900000003", RoleKind.OFFICER)
        post = DutyPost(district_id=district.id, grid_id=grid.id, name="东西巷党员值守点",
                        kind=DutyPostKind.PARTY_POST, lat=POST[0], lon=POST[1], cell=cell_of(*POST))
        corner = Checkpoint(district_id=district.id, grid_id=grid.id, name="巷口", secret="ab" * 16,
                            lat=CORNER[0], lon=CORNER[1], cell=cell_of(*CORNER))
        shop = Shop(district_id=district.id, grid_id=grid.id, name="三花酒坊", business_kind="retail",
                    is_codefender=True, lat=SHOP[0], lon=SHOP[1])
        s.add_all([post, corner, shop])
        s.flush()
        route = Route(district_id=district.id, grid_id=grid.id, team_id=team.id, name="东西巷巡线")
        s.add(route)
        s.flush()
        s.add(RouteStop(route_id=route.id, position=0, checkpoint_id=corner.id))
        walk = _shift(s, district.id, grid.id, "2026-11-20 22:00", "2026-11-21 02:00")
        stand = _shift(s, district.id, grid.id, "2026-11-20 22:00", "2026-11-21 02:00", duty_post_id=post.id)
        lead = _shift(s, district.id, grid.id, "2026-11-20 22:00", "2026-11-21 02:00", route_id=route.id)
        _hold(s, walk, walker)
        _hold(s, stand, sitter)
        _hold(s, lead, officer)
        s.add(CheckIn(district_id=district.id, person_id=walker.id, checkpoint_id=corner.id, shift_id=walk.id,
                      at=local("2026-11-20 22:40"), duty_date=NIGHT, cell=corner.cell))
        s.add_all([
            Tip(district_id=district.id, grid_id=grid.id, shop_id=shop.id, category=TipCategory.DISPUTE,
                urgency=Urgency.HIGH, text="两桌客人争吵,电话 13912345678", caller_name="店主老周",
                lat=SHOP[0], lon=SHOP[1], cell=cell_of(*SHOP), duty_date=NIGHT, status=TipStatus.CLOSED,
                received_at=local("2026-11-20 22:10"), dispatched_at=local("2026-11-20 22:12"),
                closed_at=local("2026-11-20 23:30")),
            Tip(district_id=district.id, grid_id=grid.id, category=TipCategory.LOST_ITEM, urgency=Urgency.LOW,
                text="钱包", duty_date=NIGHT, received_at=local("2026-11-20 23:50")),
        ])
        return {"district": district.id, "other": other.id, "grid": grid.id, "walker": walker.id,
                "sitter": sitter.id, "officer": officer.id, "shop": shop.id}


def coordinator(ids) -> Actor:
    return Actor(account_id=1, login="c", role=AccountRole.COORDINATOR, district_ids=frozenset({ids["district"]}))


def at_hour(factory, actor, ids, hour, district="district"):
    return situation(session_factory=factory, actor=actor, district_id=ids[district], now=NOW,
                     duty_date=NIGHT, hour=hour)


def test_at_23_everyone_on_duty_is_placed_by_their_latest_evidence(session_factory, lane):
    seen = at_hour(session_factory, coordinator(lane), lane, 23)
    people = {p.name: p for p in seen.people}
    assert set(people) == {"李巡", "王守", "赵警官"}
    assert people["李巡"].source == "checkin" and (people["李巡"].lat, people["李巡"].lon) == CORNER
    assert people["李巡"].seen_at == local("2026-11-20 22:40")
    assert people["王守"].source == "post" and (people["王守"].lat, people["王守"].lon) == POST
    assert people["赵警官"].source == "route"
    assert people["李巡"].shift == "22:00–02:00 (+1)"
    assert people["李巡"].phone == "13900000001"  # a coordinator of the district may call them


def test_the_grid_is_coloured_by_who_is_on_duty_against_its_template(session_factory, lane):
    grid = at_hour(session_factory, coordinator(lane), lane, 23).grids[0]
    assert grid.staffed == {"volunteer": 2, "officer": 1} and grid.staffing is Staffing.FULL
    before = at_hour(session_factory, coordinator(lane), lane, 21).grids[0]
    assert before.staffed == {} and before.staffing is Staffing.EMPTY


def test_tips_show_while_they_were_open_with_the_status_they_had_then(session_factory, lane):
    at_23 = at_hour(session_factory, coordinator(lane), lane, 23).tips
    assert [(tip.category, tip.status) for tip in at_23] == [(TipCategory.DISPUTE, TipStatus.DISPATCHED)]
    at_midnight = at_hour(session_factory, coordinator(lane), lane, 0).tips
    assert [tip.category for tip in at_midnight] == [TipCategory.LOST_ITEM]  # the dispute closed at 23:30
    assert not at_hour(session_factory, coordinator(lane), lane, 22).tips  # nothing had come in by 22:00


def test_a_tip_without_a_point_is_placed_roughly_at_its_grid(session_factory, lane):
    wallet = at_hour(session_factory, coordinator(lane), lane, 0).tips[0]
    assert wallet.approximate and (wallet.lat, wallet.lon) == LANE


def test_a_volunteer_of_the_district_sees_people_but_no_phones_and_tips_only_roughly(session_factory, lane):
    volunteer = Actor(account_id=2, login="v", role=AccountRole.VOLUNTEER, district_ids=frozenset({lane["district"]}))
    seen = at_hour(session_factory, volunteer, lane, 23)
    assert seen.audience is Audience.PATROL
    assert len(seen.people) == 3 and all(p.phone is None for p in seen.people)
    tip = seen.tips[0]
    assert tip.approximate and tip.text is None and tip.caller is None and tip.shop is None
    assert 0 < haversine_m(tip.lat, tip.lon, *SHOP) < 250


def test_the_public_see_where_help_is_and_nothing_of_people_or_tips(session_factory, lane):
    seen = at_hour(session_factory, VIEWER, lane, 23)
    assert seen.audience is Audience.PUBLIC
    assert not seen.people and not seen.tips and not seen.routes
    assert {s.kind.value for s in seen.spots} == {"post", "shop"}
    assert seen.grids[0].staffing is Staffing.HIDDEN and seen.grids[0].staffed == {}
    assert Layer.PEOPLE not in seen.layers


def test_a_merchant_sees_their_own_shops_tips_exactly_and_no_one_elses(session_factory, lane):
    merchant = Actor(account_id=3, login="m", role=AccountRole.MERCHANT, district_ids=frozenset({lane["district"]}),
                     shop_id=lane["shop"])
    seen = at_hour(session_factory, merchant, lane, 0)
    assert seen.audience is Audience.MERCHANT and not seen.tips  # the wallet was not theirs
    own = at_hour(session_factory, merchant, lane, 23).tips
    assert [(t.lat, t.lon, t.approximate) for t in own] == [(*SHOP, False)]


def test_a_coordinator_looking_at_another_district_gets_the_public_view(session_factory, lane):
    other = Actor(account_id=4, login="o", role=AccountRole.COORDINATOR, district_ids=frozenset({lane["other"]}))
    assert at_hour(session_factory, other, lane, 23).audience is Audience.PUBLIC


def test_without_a_chosen_hour_tonight_is_shown_as_it_is_now(session_factory, lane):
    now = local("2026-11-20 23:05")
    seen = situation(session_factory=session_factory, actor=coordinator(lane), district_id=lane["district"], now=now)
    assert seen.at == now and seen.duty_date == duty_date_of(now) == NIGHT
    past = situation(session_factory=session_factory, actor=coordinator(lane), district_id=lane["district"],
                     now=NOW, duty_date=NIGHT)
    assert past.at == local("2026-11-20 22:00")  # a past night opens at 22:00


def test_an_unknown_district_is_reported_not_drawn(session_factory, lane):
    with pytest.raises(DistrictMissing):
        situation(session_factory=session_factory, actor=VIEWER, district_id=999_999, now=NOW)


def test_the_moment_is_an_aware_instant(session_factory, lane):
    seen = at_hour(session_factory, coordinator(lane), lane, 1)
    assert seen.at == datetime(2026, 11, 20, 17, 0, tzinfo=timezone.utc) and seen.at - local("2026-11-21 01:00") == timedelta(0)


@pytest.fixture
def activity(session_factory: sessionmaker, lane) -> dict[str, int]:
    """Outreach on the night and the night before, and three hazards at the shop: open, overdue and closed."""
    with session_factory.begin() as s:
        booth = OutreachEvent(district_id=lane["district"], grid_id=lane["grid"], kind=OutreachKind.ANTI_FRAUD_BOOTH,
                              title="东西巷反诈摊位", starts_at=local("2026-11-20 23:30"),
                              ends_at=local("2026-11-21 00:30"), people_reached=120, app_installs=30,
                              lat=LANE[0], lon=LANE[1], note="志愿者电话 13900000009")
        earlier = OutreachEvent(district_id=lane["district"], kind=OutreachKind.SAFETY_OUTREACH, title="前一晚宣传",
                                starts_at=local("2026-11-19 20:00"), lat=LANE[0], lon=LANE[1])
        s.add_all([booth, earlier])
        common = {"district_id": lane["district"], "grid_id": lane["grid"], "shop_id": lane["shop"],
                  "found_at": local("2026-11-18 21:00")}
        s.add_all([
            Hazard(category=HazardCategory.BLOCKED_FIRE_EXIT, status=HazardStatus.ASSIGNED, due_on=date(2026, 11, 19),
                   description="后门堆放杂物", **common),
            Hazard(category=HazardCategory.GAS_SAFETY, status=HazardStatus.RECTIFIED, due_on=date(2026, 11, 19),
                   **common),
            Hazard(category=HazardCategory.UNSAFE_WIRING, status=HazardStatus.CLOSED, **common),
        ])
        s.flush()
        return {**lane, "booth": booth.id}


def test_the_map_shows_the_nights_outreach_and_open_hazards_at_their_shop(session_factory, activity):
    seen = at_hour(session_factory, coordinator(activity), activity, 23)
    assert [e.title for e in seen.outreach] == ["东西巷反诈摊位"]  # not the night before
    hazards = {h.category: h for h in seen.hazards}
    assert set(hazards) == {HazardCategory.BLOCKED_FIRE_EXIT, HazardCategory.GAS_SAFETY}  # the closed one is gone
    assert hazards[HazardCategory.BLOCKED_FIRE_EXIT].overdue and not hazards[HazardCategory.GAS_SAFETY].overdue
    assert (hazards[HazardCategory.BLOCKED_FIRE_EXIT].lat, hazards[HazardCategory.BLOCKED_FIRE_EXIT].lon) == SHOP
    assert hazards[HazardCategory.BLOCKED_FIRE_EXIT].where == "三花酒坊"


def test_patrols_see_open_hazards_and_the_public_never_do(session_factory, activity):
    volunteer = Actor(account_id=2, login="v", role=AccountRole.VOLUNTEER,
                      district_ids=frozenset({activity["district"]}))
    assert len(at_hour(session_factory, volunteer, activity, 23).hazards) == 2
    merchant = Actor(account_id=3, login="m", role=AccountRole.MERCHANT, district_ids=frozenset({activity["district"]}),
                     shop_id=activity["shop"])
    other = Actor(account_id=4, login="o", role=AccountRole.COORDINATOR, district_ids=frozenset({activity["other"]}))
    for outsider in (VIEWER, merchant, other):
        seen = at_hour(session_factory, outsider, activity, 23)
        assert not seen.hazards and Layer.HAZARDS not in seen.layers
        assert [e.id for e in seen.outreach] == [activity["booth"]]  # outreach is public activity
        assert "13900000009" not in repr(seen)  # the event's note never leaves the service


def test_a_chosen_grid_is_read_alone_and_a_crowded_overview_leaves_fixed_layers_to_it(session_factory, lane):
    with session_factory.begin() as s:
        east = Grid(district_id=lane["district"], name="东西巷二网格", center_lat=LANE[0], center_lon=LANE[1] + 0.003,
                    polygon=rectangle(LANE[0], LANE[1] + 0.003, 200, 120))
        s.add(east)
        s.flush()
        s.add(Checkpoint(district_id=lane["district"], grid_id=east.id, name="巷尾", secret="cd" * 16,
                         lat=LANE[0], lon=LANE[1] + 0.003))
        s.add(Tip(district_id=lane["district"], grid_id=east.id, category=TipCategory.NOISE, urgency=Urgency.LOW,
                  duty_date=NIGHT, received_at=local("2026-11-20 22:30"), lat=LANE[0], lon=LANE[1] + 0.003))
        east_id = east.id
    asked = {"session_factory": session_factory, "actor": coordinator(lane), "district_id": lane["district"],
             "now": NOW, "duty_date": NIGHT, "hour": 23}
    east_only = situation(**asked, grid_id=east_id)
    assert [spot.name for spot in east_only.spots] == ["巷尾"]
    assert [tip.category for tip in east_only.tips] == [TipCategory.NOISE]
    assert east_only.routes == ()  # the lane's line neither belongs to nor stops in the east grid
    assert [route.name for route in situation(**asked, grid_id=lane["grid"]).routes] == ["东西巷巡线"]

    crowded = situation(**asked, overview_cap=1)  # two checkpoints: more than the cap
    assert crowded.held_back == {Layer.CHECKPOINTS: 1}
    assert not [spot for spot in crowded.spots if spot.kind.value == "checkpoint"]
    assert len(crowded.tips) == 2 and len(crowded.grids) == 2  # live layers and grids are never held back
    assert situation(**asked).held_back == {}
