"""/tip on a phone: one screen to post a tip (or add to a similar one), then my tips below."""
from __future__ import annotations

import secrets
from datetime import UTC, datetime

import streamlit as st

from nightwatch.access import Actor, Forbidden
from nightwatch.services import tips
from nightwatch.services.tip_places import ShopPlace, shop_place
from nightwatch.services.tips import MAX_TEXT, TipRefused, Where
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.native_words import photo_field
from nightwatch.ui.plain import plain_t
from nightwatch.ui.store import store
from nightwatch.ui.tip_list import show_my_tips
from nightwatch.ui.tip_where import chosen_where, forget_where, where_picker
from nightwatch.vocab import TipCategory, Urgency

# The idempotency key of the form on screen: made once, sent with every submit, renewed after success.
FORM_KEY = "tip.key"
ROUND_KEY = "tip.round"  # bumps after a send so the photo widgets start empty
CATEGORY_ICONS = {
    TipCategory.DISPUTE: ":material/groups:", TipCategory.SUSPICIOUS: ":material/person_search:",
    TipCategory.THEFT: ":material/back_hand:", TipCategory.LOST_PERSON: ":material/child_care:",
    TipCategory.LOST_ITEM: ":material/search:", TipCategory.UNLOCKED_VEHICLE: ":material/directions_car:",
    TipCategory.FIRE_HAZARD: ":material/local_fire_department:", TipCategory.FRAUD: ":material/phishing:",
    TipCategory.DRUNK: ":material/liquor:", TipCategory.NOISE: ":material/volume_up:",
    TipCategory.MEDICAL: ":material/medical_services:", TipCategory.OTHER: ":material/more_horiz:",
}
URGENCY_ICONS = {Urgency.LOW: "", Urgency.NORMAL: "", Urgency.HIGH: ":material/priority_high: ",
                 Urgency.CRITICAL: ":material/e911_emergency: "}


def show_tip_page(actor: Actor) -> None:
    """Draw the whole /tip page for a merchant."""
    st.title(f":material/campaign: {t('page.tip')}", anchor=False)
    place = shop_place(session_factory=store().session_factory, actor=actor)
    if place is None:
        st.info(t("tips.no_shop_page"))
        return
    st.session_state.setdefault(FORM_KEY, new_form_key())
    _flash()
    _form(actor, place)
    show_my_tips(actor, place.timezone)


def new_form_key() -> str:
    """A fresh idempotency key for one tip form."""
    return secrets.token_urlsafe(24)


def _flash() -> None:
    """Say what the last click did."""
    if "tip.flash" in st.session_state:
        st.success(st.session_state.pop("tip.flash"), icon=":material/check_circle:")
    if "tip.error" in st.session_state:
        key, values = st.session_state.pop("tip.error")
        st.error(plain_t(key, **values), icon=":material/error:")


def _form(actor: Actor, place: ShopPlace) -> None:
    """Category, urgency, words, where, anonymity, photo; similar tips; send."""
    with st.container(border=True):
        st.pills(t("tips.category"), list(TipCategory), key="tip.category",
                 format_func=lambda c: f"{CATEGORY_ICONS[c]} {vocab_label(c)}")
        st.session_state.setdefault("tip.urgency", Urgency.NORMAL)
        st.segmented_control(t("tips.urgency"), list(Urgency), key="tip.urgency",
                             format_func=lambda u: f"{URGENCY_ICONS[u]}{vocab_label(u)}")
        st.text_area(t("tips.text"), key="tip.text", max_chars=MAX_TEXT, height=90,
                     placeholder=t("tips.text_hint"))
        where = where_picker(place)
        st.toggle(t("tips.anonymous"), key="tip.anonymous", help=t("tips.anonymous_help"))
        _photo_inputs()
    _similar(actor, where)
    st.button(t("tips.send"), type="primary", icon=":material/send:", use_container_width=True,
              on_click=_send, args=(actor, place), key="tip.send")


def _photo_inputs() -> None:
    """An optional photo: a file, or the phone's camera when asked for."""
    round_no = st.session_state.get(ROUND_KEY, 0)
    photo_field(t("tips.photo"), key=f"tip.photo.{round_no}", help=t("tips.photo_help"))
    if st.toggle(t("tips.camera"), key="tip.use_camera"):
        st.camera_input(t("tips.camera"), key=f"tip.camera.{round_no}", label_visibility="collapsed")


def _photo_bytes() -> bytes | None:
    """The photo the form holds, camera first."""
    round_no = st.session_state.get(ROUND_KEY, 0)
    for key in (f"tip.camera.{round_no}", f"tip.photo.{round_no}"):
        upload = st.session_state.get(key)
        if upload is not None:
            return upload.getvalue()
    return None


def _similar(actor: Actor, where: Where | None) -> None:
    """Open tips within 100 m and 15 minutes, each with a button to add to it instead."""
    if where is None or where.lat is None:
        return
    now = datetime.now(UTC)
    found = tips.similar_open_tips(session_factory=store().session_factory, actor=actor, lat=where.lat,
                                   lon=where.lon, category=st.session_state.get("tip.category"), now=now)
    if not found:
        return
    with st.container(border=True):
        st.markdown(f"**:material/content_copy: {t('tips.similar')}**")
        st.caption(t("tips.similar_hint"))
        for tip in found:
            left, right = st.columns([3, 2], vertical_alignment="center")
            left.write(t("tips.similar_row", category=vocab_label(tip.category), status=vocab_label(tip.status),
                         minutes=max(0, int((now - tip.received_at).total_seconds() // 60)),
                         metres=int(tip.distance_m)))
            if tip.mine:
                right.caption(t("tips.yours_already"))
            else:
                right.button(t("tips.add_here"), key=f"tip.add.{tip.id}", icon=":material/add_comment:",
                             on_click=_add, args=(actor, tip.id), use_container_width=True)


def _add(actor: Actor, tip_id: int) -> None:
    """Add the merchant to a similar tip, with what they typed as a note."""
    try:
        tips.add_to_tip(session_factory=store().session_factory, actor=actor, tip_id=tip_id,
                        note=st.session_state.get("tip.text"))
    except (TipRefused, Forbidden) as refused:
        st.session_state["tip.error"] = (refused.key, getattr(refused, "values", {}))
        return
    st.session_state["tip.flash"] = t("tips.added", id=tip_id)
    _reset()


def _send(actor: Actor, place: ShopPlace) -> None:
    """Post the tip with the form's key; a second click with the same key finds the same tip."""
    state = st.session_state
    category = state.get("tip.category")
    if category is None:
        state["tip.error"] = ("tips.pick_category", {})
        return
    where = chosen_where(place)
    if where is None:
        state["tip.error"] = ("tips.where_missing", {})
        return
    try:
        tip_id = tips.post_tip(
            session_factory=store().session_factory, actor=actor, category=category,
            text=state.get("tip.text") or "", urgency=state.get("tip.urgency") or Urgency.NORMAL, where=where,
            anonymous=bool(state.get("tip.anonymous")), idempotency_key=state[FORM_KEY], photo=_photo_bytes())
    except (TipRefused, Forbidden) as refused:
        state["tip.error"] = (refused.key, getattr(refused, "values", {}))
        return
    state["tip.flash"] = t("tips.sent", id=tip_id)
    _reset()


def _reset() -> None:
    """Empty the form for the next tip, with a new key."""
    # Assigning (not deleting) the widget keys is what a browser's widgets reliably follow.
    st.session_state.update({"tip.category": None, "tip.urgency": Urgency.NORMAL, "tip.text": "",
                             "tip.anonymous": False, "tip.use_camera": False})
    forget_where()
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
    st.session_state[FORM_KEY] = new_form_key()
