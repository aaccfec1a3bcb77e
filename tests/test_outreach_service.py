"""Outreach events on real databases (SQLite and PostgreSQL): who may log and change them, and period totals."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from booking_ground import local
from db.models import Account, AuditEvent, District, Grid, OutreachEvent, Person, Place, Shop, Team
from nightwatch.access import Actor, Forbidden
from nightwatch.geo import rectangle
from nightwatch.outreach import OutreachRefused, period_window
from nightwatch.services import outreach, outreach_list
from nightwatch.services.outreach import OutreachInput
from nightwatch.vocab import AccountRole, OutreachKind, PlaceKind, RoleKind, TeamType

LANE = (25.2847, 110.2965)
NIGHT = date(2026, 11, 20)


@pytest.fixture
def ground(session_factory: sessionmaker) -> dict:
    """东西巷 with a place, a shop, two teams with one volunteer each and a leader; another district."""
    with session_factory.begin() as s:
        lane, other = District(name="东西巷", city="桂林"), District(name="万达金街", city="襄阳")
        s.add_all([lane, other])
        s.flush()
        grid = Grid(district_id=lane.id, name="一网格", polygon=rectangle(*LANE, 400, 400), center_lat=LANE[0],
                    center_lon=LANE[1])
        red = Team(district_id=lane.id, name="红马甲队", team_type=TeamType.RED_VEST)
        fraud = Team(district_id=lane.id, name="反诈宣讲队", team_type=TeamType.ANTI_FRAUD)
        far_team = Team(district_id=other.id, name="金街队", team_type=TeamType.RED_VEST)
        s.add_all([grid, red, fraud, far_team])
        s.flush()
        place = Place(district_id=lane.id, grid_id=grid.id, name="东西巷口", kind=PlaceKind.LANE, lat=LANE[0],
                      lon=LANE[1])
        shop = Shop(district_id=lane.id, grid_id=grid.id, name="三花酒坊", business_kind="retail", lat=25.2849,
                    lon=110.2964)
        people = [Person(district_id=lane.id, team_id=team.id, name=name, phone=phone, role_kind=RoleKind.VOLUNTEER)
                  for team, name, phone in ((red, "李巡", "13900000001"), (fraud, "王宣", "13900000002"),
                                            (red, "陈队长", "13900000003"))]
        s.add_all([place, shop, *people])
        s.flush()
        accounts = [Account(login=login, role=role, person_id=person.id) for login, role, person in (
            ("li", AccountRole.VOLUNTEER, people[0]), ("wang", AccountRole.VOLUNTEER, people[1]),
            ("chen", AccountRole.TEAM_LEADER, people[2]))]
        accounts += [Account(login="coord", role=AccountRole.COORDINATOR),
                     Account(login="far", role=AccountRole.COORDINATOR)]
        s.add_all(accounts)
        s.flush()

        def actor(account: Account, person: Person | None, district: int) -> Actor:
            return Actor(account_id=account.id, login=account.login, role=account.role,
                         district_ids=frozenset({district}), person_id=person.id if person else None)

        return {"district": lane.id, "other": other.id, "red": red.id, "fraud": fraud.id, "far_team": far_team.id,
                "place": place.id, "shop": shop.id, "grid": grid.id,
                "li": actor(accounts[0], people[0], lane.id), "wang": actor(accounts[1], people[1], lane.id),
                "chen": actor(accounts[2], people[2], lane.id), "coord": actor(accounts[3], None, lane.id),
                "far": actor(accounts[4], None, other.id)}


def booth(team_id: int | None, **changes) -> OutreachInput:
    form = OutreachInput(kind=OutreachKind.ANTI_FRAUD_BOOTH, title="东西巷口反诈摊位", day=NIGHT, start=time(19, 30),
                         end=time(21, 0), team_id=team_id, location_note="东西巷口",
                         materials={"fan": 200, "bag": 80}, people_reached=300, app_installs=60)
    return replace(form, **changes)


def log(factory, g, who: str, form: OutreachInput) -> int:
    return outreach.log_event(session_factory=factory, actor=g[who], district_id=g["district"], form=form).id


def test_a_volunteer_logs_for_their_team_placed_by_the_gazetteer_and_audited(session_factory, ground):
    logged = outreach.log_event(session_factory=session_factory, actor=ground["li"], district_id=ground["district"],
                                form=booth(ground["red"]))
    assert logged.placed
    with session_factory() as s:
        event = s.get_one(OutreachEvent, logged.id)
        assert (event.lat, event.lon, event.grid_id) == (*LANE, ground["grid"])
        assert event.starts_at == local("2026-11-20 19:30") and event.materials == {"fan": 200, "bag": 80}
        audit = s.scalars(select(AuditEvent).where(AuditEvent.entity == "outreach_event")).one()
        assert audit.action == "outreach.log" and audit.after["people_reached"] == 300


def test_a_volunteer_cannot_log_for_or_edit_another_teams_event(session_factory, ground):
    with pytest.raises(Forbidden) as refused:
        log(session_factory, ground, "li", booth(ground["fraud"]))
    assert refused.value.key == "outreach.not_your_team"
    theirs = log(session_factory, ground, "wang", booth(ground["fraud"]))
    with pytest.raises(Forbidden) as refused:
        outreach.edit_event(session_factory=session_factory, actor=ground["li"], event_id=theirs,
                            form=booth(ground["red"], title="改掉"))
    assert refused.value.key == "outreach.not_yours"
    with pytest.raises(Forbidden):
        outreach.delete_event(session_factory=session_factory, actor=ground["wang"], event_id=theirs)
    rows = outreach_list.events(session_factory=session_factory, actor=ground["li"], district_id=ground["district"],
                                start=local("2026-11-20 06:00"), end=local("2026-11-21 06:00"))
    assert [(r.title, r.may_edit, r.may_delete) for r in rows] == [("东西巷口反诈摊位", False, False)]


def test_a_leader_edits_the_teams_event_and_the_coordinator_deletes_it(session_factory, ground):
    mine = log(session_factory, ground, "li", booth(ground["red"]))
    outreach.edit_event(session_factory=session_factory, actor=ground["chen"], event_id=mine,
                        form=booth(ground["red"], shop_id=ground["shop"], kind=OutreachKind.VENUE_VISIT,
                                   end=time(0, 30), app_installs=0))
    with session_factory() as s:
        event = s.get_one(OutreachEvent, mine)
        assert event.shop_id == ground["shop"] and event.ends_at == local("2026-11-21 00:30")
    outreach.delete_event(session_factory=session_factory, actor=ground["coord"], event_id=mine)
    with session_factory() as s:
        assert s.get(OutreachEvent, mine) is None
        assert [a.action for a in s.scalars(select(AuditEvent).order_by(AuditEvent.id))] == [
            "outreach.log", "outreach.edit", "outreach.delete"]


def test_a_coordinator_of_another_district_is_refused_everything(session_factory, ground):
    event = log(session_factory, ground, "coord", booth(ground["fraud"]))
    with pytest.raises(Forbidden) as refused:
        log(session_factory, ground, "far", booth(None))
    assert refused.value.key == "access.other_district"
    for call in (outreach.edit_event, outreach.delete_event):
        extra = {"form": booth(None)} if call is outreach.edit_event else {}
        with pytest.raises(Forbidden):
            call(session_factory=session_factory, actor=ground["far"], event_id=event, **extra)
    with pytest.raises(Forbidden):
        outreach_list.events(session_factory=session_factory, actor=ground["far"], district_id=ground["district"],
                             start=local("2026-11-20 06:00"), end=local("2026-11-21 06:00"))
    with pytest.raises(OutreachRefused) as wrong_team:
        log(session_factory, ground, "coord", booth(ground["far_team"]))
    assert wrong_team.value.key == "outreach.team_unknown"


def test_a_rejected_form_writes_nothing(session_factory, ground):
    with pytest.raises(OutreachRefused) as refused:
        log(session_factory, ground, "coord", booth(None, people_reached=10, app_installs=11))
    assert refused.value.key == "outreach.installs_above_reached"
    with pytest.raises(OutreachRefused):
        log(session_factory, ground, "coord", booth(None, location_note="", place_id=None))
    with session_factory() as s:
        assert s.scalar(select(OutreachEvent.id)) is None and s.scalar(select(AuditEvent.id)) is None


def test_an_unknown_typed_place_is_kept_as_words_but_not_placed(session_factory, ground):
    logged = outreach.log_event(session_factory=session_factory, actor=ground["coord"], district_id=ground["district"],
                                form=booth(None, location_note="某个没人知道的角落"))
    assert not logged.placed


def test_totals_follow_the_nights_across_midnight(session_factory, ground):
    # 23:30 on the 20th → 00:30: night of the 20th; 01:00 on the 21st: still the 20th's night; 19:00 on the 21st: next.
    log(session_factory, ground, "coord", booth(ground["red"], start=time(23, 30), end=time(0, 30), people_reached=100,
                                                app_installs=10, materials={"fan": 5}))
    log(session_factory, ground, "coord", booth(ground["fraud"], day=date(2026, 11, 21), start=time(1, 0),
                                                end=time(2, 0), people_reached=40, app_installs=4,
                                                materials={"leaflet": 30}))
    log(session_factory, ground, "coord", booth(ground["red"], day=date(2026, 11, 21), start=time(19, 0),
                                                people_reached=7, app_installs=0, materials={"fan": 1}))
    first = period_window(NIGHT, NIGHT, "Asia/Shanghai")
    second = period_window(date(2026, 11, 21), date(2026, 11, 21), "Asia/Shanghai")
    with session_factory() as s:
        night = outreach.outreach_totals(s, ground["district"], *first)
        assert (night.events, night.reached, night.installs, night.materials) == (2, 140, 14, {"leaflet": 30, "fan": 5})
        assert outreach.outreach_totals(s, ground["district"], *second).reached == 7
        assert outreach.outreach_totals(s, ground["district"], *first, team_id=ground["fraud"]).reached == 40
        assert outreach.outreach_totals(s, ground["other"], *first).events == 0
    both = outreach_list.period_totals(session_factory=session_factory, actor=ground["li"],
                                       district_id=ground["district"], start=first[0], end=second[1])
    assert (both.events, both.reached) == (3, 147)


def test_the_log_form_finds_shops_by_name_a_few_at_a_time_and_keeps_the_chosen_one(session_factory, ground):
    with session_factory.begin() as s:
        s.add_all([Shop(district_id=ground["district"], name=f"东西巷{n}号小吃_店", business_kind="restaurant")
                   for n in range(1, 6)])
    find = lambda **how: [c.name for c in outreach_list.shop_choices(  # noqa: E731
        session_factory=session_factory, actor=ground["li"], district_id=ground["district"], **how)]
    assert find(limit=2) == ["三花酒坊", "东西巷1号小吃_店"]
    assert find(text="小吃_", limit=3) == ["东西巷1号小吃_店", "东西巷2号小吃_店", "东西巷3号小吃_店"]
    assert find(text="吃%", limit=3) == []  # what is typed is matched literally
    # An edited event's shop stays offered, first, even beyond the first few.
    assert find(limit=1, keep=ground["shop"]) == ["三花酒坊"]
    kept = find(text="5号", limit=1, keep=ground["shop"])
    assert kept == ["三花酒坊", "东西巷5号小吃_店"]
    with pytest.raises(Forbidden):
        outreach_list.shop_choices(session_factory=session_factory, actor=ground["far"], district_id=ground["district"])
