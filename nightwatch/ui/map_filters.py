"""The situation map's filters: district, night, hour, grid, layers and team types."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from nightwatch.access import Actor
from nightwatch.nights import DEFAULT_TIMEZONE, duty_date_of, night_hours
from nightwatch.response import Travel
from nightwatch.situation import Layer, Situation
from nightwatch.ui.district import choices_of, chosen_district
from nightwatch.ui.lang import t, vocab_label
from nightwatch.vocab import AccountRole, TeamType

PUBLIC_SCOPE = Actor(role=AccountRole.ADMIN)  # only to list district names, which are public


@dataclass(frozen=True)
class MapFilters:
    """What the map is asked to show."""

    district_id: int
    duty_date: date
    hour: int | None
    grid_column: DeltaGenerator


def _district(actor: Actor) -> int | None:
    """The signed-in district from the shared picker; the public choose from every district."""
    if actor.signed_in:
        return chosen_district(actor)
    choices = choices_of(PUBLIC_SCOPE)
    if not choices:
        return None
    labels = {choice.label: choice.id for choice in choices}
    picked = st.selectbox(t("map.filter.district"), list(labels), key="map_public_district")
    return labels[picked]


def when_filters(actor: Actor, now: datetime) -> MapFilters | None:
    """District, night and hour; None when there is no district to show."""
    district_id = _district(actor)
    if district_id is None:
        return None
    tonight = duty_date_of(now.astimezone(timezone.utc), DEFAULT_TIMEZONE)
    night_col, hour_col, grid_col = st.columns(3)
    night = night_col.date_input(t("map.filter.night"), value=tonight, max_value=tonight, key="map_night")
    hours: list[int | None] = [None, *night_hours()]
    hour = hour_col.selectbox(t("map.filter.hour"), hours, key="map_hour",
                              format_func=lambda h: t("map.filter.now") if h is None else f"{h:02d}:00")
    if hour is None and night != tonight:
        hour = 22
    return MapFilters(district_id, night, hour, grid_col)


def grid_filter(grids: list[tuple[int, str]], column: DeltaGenerator) -> int | None:
    """One grid to zoom to, or all of them (drawn in the filter row's last column)."""
    names = dict(grids)
    options: list[int | None] = [None, *names]
    if st.session_state.get("map_grid") not in options:
        st.session_state["map_grid"] = None
    return column.selectbox(t("map.filter.grid"), options, key="map_grid",
                            format_func=lambda g: t("map.filter.all_grids") if g is None else names[g])


def layer_filter(situation: Situation) -> list[Layer]:
    """The layers to draw, from those the audience may see (all of them at first)."""
    available = list(situation.layers)
    chosen = st.pills(t("map.filter.layers"), available, selection_mode="multi", default=available,
                      format_func=lambda layer: t(f"map.layer.{layer.value}"), key=f"map_layers_{situation.audience}")
    return list(chosen)


def team_type_filter(situation: Situation) -> set[TeamType]:
    """The team types to keep, from those present in the district."""
    present = sorted({team.team_type for team in situation.teams}, key=list(TeamType).index)
    chosen = st.multiselect(t("map.filter.team_types"), present, default=present, format_func=vocab_label,
                            key=f"map_team_types_{situation.district_id}")
    return set(chosen)


def travel_filter() -> Travel:
    """How the response circles are measured: on foot or by e-bike."""
    return st.segmented_control(t("map.filter.travel"), list(Travel), default=Travel.FOOT, key="map_travel",
                                format_func=lambda mode: t(f"map.travel.{mode.value}")) or Travel.FOOT
