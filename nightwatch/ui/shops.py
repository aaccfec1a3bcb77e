"""The /shops page body: merchants go straight to their own dossier; coordinators and patrols list and pick."""
from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from nightwatch.access import Actor, Forbidden, scoped_actor
from nightwatch.services import shops
from nightwatch.services.shop_dossier import Dossier, read_dossier
from nightwatch.ui import shops_dossier as view
from nightwatch.ui.district import chosen_district
from nightwatch.ui.lang import t
from nightwatch.ui.shops_forms import FLASH_KEY, dossier_form, flash, inspection_form, new_shop_form, profile_form
from nightwatch.ui.shops_list import PICK_KEY, shop_filters, shop_map, shop_picker, shop_table
from nightwatch.ui.store import store
from nightwatch.vocab import AccountRole, BusinessKind, RiskLevel

LIST_TTL = 60  # seconds


# Every click on the page reruns it; the list (risk computed over all of a district's shops) is read at most once a
# minute per scope and filter, and afresh after any save here. The key is the viewer's role and districts
# (the list holds no personal data), so no scope ever sees another's shops.
@st.cache_data(ttl=LIST_TTL, show_spinner=False, max_entries=256)
def _listed(url: str, role: str, district_ids: frozenset[int], district_id: int, grid_id: int | None,
            risk: RiskLevel | None, codefender_only: bool, kind: BusinessKind | None, text: str) -> shops.ShopsPage:
    return shops.shops_page(session_factory=store().session_factory,
                            actor=scoped_actor(role, district_ids), district_id=district_id,
                            now=datetime.now(timezone.utc),
                            filters=shops.ShopFilter(grid_id=grid_id, risk=risk, codefender_only=codefender_only,
                                                     kind=kind, text=text))


def show_shops(actor: Actor) -> None:
    """The page for whoever opened it."""
    st.title(t("page.shops"))
    if FLASH_KEY in st.session_state:  # a save just happened: list afresh
        _listed.clear()
    flash()
    now = datetime.now(timezone.utc)
    if actor.role is AccountRole.MERCHANT:
        merchant_view(actor, now)
    else:
        district_view(actor, now)


def _dossier(actor: Actor, shop_id: int, now: datetime) -> Dossier | None:
    """The dossier, or None with a polite refusal."""
    try:
        return read_dossier(session_factory=store().session_factory, actor=actor, shop_id=shop_id, now=now)
    except (Forbidden, shops.ShopRefused) as error:
        st.warning(t(error.key), icon=":material/block:")
        return None


def merchant_view(actor: Actor, now: datetime) -> None:
    """A merchant's own dossier: the edit form first (phone-first), then what the district recorded."""
    if actor.shop_id is None:
        st.info(t("shops.merchant_no_shop"))
        return
    dossier = _dossier(actor, actor.shop_id, now)
    if dossier is None:
        return
    view.header(dossier)
    st.caption(t("shops.merchant_intro"))
    if dossier.missing:
        st.warning(t("shops.missing_warning", items=view.value_text(dossier.missing)), icon=":material/warning:")
    dossier_form(actor, dossier)
    st.divider()
    view.timeline(actor, dossier, now)


def district_view(actor: Actor, now: datetime) -> None:
    """Filters, the table and map of the district's shops, and the picked shop's dossier."""
    district_id = chosen_district(actor)
    if district_id is None:
        st.info(t("shops.no_district"))
        return
    if "shops_pick_next" in st.session_state:
        st.session_state[PICK_KEY] = st.session_state.pop("shops_pick_next")
    filters = shop_filters(actor, district_id)
    listed = _listed(store().url, str(actor.role), actor.district_ids, district_id, filters.grid_id, filters.risk,
                     filters.codefender_only, filters.kind, filters.text)
    rows = listed.rows
    if actor.is_coordinator:
        with st.expander(t("shops.new.title"), icon=":material/add_business:"):
            new_shop_form(actor, district_id)
    factory = store().session_factory  # read here: an export is built after the run
    shop_table(listed, lambda: shops.list_shops(session_factory=factory, actor=actor, district_id=district_id,
                                                now=now, filters=filters))
    with st.expander(t("shops.map.title"), icon=":material/map:", expanded=True):
        shop_map(rows)
    shop_id = shop_picker(rows)
    if shop_id is None:
        st.info(t("shops.pick_prompt"))
        return
    dossier = _dossier(actor, shop_id, now)
    if dossier is not None:
        show_dossier(actor, dossier, now)


def show_dossier(actor: Actor, dossier: Dossier, now: datetime) -> None:
    """A coordinator's or patrol's view of one dossier, with the forms their role may use."""
    with st.container(border=True):
        view.header(dossier)
        left, right = st.columns(2)
        with left:
            view.contacts(dossier)
            view.checklist(dossier)
            if dossier.note:
                st.markdown(f"**{t('shops.form.note')}**  \n{view.plain(dossier.note)}")
        with right:
            view.risk(dossier)
        if dossier.may_edit_contacts:
            with st.expander(t("shops.edit_title"), icon=":material/edit:"):
                dossier_form(actor, dossier)
        if dossier.may_edit_profile:
            with st.expander(t("shops.profile_title"), icon=":material/storefront:"):
                profile_form(actor, dossier)
        if dossier.may_inspect:
            with st.expander(t("shops.inspect.title"), icon=":material/fact_check:"):
                inspection_form(actor, dossier)
        view.timeline(actor, dossier, now)
