"""Audit log (/audit): who did what and when, in the coordinator's districts (all for admins)."""
import json
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from nightwatch.nights import DEFAULT_TIMEZONE
from nightwatch.services import audit
from nightwatch.ui import page, store, t
from nightwatch.ui.district import chosen_district
from nightwatch.ui.lang import action_label
from nightwatch.ui.table import show_table

actor = page("audit")
st.title(t("page.audit"))
only_district = st.toggle(t("audit.only_district"), value=False)
district_id = chosen_district(actor) if only_district else None
events = audit.read_log(session_factory=store().session_factory, actor=actor, district_id=district_id)
if not events:
    st.info(t("audit.empty"))
    st.stop()
zone = ZoneInfo(DEFAULT_TIMEZONE)
show_table(pd.DataFrame({
    t("audit.at"): [e.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S") for e in events],
    t("audit.actor"): [e.actor for e in events],
    t("audit.action"): [action_label(e.action) for e in events],
    t("audit.entity"): [f"{e.entity} #{e.entity_id}" if e.entity_id else e.entity for e in events],
    t("audit.district"): [e.district or "" for e in events],
    t("audit.before"): [json.dumps(e.before, ensure_ascii=False) if e.before else "" for e in events],
    t("audit.after"): [json.dumps(e.after, ensure_ascii=False) if e.after else "" for e in events],
}), name="audit")
st.caption(t("audit.newest", count=len(events)) + " · " + DEFAULT_TIMEZONE)
