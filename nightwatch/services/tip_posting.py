"""Posting tips: a merchant's own (idempotent, located, with a cleaned photo), and adding to a similar one."""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Connection, Select, Text, and_, bindparam, cast, false, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from db.errors import is_busy
from db.models import District, Grid, Shop, Tip, TipFollower
from db.prepared import Prepared, PreparedSelect
from db.session import Sessions
from db.types import utcnow
from nightwatch import geo, nights
from nightwatch.access import Actor, Forbidden, require_role
from nightwatch.config import Settings
from nightwatch.photos import PhotoRefused, clean_photo
from nightwatch.services import heat_rollup
from nightwatch.services.audit import record, record_now
from nightwatch.services.tip_grids import grid_at, holds
from nightwatch.text import clean_text
from nightwatch.vocab import (
    OPEN_TIP_STATUSES,
    AccountRole,
    TipCategory,
    TipSource,
    TipStatus,
    Urgency,
)

MAX_TEXT = 500
MAX_LABEL = 200
SIMILAR_RADIUS_M = 100.0
SIMILAR_WINDOW = timedelta(minutes=15)
# A picked point this far from the shop is a slip of the finger, not a tip the shop saw.
MAX_FROM_SHOP_M = 3000.0
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
WHERE_SOURCES = ("shop", "map", "address")


class TipRefused(Exception):
    """A tip could not be posted, added to or read; ``key`` is a catalog key, ``values`` fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Where:
    """Where the tip is: the shop's own location, a point picked on the map, or a found address."""

    lat: float | None = None
    lon: float | None = None
    source: str = "shop"
    label: str | None = None


def checked_text(text: str | None) -> str:
    """The tip's words, trimmed; refuses over MAX_TEXT characters."""
    words = clean_text(text)
    if len(words) > MAX_TEXT:
        raise TipRefused("tips.text_too_long", limit=MAX_TEXT)
    return words


def checked_point(where: Where) -> tuple[float, float]:
    """The WGS-84 point of a map or address location; refuses a missing or impossible one."""
    if where.source not in WHERE_SOURCES:
        raise TipRefused("tips.where_unknown")
    if where.lat is None or where.lon is None or not geo.is_valid_point(where.lat, where.lon):
        raise TipRefused("tips.where_missing")
    return float(where.lat), float(where.lon)


def store_photo(photo: bytes | None, upload_dir: str | Path | None) -> str | None:
    """Clean a photo and keep it under the upload folder by a random name; the relative path."""
    if photo is None:
        return None
    try:
        data, extension = clean_photo(photo)
    except PhotoRefused as refused:
        raise TipRefused(refused.key) from None
    folder = Path(upload_dir or Settings.from_env().upload_dir) / "tips"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"tips/{secrets.token_hex(16)}.{extension}"
    (folder.parent / name).write_bytes(data)
    return name


def _forget_photo(name: str | None, upload_dir: str | Path | None) -> None:
    """Remove a stored photo whose tip was never written."""
    if name:
        (Path(upload_dir or Settings.from_env().upload_dir) / name).unlink(missing_ok=True)


def merchant_shop(session: Session, actor: Actor) -> Shop:
    """The merchant's own shop; refuses a merchant account without one."""
    require_role(actor, (AccountRole.MERCHANT,))
    shop = session.get(Shop, actor.shop_id) if actor.shop_id is not None else None
    if shop is None:
        raise TipRefused("tips.no_shop")
    return shop


def _point_for(shop: Shop | Place, where: Where | None) -> tuple[float, float]:
    """Where a merchant's tip is: the shop by default, else a checked point near it."""
    if where is None or where.source == "shop":
        if shop.lat is None or shop.lon is None:
            raise TipRefused("tips.shop_not_located")
        return shop.lat, shop.lon
    lat, lon = checked_point(where)
    if shop.lat is not None and shop.lon is not None and geo.haversine_m(shop.lat, shop.lon, lat, lon) > MAX_FROM_SHOP_M:
        raise TipRefused("tips.where_too_far", metres=int(MAX_FROM_SHOP_M))
    return lat, lon


def _checked_key(key: str | None) -> str | None:
    """The form's idempotency key, if it looks like one we made."""
    if key is None:
        return None
    if not KEY_PATTERN.fullmatch(key):
        raise TipRefused("tips.bad_key")
    return key


def existing_for_key(session: Session | Connection, actor: Actor, key: str | None) -> int | None:
    """The tip a key already made for this account; refuses a key another account used."""
    if key is None:
        return None
    found = session.execute(select(Tip.id, Tip.reporter_account_id).where(Tip.idempotency_key == key)).first()
    if found is None:
        return None
    if found.reporter_account_id != actor.account_id:
        raise Forbidden("tips.key_taken")
    return found.id


class Draft(NamedTuple):
    """A new tip's column values, and its district's timezone (for the rollup's local hour) when known."""

    values: dict[str, Any]
    timezone: str | None = None


def insert_tip(session_factory: Sessions, actor: Actor, key: str | None, draft: Callable[[Connection], Draft | int],
               photo: bytes | None, upload_dir: str | Path | None, audit_after: dict,
               action: str = "tip.post") -> int:
    """Write the tip `draft` makes, read and written in one transaction (photo stored first).

    `draft` reads what the tip needs on the write transaction's connection and returns it, or the id of
    the tip `key` already made. One transaction instead of a read and then a write: on SQLite the
    read is a few index lookups inside the write lock, and the merchant's send, the hottest write there
    is, skips a whole transaction. A racing twin with the same key (PostgreSQL) wins.
    """
    photo_path, written = store_photo(photo, upload_dir), False
    try:
        with session_factory.writer.begin() as connection:
            made = draft(connection)
            if isinstance(made, int):
                return made
            # Every column the INSERT binds is named (see db.prepared); a tip's point is never marked approximate.
            values = {"approximate": False, **made.values, "photo_path": photo_path}
            tip_id = INSERT_TIP.execute(connection, values)
            heat_rollup.count_tip(connection, values, timezone=made.timezone)
            record_now(connection, actor, action, "tip", tip_id, district_id=values["district_id"], after=audit_after)
        written = True
        return tip_id
    except IntegrityError:
        with session_factory.reading() as connection:
            twin = existing_for_key(connection, actor, key)
        if twin is None:
            raise
        return twin
    except DBAPIError as error:
        if not is_busy(error):
            raise
        # Another writer held the database past the busy timeout: the form keeps its key, so sending again is safe.
        raise TipRefused("reliability.busy") from error
    finally:
        if not written:
            _forget_photo(photo_path, upload_dir)


def _place_query(by_key: bool) -> Select:
    """The shop, its district's timezone, its grid's polygon and the tip a key made, for :shop_id and :key."""
    shop, district, grid, tip = Shop.__table__.c, District.__table__.c, Grid.__table__.c, Tip.__table__.c
    # Table columns, not mapped attributes: a plain Core query skips the ORM's per-statement work.
    return (
        select(shop.id, shop.district_id, shop.grid_id, shop.name, shop.lat, shop.lon, district.timezone,
               cast(grid.polygon, Text).label("grid_polygon"), tip.id.label("earlier_id"),
               tip.reporter_account_id.label("earlier_by"))
        .join(District.__table__, district.id == shop.district_id)
        .outerjoin(Grid.__table__, and_(grid.id == shop.grid_id, grid.district_id == shop.district_id))
        .outerjoin(Tip.__table__, tip.idempotency_key == bindparam("key") if by_key else false())
        .where(shop.id == bindparam("shop_id"))
    )


class Place(NamedTuple):
    """The merchant's shop as a post needs it: one row of `_place_query`, in its column order."""

    id: int
    district_id: int
    grid_id: int | None
    name: str
    lat: float | None
    lon: float | None
    timezone: str | None
    grid_polygon: str | None
    earlier_id: int | None
    earlier_by: int | None


# Compiled once and run on the driver's cursor: a post binds two values, nothing else (see db.prepared).
PLACE_BY_KEY, PLACE = PreparedSelect(_place_query(True)), PreparedSelect(_place_query(False))
INSERT_TIP = Prepared(insert(Tip.__table__))


def _merchant_place(connection: Connection, actor: Actor, key: str | None) -> Place:
    """In one query: the merchant's shop, its district's timezone, its grid's polygon, the tip the key made."""
    require_role(actor, (AccountRole.MERCHANT,))
    if actor.shop_id is None:
        raise TipRefused("tips.no_shop")
    query, values = (PLACE_BY_KEY, {"shop_id": actor.shop_id, "key": key}) if key else (
        PLACE, {"shop_id": actor.shop_id})
    rows = query.rows(connection, values)
    if not rows:
        raise TipRefused("tips.no_shop")
    place = Place(*rows[0])
    if place.earlier_id is not None and place.earlier_by != actor.account_id:
        raise Forbidden("tips.key_taken")
    return place


def _grid_of(session: Session | Connection, shop: Place, lat: float, lon: float) -> int | None:
    """The grid holding the tip: the shop's own when it holds the point (no scan of the district), else found."""
    if shop.grid_polygon and holds(shop.grid_polygon, lat, lon):
        return shop.grid_id
    return grid_at(session, shop.district_id, lat, lon)


def post_tip(
    *, session_factory: sessionmaker, actor: Actor, category: TipCategory, text: str, urgency: Urgency,
    where: Where | None = None, anonymous: bool = False, idempotency_key: str | None = None,
    photo: bytes | None = None, now: datetime | None = None, upload_dir: str | Path | None = None,
) -> int:
    """A merchant's tip, located at the shop unless they chose a point; a repeated key returns the first tip."""
    now = now or utcnow()
    words, key = checked_text(text), _checked_key(idempotency_key)
    category, urgency = TipCategory(category), Urgency(urgency)
    after = {"category": category.value, "urgency": urgency.value, "anonymous": bool(anonymous),
             "where": where.source if where else "shop", "photo": photo is not None}

    def draft(connection: Connection) -> Draft | int:
        shop = _merchant_place(connection, actor, key)
        if shop.earlier_id is not None:
            return shop.earlier_id
        lat, lon = _point_for(shop, where)
        # Column values, not a Tip: no ORM object to build and flush on the hottest write there is.
        return Draft(dict(
            district_id=shop.district_id, grid_id=_grid_of(connection, shop, lat, lon), shop_id=shop.id,
            reporter_account_id=actor.account_id, reporter_person_id=actor.person_id, anonymous=bool(anonymous),
            source=TipSource.MERCHANT_APP, category=category, urgency=urgency, text=words,
            location_note=_label(where, shop), lat=lat, lon=lon, cell=geo.cell_of(lat, lon),
            status=TipStatus.RECEIVED, idempotency_key=key, received_at=now,
            duty_date=nights.duty_date_of(now, shop.timezone or nights.DEFAULT_TIMEZONE),
        ), shop.timezone)

    return insert_tip(session_factory, actor, key, draft, photo, upload_dir, after)


def _label(where: Where | None, shop: Shop | Place) -> str:
    """What the location is called: the picked label, else the shop's name."""
    label = (where.label if where and where.source != "shop" else None) or shop.name
    return clean_text(label)[:MAX_LABEL]


def add_to_tip(
    *, session_factory: sessionmaker, actor: Actor, tip_id: int, note: str | None = None,
    now: datetime | None = None,
) -> int:
    """Follow a similar open tip instead of posting a duplicate; the follower row's id (again: the same)."""
    now = now or utcnow()
    words = checked_text(note)
    with session_factory.begin() as session:
        shop = merchant_shop(session, actor)
        tip = session.get(Tip, tip_id, with_for_update=True)
        if tip is None or tip.district_id != shop.district_id:
            raise Forbidden("tips.not_yours")
        if tip.status not in OPEN_TIP_STATUSES:
            raise TipRefused("tips.not_open")
        if not now - SIMILAR_WINDOW <= tip.received_at <= now:
            raise TipRefused("tips.too_old_to_add")
        if tip.reporter_account_id == actor.account_id:
            raise TipRefused("tips.already_yours")
        following = session.scalar(select(TipFollower.id).where(
            TipFollower.tip_id == tip_id, TipFollower.account_id == actor.account_id))
        if following is not None:
            return following
        follower = TipFollower(tip_id=tip_id, account_id=actor.account_id, shop_id=shop.id,
                               note=words or None, added_at=now)
        session.add(follower)
        session.flush()
        record(session, actor, "tip.follow", "tip", tip_id, district_id=tip.district_id,
               after={"follower": follower.id, "note": bool(words)})
        return follower.id
