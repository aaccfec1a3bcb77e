"""Grids and places (/geography): coordinators shape their district's grids, points and patrol routes."""
import streamlit as st

from nightwatch.services.points import PointKind
from nightwatch.ui import page, t
from nightwatch.ui.district import chosen_district
from nightwatch.ui.geography_grids import district_tab, grids_tab
from nightwatch.ui.geography_points import points_tab
from nightwatch.ui.geography_routes import io_tab, routes_tab

actor = page("geography")
st.title(t("page.geography"))
district_id = chosen_district(actor)
if district_id is None:
    st.info(t("geo.no_district"))
    st.stop()
grid, place, post, checkpoint, route, io, district = st.tabs([
    t("geo.tab.grids"), t("geo.tab.places"), t("geo.tab.posts"), t("geo.tab.checkpoints"),
    t("geo.tab.routes"), t("geo.tab.io"), t("geo.tab.district"),
])
with district:  # drawn first for the district's name, shown last: grids are the everyday job
    name = district_tab(actor, district_id)
with grid:
    grids_tab(actor, district_id)
with place:
    points_tab(actor, district_id, PointKind.PLACE)
with post:
    points_tab(actor, district_id, PointKind.POST)
with checkpoint:
    points_tab(actor, district_id, PointKind.CHECKPOINT)
with route:
    routes_tab(actor, district_id)
with io:
    io_tab(actor, district_id, name)
