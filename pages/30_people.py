"""Teams and people (/people): coordinators keep teams and people."""
import streamlit as st

from nightwatch.ui import page, t

actor = page("people")
st.title(t("page.people"))
