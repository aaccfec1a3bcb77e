"""The shops list for coordinators and patrols: filters, the table with exports, a risk map, and the pick."""
from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

import pandas as pd
import pydeck as pdk
import streamlit as st

from nightwatch.access import Actor
from nightwatch.basemap import basemap_from
from nightwatch.config import Settings
from nightwatch.nights import DEFAULT_TIMEZONE
from nightwatch.palette import hex_of
from nightwatch.plain import deck_rows
from nightwatch.services import shops
from nightwatch.situation_layers import build_deck
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.store import store
from nightwatch.ui.table import show_table
from nightwatch.viewport import View, fit_view
from nightwatch.vocab import BusinessKind, RiskLevel

PICK_KEY = "shops_pick"
TABLE_KEY = "shops_table"
MAP_KEY = "shops_map"
RISK_COLOURS: dict[RiskLevel, list[int]] = {
    RiskLevel.HIGH: [211, 47, 47, 230], RiskLevel.MEDIUM: [245, 166, 35, 230], RiskLevel.LOW: [46, 160, 67, 220],
}


def shop_filters(actor: Actor, district_id: int) -> shops.ShopFilter:
    """The filter row: name search, grid, risk, kind, co-defenders only."""
    grids = shops.grid_choices(session_factory=store().session_factory, actor=actor, district_id=district_id)
    grid_names = {g.id: g.name for g in grids}
    text_col, grid_col, risk_col, kind_col, codef_col = st.columns([2, 1, 1, 1, 1.3], vertical_alignment="bottom")
    text = text_col.text_input(t("shops.filter.text"), key="shops_f_text", placeholder=t("shops.filter.text_hint"))
    every = t("shops.filter.all")
    # None is "all"; the placeholder says so too, should a language switch leave the box empty.
    grid_id = grid_col.selectbox(t("shops.filter.grid"), [None, *grid_names], key="shops_f_grid", placeholder=every,
                                 format_func=lambda g: every if g is None else grid_names[g])
    risk = risk_col.selectbox(t("shops.filter.risk"), [None, *RiskLevel], key="shops_f_risk", placeholder=every,
                              format_func=lambda r: every if r is None else vocab_label(r))
    kind = kind_col.selectbox(t("shops.filter.kind"), [None, *BusinessKind], key="shops_f_kind", placeholder=every,
                              format_func=lambda k: every if k is None else vocab_label(k))
    codefender = codef_col.toggle(t("shops.filter.codefender"), key="shops_f_codef")
    return shops.ShopFilter(grid_id=grid_id, risk=risk, codefender_only=codefender, kind=kind, text=text or "")


def _frame(rows: list[shops.ShopRow], timezone: str) -> pd.DataFrame:
    """The table as shown and exported: translated headers, labels, local dates; no personal data."""
    zone = ZoneInfo(timezone)
    kind, risk = _labels(BusinessKind), _labels(RiskLevel)
    yes, never = t("shops.yes"), t("shops.never")

    return pd.DataFrame({
        t("shops.col.name"): [r.name for r in rows],
        t("shops.col.kind"): [kind[r.kind] for r in rows],
        t("shops.col.grid"): [r.grid or "" for r in rows],
        t("shops.col.risk"): [risk[r.risk] for r in rows],
        t("shops.col.codefender"): [yes if r.is_codefender else "" for r in rows],
        t("shops.col.missing"): [r.missing for r in rows],
        t("shops.col.open_hazards"): [r.open_hazards for r in rows],
        t("shops.col.last_inspection"): [r.last_inspection.astimezone(zone).strftime("%Y-%m-%d")
                                         if r.last_inspection else never for r in rows],
    })


def _labels(vocabulary) -> dict:
    """Each value's label, looked up once per table rather than once per row (a district has a thousand shops)."""
    return {member: vocab_label(member) for member in vocabulary}


def shop_table(listed: shops.ShopsPage, everything: Callable[[], list[shops.ShopRow]],
               timezone: str = DEFAULT_TIMEZONE) -> None:
    """The riskiest shops; picking a row opens its dossier. The exports hold every shop the filters match."""
    rows = listed.rows
    ids = [r.id for r in rows]

    def _picked() -> None:
        """Open the dossier of the row just ticked."""
        chosen = st.session_state[TABLE_KEY].selection.get("rows", [])
        if chosen and chosen[0] < len(ids):
            st.session_state[PICK_KEY] = ids[chosen[0]]

    st.caption(t("shops.count_cut", shown=len(rows), total=listed.total) if listed.cut
               else t("shops.count", count=len(rows)))
    show_table(_frame(rows, timezone), name="shops", key=TABLE_KEY, on_select=_picked,
               selection_mode="single-row", height=min(420, 38 + 35 * max(1, len(rows))),
               export=lambda: _frame(everything(), timezone))


def shop_map(rows: list[shops.ShopRow]) -> None:
    """A small map of the listed shops coloured by risk, offline unless a basemap is configured."""
    located = [r for r in rows if r.lat is not None and r.lon is not None]
    if not located:
        return
    basemap = basemap_from(Settings.from_env())
    risk = _labels(RiskLevel)
    data = [{"kind": "shop", "id": r.id, "position": basemap.project(r.lat, r.lon),
             "colour": RISK_COLOURS[r.risk], "tooltip": f"{r.name} · {risk[r.risk]}"} for r in located]
    layer = pdk.Layer("ScatterplotLayer", id="shops", data=deck_rows(data), get_position="position", get_radius=7,
                      radius_units=pdk.types.String("pixels"), get_fill_color="colour", stroked=True,
                      get_line_color=[255, 255, 255], line_width_min_pixels=1, pickable=True)
    points = [(r.lat, r.lon) for r in located]
    view = fit_view(points, width_px=700, height_px=300) or View(*points[0])

    def _picked() -> None:
        """Open the dossier of the shop just tapped on the map."""
        for records in st.session_state[MAP_KEY].selection.get("objects", {}).values():
            for record in records:
                if isinstance(record, dict) and isinstance(record.get("id"), int):
                    st.session_state[PICK_KEY] = record["id"]
                    return

    st.pydeck_chart(build_deck([layer], view, basemap), on_select=_picked, selection_mode="single-object",
                    key=MAP_KEY, height=300)
    legend = " ".join(f'<span style="color:{hex_of(RISK_COLOURS[level])}">●</span> {vocab_label(level)}'
                      for level in (RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW))
    st.caption(f"{t('shops.map.legend')} {legend}" + (f" · {t('map.offline')}" if basemap.offline else ""),
               unsafe_allow_html=True)


def shop_picker(rows: list[shops.ShopRow]) -> int | None:
    """A searchable choice of the listed shops; the table and the map set it too."""
    risk = _labels(RiskLevel)
    names = {r.id: f"{r.name} · {risk[r.risk]}" for r in rows}
    if st.session_state.get(PICK_KEY) not in names:
        st.session_state[PICK_KEY] = None
    return st.selectbox(t("shops.pick"), list(names), key=PICK_KEY, format_func=names.get,
                        placeholder=t("shops.pick_hint"))

