"""The teams tab: an editable table of the district's teams and a form for a new one."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from nightwatch import exports
from nightwatch.access import Actor
from nightwatch.services import people_list, people_teams
from nightwatch.services.people_teams import TeamFields, TeamRow
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.people_common import (
    REFUSALS,
    differing,
    factory,
    keep,
    refusal_text,
    renew,
    save_then_rerun,
    show_kept,
    version,
)
from nightwatch.ui.plain import plain_t
from nightwatch.ui.table import download_buttons
from nightwatch.vocab import TeamType


def _leader_names(actor: Actor, district_id: int, teams: list[TeamRow]) -> dict[int, str]:
    """Leader choices: the current leaders and the active people a search finds (a district has a thousand).

    Names can repeat, so the label carries the team.
    """
    text = st.text_input(t("people.team.leader_search"), max_chars=40, key="teams_leader_q",
                         placeholder=t("people.filter.text_hint"), help=t("people.team.leader_search_help",
                                                                          count=people_list.CHOICES))
    current = frozenset(tm.leader_id for tm in teams if tm.leader_id is not None)
    found = people_list.leader_choices(session_factory=factory(), actor=actor, district_id=district_id, text=text,
                                       keep=current)
    return {p.id: f"{p.name} · {p.team or t('people.no_team')}" for p in found}


def _frame(teams: list[TeamRow], leaders: dict[int, str]) -> pd.DataFrame:
    return pd.DataFrame({
        "name": [tm.name for tm in teams],
        "type": [vocab_label(tm.team_type) for tm in teams],
        "leader": [leaders.get(tm.leader_id) for tm in teams],
        "lat": [tm.base_lat for tm in teams],
        "lon": [tm.base_lon for tm in teams],
        "swap": [tm.swap_needs_approval for tm in teams],
        "active": [tm.active for tm in teams],
        "members": [tm.members for tm in teams],
    }, index=pd.Index([tm.id for tm in teams], name="id"))


def _number(value: object) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _fields(row: pd.Series, type_of: dict[str, TeamType], leader_of: dict[str, int], was: int | None) -> TeamFields:
    # A leader picked before a new search dropped them from the choices is not read as "no leader".
    leader = leader_of.get(row["leader"], was) if isinstance(row["leader"], str) else None
    return TeamFields(name=str(row["name"] or ""), team_type=type_of.get(row["type"], row["type"]),
                      leader_id=leader,
                      base_lat=_number(row["lat"]), base_lon=_number(row["lon"]),
                      swap_needs_approval=bool(row["swap"]), active=bool(row["active"]))


def teams_tab(actor: Actor, district_id: int, teams: list[TeamRow]) -> None:
    """The district's teams, edited in place and saved with one button."""
    show_kept("teams")
    leaders = _leader_names(actor, district_id, teams)
    if teams:
        cc = st.column_config
        before = _frame(teams, leaders)
        columns = {
            "name": cc.TextColumn(t("people.team.name"), required=True, max_chars=120),
            "type": cc.SelectboxColumn(t("people.team.type"), options=[vocab_label(tt) for tt in TeamType],
                                       required=True),
            "leader": cc.SelectboxColumn(t("people.team.leader"), options=list(leaders.values())),
            "lat": cc.NumberColumn(t("people.team.lat"), min_value=-90, max_value=90, format="%.6f"),
            "lon": cc.NumberColumn(t("people.team.lon"), min_value=-180, max_value=180, format="%.6f"),
            "swap": cc.CheckboxColumn(t("people.team.swap"), help=t("people.team.swap_help")),
            "active": cc.CheckboxColumn(t("people.col.active")),
            "members": cc.NumberColumn(t("people.team.members")),
        }
        key = f"teams_editor_{version('teams')}"
        after = st.data_editor(before, hide_index=True, num_rows="fixed", width="stretch", key=key,
                               disabled=["members"], column_config=columns)
        download_buttons(exports.shown_frame(after, columns), name="teams", key="teams")
        lookups = ({vocab_label(tt): tt for tt in TeamType}, {label: i for i, label in leaders.items()})
        was = {tm.id: tm.leader_id for tm in teams}
        changes = {int(i): new for i in differing(before, key)
                   if (new := _fields(after.loc[i], *lookups, was[i])) != _fields(before.loc[i], *lookups, was[i])}
        if st.button(t("people.save", count=len(changes)), type="primary", disabled=not changes, key="teams_save"):
            try:
                saved = people_teams.save_teams(session_factory=factory(), actor=actor, district_id=district_id,
                                                changes=changes)
            except REFUSALS as refused:
                team = getattr(refused, "values", {}).get("team")
                st.error(plain_t("people.team_refused", team=team, reason=refusal_text(refused)) if team
                         else refusal_text(refused))
            else:
                renew("teams")
                keep("teams", "success", t("people.saved", count=saved))
                st.rerun()
    else:
        st.info(t("people.no_teams"))
    st.subheader(t("people.team.new"))
    _new_team_form(actor, district_id, leaders)


def _new_team_form(actor: Actor, district_id: int, leaders: dict[int, str]) -> None:
    show_kept("team_new")
    with st.form(f"team_new_{version('team_new')}", clear_on_submit=False):
        left, right = st.columns(2)
        name = left.text_input(t("people.team.name"), max_chars=120)
        team_type = right.selectbox(t("people.team.type"), list(TeamType), format_func=vocab_label)
        leader = left.selectbox(t("people.team.leader"), list(leaders), format_func=leaders.get, index=None,
                                placeholder=t("people.team.no_leader"))
        swap = right.checkbox(t("people.team.swap"), value=True, help=t("people.team.swap_help"))
        lat = left.number_input(t("people.team.lat"), min_value=-90.0, max_value=90.0, value=None, format="%.6f")
        lon = right.number_input(t("people.team.lon"), min_value=-180.0, max_value=180.0, value=None, format="%.6f")
        submitted = st.form_submit_button(t("people.team.create"), type="primary")
    if submitted:
        fields = TeamFields(name=name, team_type=team_type, leader_id=leader, base_lat=lat, base_lon=lon,
                            swap_needs_approval=swap)
        save_then_rerun(
            lambda: people_teams.create_team(session_factory=factory(), actor=actor, district_id=district_id,
                                             fields=fields),
            fresh=("team_new", "teams"), scope="team_new", done=plain_t("people.team.created", team=name.strip()))
