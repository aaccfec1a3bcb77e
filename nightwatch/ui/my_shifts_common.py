"""What the my-shifts sections share: running a button's action, the message it leaves, role names."""
from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from nightwatch import i18n
from nightwatch.access import Forbidden
from nightwatch.services.reminders import ConfirmRefused
from nightwatch.services.roster import RosterRefused
from nightwatch.services.swaps import SwapRefused
from nightwatch.ui.lang import current_language, t, vocab_label
from nightwatch.vocab import RoleKind

FLASH_KEY = "_my_shifts_flash"
REFUSALS = (SwapRefused, RosterRefused, ConfirmRefused)


def act(work: Callable[[], object], done: Callable[[object], str]) -> None:
    """Run a button's service call; keep what came of it for the next run to show."""
    try:
        result = work()
    except REFUSALS as refused:
        st.session_state[FLASH_KEY] = ("error", refusal_text(refused.key, refused.values))
    except Forbidden as forbidden:
        st.session_state[FLASH_KEY] = ("error", refusal_text(forbidden.key, {}))
    else:
        st.session_state[FLASH_KEY] = ("success", done(result))


def show_flash() -> None:
    """Show (once) what the last button did."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash is None:
        return
    kind, text = flash
    (st.success if kind == "success" else st.error)(text)


def refusal_text(key: str, values: Mapping[str, object]) -> str:
    """A refusal in words; a key the catalog lacks still reads as a refusal, never as a code."""
    if key not in i18n.CATALOGS[current_language()]:
        return t("my_shifts.refused")
    named = {name: role_name(str(value)) if name == "role" else value for name, value in values.items()}
    try:
        return t(key, **named)
    except (KeyError, IndexError):
        return t("my_shifts.refused")


def role_name(role: str | None) -> str:
    """A role kind as people read it."""
    if not role:
        return ""
    try:
        return vocab_label(RoleKind(role))
    except ValueError:
        return role


def roles_text(counts: Mapping[str, int]) -> str:
    """Role counts as people read them: 网格员 2、志愿者 1."""
    return t("list.separator").join(f"{role_name(role)} {n}" for role, n in counts.items())
