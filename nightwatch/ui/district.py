"""The district picker shared by every page, for people who cover more than one district."""
from __future__ import annotations

import streamlit as st

from nightwatch.access import Actor
from nightwatch.vocab import AccountRole
from nightwatch.services import overview
from nightwatch.ui.lang import t
from nightwatch.ui.plain import plain_t
from nightwatch.ui.store import store

DISTRICT_KEY = "district_id"


@st.cache_data(ttl=60, show_spinner=False)
def _choices(is_admin: bool, district_ids: frozenset[int], url: str) -> list[overview.DistrictChoice]:
    """The districts a scope covers; keyed by the scope itself, so no role sees another's list."""
    scope = Actor(role=AccountRole.ADMIN if is_admin else AccountRole.COORDINATOR, district_ids=district_ids)
    return overview.districts_of(session_factory=store().session_factory, actor=scope)


def choices_of(actor: Actor) -> list[overview.DistrictChoice]:
    """The districts the actor may pick, read at most once a minute per scope."""
    return _choices(actor.is_admin, actor.district_ids, store().url)


def district_picker(actor: Actor) -> None:
    """A choice of district when the actor covers several; the choice holds on every page."""
    choices = choices_of(actor)
    if not choices:
        return
    ids = [choice.id for choice in choices]
    if st.session_state.get(DISTRICT_KEY) not in ids:
        st.session_state[DISTRICT_KEY] = ids[0]
    if len(ids) == 1:
        st.caption(plain_t("menu.district", name=choices[0].label))
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
    ids = [choice.id for choice in choices_of(actor)]
    chosen = st.session_state.get(DISTRICT_KEY)
    return chosen if chosen in ids else (ids[0] if ids else None)
