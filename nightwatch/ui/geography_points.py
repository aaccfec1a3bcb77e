"""The 地点, 值守点 and 打卡点 tabs: a table of the district's points and forms to add and edit them."""
from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from nightwatch.access import Actor
from nightwatch.coords import parse_pasted
from nightwatch.services import geography_lists, points
from nightwatch.services.points import PointKind, PointRow
from nightwatch.ui.geography_common import (
    REFUSALS,
    factory,
    forget,
    listed,
    picker,
    point_input,
    said,
    say,
    show_message,
)
from nightwatch.ui.lang import t, vocab_label

ADD_FIELDS = ("name", "sub", "coords", "datum", "address", "found", "note")


def _subtype_options(kind: PointKind) -> list:
    """The kinds a point of this table can have, or none."""
    enum = points.SUBTYPES[kind]
    return list(enum) if enum else []


def _frame(kind: PointKind, rows: list[PointRow]) -> pd.DataFrame:
    """The district's points of one kind; only what a coordinator needs, never a secret."""
    frame = {t("geo.name"): [r.name for r in rows]}
    enum = points.SUBTYPES[kind]
    if enum:
        labels = {member.value: vocab_label(member) for member in enum}  # once per table, not per row
        frame[t("geo.kind")] = [labels.get(r.subtype, r.subtype) if r.subtype else "" for r in rows]
    frame[t("geo.lat")] = [r.lat for r in rows]
    frame[t("geo.lon")] = [r.lon for r in rows]
    frame[t("geo.grid")] = [r.grid or "" for r in rows]
    frame[t("geo.approximate")] = [r.approximate for r in rows]
    if kind is PointKind.PLACE:
        frame[t("geo.address")] = [r.address or "" for r in rows]
    else:
        frame[t("geo.active")] = [r.active for r in rows]
    return pd.DataFrame(frame)


def _table(actor: Actor, district_id: int, kind: PointKind) -> list[PointRow]:
    """The search, the first matching points and how many match; returns the rows listed."""
    return listed(geography_lists.point_page, partial(_frame, kind), actor=actor, district_id=district_id,
                  scope=kind.value, hint="places" if kind is PointKind.PLACE else "points", name=f"{kind.value}s",
                  key=f"geo_{kind.value}_table", kind=kind)


def _pasted(prefix: str) -> tuple[float, float]:
    """The typed coordinates, parsed (raises ValueError with a coords.* key)."""
    text = (st.session_state.get(f"{prefix}_coords") or "").strip()
    if not text:
        raise ValueError("geo.coords_missing")
    return parse_pasted(text)


def _save(actor: Actor, district_id: int, kind: PointKind, prefix: str, point_id: int | None) -> None:
    """Add or edit a point from the widgets' values; keep a message either way."""
    state = st.session_state
    try:
        lat, lon = _pasted(prefix)
        values = {
            "session_factory": factory(), "actor": actor, "kind": kind, "name": state.get(f"{prefix}_name") or "",
            "lat": lat, "lon": lon, "datum": state.get(f"{prefix}_datum"), "subtype": state.get(f"{prefix}_sub"),
            "address": state.get(f"{prefix}_address"), "note": state.get(f"{prefix}_note"),
            "approximate": state.get(f"{prefix}_found") == (state.get(f"{prefix}_coords") or "").strip(),
        }
        if point_id is None:
            points.add_point(district_id=district_id, **values)
            forget(*(f"{prefix}_{field}" for field in ADD_FIELDS))
        else:
            points.edit_point(point_id=point_id, active=state.get(f"{prefix}_active", True), **values)
            forget(*(f"{prefix}_{field}" for field in ("coords", "datum", "found")))
        say(prefix, "success", "geo.saved", name=values["name"].strip())
    except ValueError as error:
        say(prefix, "error", str(error))
    except REFUSALS as refused:
        said(prefix, refused)


def _delete(actor: Actor, kind: PointKind, point_id: int) -> None:
    """Delete a place."""
    try:
        points.delete_point(session_factory=factory(), actor=actor, kind=kind, point_id=point_id)
        st.session_state.pop(f"{kind.value}_pick", None)
        say(f"{kind.value}_pick", "success", "geo.deleted")
    except REFUSALS as refused:
        said(f"{kind.value}_pick", refused)


def _rotate(actor: Actor, point_id: int) -> None:
    """Give a checkpoint a new secret."""
    try:
        points.rotate_secret(session_factory=factory(), actor=actor, checkpoint_id=point_id)
        say(f"checkpoint_e{point_id}", "success", "geo.rotated")
    except REFUSALS as refused:
        said(f"checkpoint_e{point_id}", refused)


def _fields(kind: PointKind, prefix: str, district_id: int, row: PointRow | None) -> None:
    """Name, kind, point and (for places) address and note widgets, filled from a row when editing."""
    st.text_input(t("geo.name"), key=f"{prefix}_name", value=row.name if row else "", max_chars=120)
    options = _subtype_options(kind)
    if options:
        current = options.index(type(options[0])(row.subtype)) if row and row.subtype else 0
        st.selectbox(t("geo.kind"), options, index=current, key=f"{prefix}_sub", format_func=vocab_label)
    if row is not None and kind is PointKind.PLACE:
        st.session_state.setdefault(f"{prefix}_address", row.address or "")
    here = f"{row.lat:.6f}, {row.lon:.6f}" if row and row.lat is not None else ""
    point_input(prefix, district_id, here)
    if kind is PointKind.PLACE:
        st.text_input(t("geo.note"), key=f"{prefix}_note", value=(row.note or "") if row else "", max_chars=200)


def points_tab(actor: Actor, district_id: int, kind: PointKind) -> None:
    """List, add and edit the district's points of one kind."""
    rows = _table(actor, district_id, kind)
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t(f"geo.add.{kind.value}"))
        prefix = f"{kind.value}_add"
        _fields(kind, prefix, district_id, None)
        st.button(t("geo.add"), key=f"{prefix}_save", type="primary", on_click=_save,
                  args=(actor, district_id, kind, prefix, None))
        show_message(prefix)
    with right:
        st.subheader(t(f"geo.edit.{kind.value}"))
        by_id = {r.id: r for r in rows}
        chosen = picker(f"{kind.value}_pick", {r.id: r.name for r in rows})
        show_message(f"{kind.value}_pick")
        if chosen is None:
            return
        row, prefix = by_id[chosen], f"{kind.value}_e{chosen}"
        _fields(kind, prefix, district_id, row)
        if kind is not PointKind.PLACE:
            st.checkbox(t("geo.active"), value=row.active, key=f"{prefix}_active")
        save, other = st.columns(2)
        save.button(t("geo.save"), key=f"{prefix}_save", type="primary", on_click=_save,
                    args=(actor, district_id, kind, prefix, chosen))
        if kind is PointKind.PLACE:
            other.button(t("geo.delete"), key=f"{prefix}_delete", on_click=_delete, args=(actor, kind, chosen))
        elif kind is PointKind.CHECKPOINT:
            other.button(t("geo.rotate"), key=f"{prefix}_rotate", help=t("geo.rotate_help"),
                         on_click=_rotate, args=(actor, chosen))
        show_message(prefix)
