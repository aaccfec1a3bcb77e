"""A shop's one timeline on real databases: every kind of entry, newest first, inside its window only."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import sessionmaker

from booking_ground import local
from db.models import (
    CheckIn, Checkpoint, District, Hazard, HazardInspection, OutreachEvent, Person, Shop, ShopInspection, Tip,
    TipFollower,
)
from nightwatch.access import Actor
from nightwatch.geo import cell_of, offset_point
from nightwatch.services.shop_timeline import shop_timeline
from nightwatch.vocab import (
    AccountRole, BusinessKind, HazardCategory, HazardStatus, OutreachKind, RoleKind, TipCategory, TipStatus,
)

NOW = local("2026-11-21 12:00")
SHOP = (25.2847, 110.2965)


@pytest.fixture
def shop(session_factory: sessionmaker) -> dict[str, int]:
    """A bar with a history of every kind, some inside the last 90 days, some before, some elsewhere."""
    with session_factory.begin() as s:
        district = District(name="东西巷", city="桂林", center_lat=SHOP[0], center_lon=SHOP[1])
        s.add(district)
        s.flush()
        d = district.id
        bar = Shop(district_id=d, name="三花酒吧", business_kind=BusinessKind.BAR, lat=SHOP[0], lon=SHOP[1],
                   safety_checklist={"extinguisher": True})
        neighbour = Shop(district_id=d, name="隔壁", business_kind=BusinessKind.RETAIL)
        walker = Person(district_id=d, name="李巡", phone="13900000001", role_kind=RoleKind.VOLUNTEER)
        near = Checkpoint(district_id=d, name="巷口", secret="ab" * 16, lat=offset_point(*SHOP, 60, 0)[0],
                          lon=SHOP[1], cell=cell_of(*SHOP))
        far = Checkpoint(district_id=d, name="桥头", secret="cd" * 16, lat=offset_point(*SHOP, 400, 0)[0],
                         lon=SHOP[1], cell=cell_of(*SHOP))
        s.add_all([bar, neighbour, walker, near, far])
        s.flush()
        theft = Tip(district_id=d, shop_id=bar.id, category=TipCategory.THEFT, status=TipStatus.CLOSED,
                    duty_date=date(2026, 11, 19), received_at=local("2026-11-19 22:10"), text="手机被偷")
        old = Tip(district_id=d, shop_id=bar.id, category=TipCategory.DRUNK, duty_date=date(2026, 7, 1),
                  received_at=local("2026-07-01 23:00"))
        elsewhere = Tip(district_id=d, shop_id=neighbour.id, category=TipCategory.NOISE, duty_date=date(2026, 11, 18),
                        received_at=local("2026-11-18 22:00"))
        s.add_all([theft, old, elsewhere])
        s.flush()
        s.add(TipFollower(tip_id=elsewhere.id, shop_id=bar.id, added_at=local("2026-11-18 22:05")))
        hazard = Hazard(district_id=d, shop_id=bar.id, category=HazardCategory.BLOCKED_FIRE_EXIT,
                        status=HazardStatus.RECTIFIED, description="后门堆放酒箱", found_at=local("2026-11-10 21:00"),
                        verified_at=local("2026-11-10 21:30"), rectified_at=local("2026-11-12 15:00"))
        s.add(hazard)
        s.flush()
        s.add(HazardInspection(hazard_id=hazard.id, district_id=d, duty_date=date(2026, 11, 14),
                               scheduled_at=local("2026-11-12 15:01"), done_at=local("2026-11-14 21:00"), passed=True,
                               note="通道已清空"))
        s.add(ShopInspection(shop_id=bar.id, district_id=d, inspected_at=local("2026-10-01 20:00"),
                             checklist={"extinguisher": True, "camera": False}, note="监控待修"))
        s.add_all([
            OutreachEvent(district_id=d, shop_id=bar.id, kind=OutreachKind.VENUE_VISIT, title="场所走访",
                          starts_at=local("2026-10-20 20:00"), people_reached=6),
            OutreachEvent(district_id=d, kind=OutreachKind.ANTI_FRAUD_BOOTH, title="反诈摊位",
                          starts_at=local("2026-10-10 19:00"), people_reached=120,
                          lat=offset_point(*SHOP, 0, 100)[0], lon=offset_point(*SHOP, 0, 100)[1]),
            OutreachEvent(district_id=d, kind=OutreachKind.ANTI_FRAUD_BOOTH, title="桥头摊位",
                          starts_at=local("2026-10-11 19:00"), people_reached=80,
                          lat=offset_point(*SHOP, 0, 400)[0], lon=offset_point(*SHOP, 0, 400)[1]),
        ])
        for wall, point in (("2026-11-20 21:10", near), ("2026-11-20 22:30", near), ("2026-11-20 23:40", near),
                            ("2026-11-20 22:00", far), ("2026-06-01 22:00", near)):
            at = local(wall)
            s.add(CheckIn(district_id=d, person_id=walker.id, checkpoint_id=point.id, at=at,
                          duty_date=date.fromisoformat(wall[:10])))
        return {"district": d, "bar": bar.id, "hazard": hazard.id, "theft": theft.id, "old": old.id,
                "elsewhere": elsewhere.id}


def coordinator(district_id: int) -> Actor:
    return Actor(login="coord", role=AccountRole.COORDINATOR, district_ids=frozenset({district_id}))


def test_the_timeline_holds_every_kind_newest_first_within_90_days(session_factory, shop):
    line = shop_timeline(session_factory=session_factory, actor=coordinator(shop["district"]), shop_id=shop["bar"],
                         now=NOW)
    kinds = [(e.kind, e.key) for e in line.entries]
    assert kinds == [
        ("patrol", "shops.tl.patrol"),  # 11-20 23:40 local, three passes
        ("tip", "shops.tl.tip"),  # 11-19 theft
        ("tip", "shops.tl.tip_follow"),  # 11-18 joined the neighbour's noise tip
        ("reinspection", "shops.tl.reinspection"),  # 11-14 passed
        ("hazard", "shops.tl.hazard"),  # 11-12 rectified
        ("hazard", "shops.tl.hazard"),  # 11-10 verified
        ("hazard", "shops.tl.hazard"),  # 11-10 reported
        ("outreach", "shops.tl.outreach"),  # 10-20 venue visit at the shop
        ("outreach", "shops.tl.outreach"),  # 10-10 booth 100 m away (the one 400 m away is not here)
        ("inspection", "shops.tl.inspection"),  # 10-01
    ]
    patrol = line.entries[0].values
    assert patrol["count"] == 3 and (patrol["first"], patrol["last"]) == (local("2026-11-20 21:10"),
                                                                          local("2026-11-20 23:40"))
    assert line.entries[1].values["id"] == shop["theft"] and line.entries[2].values["id"] == shop["elsewhere"]
    assert line.entries[3].values["result"] == "passed" and line.entries[3].note == "通道已清空"
    assert [e.values["step"] for e in line.entries[4:7]] == [HazardStatus.RECTIFIED, HazardStatus.VERIFIED,
                                                             HazardStatus.REPORTED]
    assert line.entries[6].note == "后门堆放酒箱"
    assert [e.values["title"] for e in line.entries[7:9]] == ["场所走访", "反诈摊位"]
    assert line.entries[9].values["missing"] == ("camera", "alarm_button", "fire_exit_clear")
    assert all("手机被偷" not in e.note for e in line.entries)  # tip text (maybe personal) is not shown


def test_more_reaches_further_back_and_the_window_never_reaches_the_future(session_factory, shop):
    actor = coordinator(shop["district"])
    wider = shop_timeline(session_factory=session_factory, actor=actor, shop_id=shop["bar"], now=NOW, days=180)
    ids = [e.values.get("id") for e in wider.entries if e.key == "shops.tl.tip"]
    assert ids == [shop["theft"], shop["old"]]
    assert [e.values["count"] for e in wider.entries if e.kind == "patrol"] == [3, 1]
    earlier = shop_timeline(session_factory=session_factory, actor=actor, shop_id=shop["bar"],
                            now=local("2026-11-15 12:00"))
    assert earlier.entries[0].kind == "reinspection"  # nothing after "now"
    assert not [e for e in earlier.entries if e.kind in ("patrol", "tip")]


def test_a_merchant_sees_their_own_timeline_without_patrol_passes(session_factory, shop):
    me = Actor(login="bar", role=AccountRole.MERCHANT, district_ids=frozenset({shop["district"]}), shop_id=shop["bar"])
    line = shop_timeline(session_factory=session_factory, actor=me, shop_id=shop["bar"], now=NOW)
    assert line.entries and not [e for e in line.entries if e.kind == "patrol"]
