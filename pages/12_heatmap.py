"""Patrol heatmap (/heatmap): where patrols went and where incidents are, aggregated by cell."""
import streamlit as st

from nightwatch.ui import page, t
from nightwatch.ui.heatmap import show_heatmap

actor = page("heatmap")
st.title(t("page.heatmap"))
show_heatmap(actor)
