"""The viewer's language, kept in one session key shared by every page."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum

import streamlit as st

from nightwatch import i18n
from nightwatch.config import Settings

LANGUAGE_KEY = "lang"
LANGUAGE_NAMES = {"zh-CN": "中文", "en": "English"}
_PINNED: ContextVar[str | None] = ContextVar("nightwatch_language", default=None)


def current_language() -> str:
    """The language chosen in this session, else the configured default, else zh-CN (or the one pinned)."""
    pinned = _PINNED.get()
    if pinned is not None:
        return pinned
    chosen = st.session_state.get(LANGUAGE_KEY)  # one look: pages ask this hundreds of times a run
    if chosen is None:
        chosen = st.session_state[LANGUAGE_KEY] = i18n.language_from(Settings.from_env().language)
    return chosen


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Words looked up in `language` inside the block: for work done after a run, outside its session."""
    token = _PINNED.set(language)
    try:
        yield
    finally:
        _PINNED.reset(token)


def t(key: str, **values: object) -> str:
    """A catalog message in the viewer's language."""
    return i18n.t(key, current_language(), **values)


def action_label(action: str) -> str:
    """An audit action as people read it; an action without words yet shows its code."""
    key = f"action.{action}"
    return t(key) if key in i18n.CATALOGS[current_language()] else action


def vocab_label(member: StrEnum) -> str:
    """A vocabulary value as the viewer reads it."""
    return i18n.label(member, current_language())


def language_picker() -> None:
    """A switch between the catalog's languages; the choice holds on every page."""
    def _chosen() -> None:
        # Clicking the selected option again deselects it; keep the language then.
        st.session_state[LANGUAGE_KEY] = st.session_state["_lang_picker"] or current_language()

    languages = list(i18n.LANGUAGES)
    st.session_state["_lang_picker"] = current_language()
    st.segmented_control(
        t("menu.language"), languages, format_func=LANGUAGE_NAMES.get, key="_lang_picker", on_change=_chosen,
        label_visibility="collapsed",
    )
