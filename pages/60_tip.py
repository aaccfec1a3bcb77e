"""Report a tip (/tip): a merchant posts what they see in two taps, and follows it."""
import streamlit as st

from nightwatch.ui import page, t

actor = page("tip")
st.title(t("page.tip"))
