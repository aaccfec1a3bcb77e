"""Check-ins a coordinator should look at: refused scans (forged or stale codes) and phones far from the point."""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from nightwatch.access import Actor, Forbidden
from nightwatch.checkins import CheckInAlert
from nightwatch.services import checkins as service
from nightwatch.ui.lang import t
from nightwatch.ui.store import store
from nightwatch.ui.table import show_table


def _detail(alert: CheckInAlert) -> str:
    """Why the alert is there, in words."""
    if alert.kind == "far":
        return t("checkin.alert_distance", metres=f"{alert.distance_m:.0f}") if alert.distance_m is not None else ""
    reason = alert.reason if alert.reason in ("forged", "unknown_point", "inactive") else "forged"
    return t(f"checkin.alert_reason_{reason}")


def show_check_in_alerts(actor: Actor, district_id: int, night: date) -> None:
    """The night's suspicious scans and far-off check-ins in the district, newest first (coordinators only)."""
    try:
        alerts = service.check_in_alerts(session_factory=store().session_factory, actor=actor,
                                         district_id=district_id, night=night)
    except Forbidden:
        return
    st.subheader(t("checkin.alerts_title"))
    if not alerts:
        st.caption(t("checkin.alerts_none"))
        return
    st.caption(t("checkin.alerts_caption"))
    unknown = t("checkin.alert_unknown")
    # Names and point names only: no phone numbers or coordinates reach the browser.
    table = pd.DataFrame({
        t("checkin.alert_time"): [a.at.astimezone(ZoneInfo(a.timezone)).strftime("%H:%M") for a in alerts],
        t("checkin.alert_kind"): [t(f"checkin.alert_{a.kind}") for a in alerts],
        t("checkin.alert_person"): [a.person or unknown for a in alerts],
        t("checkin.alert_point"): [a.point or unknown for a in alerts],
        t("checkin.alert_detail"): [_detail(a) for a in alerts],
    })
    show_table(table, name="check-in-alerts", key="checkin_alerts")
