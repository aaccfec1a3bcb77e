"""What every page draws first: its configuration, the guard, and the shared menu."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from nightwatch.access import Actor, can_open
from nightwatch.ui.auth import guard, sign_out
from nightwatch.ui.district import district_picker
from nightwatch.ui.lang import language_picker, t, vocab_label
from nightwatch.ui.native_words import page_style
from nightwatch.ui.plain import plain_t


@dataclass(frozen=True)
class MenuEntry:
    """A page in the shared menu: its slug (URL and access rule), script path and icon."""

    slug: str
    path: str
    icon: str


MENU: tuple[MenuEntry, ...] = (
    MenuEntry("home", "app.py", ":material/nightlight:"),
    MenuEntry("map", "pages/10_map.py", ":material/map:"),
    MenuEntry("heatmap", "pages/12_heatmap.py", ":material/local_fire_department:"),
    MenuEntry("dashboard", "pages/15_dashboard.py", ":material/monitoring:"),
    MenuEntry("geography", "pages/20_geography.py", ":material/edit_location_alt:"),
    MenuEntry("people", "pages/30_people.py", ":material/groups:"),
    MenuEntry("shops", "pages/35_shops.py", ":material/storefront:"),
    MenuEntry("roster", "pages/40_roster.py", ":material/calendar_month:"),
    MenuEntry("my_shifts", "pages/45_my_shifts.py", ":material/event_available:"),
    MenuEntry("routes", "pages/55_routes.py", ":material/route:"),
    MenuEntry("coverage", "pages/50_coverage.py", ":material/grid_on:"),
    MenuEntry("tip", "pages/60_tip.py", ":material/campaign:"),
    MenuEntry("dispatch", "pages/65_dispatch.py", ":material/emergency_share:"),
    MenuEntry("my_tasks", "pages/70_my_tasks.py", ":material/task_alt:"),
    MenuEntry("hazards", "pages/75_hazards.py", ":material/report:"),
    MenuEntry("outreach", "pages/77_outreach.py", ":material/record_voice_over:"),
    MenuEntry("accounts", "pages/80_accounts.py", ":material/manage_accounts:"),
    MenuEntry("audit", "pages/85_audit.py", ":material/history:"),
    MenuEntry("about", "pages/90_about.py", ":material/info:"),
)


def page(slug: str) -> Actor:
    """Configure the page, refuse whoever may not open it, draw the menu; returns the actor."""
    st.set_page_config(page_title=f"{t(f'page.{slug}')} · {t('app.name')}", page_icon="🌙", layout="wide")
    st.html(page_style())  # before the guard: the sign-in form is typed into too
    actor = guard(slug)
    with st.sidebar:
        st.markdown(f"### :material/nightlight: {t('app.name')}")
        for entry in MENU:
            if can_open(actor, entry.slug):
                st.page_link(entry.path, label=t(f"page.{entry.slug}"), icon=entry.icon)
        st.divider()
        if actor.signed_in:
            district_picker(actor)
            st.caption(plain_t("menu.signed_in_as", name=actor.display_name or actor.login, role=vocab_label(actor.role)))
            if st.button(t("auth.sign_out"), icon=":material/logout:"):
                sign_out(actor)
        language_picker()
    return actor
