"""Fill the gaps: run the solver for the week, show its proposal, accept it whole or discard it."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd
import streamlit as st

from nightwatch.access import Actor, Forbidden
from nightwatch.services import coverage_fill
from nightwatch.ui.coverage_board import night_label, role_label
from nightwatch.ui.coverage_cell import said
from nightwatch.ui.lang import t
from nightwatch.ui.store import store
from nightwatch.ui.table import show_table

PROPOSAL_KEY = "coverage_proposal"
NOTICE_KEY = "coverage_fill_notice"


def show_fill(actor: Actor, district_id: int, first: date) -> None:
    """The button, then the proposal kept between reruns until it is accepted or discarded."""
    for kind, text in st.session_state.pop(NOTICE_KEY, []):
        getattr(st, kind)(text)
    if st.button(t("coverage.fill_gaps"), icon=":material/auto_fix_high:", help=t("coverage.fill_gaps_help"),
                 key="coverage_fill_gaps"):
        with st.spinner(t("coverage.fill_gaps")):
            st.session_state[PROPOSAL_KEY] = coverage_fill.propose(
                session_factory=store().session_factory, actor=actor, district_id=district_id, first_night=first,
                now=datetime.now(timezone.utc))
    proposal = st.session_state.get(PROPOSAL_KEY)
    if proposal is None or (proposal.district_id, proposal.first_night) != (district_id, first):
        return
    _show_proposal(proposal)
    accept, discard = st.columns(2)
    if accept.button(t("coverage.accept_all"), type="primary", disabled=not proposal.lines, key="coverage_accept"):
        _accept(actor, proposal)
    if discard.button(t("coverage.discard"), key="coverage_discard"):
        st.session_state.pop(PROPOSAL_KEY, None)
        st.session_state[NOTICE_KEY] = [("info", t("coverage.discarded"))]
        st.rerun()


def _show_proposal(proposal: coverage_fill.WeekProposal) -> None:
    result = proposal.result
    st.subheader(t("coverage.proposal_title"))
    covered, status, seconds, busiest = st.columns(4)
    covered.metric(t("coverage.covered"), t("coverage.covered_value", covered=result.covered, required=result.required))
    status.metric(t("coverage.solver_status"), t(f"coverage.status.{result.status}")
                  if f"coverage.status.{result.status}" in _statuses() else result.status)
    seconds.metric(t("coverage.wall_time"), t("coverage.seconds", seconds=result.wall_seconds))
    busiest.metric(t("coverage.busiest"), t("coverage.hours", hours=result.max_hours))
    if not proposal.lines:
        st.info(t("coverage.nothing_to_fill"))
        return
    show_table(pd.DataFrame({
        t("coverage.col_night"): [night_label(line.duty_date) for line in proposal.lines],
        t("coverage.col_when"): [line.when.split(" ", 1)[-1] for line in proposal.lines],
        t("coverage.col_grid"): [line.grid for line in proposal.lines],
        t("coverage.col_role"): [role_label(line.role_kind) for line in proposal.lines],
        t("coverage.col_person"): [line.person for line in proposal.lines],
        t("coverage.col_home"): [line.home for line in proposal.lines],
    }), name="coverage-proposal", key="coverage_proposal_table")


def _statuses() -> tuple[str, ...]:
    return ("coverage.status.OPTIMAL", "coverage.status.FEASIBLE", "coverage.status.GREEDY")


def _accept(actor: Actor, proposal: coverage_fill.WeekProposal) -> None:
    try:
        stored = coverage_fill.accept(session_factory=store().session_factory, actor=actor, proposal=proposal,
                                      now=datetime.now(timezone.utc))
    except coverage_fill.CoverageRefused as refused:
        values = {**refused.values, "role": role_label(str(refused.values.get("role", "")))}
        st.error(said(refused.key, values) + " " + said(refused.cause_key or "", refused.cause_values))
        return
    except Forbidden as refused:
        st.error(said(refused.key))
        return
    st.session_state.pop(PROPOSAL_KEY, None)
    st.session_state[NOTICE_KEY] = [("success", t("coverage.accepted", count=stored))]
    st.rerun()
