"""Every table on every page: shown with st.dataframe, and downloadable as exactly what is shown."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from nightwatch import exports
from nightwatch.nights import DEFAULT_TIMEZONE
from nightwatch.ui.lang import current_language, speaking, t


def show_table(frame: pd.DataFrame | Styler, *, name: str, key: str | None = None,
               column_config: Mapping[str, Any] | None = None, on_export: Callable[[], None] | None = None,
               export: Callable[[], pd.DataFrame] | None = None, **options: Any) -> Any:
    """st.dataframe plus CSV (utf-8-sig) and Excel downloads of the same rows, columns and labels.

    `name` names the files (``hazards`` → ``hazards-20261122.csv``); `key` keeps widgets apart when one
    page shows the same kind of table twice. Files are built only when a button is clicked, and
    `on_export` runs then too (say, to audit an export of personal data). When the table shows only
    the first rows of a long list, `export` builds the whole list, with the same columns, for the files.
    """
    options.setdefault("hide_index", True)
    options.setdefault("width", "stretch")
    shown = st.dataframe(frame, key=key, column_config=column_config, **options)
    files = export or exported_frame(frame, column_config, options)
    empty = (frame.data if isinstance(frame, Styler) else frame).empty
    download_buttons(files, name=name, key=key or name, on_export=on_export, empty=empty)
    return shown


def exported_frame(frame: pd.DataFrame | Styler, column_config: Mapping[str, Any] | None,
                   options: Mapping[str, Any]) -> pd.DataFrame:
    """What st.dataframe draws of `frame` with these options, as a plain frame for the files."""
    data = frame.data if isinstance(frame, Styler) else frame
    if isinstance(frame, Styler) and frame.hidden_columns:
        data = data.drop(columns=data.columns[list(frame.hidden_columns)])
    return exports.shown_frame(data, column_config, hide_index=options.get("hide_index"),
                               column_order=options.get("column_order"))


def file_date() -> str:
    """Today as the coordinators' wall clock reads it (not the server's), for file names: 20261122."""
    return f"{datetime.now(ZoneInfo(DEFAULT_TIMEZONE)):%Y%m%d}"


def download_buttons(frame: pd.DataFrame | Callable[[], pd.DataFrame], *, name: str, key: str,
                     on_export: Callable[[], None] | None = None, empty: bool | None = None) -> None:
    """Two small buttons under a table, side by side even on a phone: CSV for Excel users, and an .xlsx workbook."""
    stem = f"{name}-{file_date()}"
    language = current_language()  # the server builds files after this run, where the session is out of reach

    def build(kind: str) -> Callable[[], bytes]:
        """A builder the server runs only when the button is clicked."""
        def render() -> bytes:
            """The file's bytes, after `on_export` (an audit, say), in the words of the page that offered it."""
            if on_export is not None:
                on_export()
            with speaking(language):
                rows = frame() if callable(frame) else frame
            return exports.to_csv(rows) if kind == "csv" else exports.to_xlsx(rows, sheet=name)
        return render

    nothing = frame.empty if empty is None else empty
    with st.container(horizontal=True, gap="small"):
        st.download_button(t("export.csv"), data=build("csv"), file_name=f"{stem}.csv", mime=exports.CSV_MIME,
                           icon=":material/download:", key=f"export_csv_{key}", on_click="ignore",
                           disabled=nothing, type="tertiary")
        st.download_button(t("export.xlsx"), data=build("xlsx"), file_name=f"{stem}.xlsx", mime=exports.XLSX_MIME,
                           icon=":material/table_view:", key=f"export_xlsx_{key}", on_click="ignore",
                           disabled=nothing, type="tertiary")
