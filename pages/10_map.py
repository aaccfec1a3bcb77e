"""Situation map (/map): grids by staffing, teams, patrol lines, posts, people on duty and open tips."""
import streamlit as st

from nightwatch.ui import page, t
from nightwatch.ui.situation_map import show_map

actor = page("map")
st.title(t("page.map"))
show_map(actor)
