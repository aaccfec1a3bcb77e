"""Reporting a hazard on a phone: category, the shop or where it is, a few words, a photo; the finder is me."""
from __future__ import annotations

import streamlit as st

from nightwatch.access import Actor
from nightwatch.services import hazard_reads, hazards
from nightwatch.ui.hazards_common import now_utc, run, uploaded
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.native_words import photo_field
from nightwatch.ui.store import store
from nightwatch.vocab import HazardCategory

ROUND = "hz.report.round"  # bumps after a sent report so every field starts empty again
NO_SHOP = 0


def _key(name: str) -> str:
    """A widget key of the current round."""
    return f"hz.report.{name}.{st.session_state.get(ROUND, 0)}"


def report_form(actor: Actor, district_id: int, *, expanded: bool = False) -> None:
    """The report form in an expander; a refused report keeps every field as typed."""
    shops = dict(hazard_reads.shops_of(session_factory=store().session_factory, actor=actor,
                                       district_id=district_id))
    with st.expander(t("hazards.report"), icon=":material/report:", expanded=expanded):
        st.selectbox(t("hazards.category"), list(HazardCategory), key=_key("category"), format_func=vocab_label)
        st.selectbox(t("hazards.shop"), [NO_SHOP, *shops], key=_key("shop"),
                     format_func=lambda shop_id: shops.get(shop_id, t("hazards.no_shop")))
        st.text_input(t("hazards.location_note"), key=_key("where"), max_chars=200,
                      placeholder=t("hazards.location_placeholder"))
        st.text_area(t("hazards.description"), key=_key("text"), max_chars=1000, height=90)
        photo_field(t("hazards.photo"), key=_key("photo"))
        st.button(t("hazards.send_report"), type="primary", icon=":material/send:", key=_key("send"),
                  on_click=_send, args=(actor, district_id), width="stretch")


def _send(actor: Actor, district_id: int) -> None:
    """Send the report; only a report that went through empties the form."""
    state = st.session_state
    shop = state.get(_key("shop")) or None
    sent = run(lambda: hazards.report(
        session_factory=store().session_factory, actor=actor, district_id=district_id,
        category=HazardCategory(state[_key("category")]), description=state.get(_key("text"), ""),
        shop_id=shop, location_note=state.get(_key("where")), photo=uploaded(_key("photo")), now=now_utc()),
        "hazards.reported_ok")
    if sent:
        state[ROUND] = state.get(ROUND, 0) + 1
