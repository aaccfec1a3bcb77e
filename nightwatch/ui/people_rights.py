"""A person's rights on the people page: export their data for them, or erase it on request (coordinators)."""
from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from nightwatch.access import Actor, Forbidden
from nightwatch.config import Settings
from nightwatch.retention import REDACTED
from nightwatch.services.people import PersonRow
from nightwatch.services.person_erasure import erase_person
from nightwatch.services.person_rights import PersonMissing, export_person
from nightwatch.ui.lang import t
from nightwatch.ui.people_common import factory, keep, renew, show_kept, version
from nightwatch.ui.plain import plain_t
from nightwatch.ui.store import store

READY_KEY = "_rights_export"


def _refusal(error: Exception) -> str:
    """A refusal in the viewer's words."""
    return t(getattr(error, "key", "rights.failed"))


def rights_panel(actor: Actor, district_id: int, rows: list[PersonRow]) -> None:
    """Pick a person of the table, then export their data as a ZIP or erase it after typing their name."""
    show_kept("rights")
    st.caption(t("rights.intro"))
    names = {row.id: f"{row.name} · {row.team or t('people.no_team')}" for row in rows if row.name != REDACTED}
    if not names:
        return
    person_id = st.selectbox(t("rights.pick"), list(names), format_func=names.get, index=None,
                             placeholder=t("people.pick_placeholder"), key=f"rights_pick_{version('rights')}")
    if person_id is None:
        return
    name = next(row.name for row in rows if row.id == person_id)
    export_column, erase_column = st.columns(2, gap="large")
    with export_column:
        _export_part(actor, person_id, name)
    with erase_column:
        _erase_part(actor, person_id, name)


def _export_part(actor: Actor, person_id: int, name: str) -> None:
    """Prepare the export once (each one is audited), then offer it for download."""
    st.subheader(t("rights.export_title"), divider="gray")
    st.caption(t("rights.export_help"))
    ready = st.session_state.get(READY_KEY)
    if ready and ready[0] == person_id:
        st.success(t("rights.prepared", rows=ready[2], photos=ready[3]), icon=":material/check_circle:")
        st.download_button(plain_t("rights.download", name=name), data=ready[1], file_name=f"person-{person_id}.zip",
                           mime="application/zip", icon=":material/download:", key="rights_download")
        return
    if st.button(t("rights.prepare"), icon=":material/folder_zip:", key="rights_prepare"):
        try:
            export = export_person(session_factory=factory(), actor=actor, person_id=person_id,
                                   now=datetime.now(timezone.utc), upload_dir=Settings.from_env().upload_dir)
        except (Forbidden, PersonMissing) as refused:
            st.error(_refusal(refused))
            return
        rows = sum(len(rows) for rows in export.sections.values() if isinstance(rows, list)) + 1
        st.session_state[READY_KEY] = (person_id, export.as_zip(), rows, len(export.photos))
        st.rerun()


def _erase_part(actor: Actor, person_id: int, name: str) -> None:
    """Erase after the coordinator types the person's name exactly."""
    st.subheader(t("rights.erase_title"), divider="red")
    st.warning(t("rights.erase_warning"), icon=":material/warning:")
    typed = st.text_input(plain_t("rights.confirm", name=name), key=f"rights_confirm_{person_id}", max_chars=80)
    if st.button(t("rights.erase"), type="primary", icon=":material/delete_forever:",
                 disabled=typed.strip() != name.strip(), key="rights_erase"):
        try:
            counts = erase_person(session_factory=store().session_factory, actor=actor, person_id=person_id,
                                  now=datetime.now(timezone.utc), upload_dir=Settings.from_env().upload_dir)
        except (Forbidden, PersonMissing) as refused:
            st.error(_refusal(refused))
            return
        st.session_state.pop(READY_KEY, None)
        renew("rights")  # a fresh picker: the erased person is no longer on its list
        keep("rights", "success", t("rights.erased", **counts.as_dict()))
        st.rerun()
