"""Accounts (/accounts): coordinators create and disable accounts and hand out personal sign-in links."""
from urllib.parse import quote, urlsplit

import pandas as pd
import streamlit as st

from nightwatch.access import Forbidden, may_grant
from nightwatch.services import accounts
from nightwatch.ui import page, store, t, vocab_label
from nightwatch.ui.district import chosen_district
from nightwatch.ui.qr import qr_png
from nightwatch.ui.table import show_table
from nightwatch.vocab import AccountRole

actor = page("accounts")
factory = store().session_factory
st.title(t("page.accounts"))

rows = accounts.list_accounts(session_factory=factory, actor=actor)
show_table(pd.DataFrame({
    t("accounts.login"): [r.login for r in rows],
    t("accounts.role"): [vocab_label(r.role) for r in rows],
    t("accounts.name"): [r.display_name or "" for r in rows],
    t("accounts.districts"): [t("list.separator").join(r.districts) for r in rows],
    t("accounts.person"): [r.person or "" for r in rows],
    t("accounts.phone"): [r.phone_masked for r in rows],
    t("accounts.shop"): [r.shop or "" for r in rows],
    t("accounts.active"): [r.active for r in rows],
}), name="accounts", key="accounts_table")

st.subheader(t("accounts.manage"))
by_id = {r.id: r for r in rows}
chosen = st.selectbox(t("accounts.pick"), list(by_id), format_func=lambda i: f"{by_id[i].login} · {vocab_label(by_id[i].role)}",
                      index=None, placeholder=t("accounts.pick_placeholder"))
if chosen is not None:
    row = by_id[chosen]
    try:
        left, middle, right = st.columns(3)
        if left.button(t("accounts.disable") if row.active else t("accounts.enable"), key="toggle"):
            accounts.set_active(session_factory=factory, actor=actor, account_id=row.id, active=not row.active)
            st.rerun()
        if row.role in (AccountRole.TEAM_LEADER, AccountRole.VOLUNTEER, AccountRole.MERCHANT):
            days = middle.number_input(t("accounts.link_days"), min_value=1, max_value=90, value=30)
            if middle.button(t("accounts.issue_link"), key="issue"):
                issued = accounts.issue_link(session_factory=factory, actor=actor, account_id=row.id, days=int(days))
                origin = "{0.scheme}://{0.netloc}".format(urlsplit(st.context.url or "http://localhost:8501"))
                link = f"{origin}/auth/link?t={quote(issued.token)}"
                st.image(qr_png(link), caption=t("accounts.link_caption", login=row.login,
                                                 until=issued.expires_at.strftime("%Y-%m-%d")), width=240)
                st.code(link, language=None)
            if right.button(t("accounts.revoke_links"), key="revoke"):
                ended = accounts.revoke_links(session_factory=factory, actor=actor, account_id=row.id)
                st.success(t("accounts.revoked", count=ended))
        person_id = accounts.person_of_account(session_factory=factory, account_id=row.id)
        if person_id is not None and st.button(t("accounts.reveal_phone"), key="reveal"):
            st.info(accounts.reveal_phone(session_factory=factory, actor=actor, person_id=person_id))
    except (accounts.AccountRefused, Forbidden) as refused:
        st.error(t(refused.key))

st.subheader(t("accounts.create"))
district_id = chosen_district(actor)
grantable = [role for role in AccountRole if may_grant(actor, role)]
role = st.selectbox(t("accounts.role"), grantable, format_func=vocab_label, key="new_role")
# A district has a thousand people and two thousand shops: a search finds the one to link.
people, shops = [], []
if district_id and role in (AccountRole.TEAM_LEADER, AccountRole.VOLUNTEER):
    people = accounts.people_choices(
        session_factory=factory, actor=actor, district_id=district_id, limit=accounts.CHOICES,
        text=st.text_input(t("accounts.find_person"), max_chars=40, key="new_find_person",
                           help=t("accounts.find_help", count=accounts.CHOICES)))
elif district_id and role is AccountRole.MERCHANT:
    shops = accounts.shop_choices(
        session_factory=factory, actor=actor, district_id=district_id, limit=accounts.CHOICES,
        text=st.text_input(t("accounts.find_shop"), max_chars=40, key="new_find_shop",
                           help=t("accounts.find_help", count=accounts.CHOICES)))
with st.form("create_account", clear_on_submit=False):
    login = st.text_input(t("accounts.login"), max_chars=64, help=t("accounts.login_help"))
    name = st.text_input(t("accounts.name"), max_chars=80)
    person = shop = None
    if role in (AccountRole.TEAM_LEADER, AccountRole.VOLUNTEER):
        labels = {c.id: c.label for c in people}
        person = st.selectbox(t("accounts.person"), list(labels), format_func=labels.get, index=None,
                              placeholder=t("form.choose"))
    if role is AccountRole.MERCHANT:
        labels = {c.id: c.label for c in shops}
        shop = st.selectbox(t("accounts.shop"), list(labels), format_func=labels.get, index=None,
                            placeholder=t("form.choose"))
    password = st.text_input(t("auth.password"), type="password", help=t("password.rule"))
    submitted = st.form_submit_button(t("accounts.create"), type="primary")
if submitted:
    try:
        accounts.create_account(
            session_factory=factory, actor=actor, login=login, password=password, role=role,
            district_ids=[district_id] if role is AccountRole.COORDINATOR and district_id else [],
            person_id=person, shop_id=shop, display_name=name,
        )
        st.success(t("accounts.created", login=login.strip().lower()))
    except (accounts.AccountRefused, Forbidden) as refused:
        st.error(t(refused.key, **getattr(refused, "values", {})))
