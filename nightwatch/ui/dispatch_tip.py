"""/dispatch for one tip: its details, the people on duty ranked for it, and dispatch, escalate, 110, merge."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from nightwatch.access import Actor
from nightwatch.services import dispatch as svc
from nightwatch.services.dispatch_board import BoardTip, CandidateRow, candidates
from nightwatch.services.dispatch_detail import TipDetail, tip_detail
from nightwatch.ui.dispatch_common import act, now_utc, settings
from nightwatch.ui.hazard_from_tip import hazard_from_tip
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.my_shifts_common import role_name
from nightwatch.ui.plain import plain, plain_t
from nightwatch.ui.store import store
from nightwatch.ui.table import show_table
from nightwatch.vocab import TipStatus


def show_tip(actor: Actor, tip: BoardTip, others: list[BoardTip], tz: str, escalate_min: float) -> None:
    """The chosen tip in full, then who could go, then what to do."""
    detail = tip_detail(session_factory=store().session_factory, actor=actor, tip_id=tip.id)
    if detail is None:
        st.warning(t("dispatch.no_tip"))
        return
    zone = ZoneInfo(tz)
    left, right = st.columns([2, 3])
    with left:
        _details(detail, zone)
    with right:
        ranked = candidates(session_factory=store().session_factory, actor=actor, tip_id=tip.id, now=now_utc())
        _candidates(actor, detail, ranked)
        _escalation(actor, detail, escalate_min)
        _refer_and_merge(actor, detail, others)
        hazard_from_tip(actor, detail.id)


def _details(detail: TipDetail, zone: ZoneInfo) -> None:
    st.markdown(f"#### {t('dispatch.detail_title', id=detail.id)} · {vocab_label(detail.category)} · "
                f"{vocab_label(detail.urgency)}")
    st.caption(f"{vocab_label(detail.status)} · {vocab_label(detail.source)}")
    if detail.text:
        st.markdown(plain(detail.text))
    where = " · ".join(p for p in (detail.grid, detail.location_note) if p)
    if where:
        st.markdown(plain_t("dispatch.where", where=where))
    st.markdown(t("dispatch.anonymous") if detail.anonymous else plain_t("dispatch.reporter", name=detail.reporter or "—"))
    if detail.caller_phone:
        st.caption(plain_t("dispatch.caller_phone", phone=detail.caller_phone))
    if detail.followers:
        st.caption(t("dispatch.followers", n=detail.followers))
    st.markdown(f"**{t('dispatch.steps')}**")
    st.markdown("\n".join(f"- {when.astimezone(zone):%H:%M:%S} {t(key)}" for key, when in detail.steps))
    if detail.sent:
        st.markdown(f"**{t('dispatch.sent_to')}**")
        show_table(pd.DataFrame({
            t("dispatch.col_name"): [s.name for s in detail.sent],
            t("dispatch.col_dispatch_status"): [vocab_label(s.status) for s in detail.sent],
            t("dispatch.col_distance"): [None if s.distance_m is None else round(s.distance_m) for s in detail.sent],
            t("dispatch.col_sent_at"): [f"{s.sent_at.astimezone(zone):%H:%M:%S}" for s in detail.sent],
        }), name=f"tip-{detail.id}-sent", key="dispatch_tip_sent")


def _candidate_table(ranked: list[CandidateRow]) -> pd.DataFrame:
    return pd.DataFrame({
        t("dispatch.col_name"): [r.name for r in ranked],
        t("dispatch.col_role"): [role_name(r.role_kind) for r in ranked],
        t("dispatch.col_team"): [r.team or "—" for r in ranked],
        t("dispatch.col_distance"): [round(r.distance_m) for r in ranked],
        t("dispatch.col_walk"): [round(r.ranked.walk_min, 1) for r in ranked],
        t("dispatch.col_source"): [t(f"dispatch.source.{r.source}") for r in ranked],
        t("dispatch.col_age"): [f"{r.ranked.age_min:.0f}" + (t("dispatch.stale") if r.ranked.stale else "")
                                for r in ranked],
        t("dispatch.col_load"): [r.candidate.load for r in ranked],
        t("dispatch.col_fit"): ["✓" if r.ranked.fits else "" for r in ranked],
        t("dispatch.col_already"): ["✓" if r.already_sent else "" for r in ranked],
    })


def _candidates(actor: Actor, detail: TipDetail, ranked: list[CandidateRow]) -> None:
    st.markdown(f"**{t('dispatch.candidates')}**")
    if not ranked:
        st.info(t("dispatch.no_candidates"))
        return
    show_table(_candidate_table(ranked), name=f"tip-{detail.id}-candidates", key="dispatch_tip_candidates", height=260)
    free = {r.person_id: r for r in ranked if not r.already_sent}
    if not free or detail.status not in (TipStatus.RECEIVED, TipStatus.DISPATCHED):
        return
    names = {pid: f"{r.name} · {round(r.distance_m)} m" for pid, r in free.items()}
    chosen = st.multiselect(t("dispatch.choose_people"), list(free), default=list(free)[:1],
                            format_func=names.get, key=f"send_to_{detail.id}")
    st.button(t("dispatch.send"), type="primary", icon=":material/send:", key=f"send_{detail.id}",
              on_click=_send, args=(actor, detail.id), disabled=not chosen)


def _send(actor: Actor, tip_id: int) -> None:
    people = st.session_state.get(f"send_to_{tip_id}", [])
    act(lambda: svc.dispatch(session_factory=store().session_factory, actor=actor, tip_id=tip_id, person_ids=people,
                             now=now_utc(), settings=settings(), background=True),
        lambda ids: t("dispatch.sent_ok", n=len(ids)))


def _escalation(actor: Actor, detail: TipDetail, escalate_min: float) -> None:
    if detail.status is not TipStatus.DISPATCHED:
        return
    st.caption(t("dispatch.escalate_hint", n=f"{escalate_min:g}"))
    with st.container(horizontal=True):
        for broadcast, key, icon in ((False, "dispatch.escalate", ":material/trending_up:"),
                                     (True, "dispatch.broadcast", ":material/campaign:")):
            st.button(t(key), key=f"{key}_{detail.id}", icon=icon, on_click=_escalate,
                      args=(actor, detail.id, broadcast))


def _escalate(actor: Actor, tip_id: int, broadcast: bool) -> None:
    act(lambda: svc.escalate(session_factory=store().session_factory, actor=actor, tip_id=tip_id, now=now_utc(),
                             broadcast=broadcast, settings=settings(), background=True),
        lambda ids: t("dispatch.escalated_ok", n=len(ids)))


def _refer_and_merge(actor: Actor, detail: TipDetail, others: list[BoardTip]) -> None:
    refer_tab, merge_tab = st.tabs([t("dispatch.refer"), t("dispatch.merge")])
    with refer_tab:
        st.text_input(t("dispatch.refer_note"), key=f"refer_note_{detail.id}", max_chars=200)
        st.button(t("dispatch.refer"), key=f"refer_{detail.id}", icon=":material/local_police:",
                  on_click=_refer, args=(actor, detail.id))
    with merge_tab:
        choices = {o.id: o for o in others if o.id != detail.id}
        if not choices:
            return
        target = st.selectbox(t("dispatch.merge_into"), list(choices), key=f"merge_into_{detail.id}",
                              format_func=lambda i: f"#{i} {vocab_label(choices[i].category)} · {choices[i].grid or '—'}")
        st.button(t("dispatch.merge_button"), key=f"merge_{detail.id}", icon=":material/merge:",
                  on_click=_merge, args=(actor, detail.id, target))


def _refer(actor: Actor, tip_id: int) -> None:
    note = st.session_state.get(f"refer_note_{tip_id}", "")
    act(lambda: svc.refer_to_110(session_factory=store().session_factory, actor=actor, tip_id=tip_id, note=note,
                                 now=now_utc()), lambda _: t("dispatch.referred_ok"))


def _merge(actor: Actor, duplicate_id: int, original_id: int) -> None:
    act(lambda: svc.merge(session_factory=store().session_factory, actor=actor, duplicate_id=duplicate_id,
                          original_id=original_id, now=now_utc()), lambda _: t("dispatch.merged_ok"))
