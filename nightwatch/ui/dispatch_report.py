"""/dispatch's 1-3-5 report (by district, grid, category or hour, with sample sizes) and the outbound notices."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from nightwatch.access import Actor, scoped_actor
from nightwatch.response_times import MEASURES, MIN_SAMPLE, ReportRow
from nightwatch.services import notices
from nightwatch.services.response_report import GROUPINGS, response_report
from nightwatch.ui.dispatch_common import clock, now_utc, settings
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.store import store
from nightwatch.ui.table import show_table
from nightwatch.vocab import TipCategory

REPORT_TTL_S = 60


def _group_label(by: str, group: str) -> str:
    if by == "category":
        try:
            return vocab_label(TipCategory(group))
        except ValueError:
            return group
    return group


def _table(rows: list[ReportRow], by: str) -> pd.DataFrame:
    too_few = t("dispatch.too_few")
    data: dict[str, list[object]] = {t("dispatch.col_group"): [_group_label(by, r.group) for r in rows],
                                     t("dispatch.col_n"): [r.n for r in rows]}
    for measure in MEASURES:
        name = t(f"dispatch.measure.{measure}")
        data[t("dispatch.col_median", measure=name)] = [
            too_few if r.median_s[measure] is None else clock(r.median_s[measure]) for r in rows]
        data[t("dispatch.col_rate", measure=name)] = [
            too_few if r.met_rate[measure] is None else f"{r.met_rate[measure]:.0%} (n={r.counted[measure]})"
            for r in rows]
    return pd.DataFrame(data)


# The report measures days of tips, hundreds in a busy district's week, and the board reruns the page every
# 10 s: it is kept for a minute, keyed on the viewer's role and districts so no scope sees another's figures.
@st.cache_data(ttl=REPORT_TTL_S, show_spinner=False, max_entries=256)
def _report(url: str, role: str, district_ids: frozenset[int], district_id: int, days: int, by: str
            ) -> list[ReportRow]:
    now, viewer = now_utc(), scoped_actor(role, district_ids)
    return response_report(session_factory=store().session_factory, actor=viewer, district_id=district_id,
                           since=now - timedelta(days=days), until=now, by=by)


def show_report(actor: Actor, district_id: int) -> None:
    """The 1-3-5 figures of the last days, grouped as chosen."""
    left, right = st.columns(2)
    by = left.segmented_control(t("dispatch.report_by"), list(GROUPINGS), default="grid", key="report_by",
                                format_func=lambda g: t(f"dispatch.by.{g}")) or "grid"
    days = right.selectbox(t("dispatch.report_days"), [7, 30, 90], key="report_days")
    rows = _report(store().url, str(actor.role), actor.district_ids, district_id, days, by)
    st.caption(t("dispatch.report_hint", n=MIN_SAMPLE))
    if not rows:
        st.info(t("dispatch.no_report"))
        return
    show_table(_table(rows, by), name=f"response-times-by-{by}", key="dispatch_report")


def show_notices(actor: Actor, district_id: int, tz: str) -> None:
    """What was posted to the group robot, and how it went."""
    if not notices.enabled(settings()):
        st.caption(t("dispatch.notices_off"))
    rows = notices.recent(session_factory=store().session_factory, actor=actor, district_id=district_id)
    if not rows:
        st.info(t("dispatch.no_notices"))
        return
    zone = ZoneInfo(tz)
    show_table(pd.DataFrame({
        t("dispatch.col_created"): [f"{r.created_at.astimezone(zone):%m-%d %H:%M:%S}" for r in rows],
        t("dispatch.col_kind"): [r.kind for r in rows],
        t("dispatch.col_notice_status"): [r.status for r in rows],
        t("dispatch.col_attempts"): [r.attempts for r in rows],
        t("dispatch.col_error"): [r.last_error or "" for r in rows],
        t("dispatch.col_text"): [r.text for r in rows],
    }), name="notices", key="dispatch_notices")
