"""Dossier forms: owner, contacts and checklist; a coordinator's profile and new shop; a safety inspection.

Forms keep what was typed when a save is refused: their widgets hold their own state, and a refusal
only adds a message under them.
"""
from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from nightwatch.access import Actor, Forbidden
from nightwatch.dossier import CHECKLIST_ITEMS, MAX_CONTACTS
from nightwatch.services import geocoding, shop_edit, shops
from nightwatch.services.shop_dossier import Dossier
from nightwatch.services.shops import ShopRefused
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.plain import plain_t
from nightwatch.ui.shops_dossier import item_label
from nightwatch.ui.store import store
from nightwatch.vocab import BusinessKind

FLASH_KEY = "shops_flash"


def _refusal(error: Exception) -> str:
    """A refusal as the person reads it; a phone refusal names the field in words."""
    if isinstance(error, ShopRefused):
        values = dict(error.values)
        if "field" in values:
            field = str(values["field"])
            values["field"] = t("shops.field.owner") if field == "owner" else t(
                "shops.field.contact", number=field.removeprefix("contact"))
        return t(error.key, **values)
    if isinstance(error, geocoding.GeocodeFailed):
        return t(error.key, **error.values)
    return t(getattr(error, "key", "access.forbidden"))


def flash() -> None:
    """Show the message of the last successful save once."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message, icon=":material/check:")


def dossier_form(actor: Actor, dossier: Dossier) -> None:
    """Owner, contacts, checklist and note in one form, phone-first: one column, big targets."""
    prefix = f"shop{dossier.id}"
    with st.form(f"{prefix}_dossier", border=True):
        st.markdown(f"**{t('shops.form.owner')}**")
        owner_name = st.text_input(t("shops.form.owner_name"), value=dossier.owner_name, key=f"{prefix}_owner_name")
        owner_phone = st.text_input(t("shops.form.owner_phone"), value=dossier.owner_phone, key=f"{prefix}_owner_phone",
                                    placeholder=t("shops.form.phone_hint"))
        st.markdown(f"**{t('shops.form.contacts')}**")
        contacts = []
        # The known contacts and one empty slot keep the form short on a phone.
        for number in range(1, min(MAX_CONTACTS, len(dossier.contacts) + 1) + 1):
            known = dossier.contacts[number - 1] if number <= len(dossier.contacts) else None
            name_col, role_col = st.columns([3, 2])
            name = name_col.text_input(t("shops.form.contact_name", number=number), value=known.name if known else "",
                                       key=f"{prefix}_c{number}_name")
            role = role_col.text_input(t("shops.form.contact_role"), value=known.role if known else "",
                                       key=f"{prefix}_c{number}_role", placeholder=t("shops.form.role_hint"))
            phone = st.text_input(t("shops.form.contact_phone", number=number), value=known.phone if known else "",
                                  key=f"{prefix}_c{number}_phone", placeholder=t("shops.form.phone_hint"))
            contacts.append(shop_edit.ContactFields(name, phone, role))
        st.markdown(f"**{t('shops.checklist')}**")
        ticked = {}
        for item in CHECKLIST_ITEMS:
            suffix = "" if item in dossier.required else f" ({t('shops.optional')})"
            ticked[item] = st.checkbox(item_label(item) + suffix, value=dossier.checklist.get(item) is True,
                                       key=f"{prefix}_item_{item}")
        note = st.text_area(t("shops.form.note"), value=dossier.note, key=f"{prefix}_note", max_chars=2000)
        saved = st.form_submit_button(t("shops.form.save"), type="primary", icon=":material/save:", width="stretch")
    if saved:
        fields = shop_edit.DossierFields(owner_name, owner_phone, contacts, ticked, note)
        try:
            shop_edit.edit_dossier(session_factory=store().session_factory, actor=actor, shop_id=dossier.id,
                                   fields=fields, now=datetime.now(timezone.utc))
        except (ShopRefused, Forbidden) as error:
            st.error(_refusal(error), icon=":material/error:")
            return
        st.session_state[FLASH_KEY] = t("shops.saved")
        st.rerun()


def profile_form(actor: Actor, dossier: Dossier) -> None:
    """A coordinator's fields: name, business kind, address, co-defence and its co-defender."""
    prefix = f"shop{dossier.id}_profile"
    choices = shops.codefender_choices(session_factory=store().session_factory, actor=actor,
                                       district_id=dossier.district_id)
    names = {c.id: c.name for c in choices}
    with st.form(prefix):
        name = st.text_input(t("shops.form.name"), value=dossier.name, key=f"{prefix}_name")
        kinds = list(BusinessKind)
        kind = st.selectbox(t("shops.form.kind"), kinds, index=kinds.index(dossier.kind), format_func=vocab_label,
                            key=f"{prefix}_kind")
        address = st.text_input(t("shops.form.address"), value=dossier.address or "", key=f"{prefix}_address")
        member = st.checkbox(t("shops.form.codefender"), value=dossier.is_codefender, key=f"{prefix}_member")
        options = [None, *names]
        person = st.selectbox(t("shops.form.codefender_person"), options, format_func=lambda p: "—" if p is None
                              else names[p], index=options.index(dossier.codefender_id)
                              if dossier.codefender_id in options else 0, key=f"{prefix}_person")
        saved = st.form_submit_button(t("shops.form.save"), icon=":material/save:")
    if saved:
        profile = shop_edit.ProfileFields(name, kind, address, member, person)
        try:
            shop_edit.edit_profile(session_factory=store().session_factory, actor=actor, shop_id=dossier.id,
                                   profile=profile, now=datetime.now(timezone.utc))
        except (ShopRefused, Forbidden) as error:
            st.error(_refusal(error), icon=":material/error:")
            return
        st.session_state[FLASH_KEY] = t("shops.saved")
        st.rerun()


def inspection_form(actor: Actor, dossier: Dossier) -> None:
    """Record a safety inspection: the checklist as found on the spot, and a note."""
    prefix = f"shop{dossier.id}_inspect"
    with st.form(prefix, clear_on_submit=False):
        st.caption(t("shops.inspect.hint"))
        found = {item: st.checkbox(item_label(item) + ("" if item in dossier.required else
                                                        f" ({t('shops.optional')})"), key=f"{prefix}_{item}")
                 for item in CHECKLIST_ITEMS}
        note = st.text_area(t("shops.inspect.note"), key=f"{prefix}_note", max_chars=2000)
        saved = st.form_submit_button(t("shops.inspect.save"), icon=":material/fact_check:")
    if saved:
        try:
            shop_edit.record_inspection(session_factory=store().session_factory, actor=actor, shop_id=dossier.id,
                                        checklist=found, note=note, now=datetime.now(timezone.utc))
        except (ShopRefused, Forbidden) as error:
            st.error(_refusal(error), icon=":material/error:")
            return
        st.session_state[FLASH_KEY] = t("shops.inspect.saved")
        st.rerun()


def new_shop_form(actor: Actor, district_id: int) -> None:
    """A coordinator adds a shop: name, kind, address, and a point from our gazetteer or typed lat/lon."""
    with st.form("shops_new"):
        name = st.text_input(t("shops.form.name"), key="shops_new_name")
        kind = st.selectbox(t("shops.form.kind"), list(BusinessKind), format_func=vocab_label, key="shops_new_kind")
        address = st.text_input(t("shops.form.address"), key="shops_new_address")
        place = st.text_input(t("shops.new.place"), key="shops_new_place", placeholder=t("shops.new.place_hint"))
        lat_col, lon_col = st.columns(2)
        lat = lat_col.number_input(t("shops.new.lat"), value=None, format="%.6f", key="shops_new_lat")
        lon = lon_col.number_input(t("shops.new.lon"), value=None, format="%.6f", key="shops_new_lon")
        member = st.checkbox(t("shops.form.codefender"), key="shops_new_member")
        saved = st.form_submit_button(t("shops.new.save"), icon=":material/add_business:")
    if not saved:
        return
    try:
        if lat is None or lon is None:
            if not (place or "").strip():
                raise ShopRefused("shops.point_invalid")
            found = geocoding.locate(session_factory=store().session_factory, query=place, district_id=district_id)
            lat, lon = found.lat, found.lon
        shop_id = shop_edit.create_shop(session_factory=store().session_factory, actor=actor, district_id=district_id,
                                        profile=shop_edit.ProfileFields(name, kind, address, member), lat=lat, lon=lon,
                                        now=datetime.now(timezone.utc))
    except (ShopRefused, Forbidden, geocoding.GeocodeFailed) as error:
        st.error(_refusal(error), icon=":material/error:")
        return
    st.session_state[FLASH_KEY] = plain_t("shops.new.saved", name=name.strip())
    st.session_state["shops_pick_next"] = shop_id
    st.rerun()
