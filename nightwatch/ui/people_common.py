"""What the people tabs share: the store, messages kept across a rerun, refusals in words, widget versions."""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from nightwatch.access import Forbidden
from nightwatch.services.people import PeopleRefused
from nightwatch.ui.plain import plain_t
from nightwatch.ui.store import store

REFUSALS = (PeopleRefused, Forbidden)
MESSAGE_KEY = "_people_message"


def factory():
    """The session factory of the configured store."""
    return store().session_factory


def refusal_text(error: Exception) -> str:
    """A refusal in the viewer's words."""
    return plain_t(getattr(error, "key", "people.failed"), **getattr(error, "values", {}))


def keep(scope: str, kind: str, text: str) -> None:
    """Keep a message for the next run (after st.rerun) beside the part of the page it belongs to."""
    st.session_state[MESSAGE_KEY] = (scope, kind, text)


def show_kept(scope: str) -> None:
    """Draw the message kept for this part of the page, once."""
    kept = st.session_state.get(MESSAGE_KEY)
    if kept and kept[0] == scope:
        del st.session_state[MESSAGE_KEY]
        (st.success if kept[1] == "success" else st.error)(kept[2])


def version(name: str) -> int:
    """The current version of a widget whose state is thrown away after a save."""
    return st.session_state.get(f"_people_v_{name}", 0)


def renew(name: str) -> None:
    """Start a widget afresh on the next run (a new key drops its old state)."""
    st.session_state[f"_people_v_{name}"] = version(name) + 1


def save_then_rerun(action: Callable[[], object], *, fresh: tuple[str, ...], scope: str, done: str) -> None:
    """Run a service call: a refusal shows why and keeps the form as typed; success starts the
    named widgets afresh, keeps `done` for the next run, and reruns."""
    try:
        action()
    except REFUSALS as refused:
        st.error(refusal_text(refused))
        return
    for name in fresh:
        renew(name)
    keep(scope, "success", done)
    st.rerun()


def differing(before: pd.DataFrame, key: str) -> list:
    """Index labels of the rows the user edited in the data editor under `key` (its recorded edits)."""
    edits = st.session_state.get(key) or {}
    positions = sorted(int(p) for p in edits.get("edited_rows", {}))
    return [before.index[p] for p in positions if 0 <= p < len(before)]
