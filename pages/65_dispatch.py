"""Dispatch (/dispatch): coordinators triage tips and push each to the nearest patrol."""
import streamlit as st

from nightwatch.ui import page, t
from nightwatch.ui.dispatch_board import live_board, load_board, pick_tip
from nightwatch.ui.dispatch_common import show_flash
from nightwatch.ui.dispatch_report import show_notices, show_report
from nightwatch.ui.dispatch_tip import show_tip
from nightwatch.ui.district import chosen_district
from nightwatch.ui.tip_log_form import log_tip_form

actor = page("dispatch")
st.title(t("page.dispatch"))
district_id = chosen_district(actor)
if district_id is None:
    st.info(t("dispatch.no_district"))
    st.stop()
with st.expander(t("dispatch.log_tip"), icon=":material/add_call:"):
    log_tip_form(actor, district_id)
show_flash()
view = load_board(actor, district_id)
board_tab, report_tab, notices_tab = st.tabs([t("dispatch.tab_board"), t("dispatch.tab_report"),
                                              t("dispatch.tab_notices")])
with board_tab:
    live_board(actor, district_id)
    chosen = pick_tip(view.tips)
    if chosen is not None:
        show_tip(actor, chosen, view.tips, view.timezone, view.escalate_after_min)
with report_tab:
    show_report(actor, district_id)
with notices_tab:
    show_notices(actor, district_id, view.timezone)
