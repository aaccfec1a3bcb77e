"""Widgets the geography tabs share: pasted coordinates with a datum, messages kept across a rerun."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from nightwatch.access import Actor, Forbidden
from nightwatch.coords import Datum, parse_pasted, to_wgs84
from nightwatch.services import geocoding, geography_lists
from nightwatch.services.geography import GeographyRefused
from nightwatch.shown import Shown
from nightwatch.ui.lang import t
from nightwatch.ui.plain import plain_t
from nightwatch.ui.store import store
from nightwatch.ui.table import show_table

REFUSALS = (GeographyRefused, Forbidden)
FALLBACK_ORIGIN = "http://localhost:8501"
MESSAGE_KEY = "_geo_message"


@dataclass(frozen=True)
class Pasted:
    """A point as typed: its numbers in the chosen datum, and whether it came from an address lookup."""

    lat: float
    lon: float
    datum: Datum
    approximate: bool


def factory():
    """The session factory of the configured store."""
    return store().session_factory


def say(scope: str, kind: str, key: str, **values: object) -> None:
    """Keep a message for the next run to show beside the button that caused it (callbacks cannot draw)."""
    st.session_state[MESSAGE_KEY] = (scope, kind, key, values)


def said(scope: str, error: Exception) -> None:
    """Keep a refusal's message."""
    say(scope, "error", getattr(error, "key", "geography.failed"), **getattr(error, "values", {}))


def show_message(scope: str) -> None:
    """Draw the message kept for this part of the page, once.

    Drawn where the button is rather than above the tabs: an element appearing before the tabs
    would remount them and send the user back to the first tab.
    """
    kept = st.session_state.get(MESSAGE_KEY)
    if kept and kept[0] == scope:
        del st.session_state[MESSAGE_KEY]
        _, kind, key, values = kept
        (st.success if kind == "success" else st.error)(plain_t(key, **values))


def datum_label(datum: Datum) -> str:
    """How a datum reads in the radio."""
    return t(f"geo.datum.{datum.value}")


def _locate(prefix: str, district_id: int) -> None:
    """Look the address up and put the found WGS-84 point into the coordinate field."""
    query = (st.session_state.get(f"{prefix}_address") or "").strip()
    if not query:
        say(f"{prefix}_locate", "error", "geo.address_empty")
        return
    try:
        found = geocoding.locate(session_factory=factory(), query=query, district_id=district_id)
    except geocoding.GeocodeFailed as failed:
        said(f"{prefix}_locate", failed)
        return
    text = f"{found.lat:.6f}, {found.lon:.6f}"
    st.session_state[f"{prefix}_coords"] = text
    st.session_state[f"{prefix}_datum"] = Datum.WGS84
    # A registered place's own point is as good as it was; a looked-up address is only approximate.
    st.session_state[f"{prefix}_found"] = None if found.source == "gazetteer" else text
    say(f"{prefix}_locate", "success", "geo.address_found", label=found.label, source=t(f"geocode.source.{found.source}"))


def point_input(prefix: str, district_id: int, current: str = "") -> Pasted | None:
    """A 'lat, lon' field, a datum choice and an address lookup; shows the WGS-84 point that will be saved."""
    st.session_state.setdefault(f"{prefix}_coords", current)
    st.session_state.setdefault(f"{prefix}_datum", Datum.WGS84)
    text = st.text_input(t("geo.coords"), key=f"{prefix}_coords", placeholder="25.2847, 110.2965",
                         help=t("geo.coords_help"))
    datum = st.radio(t("geo.datum"), list(Datum), key=f"{prefix}_datum", format_func=datum_label, horizontal=True)
    address, lookup = st.columns([4, 1], vertical_alignment="bottom")
    address.text_input(t("geo.address"), key=f"{prefix}_address", max_chars=200)
    lookup.button(t("geo.locate"), key=f"{prefix}_locate", on_click=_locate, args=(prefix, district_id))
    show_message(f"{prefix}_locate")
    if not text.strip():
        st.caption(t("geo.coords_missing"))
        return None
    try:
        lat, lon = parse_pasted(text)
        wlat, wlon = to_wgs84(lat, lon, datum)
    except (TypeError, ValueError) as error:
        st.error(t(str(error)))
        return None
    st.caption(t("geo.stored_as", lat=f"{wlat:.6f}", lon=f"{wlon:.6f}"))
    return Pasted(lat, lon, Datum(datum), st.session_state.get(f"{prefix}_found") == text)


def base_url() -> str:
    """The address people reach this app at, for absolute links in QR codes."""
    url = st.context.url
    if url:
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    host = st.context.headers.get("Host")
    return f"http://{host}" if host else FALLBACK_ORIGIN


def forget(*keys: str) -> None:
    """Empty widgets after a save, so the next entry starts blank."""
    for key in keys:
        st.session_state.pop(key, None)


def search_box(scope: str, hint: str) -> str:
    """The search above a tab's table: the list, its downloads and its picker all follow it."""
    return st.text_input(t("geo.search"), key=f"{scope}_search", max_chars=60,
                         placeholder=t(f"geo.search_hint.{hint}"))


def listed(lister: Callable[..., Shown], frame: Callable[[list], pd.DataFrame], *, actor: Actor, district_id: int,
           scope: str, hint: str, name: str, key: str, **where: Any) -> list:
    """A tab's search, its first matching rows with how many match, and files holding every match; the rows listed."""
    search = search_box(scope, hint)
    page = partial(lister, session_factory=factory(), actor=actor, district_id=district_id, search=search, **where)
    shown = page(limit=geography_lists.SHOWN)
    count_caption(shown, search)
    show_table(frame(shown.rows), name=name, key=key, export=lambda: frame(page(limit=None).rows))
    return shown.rows


def count_caption(shown: Shown, search: str) -> None:
    """How many match, and whether the table shows only the first of them."""
    if not shown.total and search.strip():
        st.info(t("geo.no_match"))
    elif shown.cut:
        st.caption(t("geo.count_cut", shown=len(shown.rows), total=shown.total))
    else:
        st.caption(t("geo.count", count=shown.total))


def picker(key: str, names: dict[int, str]) -> int | None:
    """A choice among the listed rows (id → name); a choice the search has since hidden is let go."""
    if st.session_state.get(key) not in names:
        st.session_state[key] = None
    return st.selectbox(t("geo.pick"), list(names), key=key, format_func=names.get, placeholder=t("form.choose"),
                        help=t("geo.pick_help"))
