"""My tips as cards: what, when, where it has got to, and every step in plain words."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

from nightwatch.access import Actor
from nightwatch.services import tips
from nightwatch.services.tips import TipView
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.plain import plain
from nightwatch.ui.store import store
from nightwatch.vocab import OPEN_TIP_STATUSES, TipStatus

STATUS_COLOURS = {TipStatus.RECEIVED: "orange", TipStatus.DISPATCHED: "blue", TipStatus.ACKNOWLEDGED: "blue",
                  TipStatus.ON_SCENE: "violet", TipStatus.CLOSED: "green", TipStatus.REFERRED: "gray",
                  TipStatus.MERGED: "gray"}


def show_my_tips(actor: Actor, tz: str) -> None:
    """The merchant's tips and the tips they added to, newest first."""
    st.subheader(f":material/history: {t('tips.mine')}", anchor=False)
    views = tips.my_tips(session_factory=store().session_factory, actor=actor)
    if not views:
        st.caption(t("tips.none_yet"))
        return
    zone = ZoneInfo(tz)
    for view in views:
        _card(view, zone)


def _card(view: TipView, zone: ZoneInfo) -> None:
    """One tip: category and status on top, the words, then the timeline."""
    with st.container(border=True):
        colour = STATUS_COLOURS.get(view.status, "gray")
        badges = [f":{colour}-badge[{vocab_label(view.status)}]"]
        if view.following:
            badges.append(f":gray-badge[{t('tips.following')}]")
        if view.anonymous:
            badges.append(f":gray-badge[{t('tips.anonymous_badge')}]")
        st.markdown(f"**#{view.id} {vocab_label(view.category)}** · {vocab_label(view.urgency)} {' '.join(badges)}")
        if view.text:
            st.markdown(plain(view.text))
        if view.merged_into_id is not None:
            st.caption(t("tips.merged_into", id=view.merged_into_id))
        st.caption(_timeline(view, zone))
        if view.status in OPEN_TIP_STATUSES and view.location_note:
            st.caption(f":material/location_on: {plain(view.location_note)}")


def _timeline(view: TipView, zone: ZoneInfo) -> str:
    """The steps as one line: 22:01 收到线索 → 22:03 已派最近的巡逻力量 …"""
    return " → ".join(f"{when.astimezone(zone).strftime('%H:%M')} {t(key)}" for key, when in view.steps)
