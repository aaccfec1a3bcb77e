"""The heatmap's deck: one hexagon layer of cells, each sent as its id, its value and its colour.

Nothing else per cell goes to the browser; the tooltip is one text template that reads the value.
Offline by default (no basemap, nothing fetched); a configured basemap is drawn underneath the same
way as on the situation map. H3 cells are WGS-84: over tiles in another datum (GCJ-02 …) each cell
is sent as its outline shifted into that datum instead, so hexagons sit on the right streets.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import h3
import pydeck as pdk

from nightwatch.basemap import Basemap
from nightwatch.coords import Datum
from nightwatch.deck_json import CompactDeck
from nightwatch.heatmap import Backdrop, colour_of
from nightwatch.viewport import View, fit_view, rings_of

Record = dict[str, Any]
LINE = [255, 255, 255, 160]
FRAME = [160, 160, 170, 140]
ROUTE = [120, 170, 255, 150]
# Closer than this, a single cell fills the screen and reads as a blot, not a map.
MAX_ZOOM = 15.0


def cell_records(values: Sequence[tuple[str, float]], scheme: str, basemap: Basemap) -> list[Record]:
    """One record per cell: its id (or, off WGS-84, its shifted outline), its value and its colour."""
    top = max((value for _, value in values), default=0)
    records = []
    for cell, value in values:
        shown = int(value) if float(value).is_integer() else round(value, 1)
        record: Record = {"n": shown, "colour": colour_of(value, top, scheme)}
        if basemap.datum is Datum.WGS84:
            record["cell"] = cell
        else:
            record["polygon"] = [basemap.project(lat, lon) for lat, lon in h3.cell_to_boundary(cell)]
        records.append(record)
    return records


def view_of(values: Sequence[tuple[str, float]], centre: tuple[float, float] | None,
            frame: Backdrop | None = None) -> View | None:
    """Open on the cells and the grids around them, else on the district's centre; None when there is neither."""
    corners = [corner for cell, _ in values for corner in h3.cell_to_boundary(cell)]
    if frame is not None:
        corners += [(lat, lon) for _, geometry in frame.grids for polygon in rings_of(geometry)
                    for lon, lat in polygon[0]]
    fitted = fit_view(corners)
    if fitted is not None:
        return replace(fitted, zoom=min(fitted.zoom, MAX_ZOOM))
    return View(*centre, zoom=14) if centre else None


def _layer(layer_id: str, records: list[Record], basemap: Basemap) -> pdk.Layer:
    """Hexagons by H3 id on WGS-84; polygons by outline on any other datum."""
    style = {"get_fill_color": "colour", "get_line_color": LINE, "line_width_min_pixels": 1, "stroked": True,
             "filled": True, "pickable": True}
    if basemap.datum is Datum.WGS84:
        return pdk.Layer("H3HexagonLayer", id=layer_id, data=records, get_hexagon="cell", extruded=False, **style)
    return pdk.Layer("PolygonLayer", id=layer_id, data=records, get_polygon="polygon", **style)


def backdrop_layers(frame: Backdrop, basemap: Basemap) -> list[pdk.Layer]:
    """Grid outlines and patrol lines, faint and not pickable, so the cells have a place (names would crowd)."""
    outlines = [{"polygon": [[basemap.project(lat, lon) for lon, lat in ring] for ring in polygon]}
                for _, geometry in frame.grids for polygon in rings_of(geometry)]
    paths = [{"path": [basemap.project(lat, lon) for lat, lon in route.points]}
             for route in frame.routes if len(route.points) >= 2]
    return [
        pdk.Layer("PolygonLayer", id="heat_grids", data=outlines, get_polygon="polygon", filled=False, stroked=True,
                  get_line_color=FRAME, line_width_min_pixels=1, pickable=False),
        pdk.Layer("PathLayer", id="heat_routes", data=paths, get_path="path", get_color=ROUTE,
                  width_units=pdk.types.String("pixels"), get_width=2, pickable=False),
    ]


def build_heat_deck(values: Sequence[tuple[str, float]], *, layer_id: str, scheme: str, tooltip: str,
                    basemap: Basemap, view: View, frame: Backdrop | None = None) -> pdk.Deck:
    """The deck: the grids and lines faintly, then the coloured cells, over the basemap or nothing offline."""
    layers = backdrop_layers(frame, basemap) if frame is not None else []
    layers.append(_layer(layer_id, cell_records(values, scheme, basemap), basemap))
    lon, lat = basemap.project(view.lat, view.lon)
    state = pdk.ViewState(latitude=lat, longitude=lon, zoom=view.zoom)
    if basemap.offline:
        return CompactDeck(layers=layers, initial_view_state=state, map_provider=None, tooltip={"text": tooltip})
    return CompactDeck(layers=layers, initial_view_state=state, map_provider="maplibre", map_style=basemap.style,
                    tooltip={"text": tooltip})
