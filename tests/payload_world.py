"""Marker values planted in the seeded demo, and which marker groups each role may never receive.

`plant` writes distinctive phones, reporter names and over-precise coordinates onto rows the pages
read (tests/payload_scan.py finds them in what a page sends).
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from payload_scan import Markers
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from db.models import (
    Account,
    Assignment,
    CheckIn,
    Checkpoint,
    District,
    Hazard,
    LastPosition,
    Person,
    Shift,
    Shop,
    Tip,
)
from nightwatch.geo import cell_of
from nightwatch.nights import duty_date_of, hour_of_night
from nightwatch.services import accounts, heat_rollup
from nightwatch.services import dispatch as dispatching
from nightwatch.vocab import (
    HOLDING_STATUSES,
    HazardCategory,
    TipCategory,
    TipSource,
    Urgency,
)

# Roles by demo login; None is the public viewer.
ROLES = {"viewer": None, "volunteer": "demo-volunteer", "leader": "demo-leader", "merchant": "demo-merchant",
         "coordinator": "demo-coordinator", "admin": "demo-admin"}
# Marker groups each role must never receive (coordinators see full phones where the app shows them;
# nobody, coordinators included, is told who sent an anonymous tip).
FORBIDDEN = {
    "viewer": ("phones", "own_shop_phones", "anonymous", "reporters", "people_places", "tip_places",
               "dispatched_tip_places"),
    # The volunteer is the one the marker tips were dispatched to: they get the exact point to go to.
    "volunteer": ("phones", "own_shop_phones", "anonymous", "reporters", "checkin_places", "tip_places"),
    "leader": ("phones", "own_shop_phones", "anonymous", "reporters", "checkin_places", "tip_places",
               "dispatched_tip_places"),
    # A merchant reads and edits their own shop's contacts (nightwatch.services.shop_dossier.sees_phones).
    "merchant": ("phones", "anonymous", "reporters", "people_places", "checkin_places", "tip_places",
                 "dispatched_tip_places"),
    "coordinator": ("anonymous",),
    "admin": ("anonymous",),
}

# The map's hour to look at for people on duty (every seeded night shift covers it).
DUTY_HOUR = 23


def _exact(value: float) -> str:
    """A coordinate as planted (repr), to be found at any precision of five decimals or more."""
    return repr(value)


def plant(session_factory: sessionmaker, now: datetime | None = None) -> Markers:
    """Write the markers into the seeded demo of 桂林 东西巷 (the demo accounts' district)."""
    now = now or datetime.now(UTC)
    markers = Markers()
    phones: dict[str, str] = {}
    with session_factory.begin() as s:
        logins = {a.login: a for a in s.scalars(select(Account))}
        volunteer = s.get_one(Person, logins["demo-volunteer"].person_id)
        leader = s.get_one(Person, logins["demo-leader"].person_id)
        shop = s.get_one(Shop, logins["demo-merchant"].shop_id)
        district = volunteer.district_id
        mate = s.scalars(select(Person).where(Person.team_id == volunteer.team_id,
                                              Person.id.not_in([volunteer.id, leader.id])).order_by(Person.id)).first()
        mate = mate or s.scalars(select(Person).where(Person.district_id == district,
                                                      Person.id.not_in([volunteer.id, leader.id]))).first()
        other_shop = s.scalars(select(Shop).where(Shop.district_id == district, Shop.id != shop.id,
                                                  Shop.is_codefender).order_by(Shop.id)).first()
        for key, person in (("teammate", mate), ("leader", leader)):
            person.phone = phones.setdefault(key, f"1391234{len(phones):04d}")
        own_shop = {"shop owner": "13912340033", "shop contact": "13912340044"}
        if shop.codefender_id is not None and shop.codefender_id != volunteer.id:
            s.get_one(Person, shop.codefender_id).phone = own_shop.setdefault("codefender", "13912340022")
        shop.owner_phone = own_shop["shop owner"]
        shop.contacts = [{"name": "店长", "phone": "+86 139 1234 0044", "role": "店长"}]
        other_shop.owner_phone = phones.setdefault("other shop owner", "13912340055")
        markers.shop_name, markers.person_name, markers.district_id = shop.name, mate.name, district
        markers.shop_id = shop.id
        # Over-precise places: the teammate's last position and a flagged check-in made from their phone.
        centre = s.get_one(District, district)
        base_lat, base_lon = round(centre.center_lat, 2), round(centre.center_lon, 2)
        seen = (base_lat + 0.00391827364, base_lon + 0.00283746519)
        s.merge(LastPosition(person_id=mate.id, lat=seen[0], lon=seen[1], cell=cell_of(*seen), seen_at=now,
                             source="checkin"))
        point = s.scalars(select(Checkpoint).where(Checkpoint.district_id == district).order_by(Checkpoint.id)).first()
        phone_at = (base_lat + 0.00172839465, base_lon + 0.00364758291)
        check_in = CheckIn(district_id=district, person_id=mate.id, checkpoint_id=point.id, at=now - timedelta(minutes=20),
                           duty_date=duty_date_of(now), cell=point.cell, phone_lat=phone_at[0], phone_lon=phone_at[1],
                           distance_m=900.0, flagged=True)
        # One lonely check-in two kilometres out, at 23:00 three nights ago (inside the heatmap's night hours
        # whatever the hour the tests run): a heatmap cell only coordinators may see.
        lonely_night = duty_date_of(now) - timedelta(days=3)
        lonely = CheckIn(district_id=district, person_id=mate.id, checkpoint_id=point.id,
                         at=hour_of_night(lonely_night, 23), duty_date=lonely_night,
                         cell=cell_of(base_lat + 0.02, base_lon - 0.02))
        s.add_all([check_in, lonely])
        heat_rollup.count_check_in(s, check_in)
        heat_rollup.count_check_in(s, lonely)
        on_duty_at = (base_lat + 0.00318273645, base_lon + 0.00236455172)
        on_duty = _check_in_on_duty(s, district, on_duty_at, now, exclude={volunteer.id, leader.id})
        tip_at = (base_lat + 0.00293847561, base_lon + 0.00192837465)
        hidden_at = (base_lat + 0.00237465918, base_lon + 0.00319283746)
        quiet = Tip(district_id=district, category=TipCategory.SUSPICIOUS, urgency=Urgency.HIGH, text="可疑人员徘徊",
                    lat=hidden_at[0], lon=hidden_at[1], cell=cell_of(*hidden_at), anonymous=False,
                    source=TipSource.PHONE, duty_date=duty_date_of(now), received_at=now - timedelta(minutes=6))
        s.add(quiet)
        texts = {"anonymous": "有人在巷口撬车,可回拨 +86 139-1234-0066", "named": "电动车被偷,失主电话１３９１２３４００７７"}
        phones["tip text +86"], phones["tip text full-width"] = "13912340066", "13912340077"
        callers = {"anonymous": ("匿名甲标记人", "13912340088"), "named": ("实名乙标记人", "13912340099")}
        for kind in ("anonymous", "named"):
            name, phone = callers[kind]
            phones[f"{kind} caller"] = phone
            tip = Tip(district_id=district, category=TipCategory.THEFT, urgency=Urgency.CRITICAL, text=texts[kind],
                      location_note="东西巷口", lat=tip_at[0], lon=tip_at[1], cell=cell_of(*tip_at),
                      anonymous=kind == "anonymous", caller_name=name, caller_phone=phone, source=TipSource.PHONE,
                      duty_date=duty_date_of(now), received_at=now - timedelta(minutes=4))
            s.add(tip)
            s.flush()
            markers.tip_ids[kind] = tip.id
        # Reported from an account with no person behind it: its name can only come from the hazard.
        finder = Account(login="marker-hazard-reporter", role=logins["demo-volunteer"].role, display_name="隐患丙标记人")
        s.add(finder)
        s.flush()
        hazard = Hazard(district_id=district, shop_id=shop.id, grid_id=shop.grid_id, reported_by_account_id=finder.id,
                        category=HazardCategory.BLOCKED_FIRE_EXIT, lat=shop.lat, lon=shop.lon, cell=shop.cell,
                        description="后门被杂物堵住,发现人电话 139 1234 1122", found_at=now - timedelta(hours=2),
                        due_on=duty_date_of(now) + timedelta(days=3))
        phones["hazard text"] = "13912341122"
        s.add(hazard)
        s.flush()
        markers.hazard_id = hazard.id
        volunteer_id = volunteer.id
    for tip_id in markers.tip_ids.values():
        dispatching.dispatch(session_factory=session_factory, actor=accounts.OPERATOR, tip_id=tip_id,
                             person_ids=[volunteer_id], now=now)
    markers.groups = {
        "phones": phones,
        "anonymous": {"anonymous caller": "匿名甲标记人", "anonymous caller phone": phones["anonymous caller"]},
        "reporters": {"named caller": "实名乙标记人", "hazard finder": "隐患丙标记人"},
        "own_shop_phones": own_shop,
        "people_places": {"last position": _exact(seen[0]), "check-in phone": _exact(phone_at[0]),
                          **({"person on duty": _exact(on_duty_at[0])} if on_duty else {})},
        "checkin_places": {"check-in phone": _exact(phone_at[0])},
        "tip_places": {"undispatched tip": _exact(hidden_at[0])},
        "dispatched_tip_places": {"dispatched tip": _exact(tip_at[0])},
    }
    return markers


def _check_in_on_duty(s, district: int, point: tuple[float, float], now: datetime, exclude: set[int]) -> bool:
    """Someone holding tonight's 23:00 shift checks in at a new point there: the map shows them at it."""
    at = hour_of_night(duty_date_of(now), DUTY_HOUR)
    holding = s.execute(select(Assignment.person_id, Shift.id, Shift.starts_at).join(Shift, Shift.id == Assignment.shift_id)
                        .where(Shift.district_id == district, Shift.starts_at <= at, Shift.ends_at > at,
                               Assignment.status.in_(HOLDING_STATUSES), Assignment.person_id.not_in(exclude))
                        .order_by(Assignment.id)).first()
    if holding is None:
        return False
    person_id, shift_id, starts_at = holding
    checkpoint = Checkpoint(district_id=district, name="标记打卡点", secret="0" * 64, lat=point[0], lon=point[1],
                            cell=cell_of(*point))
    s.add(checkpoint)
    s.flush()
    s.add(CheckIn(district_id=district, person_id=person_id, checkpoint_id=checkpoint.id, shift_id=shift_id,
                  at=starts_at + timedelta(minutes=10), duty_date=duty_date_of(now), cell=checkpoint.cell))
    return True
