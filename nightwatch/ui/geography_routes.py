"""The 巡线 and 导入导出 tabs: routes through checkpoints with their QR posters; GeoJSON in and out."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from nightwatch.access import Actor
from nightwatch.services import geography_lists, grids, routes
from nightwatch.ui.geography_common import (
    REFUSALS,
    base_url,
    factory,
    listed,
    said,
    say,
    show_message,
)
from nightwatch.ui.lang import current_language, t
from nightwatch.ui.native_words import upload_field

DEFAULT_LEG_MINUTES = 5
NEW = 0  # the route picker's entry for a new route


def _minutes(text: str, legs: int) -> list[int]:
    """Minutes for each leg from '5, 8, 6' (blank means 5 each); ValueError with a message key if not."""
    if not text.strip():
        return [DEFAULT_LEG_MINUTES] * legs
    parts = [p for p in text.replace("，", ",").replace(" ", ",").split(",") if p]
    if len(parts) != legs or not all(p.isdigit() for p in parts):
        raise ValueError("geo.minutes_mismatch")
    return [int(p) for p in parts]


def _save_route(actor: Actor, district_id: int, route_id: int | None) -> None:
    """Save the route typed under the picker's prefix."""
    state, prefix = st.session_state, f"route_e{route_id or NEW}"
    try:
        stops = list(state.get(f"{prefix}_stops") or [])
        minutes = _minutes(state.get(f"{prefix}_minutes") or "", max(len(stops) - 1, 0))
        routes.save_route(session_factory=factory(), actor=actor, district_id=district_id,
                          name=state.get(f"{prefix}_name") or "", route_id=route_id,
                          stops=list(zip(stops, [0, *minutes])), active=state.get(f"{prefix}_active", True))
        if route_id is None:
            for field in ("name", "stops", "minutes"):
                state.pop(f"{prefix}_{field}", None)
        say(prefix, "success", "geo.saved", name=(state.get(f"{prefix}_name") or "").strip() or t("geo.route"))
    except ValueError as error:
        say(prefix, "error", str(error))
    except REFUSALS as refused:
        said(prefix, refused)


def _route_form(actor: Actor, district_id: int, row: routes.RouteRow | None, names: dict[int, str]) -> None:
    """Name, ordered checkpoints, minutes per leg and whether the route is in use."""
    prefix = f"route_e{row.id if row else NEW}"
    st.text_input(t("geo.name"), value=row.name if row else "", key=f"{prefix}_name", max_chars=120)
    st.multiselect(t("geo.route_stops"), list(names), default=[s.checkpoint_id for s in row.stops] if row else [],
                   format_func=names.get, key=f"{prefix}_stops", help=t("geo.route_stops_help"),
                   placeholder=t("form.choose"))
    legs = ", ".join(str(s.minutes) for s in row.stops[1:]) if row else ""
    st.text_input(t("geo.route_minutes"), value=legs, key=f"{prefix}_minutes", help=t("geo.route_minutes_help"))
    st.checkbox(t("geo.active"), value=row.active if row else True, key=f"{prefix}_active")
    st.button(t("geo.save") if row else t("geo.add"), key=f"{prefix}_save", type="primary", on_click=_save_route,
              args=(actor, district_id, row.id if row else None))
    show_message(prefix)


def _posters(actor: Actor, row: routes.RouteRow) -> None:
    """The route's printable QR sheet and single QR images, linking to this app's check-in page."""
    try:
        sheet = routes.route_posters(session_factory=factory(), actor=actor, route_id=row.id, base_url=base_url())
    except REFUSALS as refused:
        st.error(t(refused.key, **getattr(refused, "values", {})))
        return
    if not sheet.items:
        st.info(t("geo.posters_none"))
        return
    st.caption(t("geo.posters_help", count=len(sheet.items), origin=base_url()))
    lang = current_language()
    st.download_button(t("geo.posters_html"), data=lambda: routes.poster_sheet_html(sheet, lang).encode("utf-8"),
                       file_name=f"{row.name}-posters.html", mime="text/html", key=f"posters_{row.id}",
                       icon=":material/print:")
    labels = dict(zip(sheet.checkpoint_ids, (item.name for item in sheet.items)))
    chosen = st.selectbox(t("geo.poster_one"), list(labels), format_func=labels.get, key=f"poster_pick_{row.id}")
    png = routes.poster_png(sheet, chosen)
    st.image(png, width=200)
    st.download_button(t("geo.poster_png"), data=png, file_name=f"{labels[chosen]}.png", mime="image/png",
                       key=f"poster_png_{row.id}_{chosen}", icon=":material/qr_code_2:")


def _frame(rows: list[routes.RouteRow]) -> pd.DataFrame:
    """Routes with their stops in order and minutes end to end."""
    return pd.DataFrame({
        t("geo.name"): [r.name for r in rows],
        t("geo.route_stops"): [" → ".join(s.name for s in r.stops) for r in rows],
        t("geo.route_total"): [r.total_minutes for r in rows],
        t("geo.active"): [r.active for r in rows],
    })


def routes_tab(actor: Actor, district_id: int) -> None:
    """The district's routes (the first that match the search), a form to add or edit one, and its posters."""
    rows = listed(geography_lists.route_page, _frame, actor=actor, district_id=district_id, scope="route",
                  hint="routes", name="routes", key="geo_routes")
    names = geography_lists.checkpoint_names(session_factory=factory(), actor=actor, district_id=district_id)
    by_id = {r.id: r for r in rows}
    if st.session_state.get("route_pick") not in (NEW, *by_id):
        st.session_state["route_pick"] = NEW
    left, right = st.columns(2, gap="large")
    with left:
        chosen = st.selectbox(t("geo.pick_route"), [NEW, *by_id], key="route_pick", help=t("geo.pick_help"),
                              format_func=lambda i: by_id[i].name if i else t("geo.route_new"))
        row = by_id.get(chosen)
        if row is not None:
            names = {**{s.checkpoint_id: s.name for s in row.stops}, **names}
        _route_form(actor, district_id, row, names)
    with right:
        st.subheader(t("geo.posters"))
        if row is None:
            st.caption(t("geo.posters_pick"))
        else:
            _posters(actor, row)


def _import(actor: Actor, district_id: int) -> None:
    """Import the uploaded GeoJSON file's grids, all or nothing."""
    upload = st.session_state.get("import_file")
    if upload is None:
        say("import", "error", "geo.import_no_file")
        return
    try:
        text = upload.getvalue().decode("utf-8-sig")
        made = grids.import_grids(session_factory=factory(), actor=actor, district_id=district_id, text=text,
                                  replace=st.session_state.get("import_mode") == "replace")
        say("import", "success", "geo.import_done", count=len(made))
    except UnicodeDecodeError:
        say("import", "error", "geojson.invalid")
    except REFUSALS as refused:
        said("import", refused)


def io_tab(actor: Actor, district_id: int, district_name: str) -> None:
    """Download the district's geography as GeoJSON; upload grids from GeoJSON."""
    st.subheader(t("geo.export"))
    st.caption(t("geo.export_help"))
    st.download_button(
        t("geo.export_go"), key="export",
        data=lambda: grids.export_geojson(session_factory=factory(), actor=actor,
                                          district_id=district_id).encode("utf-8"),
        file_name=f"{district_name}.geojson", mime="application/geo+json", icon=":material/download:")
    st.subheader(t("geo.import"))
    st.caption(t("geo.import_help"))
    upload_field(t("geo.import_file"), types=["geojson", "json"], key="import_file")
    st.radio(t("geo.cut_mode"), ["add", "replace"], key="import_mode", horizontal=True,
             format_func=lambda v: t(f"geo.mode.{v}"), help=t("geo.mode_help"))
    st.button(t("geo.import_go"), key="import_save", type="primary", on_click=_import, args=(actor, district_id))
    show_message("import")
