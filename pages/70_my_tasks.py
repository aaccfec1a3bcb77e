"""My tasks (/my_tasks): a responder acknowledges, arrives and closes dispatched tips."""
import streamlit as st

from nightwatch.ui import page, t

actor = page("my_tasks")
st.title(t("page.my_tasks"))
