"""Coverage (/coverage): grids by nights, staffed against required; fill one cell, or the whole week's gaps."""
import streamlit as st

from nightwatch.ui import page, t
from nightwatch.ui.coverage_board import load_board, show_board, shown_grids, week_controls
from nightwatch.ui.coverage_cell import show_cell
from nightwatch.ui.coverage_fill import show_fill
from nightwatch.ui.district import chosen_district

actor = page("coverage")
st.title(t("page.coverage"))
district_id = chosen_district(actor)
if district_id is None:
    st.info(t("coverage.no_district"))
    st.stop()
first, by_hour, night = week_controls()
view = load_board(actor, district_id, first, by_hour, night)
st.subheader(t("coverage.board_title", district=view.district))
if not view.grids:
    st.info(t("coverage.no_grids"))
    st.stop()
picked = show_board(view, shown_grids(view))
if picked is not None:
    show_cell(actor, view, *picked)
st.divider()
show_fill(actor, district_id, first)
