"""宣防活动 /outreach: anti-fraud booths and safety outreach (地摊警务, 反诈宣传) and what they reached."""
import streamlit as st

from nightwatch.ui import page, t
from nightwatch.ui.outreach import show_outreach

actor = page("outreach")
st.title(t("page.outreach"))
show_outreach(actor)
