"""The situation map page's body: the deck, its legend, and the selected feature's details."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import streamlit as st

from nightwatch import palette
from nightwatch import situation_overview as overview
from nightwatch.access import Actor
from nightwatch.basemap import basemap_from
from nightwatch.config import Settings
from nightwatch.plain import plain
from nightwatch.response import reach, rings
from nightwatch.services import situation as situation_service
from nightwatch.situation import Audience, Layer, Situation, SpotKind, Staffing, within_grid
from nightwatch.situation_activity import HAZARD_COLOUR, OUTREACH_COLOUR
from nightwatch.situation_details import Details, describe, feature_choices
from nightwatch.situation_layers import build_deck, build_layers
from nightwatch.situation_overview import OVERVIEW_CAP
from nightwatch.ui import map_filters
from nightwatch.ui.lang import current_language, t, vocab_label
from nightwatch.ui.store import store
from nightwatch.viewport import View, extent_points, fit_view, ring_extent

PICK_KEY = "map_pick"
CHART_KEY = "situation_chart"


def show_map(actor: Actor) -> None:
    """Filters, the map, its legend and the details of what was picked."""
    now = datetime.now(timezone.utc)
    chosen = map_filters.when_filters(actor, now)
    if chosen is None:
        st.info(t("map.no_district"))
        return
    factory = store().session_factory
    grid_id = map_filters.grid_filter(situation_service.grid_choices(session_factory=factory,
                                                                     district_id=chosen.district_id),
                                      chosen.grid_column)
    full = situation_service.situation(session_factory=factory, actor=actor, district_id=chosen.district_id,
                                       now=now, duty_date=chosen.duty_date, hour=chosen.hour, grid_id=grid_id,
                                       overview_cap=OVERVIEW_CAP)
    shown = within_grid(full, grid_id) if grid_id is not None else full
    layers = map_filters.layer_filter(shown)
    _summary(shown)
    drawn, cut = overview.drawn(shown, OVERVIEW_CAP)
    map_slot = st.container()
    lang = current_language()
    pick_column, travel_column = st.columns([3, 1], vertical_alignment="bottom")
    with pick_column:
        details = _picked(drawn, lang)
    with travel_column:
        travel = map_filters.travel_filter()
    ring_list = rings(shown.targets, travel)
    _details(shown, details, ring_list, lang)
    with st.expander(t("map.filter.more")):
        team_types = map_filters.team_type_filter(shown)
        _legend(shown, layers, team_types)
    basemap = basemap_from(Settings.from_env())
    deck = build_deck(build_layers(drawn, show=layers, basemap=basemap, lang=lang, team_types=team_types,
                                   focus=details.point if details else None, rings=ring_list,
                                   grid_labels=overview.labels_grids(drawn)),
                      _view(shown, details, ring_list), basemap)
    with map_slot:
        st.pydeck_chart(deck, on_select=_on_chart_select, selection_mode="single-object", key=CHART_KEY,
                        height=520)
        _left_out(shown.held_back, cut, layers)
        if basemap.offline:
            st.caption(t("map.offline"))


def _left_out(held_back: dict[Layer, int], cut: dict[Layer, int], layers: list[Layer]) -> None:
    """Say in words what a big district's map leaves out, and how to reach it."""
    held = [t("map.held_back.item", layer=t(f"map.layer.{layer.value}"), count=n)
            for layer, n in held_back.items() if layer in layers]
    if held:
        st.caption(t("map.held_back", layers=t("list.separator").join(held)))
    for layer, total in cut.items():
        if layer in layers:
            st.caption(t(f"map.cut.{layer.value}", shown=OVERVIEW_CAP, total=total))


def _view(situation: Situation, details: Details | None, ring_list) -> View:
    """Open on the picked feature's 3-minute circle, else fit the grids (all, or the one chosen)."""
    if details and details.point:
        return fit_view(ring_extent(details.point, ring_list[1].radius_m)) or View(*details.point)
    return fit_view(extent_points(situation)) or View(*situation.center)


def _summary(situation: Situation) -> None:
    when = situation.at.astimezone(ZoneInfo(situation.timezone)).strftime("%m-%d %H:%M")
    if situation.audience in (Audience.COORDINATOR, Audience.PATROL):
        short = sum(1 for g in situation.grids if g.staffing in (Staffing.SHORT, Staffing.EMPTY))
        st.caption(t("map.summary", when=when, people=len(situation.people), tips=len(situation.tips), short=short))
        if situation.audience is Audience.PATROL:
            st.caption(t("map.patrol_note"))
        return
    count = {kind: sum(1 for s in situation.spots if s.kind is kind) for kind in SpotKind}
    st.caption(t("map.summary_public", when=when, posts=count[SpotKind.POST], shops=count[SpotKind.SHOP],
                 teams=len(situation.teams)))
    st.caption(t("map.merchant_note" if situation.audience is Audience.MERCHANT else "map.public_note"))


def _swatch(colour: list[int], text: str) -> str:
    return f'<span style="color:{palette.hex_of(colour)}">■</span> {text}'


def _legend(situation: Situation, layers: list[Layer], team_types: set) -> None:
    """Colour keys for what is drawn; our own catalog words only, so the HTML is ours."""
    lines = []
    if Layer.GRIDS in layers and situation.audience in (Audience.COORDINATOR, Audience.PATROL):
        lines.append(f"**{t('map.legend.staffing')}** " + " ".join(
            _swatch(palette.STAFFING_COLOURS[s], t(f"map.staffing.{s.value}"))
            for s in (Staffing.FULL, Staffing.SHORT, Staffing.EMPTY, Staffing.UNPLANNED)))
    if team_types:
        lines.append(" ".join(_swatch(palette.team_colour(tt), vocab_label(tt)) for tt in sorted(team_types)))
    points = [(palette.POST, "map.spot.post"), (palette.SHOP, "map.spot.shop"), (palette.CHECKPOINT, "map.spot.checkpoint")]
    lines.append(f"**{t('map.legend.points')}** " + " ".join(
        _swatch(colour, t(key)) for colour, key in points if key != "map.spot.checkpoint" or Layer.CHECKPOINTS in layers))
    if Layer.PEOPLE in layers:
        lines.append(t("map.legend.people"))
    if Layer.OUTREACH in layers:
        lines.append(_swatch(OUTREACH_COLOUR, t("map.legend.outreach")))
    if Layer.HAZARDS in layers:
        lines.append(_swatch(HAZARD_COLOUR, t("map.legend.hazards")))
    if Layer.TIPS in layers:
        urgencies = " ".join(_swatch(colour, vocab_label(u)) for u, colour in palette.URGENCY_COLOURS.items())
        ages = " ".join(f'<span style="-webkit-text-stroke:1px {palette.hex_of(c)};color:#eee">●</span> '
                        + t(f"map.legend.age.{name}") for _limit, name, c in palette.AGE_BANDS)
        lines.append(f"**{t('map.legend.tips')}** {urgencies} · {ages}")
    st.markdown("  \n".join(lines), unsafe_allow_html=True)


def _on_chart_select() -> None:
    """Remember what was tapped on the map, as a (kind, id) key."""
    objects = st.session_state[CHART_KEY].selection.get("objects", {})
    for records in objects.values():
        for record in records:
            if isinstance(record, dict) and isinstance(record.get("kind"), str) and isinstance(record.get("id"), int):
                st.session_state[PICK_KEY] = (record["kind"], record["id"])
                return


def _picked(situation: Situation, lang: str) -> Details | None:
    """The feature picked on the map or from the list, if this audience may see it."""
    choices = feature_choices(situation, lang)
    keys = [(kind, fid) for kind, fid, _ in choices]
    labels = {(kind, fid): text for kind, fid, text in choices}
    current = st.session_state.get(PICK_KEY)
    if current not in keys:
        current = None
    st.session_state["map_pick_list"] = current

    def _listed() -> None:
        st.session_state[PICK_KEY] = st.session_state["map_pick_list"]

    st.selectbox(t("map.pick"), keys, key="map_pick_list", on_change=_listed, placeholder=t("map.pick_hint"),
                 format_func=labels.get)
    return describe(situation, *current, lang) if current else None


def _details(situation: Situation, details: Details | None, ring_list, lang: str) -> None:
    if details is None:
        st.info(t("map.nothing_selected"))
        return
    st.subheader(details.title)
    st.markdown("  \n".join(f"**{label}:** {plain(value)}" for label, value in details.rows))
    if details.point and situation.people:
        located = [(p, p.lat, p.lon) for p in situation.people]
        st.markdown(f"**{t('map.reach.title')}**")
        inside = reach(details.point, ring_list, located)
        for ring in ring_list:
            members = inside[ring.target]
            names = t("list.separator").join(
                t("map.reach.row", name=p.name, distance=round(d)) for p, d in members) or t("map.reach.none")
            st.markdown(f"- {t(f'map.ring.{ring.target}', minutes=ring.minutes)}:{plain(names)}")

