"""Coverage (/coverage): grids by nights, staffed against required."""
import streamlit as st

from nightwatch.ui import page, t

actor = page("coverage")
st.title(t("page.coverage"))
