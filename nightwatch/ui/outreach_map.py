"""The outreach page's map: the period's events as dots over the district's grids, offline by default."""
from __future__ import annotations

from typing import Any

import pydeck as pdk
import streamlit as st

from nightwatch.basemap import Basemap, basemap_from
from nightwatch.config import Settings
from nightwatch.i18n import label
from nightwatch.i18n import t as translate
from nightwatch.services.outreach_list import EventRow
from nightwatch.situation_activity import OUTREACH_COLOUR
from nightwatch.situation_layers import PIXELS, build_deck
from nightwatch.ui.lang import current_language, t
from nightwatch.viewport import View, fit_view, rings_of

GRID_FILL = [66, 120, 200, 35]
GRID_LINE = [66, 120, 200, 160]


def event_records(rows: list[EventRow], when: dict[int, str], basemap: Basemap, lang: str) -> list[dict[str, Any]]:
    """Placed events as dots; the tooltip is plain text: title, kind, time, reach."""
    return [{"kind": "outreach", "id": row.id, "position": basemap.project(row.lat, row.lon),
             "tooltip": translate("outreach.tooltip", lang, title=row.title, kind=label(row.kind, lang),
                                  when=when[row.id], reached=row.people_reached, installs=row.app_installs)}
            for row in rows if row.lat is not None and row.lon is not None]


def grid_records(grids: list[tuple[str, dict]], basemap: Basemap) -> list[dict[str, Any]]:
    """Grid outlines to give the dots a place; each polygon in the basemap's datum."""
    return [{"kind": "grid", "id": index, "tooltip": name,
             "polygon": [[basemap.project(lat, lon) for lon, lat in ring] for ring in polygon]}
            for index, (name, geometry) in enumerate(grids) for polygon in rings_of(geometry)]


def show_events_map(rows: list[EventRow], when: dict[int, str], grids: list[tuple[str, dict]]) -> None:
    """Draw the map; the view holds every grid and event."""
    basemap = basemap_from(Settings.from_env())
    lang = current_language()
    events = event_records(rows, when, basemap, lang)
    outlines = grid_records(grids, basemap)
    points = [(row.lat, row.lon) for row in rows if row.lat is not None and row.lon is not None]
    points += [(lat, lon) for _, geometry in grids for polygon in rings_of(geometry) for lon, lat in polygon[0]]
    view = fit_view(points)
    if view is None:
        return
    layers = [
        pdk.Layer("PolygonLayer", id="outreach_grids", data=outlines, get_polygon="polygon", pickable=True,
                  stroked=True, get_fill_color=GRID_FILL, get_line_color=GRID_LINE, line_width_min_pixels=1),
        pdk.Layer("ScatterplotLayer", id="outreach_events", data=events, get_position="position", pickable=True,
                  radius_units=PIXELS, get_radius=9, get_fill_color=OUTREACH_COLOUR, stroked=True,
                  get_line_color=[255, 255, 255], line_width_units=PIXELS, line_width_min_pixels=2),
    ]
    st.pydeck_chart(build_deck(layers, View(view.lat, view.lon, view.zoom), basemap), height=360,
                    key="outreach_map")
    if basemap.offline:
        st.caption(t("outreach.map_caption"))
