"""Open hazards on a map: one dot each, red when overdue, offline unless a basemap is configured."""
from __future__ import annotations

import pydeck as pdk
import streamlit as st

from nightwatch.basemap import basemap_from
from nightwatch.config import Settings
from nightwatch.services.hazard_reads import HazardRow
from nightwatch.ui.lang import t, vocab_label
from nightwatch.viewport import fit_view

OVERDUE = [220, 40, 40, 230]
OPEN = [245, 160, 30, 220]
FIXED = [120, 90, 220, 200]


def show_hazard_map(rows: list[HazardRow]) -> None:
    """The located open hazards; only category, status and due date reach the browser."""
    located = [row for row in rows if row.lat is not None and row.lon is not None]
    if not located:
        st.info(t("hazards.map_empty"))
        return
    basemap = basemap_from(Settings.from_env())
    records = [{"position": basemap.project(row.lat, row.lon),
                "colour": OVERDUE if row.overdue else (FIXED if row.status.value == "rectified" else OPEN),
                "label": f"#{row.id} {vocab_label(row.category)} · {vocab_label(row.status)}",
                "due": str(row.due_on or "")} for row in located]
    view = fit_view([(row.lat, row.lon) for row in located])
    lon, lat = basemap.project(view.lat, view.lon)
    layer = pdk.Layer("ScatterplotLayer", id="hazards", data=records, get_position="position",
                      get_fill_color="colour", get_radius=12, radius_min_pixels=6, radius_units=pdk.types.String(
                          "meters"), pickable=True, stroked=True, get_line_color=[255, 255, 255], line_width_min_pixels=1)
    state = pdk.ViewState(latitude=lat, longitude=lon, zoom=view.zoom)
    tooltip = {"text": "{label}\n" + t("hazards.map_due") + " {due}"}
    if basemap.offline:
        deck = pdk.Deck(layers=[layer], initial_view_state=state, map_provider=None, tooltip=tooltip)
    else:
        deck = pdk.Deck(layers=[layer], initial_view_state=state, map_provider="maplibre", map_style=basemap.style,
                        tooltip=tooltip)
    st.pydeck_chart(deck, height=420)
    st.caption(t("hazards.map_legend"))
