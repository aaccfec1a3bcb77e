"""Roster (/roster): coordinators lay out a night's shifts, assign people and run shift campaigns."""
import streamlit as st

from nightwatch.ui import page, t
from nightwatch.ui.district import chosen_district
from nightwatch.ui.roster_attendance import attendance_tab
from nightwatch.ui.roster_campaigns import campaigns_tab
from nightwatch.ui.roster_night import night_tab

actor = page("roster")
st.title(t("page.roster"))
district_id = chosen_district(actor)
if district_id is None:
    st.info(t("roster.no_district"))
    st.stop()
night, follow_up, plans = st.tabs([t("roster.tab.night"), t("roster.tab.follow_up"), t("roster.tab.campaigns")])
with night:
    night_tab(actor, district_id)
with follow_up:
    attendance_tab(actor, district_id)
with plans:
    campaigns_tab(actor, district_id)
