"""The people tab: filters, an editable table saved with one button, and CSV and Excel exports of what is shown."""
from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from nightwatch import exports
from nightwatch.access import Actor
from nightwatch.services import people, people_import
from nightwatch.services.people import PeopleFilter, PersonFields, PersonRow
from nightwatch.services.people_list import PeoplePage
from nightwatch.services.people_teams import TeamRow
from nightwatch.ui.lang import current_language, t, vocab_label
from nightwatch.ui.people_common import (
    REFUSALS,
    differing,
    factory,
    keep,
    refusal_text,
    renew,
    show_kept,
    version,
)
from nightwatch.ui.plain import plain_t
from nightwatch.ui.table import file_date
from nightwatch.vocab import RoleKind

ACTIVE_CHOICES = {"active": True, "inactive": False, "all": None}


def people_filters(teams: list[TeamRow]) -> PeopleFilter:
    """The filter row above the table."""
    team_col, role_col, active_col, text_col = st.columns([2, 2, 1, 2])
    team_names = {0: t("people.no_team"), **{team.id: team.name for team in teams}}
    team = team_col.selectbox(t("people.filter.team"), list(team_names), format_func=team_names.get, index=None,
                              placeholder=t("people.filter.all"), key="people_f_team")
    role = role_col.selectbox(t("people.filter.role"), list(RoleKind), format_func=vocab_label, index=None,
                              placeholder=t("people.filter.all"), key="people_f_role")
    active = active_col.selectbox(t("people.filter.active"), list(ACTIVE_CHOICES),
                                  format_func=lambda c: t(f"people.filter.active.{c}"), key="people_f_active")
    text = text_col.text_input(t("people.filter.text"), max_chars=40, key="people_f_text",
                               placeholder=t("people.filter.text_hint"))
    return PeopleFilter(team_id=team, role_kind=role, active=ACTIVE_CHOICES[active], text=text)


def _frame(rows: list[PersonRow]) -> pd.DataFrame:
    """The rows as the editor shows them, indexed by person id."""
    role = {kind: vocab_label(kind) for kind in RoleKind}  # once, not per row: a district has a thousand people
    return pd.DataFrame({
        "name": [r.name for r in rows],
        "phone": [r.phone for r in rows],
        "role": [role[r.role_kind] for r in rows],
        "skills": [[role[s] for s in r.skills] for r in rows],
        "team": [r.team for r in rows],
        "grid": [r.home_grid for r in rows],
        "active": [r.active for r in rows],
    }, index=pd.Index([r.id for r in rows], name="id"))


def _columns(teams: list[TeamRow], grids: dict[int, str]) -> dict[str, object]:
    roles = [vocab_label(r) for r in RoleKind]
    cc = st.column_config
    return {
        "name": cc.TextColumn(t("people.col.name"), required=True, max_chars=80),
        "phone": cc.TextColumn(t("people.col.phone"), required=True, max_chars=20),
        "role": cc.SelectboxColumn(t("people.col.role"), options=roles, required=True),
        "skills": cc.MultiselectColumn(t("people.col.skills"), options=roles),
        "team": cc.SelectboxColumn(t("people.col.team"), options=[tm.name for tm in teams if tm.active]),
        "grid": cc.SelectboxColumn(t("people.col.grid"), options=list(grids.values())),
        "active": cc.CheckboxColumn(t("people.col.active")),
    }


def _fields(row: pd.Series, role_of: dict[str, RoleKind], team_of: dict[str, int],
            grid_of: dict[str, int]) -> PersonFields:
    """An edited table row as the service takes it (labels back to codes, names back to ids)."""
    skills = row["skills"] if isinstance(row["skills"], list) else []
    return PersonFields(
        name=str(row["name"] or ""), phone=str(row["phone"] or ""),
        role_kind=role_of.get(row["role"], row["role"]),
        skills=tuple(role_of[s] for s in skills if s in role_of),
        team_id=team_of.get(row["team"]) if isinstance(row["team"], str) else None,
        home_grid_id=grid_of.get(row["grid"]) if isinstance(row["grid"], str) else None,
        active=bool(row["active"]),
    )


def _changes(before: pd.DataFrame, after: pd.DataFrame, teams: list[TeamRow], grids: dict[int, str],
             edited: list) -> dict[int, PersonFields]:
    """The rows the user changed, by person id; only the rows the editor records as edited are read back."""
    lookups = ({vocab_label(r): r for r in RoleKind}, {tm.name: tm.id for tm in teams},
               {name: grid_id for grid_id, name in grids.items()})
    changed = {}
    for person_id in edited:
        old, new = _fields(before.loc[person_id], *lookups), _fields(after.loc[person_id], *lookups)
        if old != new:
            changed[int(person_id)] = new
    return changed


def people_editor(actor: Actor, district_id: int, shown: PeoplePage, teams: list[TeamRow],
                  grids: dict[int, str]) -> None:
    """The editable table and its save button; a refused save keeps the edits and says which row and why."""
    show_kept("table")
    rows = shown.rows
    if not rows:
        st.info(t("people.none"))
        return
    before = _frame(rows)
    key = f"people_editor_{version('editor')}"
    after = st.data_editor(before, column_config=_columns(teams, grids), hide_index=True, num_rows="fixed",
                           width="stretch", key=key)
    changes = _changes(before, after, teams, grids, differing(before, key))
    count = (t("people.count_cut", shown=len(rows), total=shown.total) if shown.cut
             else t("people.count", shown=len(rows)))
    st.caption(count + (" · " + t("people.unsaved", count=len(changes)) if changes else ""))
    if st.button(t("people.save", count=len(changes)), type="primary", disabled=not changes, key="people_save"):
        try:
            saved = people.save_people(session_factory=factory(), actor=actor, district_id=district_id,
                                       changes=changes)
        except REFUSALS as refused:
            person = getattr(refused, "values", {}).get("person")
            text = refusal_text(refused)
            st.error(plain_t("people.save_refused", person=person, reason=text) if person else text)
            return
        renew("editor")
        keep("table", "success", t("people.saved", count=saved))
        st.rerun()


def export_button(actor: Actor, district_id: int, filters: PeopleFilter) -> None:
    """What the filters show, as CSV (it reads back in as an import) and .xlsx; built and audited when clicked."""
    lang, sessions = current_language(), factory()  # read now: the files are built after this run, outside it

    def csv() -> bytes:
        """The service's audited CSV of the filtered people."""
        return people_import.export_csv(session_factory=sessions, actor=actor, district_id=district_id,
                                        filters=filters, lang=lang)

    def xlsx() -> bytes:
        """The same file as a workbook."""
        # The same audited rows as the CSV; every cell read as text so phones keep their leading 0 or +.
        shown = pd.read_csv(io.BytesIO(csv()), encoding=exports.CSV_ENCODING, dtype=str, keep_default_na=False)
        return exports.to_xlsx(shown, sheet="people")

    stem = f"people-{file_date()}"
    with st.container(horizontal=True, gap="small"):
        st.download_button(t("people.export"), data=csv, file_name=f"{stem}.csv", mime=exports.CSV_MIME,
                           icon=":material/download:", key="people_export", on_click="ignore", type="tertiary")
        st.download_button(t("export.xlsx"), data=xlsx, file_name=f"{stem}.xlsx", mime=exports.XLSX_MIME,
                           icon=":material/table_view:", key="people_export_xlsx", on_click="ignore", type="tertiary")
