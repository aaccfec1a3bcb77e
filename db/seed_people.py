"""Demo teams, their fictional members, and the shops with their owners and co-defenders.

People are keyed by phone number, which is a pure function of (district no., group, index):
a team's members use the team's `no` as group, shop owners use groups from SHOP_GROUP on.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import District, Grid, Person, Shop, Team
from db.seed_support import bbox_of, located, person_name, phone_number, seed_file, stable_rng
from nightwatch.vocab import BusinessKind, RoleKind

SHOP_GROUP = 90
FOOD_KINDS = {BusinessKind.RESTAURANT, BusinessKind.SNACK_STALL}


def seed_people(session: Session, district: District, spec: dict[str, Any], grids: dict[str, Grid],
                anchors: dict[str, tuple[float, float, bool]]) -> dict[str, Team]:
    """Insert the district's teams, members, shops and co-defenders that are missing; return teams by name."""
    team_specs = seed_file("teams")["teams"].get(spec["key"], [])
    existing_teams = {t.name: t for t in session.scalars(select(Team).where(Team.district_id == district.id))}
    for entry in team_specs:
        if entry["name"] not in existing_teams:
            lat, lon, _ = anchors[entry["base"]]
            team = Team(district_id=district.id, name=entry["name"], team_type=entry["type"],
                        base_lat=lat, base_lon=lon)
            session.add(team)
            existing_teams[team.name] = team
    session.flush()

    people = {p.phone: p for p in session.scalars(select(Person).where(Person.district_id == district.id))}
    names = {p.name for p in people.values()}
    grid_list = sorted(grids.values(), key=lambda g: g.name)
    fresh: list[Person] = []
    for entry in team_specs:
        team = existing_teams[entry["name"]]
        index = 0
        for role, count in entry["members"].items():
            for _ in range(count):
                index += 1
                phone = phone_number(spec["no"], entry["no"], index)
                if phone in people:
                    continue
                person = Person(
                    district_id=district.id, team_id=team.id, phone=phone, role_kind=role,
                    name=_unique_name(names, spec["no"], entry["no"], index),
                    skills=list(entry.get("skills", [])),
                    home_grid_id=grid_list[index % len(grid_list)].id if grid_list else None,
                )
                people[phone] = person
                fresh.append(person)
    codefense_team = next((existing_teams[e["name"]] for e in team_specs if e.get("codefenders")), None)
    shops = _shops(session, district, spec, grids, anchors, people, names, fresh, codefense_team)
    session.add_all(fresh)
    session.flush()
    for shop in shops:
        if shop.is_codefender:
            shop.codefender_id = people[shop.owner_phone].id
    session.add_all(shops)
    for entry in team_specs:
        team = existing_teams[entry["name"]]
        if team.leader_id is None:
            members = sorted((p for p in people.values() if p.team_id == team.id), key=lambda p: p.phone)
            team.leader_id = members[0].id if members else None
    session.flush()
    return existing_teams


def _unique_name(taken: set[str], district_no: int, group: int, index: int) -> str:
    """A name not yet used in the district, fixed by the person's number."""
    rng = stable_rng("person", district_no, group, index)
    name = person_name(rng)
    while name in taken:
        name = person_name(rng)
    taken.add(name)
    return name


def _shops(session: Session, district: District, spec: dict[str, Any], grids: dict[str, Grid],
           anchors: dict[str, tuple[float, float, bool]], people: dict[str, Person], names: set[str],
           fresh_people: list[Person], codefense_team: Team | None) -> list[Shop]:
    """New shops placed inside their grid; a co-defender shop's owner joins as a merchant person."""
    existing = set(session.scalars(select(Shop.name).where(Shop.district_id == district.id)))
    grid_specs = {g["name"]: g for g in seed_file("grids")["grids"].get(spec["key"], [])}
    fresh: list[Shop] = []
    index = 0
    for grid_name, entries in seed_file("shops")["shops"].get(spec["key"], {}).items():
        grid = grids[grid_name]
        street = grid_specs[grid_name]["near"]
        for entry in entries:
            index += 1
            if entry["name"] in existing:
                continue
            phone = phone_number(spec["no"], SHOP_GROUP + index // 1000, index % 1000)
            owner = people[phone].name if phone in people else _unique_name(names, spec["no"], SHOP_GROUP, index)
            rng = stable_rng("shop", spec["no"], entry["name"])
            lat, lon = _point_in(grid, rng)
            kind = BusinessKind(entry["kind"])
            fresh.append(Shop(
                district_id=district.id, grid_id=grid.id, name=entry["name"], owner_name=owner,
                owner_phone=phone, business_kind=kind, address=f"{street} {index}号",
                risk_level=entry.get("risk", "low"), is_codefender=entry.get("codefender", False),
                safety_checklist=_checklist(rng, kind), note=entry.get("note"), **located(lat, lon, True),
            ))
            if entry.get("codefender") and phone not in people:
                person = Person(district_id=district.id, team_id=codefense_team.id if codefense_team else None,
                                home_grid_id=grid.id, name=owner, phone=phone, role_kind=RoleKind.MERCHANT)
                people[phone] = person
                fresh_people.append(person)
    return fresh


def _point_in(grid: Grid, rng: Any) -> tuple[float, float]:
    """A point in the inner 80% of a grid's rectangle."""
    box = bbox_of(grid.polygon)
    assert box is not None, f"grid {grid.name} has no polygon"
    south, west, north, east = box
    lat = south + (north - south) * rng.uniform(0.1, 0.9)
    lon = west + (east - west) * rng.uniform(0.1, 0.9)
    return round(lat, 6), round(lon, 6)


def _checklist(rng: Any, kind: BusinessKind) -> dict[str, bool]:
    """A plausible safety checklist for a shop's dossier (平安档案)."""
    checklist = {
        "extinguisher": rng.random() < 0.92,
        "camera": rng.random() < 0.75,
        "alarm_button": rng.random() < 0.4,
        "fire_exit_clear": rng.random() < 0.85,
    }
    if kind in FOOD_KINDS:
        checklist["gas_alarm"] = rng.random() < 0.7
        checklist["grease_duct_cleaned"] = rng.random() < 0.75
    return checklist
