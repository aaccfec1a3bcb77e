"""A small district holding marker personal data in old and recent tips and check-ins (privacy tests).

Old rows (past any retention period) belong to 甄秘密, recent ones to 卜知情; each marker string is
unique, so finding its bytes anywhere means the data is still there.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from booking_ground import local
from db.models import (
    Account, AuditEvent, CheckIn, Checkpoint, District, GeocodeCache, Grid, Hazard, IncidentHeat, PatrolHeat, Person,
    Shop, Tip,
)
from nightwatch.geo import cell_of, rectangle
from nightwatch.nights import duty_date_of
from nightwatch.services import heat_rollup
from nightwatch.vocab import AccountRole, HazardCategory, RoleKind, TipCategory, TipStatus

NOW = local("2026-11-20 22:30")
OLD = NOW - timedelta(days=400)
RECENT = NOW - timedelta(days=10)
RETENTION_DAYS = 365
LANE = (25.2847, 110.2965)

# The old reporter and what their old reports say; all must be gone after a purge or her erasure.
ALICE_NAME, ALICE_PHONE, ALICE_LOGIN = "甄秘密", "13912345678", "zhen-mimi-login"
OLD_MARKERS = ("张可疑人", "来电者乙丙", "13600001111", "旧门牌九十九号")
# The recent reporter and their words: a purge keeps them, Alice's erasure keeps them.
BOB_NAME, BOB_PHONE = "卜知情", "13787654321"
RECENT_MARKERS = ("李新近", "来电者丁戊", "13500002222", "新门牌七十七号")
CATEGORIES = (TipCategory.DISPUTE, TipCategory.THEFT, TipCategory.NOISE)


@dataclass(frozen=True)
class World:
    """Ids of the rows the privacy tests look at."""

    district_id: int
    alice_id: int
    alice_account_id: int
    bob_id: int
    old_tips: int
    old_check_ins: int
    old_photos: list[Path]
    recent_photos: list[Path]


def encodings(marker: str) -> list[bytes]:
    """The bytes a marker can take in a database file: UTF-8, and JSON's \\u escapes (SQLite JSON columns)."""
    return [marker.encode("utf-8"), json.dumps(marker)[1:-1].encode("ascii")]


def bytes_found(path: Path, markers: tuple[str, ...]) -> dict[str, int]:
    """How many times each marker's bytes occur in a file (a missing file holds none)."""
    data = path.read_bytes() if path.exists() else b""
    return {marker: sum(data.count(form) for form in encodings(marker)) for marker in markers}


def _photo(upload_dir: Path, name: str) -> str:
    folder = upload_dir / "tips"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.jpg").write_bytes(b"\xff\xd8\xff photo of " + name.encode() + b"\xff\xd9")
    return f"tips/{name}.jpg"


def _tip(session, district: District, grid: Grid, at: datetime, index: int, words: tuple[str, ...], photo: str,
         reporter: Person, account: Account | None) -> Tip:
    suspect, caller, caller_phone, door = words
    lat, lon = LANE[0] + index * 1e-5, LANE[1] - index * 1e-5
    tip = Tip(district_id=district.id, grid_id=grid.id, reporter_person_id=reporter.id,
              reporter_account_id=account.id if account else None, caller_name=caller, caller_phone=caller_phone,
              category=CATEGORIES[index % len(CATEGORIES)],
              text=f"{suspect} 在{door}门口与人争执,{reporter.name}看见了",
              location_note=door, photo_path=photo, status=TipStatus.CLOSED, outcome_note=f"{suspect} 已劝离",
              lat=lat, lon=lon, cell=cell_of(lat, lon), idempotency_key=f"key-{at:%Y%m%d}-{index}",
              received_at=at + timedelta(minutes=index), duty_date=duty_date_of(at, district.timezone))
    session.add(tip)
    session.flush()
    heat_rollup.count_tip(session, tip)
    return tip


def _check_in(session, district: District, point: Checkpoint, person: Person, at: datetime, index: int) -> None:
    check_in = CheckIn(district_id=district.id, person_id=person.id, checkpoint_id=point.id,
                       at=at + timedelta(minutes=index), duty_date=duty_date_of(at, district.timezone),
                       cell=point.cell, team_type="red_vest", phone_lat=LANE[0] + 0.000123 + index * 1e-6,
                       phone_lon=LANE[1] + 0.000456, distance_m=12.5)
    session.add(check_in)
    session.flush()
    heat_rollup.count_check_in(session, check_in)


def build(factory: sessionmaker, upload_dir: Path, old_rows: int = 6) -> World:
    """The district: Alice's old tips and check-ins, Bob's recent ones, old and new geocoder answers."""
    with factory.begin() as s:
        district = District(name="东西巷", city="桂林", center_lat=LANE[0], center_lon=LANE[1])
        s.add(district)
        s.flush()
        grid = Grid(district_id=district.id, name="东西巷一网格", polygon=rectangle(*LANE, 300, 300),
                    center_lat=LANE[0], center_lon=LANE[1])
        point = Checkpoint(district_id=district.id, name="巷口", secret="ab" * 16, lat=LANE[0], lon=LANE[1],
                           cell=cell_of(*LANE))
        alice = Person(district_id=district.id, name=ALICE_NAME, phone=ALICE_PHONE, role_kind=RoleKind.VOLUNTEER)
        bob = Person(district_id=district.id, name=BOB_NAME, phone=BOB_PHONE, role_kind=RoleKind.VOLUNTEER)
        s.add_all([grid, point, alice, bob])
        s.flush()
        account = Account(login=ALICE_LOGIN, role=AccountRole.VOLUNTEER, person_id=alice.id,
                          display_name=ALICE_NAME, password_hash="x" * 60)
        s.add(account)
        s.flush()
        old_photos, recent_photos = [], []
        for index in range(old_rows):
            photo = _photo(upload_dir, f"old-{index}") if index % 2 == 0 else None
            _tip(s, district, grid, OLD, index, OLD_MARKERS, photo, alice, account)
            _check_in(s, district, point, alice, OLD, index)
            if photo:
                old_photos.append(upload_dir / photo)
        for index in range(3):
            photo = _photo(upload_dir, f"recent-{index}")
            _tip(s, district, grid, RECENT, index, RECENT_MARKERS, photo, bob, None)
            _check_in(s, district, point, bob, RECENT, index)
            recent_photos.append(upload_dir / photo)
        s.add(Shop(district_id=district.id, grid_id=grid.id, name="三花酒坊", business_kind="retail",
                   owner_name=BOB_NAME, owner_phone=BOB_PHONE, note=f"{ALICE_NAME} 常来帮忙"))
        s.add(Hazard(district_id=district.id, grid_id=grid.id, found_by_id=alice.id,
                     reported_by_account_id=account.id, category=HazardCategory.BLOCKED_FIRE_EXIT,
                     description=f"{ALICE_NAME}({ALICE_PHONE})发现消防通道堵塞", found_at=RECENT))
        s.add(AuditEvent(at=OLD, actor="coordinator", action="person.create", entity="person", entity_id=alice.id,
                         district_id=district.id, after={"name": ALICE_NAME, "phone": "139****5678"}))
        s.add(AuditEvent(at=RECENT, account_id=account.id, actor=ALICE_LOGIN, action="auth.sign_in",
                         entity="account", entity_id=account.id))
        s.add_all([GeocodeCache(provider="nominatim", query="旧门牌九十九号 桂林", lat=LANE[0], lon=LANE[1],
                                label="旧门牌九十九号", found_at=OLD),
                   GeocodeCache(provider="nominatim", query="新门牌七十七号 桂林", lat=LANE[0], lon=LANE[1],
                                label="新门牌七十七号", found_at=RECENT)])
        return World(district.id, alice.id, account.id, bob.id, old_rows, old_rows, old_photos, recent_photos)


def statistics(factory: sessionmaker) -> dict[str, list[tuple]]:
    """What reports and maps count: tips by category, grid, night, cell and status; check-ins by point,
    night, cell and team type; and both heat rollups."""
    tip_keys = (Tip.category, Tip.grid_id, Tip.duty_date, Tip.cell, Tip.status)
    check_in_keys = (CheckIn.checkpoint_id, CheckIn.duty_date, CheckIn.cell, CheckIn.team_type)
    queries = {
        "tips": select(*tip_keys, func.count()).group_by(*tip_keys),
        "check_ins": select(*check_in_keys, func.count()).group_by(*check_in_keys),
        "patrol_heat": select(PatrolHeat.duty_date, PatrolHeat.hour, PatrolHeat.cell, PatrolHeat.team_type,
                              PatrolHeat.n),
        "incident_heat": select(IncidentHeat.duty_date, IncidentHeat.hour, IncidentHeat.cell, IncidentHeat.category,
                                IncidentHeat.n),
    }
    with factory() as s:
        return {name: sorted((tuple(row) for row in s.execute(query)), key=repr) for name, query in queries.items()}


def sqlite_files(factory: sessionmaker) -> list[Path]:
    """The SQLite database file and its WAL, or nothing on PostgreSQL."""
    engine = factory.writer
    if engine.dialect.name != "sqlite":
        return []
    database = Path(engine.url.database)
    return [database, database.with_name(database.name + "-wal")]


def backend(factory: sessionmaker) -> str:
    """The database's name as the scorecard prints it."""
    name = factory.writer.dialect.name
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(name, name)
