"""The 片区 and 网格 tabs: a district's boundary and details, its micro-grids cut, edited and deleted."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from nightwatch.access import Actor
from nightwatch.coords import parse_pasted
from nightwatch.services import geography, geography_lists, grids
from nightwatch.ui.geography_common import (
    REFUSALS,
    factory,
    listed,
    picker,
    point_input,
    said,
    say,
    show_message,
)
from nightwatch.ui.lang import t, vocab_label
from nightwatch.vocab import RoleKind

# The four roles of 一警+两辅+三网格员+N商户, offered first when cutting.
MAIN_ROLES = (RoleKind.OFFICER, RoleKind.AUXILIARY, RoleKind.GRID_WORKER, RoleKind.MERCHANT)
DEFAULT_TEMPLATE = {RoleKind.OFFICER: 1, RoleKind.AUXILIARY: 2, RoleKind.GRID_WORKER: 3, RoleKind.MERCHANT: 6}


def staffing_text(template: dict[str, int], labels: dict[str, str]) -> str:
    """A staffing template as people read it, given each role's label: 民警1 + 辅警2 + 网格员3."""
    return " + ".join(f"{labels[k]}{n}" for k, n in template.items() if k in labels)


def role_labels() -> dict[str, str]:
    """Each role kind's label in the reader's language."""
    return {role.value: vocab_label(role) for role in RoleKind}


def _frame(rows: list[grids.GridRow]) -> pd.DataFrame:
    """Grids with their area, staffing and centre."""
    labels = role_labels()
    return pd.DataFrame({
        t("geo.name"): [r.name for r in rows],
        t("geo.area"): [round(r.area_m2) if r.area_m2 else None for r in rows],
        t("geo.staffing"): [staffing_text(r.staffing, labels) for r in rows],
        t("geo.lat"): [r.center_lat for r in rows],
        t("geo.lon"): [r.center_lon for r in rows],
    })


def _rectangle(prefix: str) -> dict:
    """The WGS-84 rectangle typed under a prefix: centre, datum, width and height."""
    state = st.session_state
    text = (state.get(f"{prefix}_coords") or "").strip()
    if not text:
        raise ValueError("geo.coords_missing")
    lat, lon = parse_pasted(text)
    return geography.pasted_rectangle(lat, lon, state[f"{prefix}_datum"], float(state[f"{prefix}_width"]),
                                      float(state[f"{prefix}_height"]))


def _rectangle_fields(prefix: str, district_id: int) -> None:
    """Centre point and size of a rectangle."""
    point_input(prefix, district_id)
    width, height = st.columns(2)
    width.number_input(t("geo.width_m"), min_value=10, max_value=20_000, value=300, step=10, key=f"{prefix}_width")
    height.number_input(t("geo.height_m"), min_value=10, max_value=20_000, value=100, step=10, key=f"{prefix}_height")


def _set_boundary(actor: Actor, district_id: int) -> None:
    """Make the typed rectangle the district's boundary."""
    try:
        geography.set_boundary(session_factory=factory(), actor=actor, district_id=district_id,
                               polygon=_rectangle("boundary"))
        say("boundary", "success", "geo.boundary_saved")
    except ValueError as error:
        say("boundary", "error", str(error))
    except REFUSALS as refused:
        said("boundary", refused)


def _edit_district(actor: Actor, district_id: int) -> None:
    """Save the district's name, city, province, timezone and note (administrators)."""
    state = st.session_state
    try:
        geography.edit_district(session_factory=factory(), actor=actor, district_id=district_id,
                                name=state["d_name"], city=state["d_city"], province=state["d_province"],
                                timezone=state["d_timezone"], note=state["d_note"])
        say("d", "success", "geo.saved", name=state["d_name"].strip())
    except REFUSALS as refused:
        said("d", refused)


def _create_district(actor: Actor) -> None:
    """Create a district (administrators)."""
    state = st.session_state
    try:
        geography.create_district(session_factory=factory(), actor=actor, name=state["new_d_name"],
                                  city=state["new_d_city"], province=state["new_d_province"],
                                  timezone=state["new_d_timezone"])
        say("new_d", "success", "geo.saved", name=state["new_d_name"].strip())
    except REFUSALS as refused:
        said("new_d", refused)


def district_tab(actor: Actor, district_id: int) -> str:
    """The district at a glance, its boundary, and (for administrators) its details; returns its name."""
    info = geography.describe(session_factory=factory(), actor=actor, district_id=district_id)
    area = t("geo.area_value", area=f"{info.boundary_area_m2:,.0f}") if info.boundary_area_m2 else t("geo.no_boundary")
    st.markdown(t("geo.district_summary", city=info.city, name=info.name, timezone=info.timezone, area=area,
                  grids=info.grids, places=info.places, posts=info.posts, checkpoints=info.checkpoints,
                  routes=info.routes))
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("geo.boundary"))
        st.caption(t("geo.boundary_help"))
        _rectangle_fields("boundary", district_id)
        st.button(t("geo.boundary_set"), key="boundary_save", type="primary", on_click=_set_boundary,
                  args=(actor, district_id))
        show_message("boundary")
    if not actor.is_admin:
        return info.name
    with right:
        st.subheader(t("geo.district_edit"))
        st.text_input(t("geo.district_name"), value=info.name, key="d_name", max_chars=80)
        st.text_input(t("geo.city"), value=info.city, key="d_city", max_chars=80)
        st.text_input(t("geo.province"), value=info.province or "", key="d_province", max_chars=40)
        st.text_input(t("geo.timezone"), value=info.timezone, key="d_timezone", max_chars=64)
        st.text_input(t("geo.note"), value=info.note or "", key="d_note", max_chars=200)
        st.button(t("geo.save"), key="d_save", on_click=_edit_district, args=(actor, district_id))
        show_message("d")
        st.subheader(t("geo.district_new"))
        st.text_input(t("geo.district_name"), key="new_d_name", max_chars=80)
        st.text_input(t("geo.city"), key="new_d_city", max_chars=80)
        st.text_input(t("geo.province"), key="new_d_province", max_chars=40)
        st.text_input(t("geo.timezone"), value="Asia/Shanghai", key="new_d_timezone", max_chars=64)
        st.button(t("geo.district_create"), key="new_d_save", on_click=_create_district, args=(actor,))
        show_message("new_d")
    return info.name


def _cut(actor: Actor, district_id: int) -> None:
    """Cut grids from the boundary or the typed rectangle."""
    state = st.session_state
    try:
        area = _rectangle("cut") if state.get("cut_source") == "rectangle" else None
        made = grids.cut_grids(
            session_factory=factory(), actor=actor, district_id=district_id, count=int(state["cut_count"]),
            hexagons=state.get("cut_shape") == "hexagon", area=area, replace=state.get("cut_mode") == "replace",
            staffing={role.value: int(state[f"cut_{role.value}"]) for role in MAIN_ROLES},
        )
        say("cut", "success", "geo.cut_done", count=len(made))
    except ValueError as error:
        say("cut", "error", str(error))
    except REFUSALS as refused:
        said("cut", refused)


def _edit_grid(actor: Actor, grid_id: int) -> None:
    """Save a grid's name and staffing template."""
    state, prefix = st.session_state, f"grid_e{grid_id}"
    try:
        grids.edit_grid(session_factory=factory(), actor=actor, grid_id=grid_id, name=state[f"{prefix}_name"],
                        staffing={r.value: int(state[f"{prefix}_{r.value}"]) for r in RoleKind})
        say(prefix, "success", "geo.saved", name=state[f"{prefix}_name"].strip())
    except REFUSALS as refused:
        said(prefix, refused)


def _delete_grid(actor: Actor, grid_id: int) -> None:
    """Delete a grid."""
    try:
        grids.delete_grid(session_factory=factory(), actor=actor, grid_id=grid_id)
        st.session_state.pop("grid_pick", None)
        say("grid_pick", "success", "geo.deleted")
    except REFUSALS as refused:
        said("grid_pick", refused)


def grids_tab(actor: Actor, district_id: int) -> None:
    """The district's grids, a cutter, and an editor for one grid."""
    rows = listed(geography_lists.grid_page, _frame, actor=actor, district_id=district_id, scope="grid",
                  hint="grids", name="grids", key="geo_grids")
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("geo.cut"))
        source = st.radio(t("geo.cut_source"), ["boundary", "rectangle"], key="cut_source", horizontal=True,
                          format_func=lambda v: t(f"geo.cut_source.{v}"))
        if source == "rectangle":
            _rectangle_fields("cut", district_id)
        st.radio(t("geo.cut_shape"), ["rectangle", "hexagon"], key="cut_shape", horizontal=True,
                 format_func=lambda v: t(f"geo.shape.{v}"))
        st.number_input(t("geo.cut_count"), min_value=1, max_value=grids.MAX_GRIDS, value=5, key="cut_count",
                        help=t("geo.cut_count_help"))
        st.radio(t("geo.cut_mode"), ["add", "replace"], key="cut_mode", horizontal=True,
                 format_func=lambda v: t(f"geo.mode.{v}"), help=t("geo.mode_help"))
        for column, role in zip(st.columns(len(MAIN_ROLES)), MAIN_ROLES):
            column.number_input(vocab_label(role), min_value=0, max_value=grids.MAX_PER_ROLE,
                                value=DEFAULT_TEMPLATE[role], key=f"cut_{role.value}")
        st.button(t("geo.cut_go"), key="cut_save", type="primary", on_click=_cut, args=(actor, district_id))
        show_message("cut")
    with right:
        st.subheader(t("geo.edit.grid"))
        by_id = {r.id: r for r in rows}
        chosen = picker("grid_pick", {r.id: r.name for r in rows})
        show_message("grid_pick")
        if chosen is None:
            return
        row, prefix = by_id[chosen], f"grid_e{chosen}"
        st.text_input(t("geo.name"), value=row.name, key=f"{prefix}_name", max_chars=80)
        columns = st.columns(5)
        for i, role in enumerate(RoleKind):
            columns[i % 5].number_input(vocab_label(role), min_value=0, max_value=grids.MAX_PER_ROLE,
                                        value=row.staffing.get(role.value, 0), key=f"{prefix}_{role.value}")
        save, delete = st.columns(2)
        save.button(t("geo.save"), key=f"{prefix}_save", type="primary", on_click=_edit_grid, args=(actor, chosen))
        delete.button(t("geo.delete"), key=f"{prefix}_delete", on_click=_delete_grid, args=(actor, chosen),
                      help=t("geo.delete_grid_help"))
        show_message(prefix)
