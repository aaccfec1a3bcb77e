"""What the dispatch and task pages share: running a button's action, the message it leaves, clocks."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timezone

import streamlit as st

from nightwatch import i18n
from nightwatch.access import Forbidden
from nightwatch.config import Settings
from nightwatch.services.dispatch import DispatchRefused
from nightwatch.services.tasks import TasksRefused
from nightwatch.tips import TipTransitionRefused
from nightwatch.ui.lang import current_language, t

FLASH_KEY = "_dispatch_flash"
REFUSALS = (DispatchRefused, TasksRefused, TipTransitionRefused, Forbidden)


def now_utc() -> datetime:
    """The server's clock: every step is stamped here, never by the browser."""
    return datetime.now(timezone.utc)


def settings() -> Settings:
    """The operator's settings (the outbound webhook among them)."""
    return Settings.from_env()


def refusal_text(key: str, values: Mapping[str, object], fallback: str) -> str:
    """A refusal in words; a key the catalog lacks still reads as a refusal, never as a code."""
    if key not in i18n.CATALOGS[current_language()]:
        return t(fallback)
    try:
        return t(key, **values)
    except (KeyError, IndexError):
        return t(fallback)


def act(work: Callable[[], object], done: Callable[[object], str], fallback: str = "dispatch.refused") -> None:
    """Run a button's service call; keep what came of it for the next run to show."""
    try:
        result = work()
    except REFUSALS as refused:
        st.session_state[FLASH_KEY] = ("error", refusal_text(refused.key, getattr(refused, "values", {}), fallback))
    else:
        st.session_state[FLASH_KEY] = ("success", done(result))


def show_flash() -> None:
    """Show (once) what the last button did."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash is not None:
        kind, text = flash
        (st.success if kind == "success" else st.error)(text)


def clock(seconds: float) -> str:
    """Seconds as m:ss."""
    whole = int(abs(seconds))
    return f"{whole // 60}:{whole % 60:02d}"
