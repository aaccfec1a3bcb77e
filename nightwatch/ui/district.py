"""The district picker shared by every page, for people who cover more than one district."""
from __future__ import annotations

import streamlit as st

from nightwatch.access import Actor
from nightwatch.services import overview
from nightwatch.ui.lang import t
from nightwatch.ui.store import store

DISTRICT_KEY = "district_id"


def district_picker(actor: Actor) -> None:
    """A choice of district when the actor covers several; the choice holds on every page."""
    choices = overview.districts_of(session_factory=store().session_factory, actor=actor)
    if not choices:
        return
    ids = [choice.id for choice in choices]
    if st.session_state.get(DISTRICT_KEY) not in ids:
        st.session_state[DISTRICT_KEY] = ids[0]
    if len(ids) == 1:
        st.caption(t("menu.district", name=choices[0].label))
        return
    # Options are the labels themselves ("城市 · 片区", unique), which keeps the widget state plain text.
    ids_by_label = {choice.label: choice.id for choice in choices}
    label_of = {choice.id: choice.label for choice in choices}

    def _chosen() -> None:
        st.session_state[DISTRICT_KEY] = ids_by_label[st.session_state["_district_picker"]]

    st.session_state["_district_picker"] = label_of[st.session_state[DISTRICT_KEY]]
    st.selectbox(t("menu.district_picker"), list(ids_by_label), key="_district_picker", on_change=_chosen)


def chosen_district(actor: Actor) -> int | None:
    """The district the actor is looking at, from the shared picker."""
    choices = overview.districts_of(session_factory=store().session_factory, actor=actor)
    ids = [choice.id for choice in choices]
    chosen = st.session_state.get(DISTRICT_KEY)
    return chosen if chosen in ids else (ids[0] if ids else None)
