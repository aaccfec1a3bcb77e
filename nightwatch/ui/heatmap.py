"""The heatmap page's body: filters, the map of cells, its legend, and the ranked coverage gaps."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import streamlit as st

from nightwatch import heatmap
from nightwatch.access import Actor, scoped_actor
from nightwatch.basemap import basemap_from
from nightwatch.config import Settings
from nightwatch.heatmap import CELL_AREAS_KM2, NIGHT_HOURS, hour_label
from nightwatch.nights import duty_date_of
from nightwatch.palette import hex_of
from nightwatch.services import heatmap as heat_service
from nightwatch.services.heatmap import HeatDistrict
from nightwatch.ui.district import choices_of, chosen_district
from nightwatch.ui.heatmap_layers import build_heat_deck, view_of
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.store import store
from nightwatch.ui.table import show_table
from nightwatch.vocab import TeamType, TipCategory

LAYERS = ("patrol", "incident", "gap")
DEFAULT_NIGHTS = 7
OLDEST_NIGHTS = 366
# More patrol lines than this would hide the cells under them: a big district's map frames with grids only.
FRAMED_ROUTES = 40
CACHE_TTL_S = 60


# The page reruns on every filter and layer change, and a city district's cells, hundred grid outlines and
# lines were read again each time: they are kept for a minute (counts of tonight lag by as much), cells keyed
# on the viewer's role and districts so no scope sees another's. The frame is public.
@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False, max_entries=64)
def _backdrop(url: str, district_id: int) -> heatmap.Backdrop:
    return heat_service.backdrop(session_factory=store().session_factory, district_id=district_id,
                                 max_routes=FRAMED_ROUTES)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False, max_entries=256)
def _coverage(url: str, role: str | None, district_ids: frozenset[int], asked: tuple, team_types, categories):
    district_id, first, last, hours, resolution = asked
    return heat_service.coverage(session_factory=store().session_factory, actor=scoped_actor(role, district_ids),
                                 district_id=district_id, first=first, last=last, hours=hours, resolution=resolution,
                                 team_types=team_types, categories=categories, limit=50)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False, max_entries=256)
def _patrol_cells(url: str, role: str | None, district_ids: frozenset[int], asked: tuple, team_types):
    district_id, first, last, hours, resolution = asked
    return heat_service.patrol_cells(session_factory=store().session_factory, actor=scoped_actor(role, district_ids),
                                     district_id=district_id, first=first, last=last, hours=hours,
                                     resolution=resolution, team_types=team_types)


def _district(actor: Actor, everywhere: list[HeatDistrict]) -> HeatDistrict | None:
    """The shared picker's district when signed in with one; otherwise a choice of every district."""
    by_id = {d.id: d for d in everywhere}
    if actor.signed_in and choices_of(actor):
        return by_id.get(chosen_district(actor))
    if not everywhere:
        return None
    picked = st.selectbox(t("heatmap.filter.district"), [d.id for d in everywhere], key="heatmap_district",
                          format_func=lambda district_id: by_id[district_id].label)
    return by_id[picked]


def _dates(column, tonight: date) -> tuple[date, date]:
    """The nights, last week up to tonight by default; a half-picked range counts as one night."""
    picked = column.date_input(t("heatmap.filter.dates"), value=(tonight - timedelta(days=DEFAULT_NIGHTS - 1), tonight),
                               min_value=tonight - timedelta(days=OLDEST_NIGHTS), max_value=tonight,
                               key="heatmap_dates")
    chosen = tuple(picked) if isinstance(picked, (tuple, list)) else (picked,)
    if not chosen:
        return tonight - timedelta(days=DEFAULT_NIGHTS - 1), tonight
    return chosen[0], chosen[-1]


def filters(actor: Actor) -> tuple[HeatDistrict, date, date, frozenset[int]] | None:
    """District, nights and time of night; None when there is no district at all."""
    district = _district(actor, heat_service.districts(session_factory=store().session_factory))
    if district is None:
        return None
    tonight = duty_date_of(datetime.now(UTC), district.timezone)
    dates_column, hours_column = st.columns(2)
    first, last = _dates(dates_column, tonight)
    start, end = hours_column.select_slider(t("heatmap.filter.hours"), options=list(NIGHT_HOURS),
                                            value=(NIGHT_HOURS[0], NIGHT_HOURS[-1]), format_func=hour_label,
                                            key="heatmap_hours")
    return district, first, last, heatmap.hours_between(start, end)


def _cell_size(column) -> int:
    """The H3 resolution to draw: the stored one, or a coarser one for a wider look."""
    return column.selectbox(t("heatmap.filter.cell_size"), list(CELL_AREAS_KM2), key="heatmap_size",
                            format_func=lambda r: t("heatmap.cell_size", area=CELL_AREAS_KM2[r]))


def _layer(full: bool) -> str:
    """The layer to draw: coordinators choose; everyone else sees patrol coverage."""
    if not full:
        return "patrol"
    return st.radio(t("heatmap.filter.layer"), LAYERS, horizontal=True, key="heatmap_layer",
                    format_func=lambda layer: t(f"heatmap.layer.{layer}"))


def _kinds(layer: str, full: bool) -> tuple[int, list[str] | None, list[str] | None]:
    """Cell size, team types (patrol and gaps) and categories (incidents and gaps, coordinators); empty is all."""
    size_column, team_column, category_column = st.columns(3)
    resolution = _cell_size(size_column)
    team_types = categories = None
    if layer in ("patrol", "gap"):
        picked = team_column.multiselect(t("heatmap.filter.team_types"), list(TeamType), format_func=vocab_label,
                                         placeholder=t("heatmap.filter.all"), key="heatmap_team_types")
        team_types = [str(value) for value in picked] or None
    if full and layer in ("incident", "gap"):
        picked = category_column.multiselect(t("heatmap.filter.categories"), list(TipCategory),
                                             format_func=vocab_label, placeholder=t("heatmap.filter.all"),
                                             key="heatmap_categories")
        categories = [str(value) for value in picked] or None
    return resolution, team_types, categories


def show_heatmap(actor: Actor) -> None:
    """The whole page body below the title: filters, the map first on a phone, then the rest."""
    chosen = filters(actor)
    if chosen is None:
        st.info(t("heatmap.no_district"))
        return
    district, first, last, hours = chosen
    full = heatmap.full_view(actor, district.id)
    if not full:
        first, last = heatmap.public_nights(first, last, duty_date_of(datetime.now(UTC), district.timezone))
        st.caption(t("heatmap.public_nights", first=first.isoformat(), last=last.isoformat()))
    layer = _layer(full)
    map_slot = st.container()
    with st.expander(t("heatmap.filter.more")):
        resolution, team_types, categories = _kinds(layer, full)
    min_count = Settings.from_env().heatmap_min_count
    scope = (store().url, None if actor.role is None else str(actor.role), actor.district_ids,
             (district.id, first, last, frozenset(hours), resolution))
    if full:  # one read gives every layer and the gaps
        seen = _coverage(*scope, team_types, categories)
        gaps = seen.gaps
        values = ([(g.cell, g.score) for g in gaps] if layer == "gap" else
                  [(c.cell, c.n) for c in (seen.patrols if layer == "patrol" else seen.incidents)])
    else:
        gaps = []
        values = [(c.cell, c.n) for c in _patrol_cells(*scope, team_types)]
    with map_slot:
        _draw(district, layer, values, low=1 if full else min_count)
        st.caption(t("heatmap.intro_full" if full else "heatmap.intro", area=CELL_AREAS_KM2[resolution],
                     min_count=min_count))
    if full:
        _gap_table(gaps)


def _draw(district: HeatDistrict, layer: str, values: list[tuple[str, float]], low: float) -> None:
    """The map of cells, its summary and its legend."""
    basemap = basemap_from(Settings.from_env())
    centre = (district.lat, district.lon) if district.lat is not None and district.lon is not None else None
    frame = _backdrop(store().url, district.id)
    view = view_of(values, centre, frame)
    if view is not None:
        deck = build_heat_deck(values, layer_id=f"heat_{layer}", scheme=layer, tooltip=t(f"heatmap.tooltip.{layer}"),
                               basemap=basemap, view=view, frame=frame)
        st.pydeck_chart(deck, height=480, key="heatmap_chart")
    if frame.routes_left_out:
        st.caption(t("heatmap.routes_left_out", count=frame.routes_left_out))
    if not values:
        st.info(t("heatmap.empty"))
        return
    total = sum(value for _, value in values)
    st.caption(t(f"heatmap.summary.{layer}", cells=len(values), total=round(total)))
    top = max(value for _, value in values)
    swatches = " ".join(f'<span style="color:{hex_of(colour)}">⬢</span> {value:g}'
                        for value, colour in heatmap.legend_steps(top, layer, low=low))
    st.markdown(f"**{t(f'heatmap.legend.{layer}')}** {swatches}", unsafe_allow_html=True)
    if basemap.offline:
        st.caption(t("heatmap.offline"))


def _gap_table(gaps: list[heatmap.Gap]) -> None:
    """The ranked gaps as a plain, sortable table, with the rule in one sentence."""
    st.subheader(t("heatmap.gaps.title"))
    st.caption(t("heatmap.gap_rule"))
    if not gaps:
        st.info(t("heatmap.gaps.none"))
        return
    table = pd.DataFrame([{
        t("heatmap.col.rank"): gap.rank, t("heatmap.col.place"): gap.place or "",
        t("heatmap.col.incidents"): gap.incidents, t("heatmap.col.patrols"): gap.patrols,
        t("heatmap.col.score"): gap.score, t("heatmap.col.route"): gap.route or "",
        t("heatmap.col.route_m"): gap.route_m,
    } for gap in gaps])
    show_table(table, name="patrol-gaps", key="heatmap_gaps")
