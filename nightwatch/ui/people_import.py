"""The import tab: upload a CSV or Excel file, see every row checked, import all of it or nothing."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from nightwatch.access import Actor
from nightwatch.people_rows import MAX_MB, MAX_ROWS, Preview
from nightwatch.services import people_import
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.native_words import upload_field
from nightwatch.ui.people_common import (
    REFUSALS,
    factory,
    keep,
    refusal_text,
    renew,
    show_kept,
    version,
)
from nightwatch.ui.table import show_table


def preview_frame(preview: Preview) -> pd.DataFrame:
    """The checked rows as the preview table shows them, with the problems in words."""
    return pd.DataFrame({
        t("people.import.row"): [r.line for r in preview.rows],
        t("people.col.name"): [r.name for r in preview.rows],
        t("people.col.phone"): [r.phone for r in preview.rows],
        t("people.col.role"): [vocab_label(r.role_kind) if r.role_kind else "" for r in preview.rows],
        t("people.col.skills"): [t("list.separator").join(vocab_label(s) for s in r.skills) for r in preview.rows],
        t("people.col.team"): [r.team for r in preview.rows],
        t("people.col.grid"): [r.grid for r in preview.rows],
        t("people.import.problems"): ["；".join(t(p.key, **p.values) for p in r.problems) for r in preview.rows],
    })


def import_tab(actor: Actor, district_id: int) -> None:
    """Upload, preview, then one button that imports every row or nothing."""
    show_kept("import")
    st.caption(t("people.import.help", limit=MAX_ROWS))
    upload = upload_field(t("people.import.file"), types=["csv", "xlsx"], key=f"people_upload_{version('import')}",
                          max_mb=MAX_MB)
    if upload is None:
        return
    data = upload.getvalue()
    try:
        preview = people_import.preview_import(session_factory=factory(), actor=actor, district_id=district_id,
                                               data=data, filename=upload.name)
    except REFUSALS as refused:
        st.error(refusal_text(refused))
        return
    bad = len(preview.bad_lines)
    if bad:
        rows = t("list.separator").join(map(str, preview.bad_lines[:20]))
        st.error(t("people.import.has_errors", count=bad, rows=rows))
    show_table(preview_frame(preview), name="people-import-preview", key="people_import_preview")
    if st.button(t("people.import.go", count=len(preview.rows)), type="primary", disabled=not preview.ok,
                 key="people_import_go"):
        try:
            count = people_import.import_people(session_factory=factory(), actor=actor, district_id=district_id,
                                                data=data, filename=upload.name)
        except REFUSALS as refused:
            st.error(refusal_text(refused))
            return
        renew("import")
        renew("editor")
        keep("import", "success", t("people.import.done", count=count))
        st.rerun()
