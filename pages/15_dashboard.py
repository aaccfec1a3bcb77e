"""数据看板 /dashboard: a district's nights in figures, against last period and last year, and the weekly brief."""
import streamlit as st

from nightwatch.ui import page, t
from nightwatch.ui.dashboard import show_dashboard

actor = page("dashboard")
st.title(t("page.dashboard"))
show_dashboard(actor)
