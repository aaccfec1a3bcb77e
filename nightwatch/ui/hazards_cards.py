"""/hazards on a phone: one card per hazard; a merchant rectifies its own shop's with an after photo."""
from __future__ import annotations

import streamlit as st

from nightwatch.access import Actor
from nightwatch.hazards import OPEN_STATUSES
from nightwatch.services import hazard_reads, hazards
from nightwatch.services.hazard_reads import HazardFilter, HazardRow
from nightwatch.ui.hazards_common import (
    badge,
    local,
    now_utc,
    run,
    show_flash,
    show_photo,
    tonight,
    uploaded,
)
from nightwatch.ui.hazards_report import report_form
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.native_words import photo_field
from nightwatch.ui.plain import plain, plain_t
from nightwatch.ui.store import store
from nightwatch.vocab import AccountRole, HazardStatus

CARDS = 30
FIXABLE = (HazardStatus.VERIFIED, HazardStatus.ASSIGNED, HazardStatus.REOPENED)


def show_cards(actor: Actor, district_id: int) -> None:
    """A patrol's report form and the district's open hazards, or a merchant's own shop's hazards."""
    show_flash()
    merchant = actor.role is AccountRole.MERCHANT
    if not merchant:
        report_form(actor, district_id)
    wanted = HazardFilter() if merchant else HazardFilter(statuses=tuple(OPEN_STATUSES))
    rows = hazard_reads.hazards(session_factory=store().session_factory, actor=actor, district_id=district_id,
                                today=tonight(), wanted=wanted)[:CARDS]
    st.subheader(t("hazards.my_shop") if merchant else t("hazards.open_nearby"))
    if not rows:
        st.info(t("hazards.none_found"))
    for row in rows:
        with st.container(border=True):
            _card(actor, row, merchant)


def _card(actor: Actor, row: HazardRow, merchant: bool) -> None:
    """The hazard in a few lines; the rectify form for its merchant while it waits for a fix."""
    overdue = f" :red-badge[{t('hazards.overdue_days', n=row.days_overdue)}]" if row.overdue else ""
    st.markdown(f"**{vocab_label(row.category)}** {badge(row.status)}{overdue}")
    if row.description:
        st.markdown(plain(row.description))
    st.caption(" · ".join([plain_t("hazards.where_is", where=row.where or "—"), t("hazards.due", due=row.due_on or "—"),
                           t("hazards.found_on", when=local(row.found_at))]))
    if merchant and row.status in FIXABLE:
        _rectify(actor, row)


def _rectify(actor: Actor, row: HazardRow) -> None:
    """The merchant's fix: an after photo (required) and what was done."""
    with st.expander(t("hazards.rectify"), icon=":material/build:"):
        show_photo(row.photo_path, "hazards.photo_before")
        photo_field(t("hazards.photo_after"), key=f"hz.m.after.{row.id}")
        st.text_area(t("hazards.rectify_note"), key=f"hz.m.note.{row.id}", max_chars=500, height=70)

        def _send() -> None:
            run(lambda: hazards.rectify(session_factory=store().session_factory, actor=actor, hazard_id=row.id,
                                        photo=uploaded(f"hz.m.after.{row.id}"), expected=row.status,
                                        note=st.session_state.get(f"hz.m.note.{row.id}", ""), now=now_utc()),
                "hazards.rectified_ok")

        st.button(t("hazards.rectify"), type="primary", key=f"hz.m.send.{row.id}", on_click=_send, width="stretch")
