"""Teams and people (/people): coordinators keep their district's teams and people, by hand or by spreadsheet."""
import streamlit as st

from nightwatch.services import people, people_list, people_teams
from nightwatch.ui import page, t
from nightwatch.ui.district import chosen_district
from nightwatch.ui.people_common import factory
from nightwatch.ui.people_forms import add_person_form, availability_form, move_form
from nightwatch.ui.people_import import import_tab
from nightwatch.ui.people_rights import rights_panel
from nightwatch.ui.people_table import export_button, people_editor, people_filters
from nightwatch.ui.people_teams import teams_tab

actor = page("people")
st.title(t("page.people"))
district_id = chosen_district(actor)
if district_id is None:
    st.info(t("people.no_district"))
    st.stop()
teams = people_teams.list_teams(session_factory=factory(), actor=actor, district_id=district_id)
grids = people.grid_choices(session_factory=factory(), actor=actor, district_id=district_id)
people_tab, team_tab, import_tab_ = st.tabs([t("people.tab.people"), t("people.tab.teams"), t("people.tab.import")])
with people_tab:
    filters = people_filters(teams)
    shown = people_list.people_page(session_factory=factory(), actor=actor, district_id=district_id, filters=filters)
    people_editor(actor, district_id, shown, teams, grids)
    export_button(actor, district_id, filters)
    with st.expander(t("people.move_title"), icon=":material/swap_horiz:"):
        move_form(actor, district_id, shown.rows, teams)
    with st.expander(t("people.add_title"), icon=":material/person_add:"):
        add_person_form(actor, district_id, teams, grids)
    with st.expander(t("people.availability_title"), icon=":material/event_available:"):
        availability_form(actor, district_id, shown.rows)
    with st.expander(t("rights.title"), icon=":material/privacy_tip:"):
        rights_panel(actor, district_id, shown.rows)
with team_tab:
    teams_tab(actor, district_id, teams)
with import_tab_:
    import_tab(actor, district_id)
