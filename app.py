"""NightWatch home: tonight at a glance for every district."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from nightwatch.nights import DEFAULT_TIMEZONE, duty_date_of
from nightwatch.services import overview
from nightwatch.ui import page, store, t

page("page.home")
now = datetime.now(timezone.utc)
night = duty_date_of(now, DEFAULT_TIMEZONE)
st.title(f":material/nightlight: {t('home.title')}")
st.caption(t("home.night_of", date=night.isoformat(), weekday=t(f"weekday.{night.weekday()}"),
             time=now.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).strftime("%H:%M")))

glances = overview.tonight(session_factory=store().session_factory, now=now)
if not glances:
    st.info(t("home.no_districts"))
    st.stop()

# A horizontal container wraps on phones instead of stacking one figure per screen line.
with st.container(horizontal=True, gap="large"):
    st.metric(t("home.totals.districts"), len(glances), width="content")
    st.metric(t("home.totals.shifts"), sum(g.shifts_tonight for g in glances), width="content")
    st.metric(t("home.totals.on_duty"), sum(g.on_duty_now for g in glances), width="content")
    st.metric(t("home.totals.open_tips"), sum(g.open_tips for g in glances), width="content")

st.subheader(t("home.by_city"))
table = pd.DataFrame(
    {
        t("home.city"): [g.city for g in glances],
        t("home.district"): [g.name for g in glances],
        t("home.grids"): [g.grids for g in glances],
        t("home.teams"): [g.teams for g in glances],
        t("home.people"): [g.people for g in glances],
        t("home.shifts_tonight"): [g.shifts_tonight for g in glances],
        t("home.on_duty_now"): [g.on_duty_now for g in glances],
        t("home.open_tips"): [g.open_tips for g in glances],
        t("home.hazards_open"): [g.open_hazards for g in glances],
    }
)
st.dataframe(table, hide_index=True, width="stretch")
st.caption(t("home.caption"))
