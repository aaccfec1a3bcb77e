"""Grids and places (/geography): districts, grids, places, checkpoints, duty posts and routes."""
import streamlit as st

from nightwatch.ui import page, t

actor = page("geography")
st.title(t("page.geography"))
