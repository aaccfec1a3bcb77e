"""Places (地点), duty posts (值守点) and checkpoints (打卡点): points of a district, stored as WGS-84."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Checkpoint, DutyPost, Place
from nightwatch.access import Actor, Forbidden
from nightwatch.coords import Datum
from nightwatch.geo import cell_of
from nightwatch.services.audit import record
from nightwatch.services.geography import (
    GeographyRefused,
    clean_name,
    district_for_change,
    wgs84_point,
)
from nightwatch.services.tip_grids import first_holding, grid_at, outlines
from nightwatch.signing import new_secret
from nightwatch.text import clean_text
from nightwatch.vocab import DutyPostKind, PlaceKind

TEXT_MAX = 200


class PointKind(StrEnum):
    """Which of the three point tables a change is about."""

    PLACE = "place"
    POST = "duty_post"
    CHECKPOINT = "checkpoint"


MODELS: dict[PointKind, Any] = {PointKind.PLACE: Place, PointKind.POST: DutyPost, PointKind.CHECKPOINT: Checkpoint}
SUBTYPES: dict[PointKind, type[StrEnum] | None] = {
    PointKind.PLACE: PlaceKind, PointKind.POST: DutyPostKind, PointKind.CHECKPOINT: None,
}


@dataclass(frozen=True)
class PointRow:
    """One point as the page lists it; never a checkpoint's secret."""

    id: int
    name: str
    subtype: str | None
    lat: float | None
    lon: float | None
    approximate: bool
    grid: str | None
    active: bool
    address: str | None
    note: str | None


def regrid_points(session: Session, district_id: int) -> None:
    """Put every point of a district back in the grid that now holds it (after grids change)."""
    session.flush()
    grids = outlines(session, district_id)  # once, not once per point
    for model in MODELS.values():
        for row in session.scalars(select(model).where(model.district_id == district_id, model.lat.is_not(None))):
            row.grid_id = first_holding(grids, row.lat, row.lon)


def _subtype(kind: PointKind, value: object) -> str | None:
    """The point's kind within its table (PlaceKind, DutyPostKind), validated."""
    enum = SUBTYPES[kind]
    if enum is None:
        return None
    try:
        return enum(value).value
    except ValueError:
        raise GeographyRefused("geography.bad_kind") from None


def _text(value: str | None) -> str | None:
    """Optional free text, stripped, within the column's length."""
    text = clean_text(value)
    if len(text) > TEXT_MAX:
        raise GeographyRefused("geography.name_too_long", limit=TEXT_MAX)
    return text or None


def _locate(session: Session, row: Any, lat: float, lon: float, datum: Datum | str, approximate: bool) -> None:
    """Store a pasted point as WGS-84 with its H3 cell and grid."""
    wlat, wlon = wgs84_point(lat, lon, datum)
    row.lat, row.lon, row.cell, row.approximate = wlat, wlon, cell_of(wlat, wlon), approximate
    row.grid_id = grid_at(session, row.district_id, wlat, wlon)


def _name_free(session: Session, model: Any, district_id: int, name: str, own_id: int | None = None) -> None:
    """Refuse a name another point of the same kind in the district already has."""
    query = select(model.id).where(model.district_id == district_id, model.name == name)
    if own_id is not None:
        query = query.where(model.id != own_id)
    if session.scalar(query) is not None:
        raise GeographyRefused("geography.name_taken", name=name)


def _snapshot(row: Any) -> dict[str, Any]:
    """The audited fields of a point (never a secret)."""
    keep = ("name", "kind", "lat", "lon", "grid_id", "active", "address", "note", "approximate")
    return {k: getattr(row, k) for k in keep if hasattr(row, k)}


def add_point(
    *, session_factory: sessionmaker, actor: Actor, district_id: int, kind: PointKind, name: str,
    lat: float, lon: float, datum: Datum | str = Datum.WGS84, subtype: str | None = None,
    address: str | None = None, note: str | None = None, approximate: bool = False,
) -> int:
    """Add a place, duty post or checkpoint at a point given in any datum; returns its id."""
    kind = PointKind(kind)
    model = MODELS[kind]
    name = clean_name(name, 120)
    with session_factory.begin() as session:
        district_for_change(session, actor, district_id)
        _name_free(session, model, district_id, name)
        row = model(district_id=district_id, name=name)
        if SUBTYPES[kind] is not None:
            row.kind = _subtype(kind, subtype)
        if kind is PointKind.PLACE:
            row.address, row.note = _text(address), _text(note)
        if kind is PointKind.CHECKPOINT:
            row.secret = new_secret()
        _locate(session, row, lat, lon, datum, approximate)
        session.add(row)
        session.flush()
        record(session, actor, f"{kind.value}.create", kind.value, row.id, district_id=district_id,
               after=_snapshot(row))
        return row.id


def _point_for_change(session: Session, actor: Actor, kind: PointKind, point_id: int) -> Any:
    """A point whose district the actor coordinates; else refuse."""
    row = session.get(MODELS[kind], point_id)
    if row is None:
        raise Forbidden("access.other_district")
    district_for_change(session, actor, row.district_id)
    return row


def edit_point(
    *, session_factory: sessionmaker, actor: Actor, kind: PointKind, point_id: int, name: str,
    lat: float, lon: float, datum: Datum | str = Datum.WGS84, subtype: str | None = None,
    address: str | None = None, note: str | None = None, active: bool = True, approximate: bool = False,
) -> None:
    """Rename, move, re-describe or (de)activate a point."""
    kind = PointKind(kind)
    name = clean_name(name, 120)
    with session_factory.begin() as session:
        row = _point_for_change(session, actor, kind, point_id)
        _name_free(session, MODELS[kind], row.district_id, name, row.id)
        before = _snapshot(row)
        row.name = name
        if SUBTYPES[kind] is not None:
            row.kind = _subtype(kind, subtype)
        if kind is PointKind.PLACE:
            row.address, row.note = _text(address), _text(note)
        else:
            row.active = bool(active)
        moved = (round(lat, 7), round(lon, 7)) != (round(row.lat or 0, 7), round(row.lon or 0, 7))
        if moved or Datum(datum) is not Datum.WGS84:
            _locate(session, row, lat, lon, datum, approximate)
        record(session, actor, f"{kind.value}.edit", kind.value, row.id, district_id=row.district_id,
               before=before, after=_snapshot(row))


def delete_point(*, session_factory: sessionmaker, actor: Actor, kind: PointKind, point_id: int) -> None:
    """Delete a place for good; posts and checkpoints are deactivated instead, keeping their history."""
    kind = PointKind(kind)
    if kind is not PointKind.PLACE:
        # A deleted checkpoint would take its check-ins with it (ON DELETE CASCADE).
        raise GeographyRefused("geography.deactivate_instead")
    with session_factory.begin() as session:
        row = _point_for_change(session, actor, kind, point_id)
        before = _snapshot(row)
        district_id = row.district_id
        session.delete(row)
        record(session, actor, f"{kind.value}.delete", kind.value, point_id, district_id=district_id, before=before)


def rotate_secret(*, session_factory: sessionmaker, actor: Actor, checkpoint_id: int) -> None:
    """Give a checkpoint a new secret: every poster printed before stops working."""
    with session_factory.begin() as session:
        row = _point_for_change(session, actor, PointKind.CHECKPOINT, checkpoint_id)
        row.secret = new_secret()
        record(session, actor, "checkpoint.secret_rotated", "checkpoint", row.id, district_id=row.district_id)
