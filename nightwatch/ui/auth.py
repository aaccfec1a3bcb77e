"""Who is looking: the actor of this browser, checked on every rerun; the guard every page calls first."""
from __future__ import annotations

from html import escape
from urllib.parse import quote

import streamlit as st

from nightwatch.access import VIEWER, Actor, can_open
from nightwatch.services import auth
from nightwatch.ui.lang import t
from nightwatch.ui.routes import COOKIE
from nightwatch.ui.store import store

# The session token of a sign-in made in this tab, until the cookie route has run.
TOKEN_KEY = "_nw_token"


def current_actor() -> Actor:
    """The signed-in actor, or the public viewer; a disabled account or ended session is the viewer."""
    token = st.session_state.get(TOKEN_KEY)
    if not token:  # the cookie is read only when the tab holds no token yet: every rerun asks
        cookie = st.context.cookies.get(COOKIE)
        token = cookie if isinstance(cookie, str) else None
    actor = auth.actor_for_session(session_factory=store().session_factory, token=token)
    if actor is None and sso_configured() and st.user.get("is_logged_in"):
        actor = auth.actor_for_identity(session_factory=store().session_factory, email=st.user.get("email"))
    if actor is None:
        st.session_state.pop(TOKEN_KEY, None)
        return VIEWER
    return actor


def sso_configured() -> bool:
    """True when single sign-on (OIDC) is set up under [auth] in .streamlit/secrets.toml."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def refuse(actor: Actor) -> None:
    """A polite refusal with no data: sign in for the viewer, a way home for everyone else."""
    if actor.signed_in:
        st.warning(t("access.refused"))
        st.page_link("app.py", label=t("access.go_home"), icon=":material/home:")
    else:
        st.info(t("access.sign_in_first"))
        sign_in_form()
    st.stop()


def guard(page: str) -> Actor:
    """The actor, when their role may open the page; otherwise a refusal and nothing more runs."""
    actor = current_actor()
    if not can_open(actor, page):
        refuse(actor)
    return actor


def sign_in_form(next_path: str = "/") -> None:
    """Login and password; on success the browser is sent through the cookie route."""
    with st.form("sign_in", clear_on_submit=False):
        login = st.text_input(t("auth.login"), max_chars=64, autocomplete="username")
        password = st.text_input(t("auth.password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("auth.sign_in"), type="primary")
    if sso_configured():
        if st.user.get("is_logged_in"):
            st.warning(t("auth.sso_no_account", email=st.user.get("email") or ""))
            st.button(t("auth.sign_out"), on_click=st.logout)
        else:
            st.button(t("auth.sso"), icon=":material/key:", on_click=st.login)
    if not submitted:
        return
    try:
        signed = auth.sign_in(session_factory=store().session_factory, login=login, password=password)
    except auth.SignInRefused as refused:
        st.error(t(refused.key))
        return
    st.session_state[TOKEN_KEY] = signed.session.token
    go_to(f"/auth/link?t={quote(signed.handoff.token)}&next={quote(next_path)}")


def sign_out(actor: Actor) -> None:
    """End every session of this account and forget this browser's cookie."""
    auth.sign_out(session_factory=store().session_factory, actor=actor)
    st.session_state.pop(TOKEN_KEY, None)
    if sso_configured() and st.user.get("is_logged_in"):
        st.logout()
    go_to("/auth/signout")


def go_to(path: str) -> None:
    """Send the browser to a local path (a meta refresh; Streamlit has no redirect), with a link as fallback."""
    target = escape(path, quote=True)
    st.markdown(f'<meta http-equiv="refresh" content="0; url={target}">', unsafe_allow_html=True)
    st.markdown(f"[{t('auth.continue')}]({path})")
    st.stop()
