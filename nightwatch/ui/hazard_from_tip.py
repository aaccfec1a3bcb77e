"""转为隐患: a small form under a tip that turns it into a hazard, keeping its shop, grid, place and photo."""
from __future__ import annotations

import streamlit as st

from nightwatch.access import Actor
from nightwatch.services import hazards
from nightwatch.ui.hazards_common import now_utc, run, show_flash
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.store import store
from nightwatch.vocab import HazardCategory


def hazard_from_tip(actor: Actor, tip_id: int) -> None:
    """The expander form for one tip (coordinators); a tip already turned into a hazard is refused politely."""
    if not actor.is_coordinator:
        return
    show_flash()
    with st.expander(t("hazards.from_tip"), icon=":material/report:"):
        st.selectbox(t("hazards.category"), list(HazardCategory), key=f"hz.tip.category.{tip_id}",
                     format_func=vocab_label)
        st.text_area(t("hazards.description"), key=f"hz.tip.text.{tip_id}", max_chars=1000, height=70,
                     placeholder=t("hazards.from_tip_placeholder"))

        def _send() -> None:
            state = st.session_state
            run(lambda: hazards.report_from_tip(
                session_factory=store().session_factory, actor=actor, tip_id=tip_id,
                category=HazardCategory(state[f"hz.tip.category.{tip_id}"]),
                description=state.get(f"hz.tip.text.{tip_id}"), now=now_utc()), "hazards.from_tip_ok")

        st.button(t("hazards.from_tip"), key=f"hz.tip.send.{tip_id}", type="primary", on_click=_send)
