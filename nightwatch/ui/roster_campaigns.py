"""The campaigns tab of /roster: the district's campaigns, and a form to create one or edit one."""
from __future__ import annotations

from datetime import date, time, timedelta

import pandas as pd
import streamlit as st

from nightwatch.access import Actor, Forbidden
from nightwatch.services import campaigns, roster_choices
from nightwatch.services.campaigns import CampaignPlan, CampaignRow
from nightwatch.services.roster import RosterRefused
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.plain import plain_t
from nightwatch.ui.roster_common import factory, role_name, said, say, show_message
from nightwatch.ui.table import show_table
from nightwatch.vocab import RoleKind, ShiftKind

WEEK = list(range(7))


def campaigns_tab(actor: Actor, district_id: int) -> None:
    """The list, then the form (new, or the campaign picked for editing)."""
    rows = campaigns.list_campaigns(session_factory=factory(), actor=actor, district_id=district_id)
    st.subheader(t("roster.campaign.list"))
    if rows:
        show_table(_table(rows), name="roster-campaigns", key="roster_campaigns")
    else:
        st.info(t("roster.campaign.none"))
    by_id = {r.id: r for r in rows}
    chosen = st.selectbox(t("roster.campaign.pick"), [None, *by_id], key="roster_campaign_pick",
                          format_func=lambda i: t("roster.campaign.new") if i is None else by_id[i].name)
    editing = by_id.get(chosen)
    st.subheader(plain_t("roster.campaign.edit", name=editing.name) if editing else t("roster.campaign.new"))
    _form(actor, district_id, editing)
    show_message("campaign")


def _weekdays(days: tuple[int, ...] | None) -> str:
    return t("roster.campaign.every_night") if days is None else " ".join(t(f"roster.weekday.{d}") for d in days)


def _table(rows: list[CampaignRow]) -> pd.DataFrame:
    return pd.DataFrame({
        t("roster.campaign.col.name"): [r.name for r in rows],
        t("roster.campaign.col.where"): [r.where for r in rows],
        t("roster.campaign.col.nights"): [f"{r.first_night:%m-%d} – {r.last_night:%m-%d}" for r in rows],
        t("roster.campaign.col.hours"): [r.hours for r in rows],
        t("roster.campaign.col.weekdays"): [_weekdays(r.weekdays) for r in rows],
        t("roster.campaign.col.required"): [" · ".join(f"{role_name(k)} {n}" for k, n in r.required.items())
                                             or t("roster.unlimited") for r in rows],
        t("roster.campaign.col.shifts"): [r.shifts for r in rows],
    })


def _form(actor: Actor, district_id: int, editing: CampaignRow | None) -> None:
    """One form for both: its key follows the campaign, so switching refills the fields."""
    places = roster_choices.campaign_places(session_factory=factory(), actor=actor, district_id=district_id)
    if not places:
        st.info(t("roster.campaign_needs_place"))
        return
    keyed = {f"{p.kind}:{p.id}": p for p in places}
    old = editing.plan if editing else None
    with st.form(f"roster_campaign_{editing.id if editing else 'new'}"):
        name = st.text_input(t("roster.campaign.name"), value=old.name if old else "", max_chars=120)
        current = _place_key(old) if old and _place_key(old) in keyed else next(iter(keyed))
        place = st.selectbox(t("roster.campaign.place"), list(keyed), index=list(keyed).index(current),
                             format_func=_place_labels(places).get)
        left, right = st.columns(2)
        first = left.date_input(t("roster.campaign.first"), value=old.first_night if old else date.today())
        last = right.date_input(t("roster.campaign.last"),
                                value=old.last_night if old else date.today() + timedelta(days=29))
        start = left.time_input(t("roster.campaign.start"), value=old.start_time if old else time(19), step=900)
        end = right.time_input(t("roster.campaign.end"), value=old.end_time if old else time(2), step=900)
        days = st.multiselect(t("roster.campaign.weekdays"), WEEK, default=list(old.weekdays or WEEK) if old else WEEK,
                              format_func=lambda d: t(f"roster.weekday.{d}"))
        kind = st.selectbox(t("roster.campaign.kind"), list(ShiftKind), format_func=vocab_label,
                            index=list(ShiftKind).index(old.kind) if old else 0)
        use_template = st.checkbox(t("roster.campaign.use_template"), value=old is None)
        required = _required_inputs(old.required if old else {})
        if st.form_submit_button(t("roster.campaign.save"), type="primary"):
            plan = CampaignPlan(name, first, last, start, end, weekdays=None if len(days) == 7 else tuple(days),
                                kind=kind, required=None if use_template and place.startswith("grid:") else required,
                                **_place_ids(keyed[place]))
            _save(actor, district_id, editing, plan)


def _required_inputs(current: dict[str, int]) -> dict[str, int]:
    """One count per role kind, five to a row."""
    st.caption(t("roster.campaign.required"))
    counts = {}
    roles = list(RoleKind)
    for start in range(0, len(roles), 5):
        for column, role in zip(st.columns(5), roles[start:start + 5]):
            counts[role.value] = int(column.number_input(role_name(role.value), min_value=0, max_value=99, step=1,
                                                         value=int(current.get(role.value, 0))))
    return {role: n for role, n in counts.items() if n > 0}


def _place_labels(places: list[roster_choices.PlaceChoice]) -> dict[str, str]:
    """Each place's option label, its kind's word looked up once: a big district has hundreds of places."""
    kinds = {kind: t(f"roster.place.{kind}") for kind in {p.kind for p in places}}
    return {f"{p.kind}:{p.id}": f"{kinds[p.kind]} · {p.name}" for p in places}


def _place_key(plan: CampaignPlan) -> str:
    if plan.duty_post_id:
        return f"post:{plan.duty_post_id}"
    return f"route:{plan.route_id}" if plan.route_id else f"grid:{plan.grid_id}"


def _place_ids(place: roster_choices.PlaceChoice) -> dict[str, int]:
    return {{"grid": "grid_id", "route": "route_id", "post": "duty_post_id"}[place.kind]: place.id}


def _save(actor: Actor, district_id: int, editing: CampaignRow | None, plan: CampaignPlan) -> None:
    try:
        if editing is None:
            made = campaigns.create_campaign(session_factory=factory(), actor=actor, district_id=district_id, plan=plan)
            say("campaign", "success", t("roster.campaign.created", added=made.added))
        else:
            change = campaigns.update_campaign(session_factory=factory(), actor=actor, campaign_id=editing.id,
                                               plan=plan)
            say("campaign", "success", t("roster.campaign.updated", added=change.added, changed=change.changed,
                                         removed=change.removed, kept=change.kept))
    except (RosterRefused, Forbidden) as refused:
        said("campaign", refused)
    st.rerun()
