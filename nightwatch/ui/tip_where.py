"""Where a tip is, on a phone: the shop, a spot tapped on a small map, or an address looked up."""
from __future__ import annotations

import pydeck as pdk
import streamlit as st

from nightwatch.plain import deck_rows
from nightwatch.services import geocoding
from nightwatch.services.tip_places import ShopPlace
from nightwatch.services.tips import Where
from nightwatch.ui.lang import t
from nightwatch.ui.plain import plain_t
from nightwatch.ui.store import store

KINDS = ("shop", "map", "address")
KIND_KEY, PICKED_KEY, FOUND_KEY = "tip.where_kind", "tip.picked", "tip.found"
ICONS = {"shop": ":material/storefront:", "map": ":material/pin_drop:", "address": ":material/search:"}


def chosen_where(place: ShopPlace) -> Where | None:
    """The location the form currently holds; None until a map spot or an address is chosen."""
    kind = st.session_state.get(KIND_KEY) or "shop"
    if kind == "shop":
        return Where(place.lat, place.lon, "shop", place.name)
    return st.session_state.get(PICKED_KEY if kind == "map" else FOUND_KEY)


def where_picker(place: ShopPlace) -> Where | None:
    """Draw the location choice and return what it holds."""
    st.session_state.setdefault(KIND_KEY, "shop")
    st.segmented_control(
        t("tips.where"), KINDS, key=KIND_KEY,
        format_func=lambda kind: f"{ICONS[kind]} {t(f'tips.where.{kind}')}",
    )
    kind = st.session_state.get(KIND_KEY) or "shop"
    if kind == "map":
        _map_pick(place)
    elif kind == "address":
        _address(place)
    where = chosen_where(place)
    if where is not None:
        st.caption(f":material/location_on: {plain_t('tips.where_at', label=where.label or f'{where.lat:.5f}, {where.lon:.5f}')}")
    return where


def _spots(place: ShopPlace) -> list[dict]:
    """The shop and the spots around it as map rows."""
    rows = [{"name": place.name, "lat": place.lat, "lon": place.lon, "colour": [220, 38, 38, 230]}]
    rows += [{"name": spot.name, "lat": spot.lat, "lon": spot.lon,
              "colour": [37, 99, 235, 200] if spot.is_shop else [16, 163, 74, 200]} for spot in place.nearby]
    return rows


def _map_pick(place: ShopPlace) -> None:
    """A small map of nearby spots; tapping one picks it."""
    if place.lat is None or place.lon is None:
        st.info(t("tips.shop_not_located"))
        return
    st.caption(t("tips.pick_hint"))
    layer = pdk.Layer(
        "ScatterplotLayer", data=deck_rows(_spots(place)), id="spots", get_position="[lon, lat]", get_fill_color="colour",
        get_radius=5, radius_min_pixels=6, radius_max_pixels=14, pickable=True, auto_highlight=True,
    )
    deck = pdk.Deck(layers=[layer], map_provider=None, map_style=None, tooltip={"text": "{name}"},
                    initial_view_state=pdk.ViewState(latitude=place.lat, longitude=place.lon, zoom=17))
    event = st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key="tip.map", height=260)
    picked = (event.selection.objects.get("spots") or [None])[0] if event and event.selection else None
    if picked:
        st.session_state[PICKED_KEY] = Where(picked["lat"], picked["lon"], "map", picked["name"])


def _address(place: ShopPlace) -> None:
    """Type an address or place name; our own gazetteer answers first."""
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.text_input(t("tips.address"), key="tip.address", max_chars=200)
    right.button(t("tips.find"), icon=":material/search:", on_click=_find, args=(place.district_id,),
                 use_container_width=True)
    if "tip.address_error" in st.session_state:
        key, values = st.session_state.pop("tip.address_error")
        st.warning(plain_t(key, **values))


def _find(district_id: int) -> None:
    """Look the typed address up and keep what was found."""
    query = st.session_state.get("tip.address") or ""
    try:
        found = geocoding.locate(session_factory=store().session_factory, query=query, district_id=district_id)
    except geocoding.GeocodeFailed as failed:
        st.session_state.pop(FOUND_KEY, None)
        st.session_state["tip.address_error"] = (failed.key, failed.values)
        return
    st.session_state[FOUND_KEY] = Where(found.lat, found.lon, "address", found.label)


def forget_where() -> None:
    """Clear the chosen location after a tip was sent."""
    st.session_state.update({KIND_KEY: "shop", "tip.address": ""})
    for key in (PICKED_KEY, FOUND_KEY):
        st.session_state.pop(key, None)
