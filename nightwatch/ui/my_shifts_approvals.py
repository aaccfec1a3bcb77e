"""For the coordinator's /roster page: swaps waiting for approval, and shifts that need cover.

`show_swap_approvals(actor, district_id)` and `show_cover_flags(actor, district_id)` draw one
section each; the roster page calls them with the district its picker chose.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import streamlit as st

from nightwatch.access import Actor
from nightwatch.services import attendance, swaps
from nightwatch.services.attendance import Flag
from nightwatch.services.swap_lists import SwapRow, pending_approvals
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.my_shifts_common import act, role_name, show_flash
from nightwatch.ui.store import store
from nightwatch.ui.table import show_table
from nightwatch.vocab import SwapStatus


def show_swap_approvals(actor: Actor, district_id: int) -> None:
    """Open swaps of the district with approve and decline buttons (approve once a colleague took it)."""
    show_flash()
    now = datetime.now(timezone.utc)
    rows = pending_approvals(session_factory=store().session_factory, actor=actor, district_id=district_id, now=now)
    st.subheader(t("swaps.approvals"))
    if not rows:
        st.caption(t("swaps.no_approvals"))
    for row in rows:
        with st.container(border=True):
            _approval_card(actor, row)


def _approval_card(actor: Actor, row: SwapRow) -> None:
    st.markdown(f"**{row.where}** · {row.duty_date:%m-%d} {row.when} · {vocab_label(row.status)}")
    taker = row.taken_by or t("swaps.nobody_yet")
    st.caption(" · ".join(p for p in (t("swaps.line", by=row.offered_by, taker=taker), role_name(row.role_kind),
                                      row.note or "") if p))
    with st.container(horizontal=True):
        if row.status == SwapStatus.ACCEPTED:
            st.button(t("swaps.approve"), key=f"approve_{row.swap_id}", type="primary",
                      on_click=_decide, args=(actor, row.swap_id, True))
        st.button(t("swaps.decline"), key=f"decline_{row.swap_id}", on_click=_decide, args=(actor, row.swap_id, False))


def _decide(actor: Actor, swap_id: int, approve: bool) -> None:
    decide = swaps.approve if approve else swaps.decline
    act(lambda: decide(session_factory=store().session_factory, actor=actor, swap_id=swap_id),
        lambda _: t("swaps.approved_ok") if approve else t("swaps.declined_ok"))


def show_cover_flags(actor: Actor, district_id: int) -> None:
    """Unconfirmed shifts starting within a day and tonight's no-shows, as two short tables."""
    now = datetime.now(timezone.utc)
    flags = attendance.coordinator_flags(session_factory=store().session_factory, actor=actor,
                                         district_id=district_id, now=now)
    st.subheader(t("attendance.flags"))
    if not flags.unconfirmed and not flags.no_shows:
        st.success(t("attendance.none"))
        return
    for kind, title, rows in (("unconfirmed", t("attendance.unconfirmed"), flags.unconfirmed),
                              ("no-shows", t("attendance.no_shows"), flags.no_shows)):
        if rows:
            st.markdown(f"**{title}** ({len(rows)})")
            show_table(_flag_frame(rows), name=kind, key=f"cover_flags_{kind}")


def _flag_frame(rows: list[Flag]) -> pd.DataFrame:
    return pd.DataFrame({
        t("my_shifts.col_where"): [f.where for f in rows],
        t("my_shifts.col_night"): [f.when for f in rows],
        t("attendance.who"): [f"{f.person} {f.phone_masked}" for f in rows],
    })
