"""What the roster sections share: the store's sessions, a refusal in words, messages kept across a rerun."""
from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from nightwatch import i18n
from nightwatch.ui.lang import current_language, t, vocab_label
from nightwatch.ui.plain import plain_t
from nightwatch.ui.store import store
from nightwatch.vocab import RoleKind

MESSAGE_KEY = "_roster_message"


def factory():
    """The session factory of the configured store."""
    return store().session_factory


def role_name(role: str | None) -> str:
    """A role kind as people read it; an unknown one as stored."""
    if not role:
        return ""
    try:
        return vocab_label(RoleKind(role))
    except ValueError:
        return role


def role_names() -> Callable[[str | None], str]:
    """role_name, each kind looked up once: a big district's night lists hundreds of people."""
    seen: dict[str | None, str] = {}

    def name(role: str | None) -> str:
        if role not in seen:
            seen[role] = role_name(role)
        return seen[role]
    return name


def words(key: str, values: Mapping[str, object] | None = None) -> str:
    """A catalog message; a key the catalog lacks reads as a plain refusal, never as a code."""
    if key not in i18n.CATALOGS[current_language()]:
        return t("access.forbidden")
    try:
        return plain_t(key, **dict(values or {}))
    except (KeyError, IndexError):
        return t("access.forbidden")


def say(scope: str, kind: str, text: str) -> None:
    """Keep a message for the next run to show beside the button that caused it."""
    st.session_state[MESSAGE_KEY] = (scope, kind, text)


def said(scope: str, error: Exception) -> None:
    """Keep a refusal's message."""
    say(scope, "error", words(getattr(error, "key", "access.forbidden"), getattr(error, "values", {})))


def show_message(scope: str) -> None:
    """Draw, once, the message kept for this part of the page."""
    kept = st.session_state.get(MESSAGE_KEY)
    if kept and kept[0] == scope:
        del st.session_state[MESSAGE_KEY]
        _, kind, text = kept
        {"success": st.success, "warning": st.warning}.get(kind, st.error)(text)
