"""pydeck layers of the situation map, from an already-redacted `Situation`. Pure: no I/O.

Every record carries `kind`, `id` and a plain-text `tooltip`, and nothing else the browser
does not need; the deck's tooltip is text only, so nothing typed by a user becomes HTML.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import Any

import pydeck as pdk

from nightwatch import palette
from nightwatch.basemap import Basemap
from nightwatch.deck_json import CompactDeck
from nightwatch.geo import offset_point
from nightwatch.i18n import label, t
from nightwatch.plain import deck_rows
from nightwatch.response import Ring
from nightwatch.situation import Layer, Situation, SpotKind
from nightwatch.situation_activity import hazard_records, outreach_records
from nightwatch.viewport import View, middle, minutes_between, rings_of, spread_points
from nightwatch.vocab import BusinessKind, DutyPostKind, RoleKind, TeamType

# Chinese-capable fonts first; deck.gl draws labels from a glyph atlas built with these.
FONT = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif'
Record = dict[str, Any]
# pydeck reads a bare string keyword as a data accessor ("@@=pixels"); constants need String().
PIXELS = pdk.types.String("pixels")


ROLE_KINDS = frozenset(kind.value for kind in RoleKind)


def role_label(value: str, lang: str) -> str:
    """A role kind as people read it; an unknown one as stored."""
    return label(RoleKind(value), lang) if value in ROLE_KINDS else value


def _outline(geometry: dict | None, basemap: Basemap) -> list[list[list[list[float]]]]:
    return [[[basemap.project(lat, lon) for lon, lat in ring] for ring in polygon]
            for polygon in rings_of(geometry)]


def grid_records(situation: Situation, basemap: Basemap, lang: str) -> list[Record]:
    """One record per grid polygon, filled by its staffing."""
    records = []
    for grid in situation.grids:
        state = label_text = t(f"map.staffing.{grid.staffing.value}", lang)
        if grid.required and grid.staffing_visible:
            label_text = f"{state} · " + t("map.staffed_of", lang, staffed=sum(grid.staffed.values()),
                                            required=sum(grid.required.values()))
        for polygon in _outline(grid.polygon, basemap):
            records.append({"kind": "grid", "id": grid.id, "polygon": polygon,
                            "fill": palette.STAFFING_COLOURS[grid.staffing],
                            "tooltip": f"{grid.name}\n{label_text}"})
    return records


def team_records(situation: Situation, basemap: Basemap, lang: str, team_types: Collection[TeamType] | None
                 ) -> tuple[list[Record], list[Record]]:
    """Teams at their bases, and the areas they cover, coloured by team type."""
    bases, areas = [], []
    kept = [team for team in situation.teams if team_types is None or team.team_type in team_types]
    spread = spread_points([(team.lat, team.lon) for team in kept if team.lat is not None and team.lon is not None])
    for team in kept:
        colour = palette.team_colour(team.team_type)
        tooltip = f"{team.name}\n{label(team.team_type, lang)} · " + t("map.members", lang, count=team.members)
        if team.lat is not None and team.lon is not None:
            lat, lon = spread.pop(0)
            bases.append({"kind": "team", "id": team.id, "position": basemap.project(lat, lon),
                          "base": (round(team.lat, 5), round(team.lon, 5)), "colour": colour, "name": team.name,
                          "tooltip": tooltip})
        for polygon in _outline(team.area, basemap):
            areas.append({"kind": "team", "id": team.id, "polygon": polygon,
                          "line": colour, "fill": [*colour[:3], 25], "tooltip": tooltip})
    return bases, areas


def route_records(situation: Situation, basemap: Basemap, lang: str) -> list[Record]:
    """Patrol lines as paths through their checkpoints."""
    return [{"kind": "route", "id": route.id, "path": [basemap.project(lat, lon) for lat, lon in route.path],
             "colour": palette.team_colour(route.team_type),
             "tooltip": f"{route.name}\n" + t("map.route_stops", lang, stops=len(route.stops), minutes=route.minutes)}
            for route in situation.routes if len(route.path) >= 2]


_SPOT_STYLE = {SpotKind.CHECKPOINT: (palette.CHECKPOINT, 4), SpotKind.POST: (palette.POST, 7),
               SpotKind.SHOP: (palette.SHOP, 5)}
_SPOT_SUBTYPE = {SpotKind.POST: DutyPostKind, SpotKind.SHOP: BusinessKind}


def spot_records(situation: Situation, basemap: Basemap, lang: str, kind: SpotKind) -> list[Record]:
    """Checkpoints, duty posts or co-defender shops as dots."""
    colour, radius = _SPOT_STYLE[kind]
    records = []
    for spot in situation.spots:
        if spot.kind is not kind:
            continue
        what = t(f"map.spot.{kind.value}", lang)
        if spot.subtype and kind in _SPOT_SUBTYPE:
            what = label(_SPOT_SUBTYPE[kind](spot.subtype), lang)
        records.append({"kind": kind.value, "id": spot.id, "position": basemap.project(spot.lat, spot.lon),
                        "colour": colour, "radius": radius, "tooltip": f"{spot.name}\n{what}"})
    return records


def people_records(situation: Situation, basemap: Basemap, lang: str, team_types: Collection[TeamType] | None
                   ) -> list[Record]:
    """People on duty at their last known position, paler the older it is."""
    records = []
    for person in situation.people:
        if team_types is not None and person.team_type not in team_types:
            continue
        age = minutes_between(situation.at, person.seen_at)
        role = role_label(person.role_kind, lang)
        records.append({"kind": "person", "id": person.person_id, "position": basemap.project(person.lat, person.lon),
                        "colour": palette.faded(palette.team_colour(person.team_type), age),
                        "tooltip": f"{person.name} · {role}\n"
                                   + t(f"map.seen.{person.source}", lang, minutes=age)})
    return records


def tip_records(situation: Situation, basemap: Basemap, lang: str) -> list[Record]:
    """Open tips, filled by urgency and outlined by how long they have waited."""
    records = []
    for tip in situation.tips:
        waited = minutes_between(situation.at, tip.received_at)
        band, outline = palette.age_band(waited)
        where = t("map.approximate", lang) if tip.approximate else (tip.grid or "")
        records.append({"kind": "tip", "id": tip.id, "position": basemap.project(tip.lat, tip.lon),
                        "colour": palette.URGENCY_COLOURS[tip.urgency], "outline": outline,
                        "tooltip": f"{label(tip.category, lang)} · {label(tip.urgency, lang)}\n"
                                   + t("map.waited", lang, minutes=waited) + (f" · {where}" if where else "")})
    return records


def ring_records(focus: tuple[float, float], rings: list[Ring], basemap: Basemap, lang: str
                 ) -> tuple[list[Record], list[Record]]:
    """The response circles around a point, and a label on the top of each."""
    circles, labels = [], []
    for ring in rings:
        text = t(f"map.ring.{ring.target}", lang, minutes=ring.minutes)
        circles.append({"kind": "ring", "id": ring.minutes, "position": basemap.project(*focus),
                        "radius": ring.radius_m, "tooltip": f"{text} · {round(ring.radius_m)} m"})
        north = offset_point(focus[0], focus[1], ring.radius_m, 0)
        labels.append({"kind": "ring", "id": ring.minutes, "position": basemap.project(*north),
                       "name": text, "tooltip": text, "offset": [0, -18]})
    return circles, labels


def label_records(situation: Situation, basemap: Basemap, team_bases: list[Record], lang: str) -> list[Record]:
    """Names to print: grids above their centres; teams below their base, one label per shared base."""
    centres = ((g, g.center or middle(g.polygon)) for g in situation.grids)
    grids = [{"kind": "grid", "id": g.id, "position": basemap.project(*centre), "name": g.name,
              "tooltip": g.name, "offset": [0, -24]} for g, centre in centres if centre]
    by_base: dict[tuple[float, float], list[Record]] = {}
    for base in team_bases:
        by_base.setdefault(base["base"], []).append(base)
    teams = []
    for members in by_base.values():
        name = members[0]["name"] if len(members) == 1 else t("map.teams_here", lang, name=members[0]["name"],
                                                                  count=len(members))
        teams.append({"kind": "team", "id": members[0]["id"], "position": basemap.project(*members[0]["base"]),
                      "name": name, "tooltip": name, "offset": [0, 40]})
    return grids + teams


def _no_grids(situation: Situation) -> Situation:
    return replace(situation, grids=())


def _polygons(layer_id: str, data: list[Record], **style: Any) -> pdk.Layer:
    return pdk.Layer("PolygonLayer", id=layer_id, data=data, get_polygon="polygon", pickable=True,
                     stroked=True, **{"line_width_min_pixels": 1, **style})


def _dots(layer_id: str, data: list[Record], **style: Any) -> pdk.Layer:
    return pdk.Layer("ScatterplotLayer", id=layer_id, data=data, get_position="position", pickable=True,
                     radius_units=PIXELS, stroked=True, line_width_units=PIXELS, **style)


def _text(layer_id: str, data: list[Record], size: int) -> pdk.Layer:
    return pdk.Layer("TextLayer", id=layer_id, data=data, get_position="position", get_text="name",
                     get_size=size, get_color=palette.LABEL, font_family=pdk.types.String(FONT), pickable=False,
                     character_set=pdk.types.String("auto"), get_text_anchor=pdk.types.String("middle"),
                     get_alignment_baseline=pdk.types.String("top"), get_pixel_offset="offset",
                     background=True, get_background_color=palette.HALO, background_padding=[3, 1])


def build_layers(situation: Situation, *, show: Collection[Layer], basemap: Basemap, lang: str,
                 team_types: Collection[TeamType] | None = None, focus: tuple[float, float] | None = None,
                 rings: list[Ring] | None = None, grid_labels: bool = True) -> list[pdk.Layer]:
    """The layers to draw, bottom to top, for the layers shown and the team types kept (grid names unless not)."""
    shown = set(show) & set(situation.layers)
    layers: list[pdk.Layer] = []
    bases, areas = team_records(situation, basemap, lang, team_types) if Layer.TEAMS in shown else ([], [])
    if Layer.GRIDS in shown:
        layers.append(_polygons("grids", grid_records(situation, basemap, lang), get_fill_color="fill",
                                get_line_color=[60, 60, 60, 200]))
    if areas:
        layers.append(_polygons("team_areas", areas, get_fill_color="fill", get_line_color="line",
                                line_width_min_pixels=2))
    if Layer.ROUTES in shown:
        layers.append(pdk.Layer("PathLayer", id="routes", data=route_records(situation, basemap, lang),
                                get_path="path", get_color="colour", width_min_pixels=3, pickable=True,
                                cap_rounded=True, joint_rounded=True))
    for layer, kind in ((Layer.CHECKPOINTS, SpotKind.CHECKPOINT), (Layer.POSTS, SpotKind.POST),
                        (Layer.SHOPS, SpotKind.SHOP)):
        if layer in shown:
            layers.append(_dots(layer.value, spot_records(situation, basemap, lang, kind), get_radius="radius",
                                get_fill_color="colour", get_line_color=[255, 255, 255], line_width_min_pixels=1))
    if Layer.TEAMS in shown:
        layers.append(_dots("teams", [{k: v for k, v in b.items() if k != "base"} for b in bases], get_radius=11, get_fill_color="colour",
                            get_line_color=[255, 255, 255], line_width_min_pixels=3))
    if Layer.PEOPLE in shown:
        layers.append(_dots("people", people_records(situation, basemap, lang, team_types), get_radius=6,
                            get_fill_color="colour", get_line_color=[255, 255, 255], line_width_min_pixels=1))
    if Layer.HAZARDS in shown:
        layers.append(_dots("hazards", hazard_records(situation, basemap, lang), get_radius=7,
                            get_fill_color="colour", get_line_color="outline", line_width_min_pixels=2))
    if Layer.OUTREACH in shown:
        layers.append(_dots("outreach", outreach_records(situation, basemap, lang), get_radius=9,
                            get_fill_color="colour", get_line_color=[255, 255, 255], line_width_min_pixels=2))
    if Layer.TIPS in shown:
        layers.append(_dots("tips", tip_records(situation, basemap, lang), get_radius=9,
                            get_fill_color="colour", get_line_color="outline", line_width_min_pixels=3))
    if focus and rings:
        circles, ring_labels = ring_records(focus, rings, basemap, lang)
        layers.append(pdk.Layer("ScatterplotLayer", id="rings", data=circles, get_position="position",
                                get_radius="radius", radius_units=pdk.types.String("meters"), filled=False, stroked=True,
                                get_line_color=palette.RING, line_width_min_pixels=2, pickable=False))
        layers.append(_text("ring_labels", ring_labels, 13))
    named = situation if Layer.GRIDS in shown and grid_labels else _no_grids(situation)
    layers.append(_text("labels", label_records(named, basemap, bases, lang), 14))
    return layers


def build_deck(layers: list[pdk.Layer], view: View, basemap: Basemap) -> pdk.Deck:
    """The deck: our layers over the configured basemap, or over nothing when offline."""
    for layer in layers:
        if isinstance(layer.data, list):
            layer.data = deck_rows(layer.data)  # typed names stay text for deck.gl's JSON converter
    lon, lat = basemap.project(view.lat, view.lon)
    state = pdk.ViewState(latitude=lat, longitude=lon, zoom=view.zoom)
    if basemap.offline:
        return CompactDeck(layers=layers, initial_view_state=state, map_provider=None, tooltip={"text": "{tooltip}"})
    return CompactDeck(layers=layers, initial_view_state=state, map_provider="maplibre", map_style=basemap.style,
                    tooltip={"text": "{tooltip}"})
