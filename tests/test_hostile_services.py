"""Hostile free text through every service that stores it, on SQLite and PostgreSQL alike.

Each field takes the corpus (tests/hostile.py): nothing may crash, a refusal carries a catalog key,
what is stored reads back exactly as typed after nightwatch.text's normalisation, and both
databases decide the same way.
"""
from __future__ import annotations

from datetime import date, time, timedelta

import hostile_bench
import pytest
from booking_ground import local
from hostile_bench import SHOP_LAT, SHOP_LON, TALLY, Bench, check_field, report, strings
from sqlalchemy import select

from db.models import (
    District,
    Grid,
    Hazard,
    OutreachEvent,
    Person,
    Place,
    Route,
    Shop,
    ShopInspection,
    Team,
    Tip,
)
from nightwatch.people_rows import normalise_phone
from nightwatch.services import (
    geography,
    grids,
    hazards,
    outreach,
    people,
    people_teams,
    points,
    routes,
    shop_edit,
)
from nightwatch.services.tip_logging import log_tip
from nightwatch.services.tip_posting import MAX_LABEL, Where, post_tip
from nightwatch.text import clean_text, optional_text
from nightwatch.vocab import (
    BusinessKind,
    HazardCategory,
    OutreachKind,
    PlaceKind,
    RoleKind,
    TeamType,
    TipCategory,
    TipSource,
    Urgency,
)

pytestmark = pytest.mark.reliability
benches = hostile_bench.benches  # the session's benches: one world per database
NOW = local("2026-11-20 22:30")


def _read(bench: Bench, model: type, row_id: int, column: str) -> object:
    """One column of one row, read back in a new session."""
    with bench.factory() as session:
        return getattr(session.get(model, row_id), column)


def _tip_text(bench: Bench, value: str, index: int) -> object:
    """A merchant posts a tip with these words."""
    tip = post_tip(session_factory=bench.factory, actor=bench.merchant, category=TipCategory.DISPUTE, text=value,
                   urgency=Urgency.LOW, now=NOW + timedelta(seconds=index))
    return _read(bench, Tip, tip, "text")


def _logged_tip(bench: Bench, column: str, **given: object) -> object:
    """A coordinator logs a phoned-in tip; the column read back."""
    where = given.pop("where", Where(SHOP_LAT, SHOP_LON, "map", "巷口"))
    tip = log_tip(session_factory=bench.factory, actor=bench.coordinator, district_id=bench.district,
                  category=TipCategory.DISPUTE, text="来电", urgency=Urgency.LOW, where=where,
                  source=TipSource.PHONE, now=NOW, **given)
    return _read(bench, Tip, tip, column)


def _person(bench: Bench, name: str, phone: str) -> object:
    """A coordinator adds a person; their (name, phone) read back."""
    person = people.add_person(session_factory=bench.factory, actor=bench.coordinator, district_id=bench.district,
                               fields=people.PersonFields(name=name, phone=phone, role_kind=RoleKind.VOLUNTEER))
    with bench.factory() as session:
        row = session.get(Person, person)
        return {"name": row.name, "phone": row.phone}


def _hazard(bench: Bench, description: str, note: str | None, index: int) -> object:
    """A coordinator reports a hazard; its (description, location note) read back."""
    hazard = hazards.report(session_factory=bench.factory, actor=bench.coordinator, district_id=bench.district,
                            category=HazardCategory.BLOCKED_FIRE_EXIT, description=description,
                            location_note=note, now=NOW + timedelta(seconds=index))
    with bench.factory() as session:
        row = session.get(Hazard, hazard)
        return {"description": row.description, "location_note": row.location_note}


def _shop(bench: Bench, name: str, address: str, index: int) -> object:
    """A coordinator adds a shop; its (name, address) read back."""
    shop = shop_edit.create_shop(session_factory=bench.factory, actor=bench.coordinator, district_id=bench.district,
                                 profile=shop_edit.ProfileFields(name=name, kind=BusinessKind.RESTAURANT,
                                                                 address=address),
                                 lat=SHOP_LAT, lon=SHOP_LON + index / 10_000, now=NOW)
    with bench.factory() as session:
        row = session.get(Shop, shop)
        return {"name": row.name, "address": row.address}


def _dossier(bench: Bench, **given: str) -> object:
    """The merchant saves their dossier; (owner name, note, contacts) read back."""
    fields = shop_edit.DossierFields(owner_name=given.get("owner", "王老板"), owner_phone="13800000001",
                                     contacts=[shop_edit.ContactFields(given.get("contact", "李店长"), "13800000002",
                                                                       given.get("role", "店长"))],
                                     note=given.get("note", ""))
    shop_edit.edit_dossier(session_factory=bench.factory, actor=bench.merchant, shop_id=bench.world.a.shop,
                           fields=fields, now=NOW)
    with bench.factory() as session:
        row = session.get(Shop, bench.world.a.shop)
        return {"owner": row.owner_name, "note": row.note, "contact": dict(row.contacts[0])}


def _outreach(bench: Bench, **given: object) -> object:
    """A coordinator logs an outreach event at the shop; (title, location note, note) read back."""
    form = outreach.OutreachInput(kind=OutreachKind.ANTI_FRAUD_BOOTH, title=given.get("title", "反诈宣传"),
                                  day=date(2026, 11, 20), start=time(19, 0), end=time(21, 0),
                                  shop_id=bench.world.a.shop, location_note=given.get("location"),
                                  note=given.get("note"))
    logged = outreach.log_event(session_factory=bench.factory, actor=bench.coordinator, district_id=bench.district,
                                form=form)
    with bench.factory() as session:
        row = session.get(OutreachEvent, logged.id)
        return {"title": row.title, "location_note": row.location_note, "note": row.note}


def _place(bench: Bench, name: str, address: str | None, note: str | None, index: int) -> object:
    """A coordinator adds a place; its (name, address, note) read back."""
    place = points.add_point(session_factory=bench.factory, actor=bench.coordinator, district_id=bench.district,
                             kind=points.PointKind.PLACE, name=name, lat=SHOP_LAT + index / 10_000, lon=SHOP_LON,
                             subtype=next(iter(PlaceKind)), address=address, note=note)
    with bench.factory() as session:
        row = session.get(Place, place)
        return {"name": row.name, "address": row.address, "note": row.note}


def _grid_id(bench: Bench) -> int:
    """Side a's grid."""
    with bench.factory() as session:
        return session.scalar(select(Grid.id).where(Grid.district_id == bench.district).order_by(Grid.id))


def _grid_name(bench: Bench, value: str, index: int) -> object:
    """A coordinator renames the grid."""
    grid = _grid_id(bench)
    grids.edit_grid(session_factory=bench.factory, actor=bench.coordinator, grid_id=grid, name=value, staffing={})
    return _read(bench, Grid, grid, "name")


def _route_name(bench: Bench, value: str, index: int) -> object:
    """A coordinator saves a route of the two checkpoints."""
    first, second = bench.checkpoints
    route = routes.save_route(session_factory=bench.factory, actor=bench.coordinator, district_id=bench.district,
                              name=value, stops=[(first, 0), (second, 5)])
    return _read(bench, Route, route, "name")


def _district(bench: Bench, name: str, note: str | None) -> object:
    """The administrator creates a district; its (name, note) read back."""
    district = geography.create_district(session_factory=bench.factory, actor=bench.admin, name=name,
                                         city="测试市", note=note)
    with bench.factory() as session:
        row = session.get(District, district)
        return {"name": row.name, "note": row.note}


def _team(bench: Bench, value: str, index: int) -> object:
    """A coordinator creates a team."""
    team = people_teams.create_team(session_factory=bench.factory, actor=bench.coordinator,
                                    district_id=bench.district,
                                    fields=people_teams.TeamFields(name=value, team_type=TeamType.RED_VOLUNTEER))
    return _read(bench, Team, team, "name")


def _inspection(bench: Bench, value: str, index: int) -> object:
    """A coordinator records an inspection of the shop with this note."""
    inspection = shop_edit.record_inspection(session_factory=bench.factory, actor=bench.coordinator,
                                             shop_id=bench.world.a.shop, checklist={}, note=value, now=NOW)
    return _read(bench, ShopInspection, inspection, "note")


def _phone_as_stored(value: str) -> str | None:
    """A typed mobile is stored as its 11 ASCII digits; anything else must be refused (None never matches)."""
    phone = normalise_phone(value)
    return phone if phone.isascii() and phone.isdigit() and len(phone) == 11 else None


# field name → (store(bench, value, index) → what is read back, what that must be for a typed value)
FIELDS = {
    "tip text": (_tip_text, clean_text),
    "tip location note": (lambda b, v, i: _logged_tip(b, "location_note", where=Where(SHOP_LAT, SHOP_LON, "map", v)),
                          lambda v: optional_text(v) and clean_text(v)[:MAX_LABEL]),
    "tip caller name": (lambda b, v, i: _logged_tip(b, "caller_name", caller_name=v), optional_text),
    "person name": (lambda b, v, i: _person(b, v, f"1370000{i:04d}")["name"], clean_text),
    "person phone": (lambda b, v, i: _person(b, f"号码{i}", v)["phone"], _phone_as_stored),
    "team name": (_team, clean_text),
    "hazard description": (lambda b, v, i: _hazard(b, v, "巷口", i)["description"], clean_text),
    "hazard location note": (lambda b, v, i: _hazard(b, f"消防通道堵塞{i}", v, i)["location_note"], optional_text),
    "shop name": (lambda b, v, i: _shop(b, v, "", i)["name"], clean_text),
    "shop address": (lambda b, v, i: _shop(b, f"地址测试店{i}", v, i)["address"], optional_text),
    "shop owner name": (lambda b, v, i: _dossier(b, owner=v)["owner"], optional_text),
    "shop note": (lambda b, v, i: _dossier(b, note=v)["note"], optional_text),
    "shop contact name": (lambda b, v, i: _dossier(b, contact=v)["contact"]["name"], clean_text),
    "shop contact role": (lambda b, v, i: _dossier(b, role=v)["contact"]["role"], clean_text),
    "inspection note": (_inspection, optional_text),
    "outreach title": (lambda b, v, i: _outreach(b, title=v)["title"], clean_text),
    "outreach location note": (lambda b, v, i: _outreach(b, location=v)["location_note"], optional_text),
    "outreach note": (lambda b, v, i: _outreach(b, note=v)["note"], optional_text),
    "grid name": (_grid_name, clean_text),
    "place name": (lambda b, v, i: _place(b, v, None, None, i)["name"], clean_text),
    "place address": (lambda b, v, i: _place(b, f"地点{i}", v, None, i)["address"], optional_text),
    "place note": (lambda b, v, i: _place(b, f"备注地点{i}", None, v, i)["note"], optional_text),
    "route name": (_route_name, clean_text),
    "district name": (lambda b, v, i: _district(b, v, None)["name"], clean_text),
    "district note": (lambda b, v, i: _district(b, f"备注区{i}", v)["note"], optional_text),
}


@pytest.mark.parametrize("name", list(FIELDS))
def test_a_field_stores_hostile_text_as_typed_or_refuses_it_alike_on_both_databases(benches, scorecard, name):
    store, expected = FIELDS[name]
    failures = check_field(benches, name, [entry.text for entry in strings(scorecard)], store, expected)
    assert not failures, report(failures)


def test_record_the_hostile_text_figures(benches, scorecard):
    from hostile import CATEGORIES, CORPUS

    scorecard.record("hostile input", "corpus size", len(CORPUS), ">= 200")
    scorecard.record("hostile input", "corpus categories", f"{len(CATEGORIES)}: {', '.join(CATEGORIES)}", "all listed")
    assert TALLY.checks["sqlite"] == TALLY.checks["postgresql"] > 0
