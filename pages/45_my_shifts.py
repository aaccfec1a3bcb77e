"""My shifts (/my_shifts): a volunteer's shifts, open slots and swaps."""
import streamlit as st

from nightwatch.ui import page, t

actor = page("my_shifts")
st.title(t("page.my_shifts"))
