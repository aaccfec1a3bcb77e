"""Dispatch (/dispatch): coordinators triage tips and push each to the nearest patrol."""
import streamlit as st

from nightwatch.ui import page, t

actor = page("dispatch")
st.title(t("page.dispatch"))
