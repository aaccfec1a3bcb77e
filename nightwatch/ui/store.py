"""The app's one store per database URL, migrated (and demo-seeded where it belongs) once per process."""
from __future__ import annotations

import streamlit as st

from nightwatch.services import setup


@st.cache_resource(show_spinner=False)
def _open(url: str) -> setup.Store:
    """Open, migrate and prepare the store for a URL; cached for the life of the server process."""
    opened = setup.open_store(url)
    setup.prepare(opened)
    return opened


def store() -> setup.Store:
    """The store of the configured database."""
    return _open(setup.configured_url())
