"""The roster's third tab: who has not confirmed, who did not show, and swaps waiting for approval."""
from __future__ import annotations

import time
from datetime import datetime, timezone

import streamlit as st

from nightwatch.access import Actor
from nightwatch.services import attendance
from nightwatch.ui.my_shifts_approvals import show_cover_flags, show_swap_approvals
from nightwatch.ui.store import store

# Attendance is recorded when a coordinator looks (and by `python -m nightwatch sweep` from cron);
# once a minute per district is plenty, and the sweep writes nothing when nothing changed.
SWEEP_EVERY_S = 60


def attendance_tab(actor: Actor, district_id: int) -> None:
    """Record attendance up to now, then show the flags and the swaps to approve."""
    swept = st.session_state.setdefault("_roster_swept", {})
    if time.monotonic() - swept.get(district_id, -SWEEP_EVERY_S) >= SWEEP_EVERY_S:
        attendance.sweep(session_factory=store().session_factory, district_id=district_id,
                         now=datetime.now(timezone.utc))
        swept[district_id] = time.monotonic()
    show_cover_flags(actor, district_id)
    show_swap_approvals(actor, district_id)
