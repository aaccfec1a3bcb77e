"""What every page draws first: its configuration and the shared menu."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from nightwatch.ui.lang import language_picker, t


@dataclass(frozen=True)
class MenuEntry:
    """A page in the shared menu: its script path, catalog title key and icon."""

    path: str
    title_key: str
    icon: str


MENU: tuple[MenuEntry, ...] = (
    MenuEntry("app.py", "page.home", ":material/nightlight:"),
    MenuEntry("pages/90_about.py", "page.about", ":material/info:"),
)


def page(title_key: str) -> None:
    """Configure the page and draw the menu; every page calls this before anything else."""
    st.set_page_config(page_title=f"{t(title_key)} · {t('app.name')}", page_icon="🌙", layout="wide")
    with st.sidebar:
        st.markdown(f"### :material/nightlight: {t('app.name')}")
        for entry in MENU:
            st.page_link(entry.path, label=t(entry.title_key), icon=entry.icon)
        st.divider()
        language_picker()
