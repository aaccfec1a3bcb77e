"""Helpers the demo seed shares: data files, stable randomness, night times, points, names, bulk inserts."""
from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from nightwatch.geo import cell_of, offset_point
from nightwatch.nights import NIGHT_ROLLOVER_HOUR

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
# Changing the salt reshuffles every generated night; bump it only on purpose.
SALT = "nightwatch-demo-1"
# The demo window: nights before and after "today" that carry shifts and activity.
WINDOW_BACK = 21
WINDOW_AHEAD = 7
# Every run shows tonight as it stands at this local time: busy, with tips still open.
SNAPSHOT = time(22, 30)


@cache
def seed_file(name: str) -> dict[str, Any]:
    """The parsed contents of one seeds/*.json file."""
    return json.loads((SEEDS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def stable_rng(*parts: object) -> random.Random:
    """A random generator fixed by its key parts (Python's hash() is salted per process, this is not)."""
    digest = hashlib.sha256("|".join([SALT, *map(str, parts)]).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def clock(text: str) -> time:
    """A local wall time from "HH:MM"."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def at_night(duty_date: date, wall: time, tz: str) -> datetime:
    """The aware UTC instant of a local wall time during a night; before the rollover hour is next morning."""
    day = duty_date + timedelta(days=1) if wall.hour < NIGHT_ROLLOVER_HOUR else duty_date
    return datetime.combine(day, wall, tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)


def tonight_snapshot(today: date, tz: str, now: datetime | None = None) -> datetime:
    """Where the demo's tonight stands: 22:30 local, or `now` when seeding live before then."""
    snapshot = at_night(today, SNAPSHOT, tz)
    return min(snapshot, whole_seconds(now)) if now is not None else snapshot


def whole_seconds(instant: datetime) -> datetime:
    """The instant without its fraction of a second, so stored and generated values compare equal."""
    return instant.replace(microsecond=0)


def minutes(rng: random.Random, low: float, high: float) -> timedelta:
    """A random stretch between low and high minutes, to the second."""
    return timedelta(seconds=round(rng.uniform(low, high) * 60))


def resolve_point(spec: dict[str, Any], anchors: dict[str, tuple[float, float, bool]]) -> tuple[float, float, bool]:
    """(lat, lon, approximate) of a data-file entry given as lat/lon or as metres from a named anchor."""
    if "near" in spec:
        lat, lon, approximate = anchors[spec["near"]]
        lat, lon = offset_point(lat, lon, spec.get("north", 0), spec.get("east", 0))
        return round(lat, 6), round(lon, 6), spec.get("approximate", True) or approximate
    return spec["lat"], spec["lon"], spec.get("approximate", True)


def jitter(rng: random.Random, lat: float, lon: float, radius_m: float) -> tuple[float, float]:
    """A point within radius_m metres of another (uniform over a square, good enough for demo scatter)."""
    north, east = rng.uniform(-radius_m, radius_m), rng.uniform(-radius_m, radius_m)
    lat, lon = offset_point(lat, lon, north, east)
    return round(lat, 6), round(lon, 6)


def located(lat: float, lon: float, approximate: bool = True) -> dict[str, Any]:
    """The Located columns of a row at a point."""
    return {"lat": lat, "lon": lon, "cell": cell_of(lat, lon), "approximate": approximate}


def bbox_of(polygon: dict[str, Any] | None) -> tuple[float, float, float, float] | None:
    """(south, west, north, east) of a GeoJSON Polygon's outer ring."""
    if not polygon:
        return None
    ring = polygon["coordinates"][0]
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return min(lats), min(lons), max(lats), max(lons)


def inside(box: tuple[float, float, float, float] | None, lat: float, lon: float) -> bool:
    """True when a point lies in a bounding box."""
    return box is not None and box[0] <= lat <= box[2] and box[1] <= lon <= box[3]


def phone_number(district_no: int, group: int, index: int) -> str:
    """A fictional mobile number: real prefix, then 0, district, group and index digits.

    The fixed pattern (4th digit 0, then DD GG III) makes seeded numbers recognisable
    while they still look like mainland numbers and exercise masking.
    """
    prefixes = seed_file("names")["phone_prefixes"]
    prefix = prefixes[(district_no * 7 + group * 3 + index) % len(prefixes)]
    return f"{prefix}0{district_no:02d}{group:02d}{index:03d}"


def person_name(rng: random.Random) -> str:
    """A plausible Chinese name: surname plus one or two given-name characters."""
    names = seed_file("names")
    given_length = 1 if rng.random() < 0.3 else 2
    return rng.choice(names["surnames"]) + "".join(rng.choice(names["given"]) for _ in range(given_length))



def insert_all(session: Session, objects: Sequence[Any]) -> None:
    """Insert transient ORM objects of one model in a single executemany, defaults filled in.

    Much faster than session.add_all for thousands of rows: the ORM would send one INSERT
    per row on SQLite to read each id back. Callers reload the rows by natural key.
    """
    if not objects:
        return
    table = objects[0].__table__
    rows = []
    for obj in objects:
        row = {}
        for column in table.columns:
            value = getattr(obj, column.key)
            if value is None and column.primary_key:
                continue
            if value is None and column.default is not None:
                value = column.default.arg if column.default.is_scalar else column.default.arg(None)
            row[column.key] = value
        rows.append(row)
    session.execute(table.insert(), rows)
