"""A coordinator's form to log a tip for someone: a call, a walk-in at a post or booth, a patrol, a camera."""
from __future__ import annotations

import secrets

import streamlit as st

from nightwatch.access import Actor, Forbidden
from nightwatch.coords import parse_pasted
from nightwatch.services import geocoding, tips
from nightwatch.services.tips import MAX_TEXT, TipRefused, Where
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.native_words import photo_field
from nightwatch.ui.plain import plain_t
from nightwatch.ui.store import store
from nightwatch.vocab import TipCategory, TipSource, Urgency

LOG_KEY = "tip_log.key"
LOG_SOURCES = [TipSource.PHONE, TipSource.WALK_IN, TipSource.PATROL, TipSource.VIDEO, TipSource.MERCHANT_APP]


def log_tip_form(actor: Actor, district_id: int) -> int | None:
    """Draw the form in the caller's page; returns the new tip's id on the run it was logged."""
    st.session_state.setdefault(LOG_KEY, secrets.token_urlsafe(24))
    with st.form("tip_log", clear_on_submit=False, border=True):
        st.markdown(f"**:material/support_agent: {t('tips.log_title')}**")
        source = st.segmented_control(t("tips.log_source"), LOG_SOURCES, default=TipSource.PHONE,
                                      format_func=vocab_label, key="tip_log.source")
        category = st.selectbox(t("tips.category"), list(TipCategory), format_func=vocab_label, key="tip_log.category")
        urgency = st.segmented_control(t("tips.urgency"), list(Urgency), default=Urgency.NORMAL,
                                       format_func=vocab_label, key="tip_log.urgency")
        text = st.text_area(t("tips.text"), max_chars=MAX_TEXT, key="tip_log.text")
        place = st.text_input(t("tips.log_where"), max_chars=200, key="tip_log.where")
        left, right = st.columns(2)
        name = left.text_input(t("tips.caller_name"), max_chars=80, key="tip_log.caller_name",
                               help=t("tips.caller_help"))
        phone = right.text_input(t("tips.caller_phone"), max_chars=20, key="tip_log.caller_phone",
                                 help=t("tips.caller_help"))
        anonymous = st.toggle(t("tips.anonymous"), key="tip_log.anonymous", help=t("tips.anonymous_help"))
        photo = photo_field(t("tips.photo"), key="tip_log.photo", help=t("tips.photo_help"))
        sent = st.form_submit_button(t("tips.log_send"), type="primary", icon=":material/save:")
    if not sent:
        return None
    where = _where(place, district_id)
    if where is None:
        return None
    try:
        tip_id = tips.log_tip(
            session_factory=store().session_factory, actor=actor, district_id=district_id, category=category,
            text=text, urgency=urgency or Urgency.NORMAL, where=where, source=source or TipSource.PHONE,
            caller_name=name, caller_phone=phone, anonymous=anonymous, idempotency_key=st.session_state[LOG_KEY],
            photo=photo.getvalue() if photo is not None else None)
    except (TipRefused, Forbidden) as refused:
        st.error(plain_t(refused.key, **getattr(refused, "values", {})), icon=":material/error:")
        return None
    st.session_state[LOG_KEY] = secrets.token_urlsafe(24)
    st.success(t("tips.logged", id=tip_id), icon=":material/check_circle:")
    return tip_id


def _where(typed: str, district_id: int) -> Where | None:
    """Pasted WGS-84 coordinates, else the address looked up (our own places first); None with a warning."""
    if not typed.strip():
        st.warning(t("tips.log_where_first"))
        return None
    try:
        point = parse_pasted(typed)
        return Where(point[0], point[1], "map", typed.strip())
    except (TypeError, ValueError):
        pass
    try:
        found = geocoding.locate(session_factory=store().session_factory, query=typed, district_id=district_id)
    except geocoding.GeocodeFailed as failed:
        st.warning(plain_t(failed.key, **failed.values))
        return None
    st.caption(plain_t("tips.found", label=found.label))
    return Where(found.lat, found.lon, "address", found.label)
