"""Situation map (/map): grids by staffing, teams, patrol lines, posts, people on duty and open tips."""
import streamlit as st

from nightwatch.ui import page, t

actor = page("map")
st.title(t("page.map"))
