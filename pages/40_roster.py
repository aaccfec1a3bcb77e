"""Roster (/roster): shifts of a night, campaigns, assignments and swaps."""
import streamlit as st

from nightwatch.ui import page, t

actor = page("roster")
st.title(t("page.roster"))
