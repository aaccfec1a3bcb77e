"""One shop's dossier as read: header, contacts, checklist, risk with its reasons, and the timeline."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import streamlit as st

from nightwatch.access import Actor
from nightwatch.dossier import CHECKLIST_ITEMS, Reason
from nightwatch.plain import plain as plain_text
from nightwatch.services import shop_timeline
from nightwatch.services.shop_dossier import Dossier
from nightwatch.services.shop_timeline import Timeline
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.store import store
from nightwatch.vocab import RiskLevel

RISK_BADGES = {RiskLevel.HIGH: "red", RiskLevel.MEDIUM: "orange", RiskLevel.LOW: "green"}
KIND_ICONS = {"tip": ":material/campaign:", "hazard": ":material/report:", "inspection": ":material/fact_check:",
              "reinspection": ":material/task_alt:", "outreach": ":material/record_voice_over:",
              "patrol": ":material/directions_walk:"}
DAYS_KEY = "shops_timeline_days"


def plain(text: str) -> str:
    """User-typed text shown as text: Markdown's special characters escaped."""
    return plain_text(text)


def item_label(item: str) -> str:
    """A checklist item as people read it."""
    return t(f"shops.item.{item}")


def value_text(value: Any) -> Any:
    """A reason or entry value as text: vocabulary labelled, item lists joined."""
    if isinstance(value, StrEnum):
        return vocab_label(value)
    if isinstance(value, (tuple, list)):
        return t("list.separator").join(item_label(v) for v in value)
    return value


def reason_text(reason: Reason) -> str:
    """One reason as a sentence: "近90天 2 起盗窃线索 (+4)"."""
    values = {key: value_text(value) for key, value in reason.values.items()}
    points = f"+{reason.points}" if reason.points > 0 else str(reason.points)
    return t(reason.key, **values) + f" ({points})"


def header(dossier: Dossier) -> None:
    """Name, kind, grid, co-defence and, for those who may see it, the risk badge."""
    st.subheader(plain(dossier.name))
    bits = [vocab_label(dossier.kind), dossier.grid or t("shops.no_grid")]
    if dossier.is_codefender:
        bits.append(t("shops.codefender_badge", name=plain(dossier.codefender or "—")))
    st.caption(" · ".join(plain(b) for b in bits))
    if dossier.address:
        st.caption(f":material/location_on: {plain(dossier.address)}")
    if dossier.risk is not None:
        colour = RISK_BADGES[dossier.risk.level]
        st.markdown(f":{colour}-badge[{t('shops.risk_badge', level=vocab_label(dossier.risk.level))}] "
                    f"{t('shops.risk_score', score=dossier.risk.score)}")


def contacts(dossier: Dossier) -> None:
    """The owner and further contacts; phones as the reader may see them."""
    st.markdown(f"**{t('shops.contacts')}**")
    lines = [t("shops.owner_line", name=plain(dossier.owner_name or "—"), phone=plain(dossier.owner_phone or "—"))]
    lines += [t("shops.contact_line", name=plain(c.name), role=plain(c.role or t("shops.contact")),
                phone=plain(c.phone)) for c in dossier.contacts]
    st.markdown("  \n".join(lines))
    if dossier.phones_masked:
        st.caption(t("shops.phones_masked"))


def checklist(dossier: Dossier) -> None:
    """The safety checklist: required items first, each ticked or missing."""
    st.markdown(f"**{t('shops.checklist')}**")
    lines = []
    for item in CHECKLIST_ITEMS:
        required = item in dossier.required
        if not required and item not in dossier.checklist:
            continue
        ok = dossier.checklist.get(item) is True
        mark = ":green[:material/check_circle:]" if ok else (":red[:material/cancel:]" if required
                                                              else ":gray[:material/remove:]")
        suffix = "" if required else f" ({t('shops.optional')})"
        lines.append(f"{mark} {item_label(item)}{suffix}")
    st.markdown("  \n".join(lines))
    if dossier.missing:
        st.warning(t("shops.missing_warning", items=value_text(dossier.missing)), icon=":material/warning:")


def risk(dossier: Dossier) -> None:
    """Why the shop is rated as it is."""
    if dossier.risk is None:
        return
    st.markdown(f"**{t('shops.risk_reasons')}**")
    if not dossier.risk.reasons:
        st.caption(t("shops.risk_none"))
        return
    st.markdown("\n".join(f"- {reason_text(r)}" for r in dossier.risk.reasons))


def _when(at: datetime, timezone: str) -> str:
    """An instant as the district's local date and time."""
    return at.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def entry_text(entry: shop_timeline.Entry, timezone: str) -> str:
    """One timeline entry as a line of Markdown (typed text escaped)."""
    values = {key: value_text(value) for key, value in entry.values.items()}
    if entry.kind == "patrol":
        zone = ZoneInfo(timezone)
        values["first"] = entry.values["first"].astimezone(zone).strftime("%H:%M")
        values["last"] = entry.values["last"].astimezone(zone).strftime("%H:%M")
    if entry.kind == "reinspection":
        values["result"] = t(f"shops.tl.result.{entry.values['result']}")
    if "outcome" in values:
        values["outcome"] = f" · {values['outcome']}" if values["outcome"] else ""
    if "title" in values:
        values["title"] = plain(str(values["title"]))
    text = t(entry.key, **values)
    note = f"  \n:gray[{plain(entry.note)}]" if entry.note else ""
    return f"{KIND_ICONS.get(entry.kind, '')} **{_when(entry.at, timezone)}** {text}{note}"


def timeline(actor: Actor, dossier: Dossier, now: datetime) -> None:
    """The shop's timeline, newest first, over 90 days; "more" reaches 90 days further back each time."""
    days = st.session_state.get(DAYS_KEY, {}).get(dossier.id, shop_timeline.DEFAULT_DAYS)
    line: Timeline = shop_timeline.shop_timeline(session_factory=store().session_factory, actor=actor,
                                                 shop_id=dossier.id, now=now, days=days)
    st.markdown(f"**{t('shops.timeline', days=line.days)}**")
    if not line.entries:
        st.caption(t("shops.timeline_empty"))
    with st.container(height=420 if len(line.entries) > 8 else "content", border=False):
        for entry in line.entries:
            st.markdown(entry_text(entry, dossier.timezone))
    if line.days < shop_timeline.MAX_DAYS and st.button(t("shops.timeline_more"), key=f"shops_more_{dossier.id}",
                                                        icon=":material/history:"):
        st.session_state.setdefault(DAYS_KEY, {})[dossier.id] = line.days + shop_timeline.DEFAULT_DAYS
        st.rerun()
