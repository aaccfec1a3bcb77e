"""Shop dossiers on real databases (SQLite and PostgreSQL): who reads and edits which shop, and what is kept."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from booking_ground import local
from db.models import AuditEvent, District, Grid, Hazard, Person, Shop, ShopInspection, Tip
from nightwatch.access import Actor, Forbidden
from nightwatch.geo import cell_of, offset_point, rectangle
from nightwatch.services import shop_edit, shops
from nightwatch.services.shop_dossier import read_dossier
from nightwatch.services.shop_edit import ContactFields, DossierFields, ProfileFields
from nightwatch.services.shop_risk import refresh_risk
from nightwatch.services.shop_timeline import shop_timeline
from nightwatch.services.shops import ShopFilter, ShopRefused
from nightwatch.vocab import AccountRole, BusinessKind, HazardCategory, HazardStatus, RiskLevel, RoleKind, TipCategory

NOW = local("2026-11-21 12:00")
LANE = (25.2847, 110.2965)
ALL_OK = {"extinguisher": True, "camera": True, "alarm_button": True, "fire_exit_clear": True}


def build(session_factory: sessionmaker) -> dict[str, int]:
    """Two districts: 东西巷 with a bar (co-defender) and a shop, 万达金街 with one shop."""
    with session_factory.begin() as s:
        lane = District(name="东西巷", city="桂林", center_lat=LANE[0], center_lon=LANE[1])
        other = District(name="万达金街", city="襄阳", center_lat=32.0, center_lon=112.1)
        s.add_all([lane, other])
        s.flush()
        grid = Grid(district_id=lane.id, name="东西巷一网格", polygon=rectangle(*LANE, 400, 400),
                    center_lat=LANE[0], center_lon=LANE[1])
        merchant = Person(district_id=lane.id, name="陈老板", phone="13900000009", role_kind=RoleKind.MERCHANT)
        walker = Person(district_id=lane.id, name="李巡", phone="13900000001", role_kind=RoleKind.VOLUNTEER)
        s.add_all([grid, merchant, walker])
        s.flush()
        bar = Shop(district_id=lane.id, grid_id=grid.id, name="三花酒吧", business_kind=BusinessKind.BAR,
                   owner_name="陈老板", owner_phone="13912345678", is_codefender=True, codefender_id=merchant.id,
                   contacts=[{"name": "小周", "phone": "13887654321", "role": "店长"}],
                   safety_checklist={"extinguisher": True, "camera": True, "fire_exit_clear": True},
                   lat=LANE[0], lon=LANE[1], cell=cell_of(*LANE))
        tea = Shop(district_id=lane.id, grid_id=grid.id, name="桂花茶铺", business_kind=BusinessKind.RETAIL,
                   owner_name="王阿姨", owner_phone="13711112222", safety_checklist=dict(ALL_OK),
                   lat=LANE[0] + 0.001, lon=LANE[1])
        far = Shop(district_id=other.id, name="金街书店", business_kind=BusinessKind.CULTURAL,
                   owner_phone="13533334444")
        s.add_all([bar, tea, far])
        s.flush()
        return {"lane": lane.id, "other": other.id, "grid": grid.id, "bar": bar.id, "tea": tea.id, "far": far.id,
                "merchant": merchant.id, "walker": walker.id}


@pytest.fixture
def world(session_factory):
    return build(session_factory)


def coordinator(district_id: int) -> Actor:
    return Actor(login="coord", role=AccountRole.COORDINATOR, district_ids=frozenset({district_id}))


def volunteer(world) -> Actor:
    return Actor(login="vol", role=AccountRole.VOLUNTEER, district_ids=frozenset({world["lane"]}),
                 person_id=world["walker"])


def merchant(world) -> Actor:
    return Actor(login="bar", role=AccountRole.MERCHANT, district_ids=frozenset({world["lane"]}), shop_id=world["bar"])


def test_a_merchant_reads_and_edits_only_their_own_shop(session_factory, world):
    me = merchant(world)
    own = read_dossier(session_factory=session_factory, actor=me, shop_id=world["bar"], now=NOW)
    assert own.owner_phone == "13912345678" and own.risk is None  # their numbers in full; the rating is not theirs
    for shop_id in (world["tea"], world["far"]):
        with pytest.raises(Forbidden):
            read_dossier(session_factory=session_factory, actor=me, shop_id=shop_id, now=NOW)
        with pytest.raises(Forbidden):
            shop_timeline(session_factory=session_factory, actor=me, shop_id=shop_id, now=NOW)
        with pytest.raises(Forbidden):
            shop_edit.edit_dossier(session_factory=session_factory, actor=me, shop_id=shop_id, now=NOW,
                                   fields=DossierFields("冒名", "13800000000"))
    with pytest.raises(Forbidden):
        shop_edit.edit_profile(session_factory=session_factory, actor=me, shop_id=world["bar"], now=NOW,
                               profile=ProfileFields("三花酒吧", BusinessKind.RETAIL, is_codefender=False))
    with pytest.raises(Forbidden):
        shops.list_shops(session_factory=session_factory, actor=me, district_id=world["lane"], now=NOW)
    with session_factory() as s:
        assert s.get_one(Shop, world["tea"]).owner_name == "王阿姨"
        assert s.get_one(Shop, world["bar"]).business_kind is BusinessKind.BAR


def test_a_volunteer_sees_masked_phones_cannot_edit_but_records_an_inspection(session_factory, world):
    vol = volunteer(world)
    seen = read_dossier(session_factory=session_factory, actor=vol, shop_id=world["bar"], now=NOW)
    assert seen.owner_phone == "139****5678" and [c.phone for c in seen.contacts] == ["138****4321"]
    assert seen.phones_masked and seen.risk is not None and not seen.may_edit_contacts and seen.may_inspect
    with pytest.raises(Forbidden):
        shop_edit.edit_dossier(session_factory=session_factory, actor=vol, shop_id=world["bar"], now=NOW,
                               fields=DossierFields("陈老板", "13912345678"))
    inspection = shop_edit.record_inspection(session_factory=session_factory, actor=vol, shop_id=world["bar"],
                                             checklist={"extinguisher": True, "camera": False}, note="监控坏了",
                                             now=NOW)
    with session_factory() as s:
        row = s.get_one(ShopInspection, inspection)
        assert (row.person_id, row.checklist, row.note) == (world["walker"], {"extinguisher": True, "camera": False},
                                                            "监控坏了")
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.entity_id == inspection)) == "shop.inspection"
    after = read_dossier(session_factory=session_factory, actor=vol, shop_id=world["bar"], now=NOW)
    assert after.last_inspection == NOW
    assert "shops.risk.never_inspected" not in {r.key for r in after.risk.reasons}
    # The broken camera the volunteer found is now what the dossier says, and counts as missing.
    with session_factory() as s:
        assert s.get_one(Shop, world["bar"]).safety_checklist["camera"] is False


def test_a_coordinator_of_another_district_is_refused(session_factory, world):
    stranger = coordinator(world["other"])
    with pytest.raises(Forbidden):
        read_dossier(session_factory=session_factory, actor=stranger, shop_id=world["bar"], now=NOW)
    with pytest.raises(Forbidden):
        shops.list_shops(session_factory=session_factory, actor=stranger, district_id=world["lane"], now=NOW)
    with pytest.raises(Forbidden):
        shop_edit.record_inspection(session_factory=session_factory, actor=stranger, shop_id=world["bar"],
                                    checklist={}, note="", now=NOW)
    with pytest.raises(Forbidden):
        shop_edit.edit_profile(session_factory=session_factory, actor=stranger, shop_id=world["bar"], now=NOW,
                               profile=ProfileFields("改名", BusinessKind.BAR))
    mine = shops.list_shops(session_factory=session_factory, actor=stranger, district_id=world["other"], now=NOW)
    assert [r.name for r in mine] == ["金街书店"]


def test_a_merchants_edit_round_trips_is_audited_masked_and_rerates_the_shop(session_factory, world):
    me = merchant(world)
    coord = coordinator(world["lane"])
    before = read_dossier(session_factory=session_factory, actor=coord, shop_id=world["bar"], now=NOW)
    # Bar 3, missing alarm button 1, never inspected 2, co-defender −2: 4.
    assert (before.risk.score, before.risk.level, before.missing) == (4, RiskLevel.MEDIUM, ("alarm_button",))
    fields = DossierFields("陈大伟", "+86 139-1234-0000",
                           [ContactFields("小周", "13887654321", "店长"), ContactFields("", "", ""),
                            ContactFields("夜班", "0773-2801234", "值班经理")],
                           {**ALL_OK, "gas_alarm": True}, "营业到凌晨两点")
    shop_edit.edit_dossier(session_factory=session_factory, actor=me, shop_id=world["bar"], fields=fields, now=NOW)
    after = read_dossier(session_factory=session_factory, actor=coord, shop_id=world["bar"], now=NOW)
    assert (after.owner_name, after.owner_phone, after.note) == ("陈大伟", "13912340000", "营业到凌晨两点")
    assert [(c.name, c.phone, c.role) for c in after.contacts] == [("小周", "13887654321", "店长"),
                                                                  ("夜班", "07732801234", "值班经理")]
    assert after.checklist["alarm_button"] is True and after.checklist["gas_alarm"] is True and not after.missing
    assert (after.risk.score, after.risk.level, after.stored_level) == (3, RiskLevel.LOW, RiskLevel.LOW)
    assert after.updated_at == NOW
    with session_factory() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "shop.dossier")).one()
        assert event.after["owner_phone"] == "139****0000" and "13912340000" not in str(event.after)
        assert event.before["owner_name"] == "陈老板"


@pytest.mark.parametrize("fields, field, typed", [
    (DossierFields("陈老板", "1391234"), "owner", "1391234"),
    (DossierFields("陈老板", "13912345678", [ContactFields("小周", "13887654321"), ContactFields("夜班", "2801234")]),
     "contact2", "2801234"),
])
def test_a_wrong_phone_is_refused_by_its_field_and_nothing_is_saved(session_factory, world, fields, field, typed):
    with pytest.raises(ShopRefused) as refused:
        shop_edit.edit_dossier(session_factory=session_factory, actor=merchant(world), shop_id=world["bar"],
                               fields=fields, now=NOW)
    assert refused.value.key == "shops.phone_invalid" and refused.value.values == {"field": field, "phone": typed}
    with session_factory() as s:
        assert s.get_one(Shop, world["bar"]).owner_phone == "13912345678"
        assert s.scalar(select(AuditEvent.id)) is None


def test_a_contact_needs_a_name_and_a_phone(session_factory, world):
    with pytest.raises(ShopRefused) as refused:
        shop_edit.edit_dossier(session_factory=session_factory, actor=merchant(world), shop_id=world["bar"], now=NOW,
                               fields=DossierFields("陈老板", "13912345678",
                                                    [ContactFields("", "13887654321", "店长")]))
    assert (refused.value.key, refused.value.values) == ("shops.contact_incomplete", {"number": 1})


def test_a_coordinator_edits_the_profile_and_adds_a_shop_placed_in_its_grid(session_factory, world):
    coord = coordinator(world["lane"])
    shop_edit.edit_profile(session_factory=session_factory, actor=coord, shop_id=world["bar"], now=NOW,
                           profile=ProfileFields("三花酒吧", BusinessKind.KTV, "正阳路 12 号", False, None))
    seen = read_dossier(session_factory=session_factory, actor=coord, shop_id=world["bar"], now=NOW)
    assert (seen.kind, seen.address, seen.is_codefender, seen.codefender) == (BusinessKind.KTV, "正阳路 12 号", False,
                                                                             None)
    # KTV 3 + no alarm button 1 + never inspected 2, and no co-defence any more: 6.
    assert (seen.risk.score, seen.stored_level) == (6, RiskLevel.MEDIUM)
    lat, lon = offset_point(*LANE, 50, 50)
    new_id = shop_edit.create_shop(session_factory=session_factory, actor=coord, district_id=world["lane"],
                                   profile=ProfileFields("夜宵摊", BusinessKind.SNACK_STALL), lat=lat, lon=lon, now=NOW)
    created = read_dossier(session_factory=session_factory, actor=coord, shop_id=new_id, now=NOW)
    assert created.grid == "东西巷一网格" and created.missing == ("extinguisher", "fire_exit_clear", "gas_alarm",
                                                                "grease_duct_cleaned")
    with pytest.raises(ShopRefused) as taken:
        shop_edit.create_shop(session_factory=session_factory, actor=coord, district_id=world["lane"],
                              profile=ProfileFields("夜宵摊", BusinessKind.BAR), lat=lat, lon=lon, now=NOW)
    assert taken.value.key == "shops.name_taken"
    with pytest.raises(ShopRefused):
        shop_edit.edit_profile(session_factory=session_factory, actor=coord, shop_id=world["bar"], now=NOW,
                               profile=ProfileFields("三花酒吧", BusinessKind.BAR, "", True, world["walker"]))


def test_the_list_shows_the_computed_risk_and_filters(session_factory, world):
    coord = coordinator(world["lane"])
    with session_factory.begin() as s:
        for n in range(3):
            s.add(Tip(district_id=world["lane"], shop_id=world["tea"], category=TipCategory.THEFT,
                      duty_date=NOW.date(), received_at=local(f"2026-11-1{n} 22:00")))
        s.add(Hazard(district_id=world["lane"], shop_id=world["tea"], category=HazardCategory.UNSAFE_WIRING,
                     status=HazardStatus.ASSIGNED, found_at=local("2026-11-01 21:00"),
                     due_on=local("2026-11-08 12:00").date()))
    rows = shops.list_shops(session_factory=session_factory, actor=coord, district_id=world["lane"], now=NOW)
    # Tea: 3 thefts 6 + open 2 + overdue 2 + recent 1 + never inspected 2 = 13, high; the bar 4, medium.
    assert [(r.name, r.risk, r.open_hazards, r.missing) for r in rows] == [
        ("桂花茶铺", RiskLevel.HIGH, 1, 0), ("三花酒吧", RiskLevel.MEDIUM, 0, 1)]

    def only(**f) -> list[str]:
        return [r.name for r in shops.list_shops(session_factory=session_factory, actor=coord,
                                                 district_id=world["lane"], now=NOW, filters=ShopFilter(**f))]

    assert only(codefender_only=True) == ["三花酒吧"]
    assert only(risk=RiskLevel.HIGH) == ["桂花茶铺"]
    assert only(kind=BusinessKind.BAR) == ["三花酒吧"] and only(text="茶") == ["桂花茶铺"]
    assert only(text="%") == []
    with session_factory.begin() as s:
        refresh_risk(s, world["tea"], NOW)
    with session_factory() as s:
        assert s.get_one(Shop, world["tea"]).risk_level is RiskLevel.HIGH
