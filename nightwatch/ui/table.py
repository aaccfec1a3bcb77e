"""Every table on every page: shown with st.dataframe, and downloadable as exactly what is shown."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from nightwatch import exports
from nightwatch.ui.lang import t


def show_table(frame: pd.DataFrame | Styler, *, name: str, key: str | None = None,
               column_config: Mapping[str, Any] | None = None, on_export: Callable[[], None] | None = None,
               **options: Any) -> Any:
    """st.dataframe plus CSV (utf-8-sig) and Excel downloads of the same rows, columns and labels.

    `name` names the files (``hazards`` → ``hazards-20261122.csv``); `key` keeps widgets apart when one
    page shows the same kind of table twice. Files are built only when a button is clicked, and
    `on_export` runs then too (say, to audit an export of personal data).
    """
    options.setdefault("hide_index", True)
    options.setdefault("width", "stretch")
    shown = st.dataframe(frame, key=key, column_config=column_config, **options)
    data = frame.data if isinstance(frame, Styler) else frame
    download_buttons(exports.shown_frame(data, column_config), name=name, key=key or name, on_export=on_export)
    return shown


def download_buttons(frame: pd.DataFrame, *, name: str, key: str, on_export: Callable[[], None] | None = None) -> None:
    """Two small buttons under a table: CSV for Excel users, and an .xlsx workbook."""
    stem = f"{name}-{date.today():%Y%m%d}"

    def build(kind: str) -> Callable[[], bytes]:
        def render() -> bytes:
            if on_export is not None:
                on_export()
            return exports.to_csv(frame) if kind == "csv" else exports.to_xlsx(frame, sheet=name)
        return render

    left, right, _ = st.columns([1, 1, 4])
    left.download_button(t("export.csv"), data=build("csv"), file_name=f"{stem}.csv", mime=exports.CSV_MIME,
                         icon=":material/download:", key=f"export_csv_{key}", on_click="ignore", disabled=frame.empty)
    right.download_button(t("export.xlsx"), data=build("xlsx"), file_name=f"{stem}.xlsx", mime=exports.XLSX_MIME,
                          icon=":material/table_view:", key=f"export_xlsx_{key}", on_click="ignore",
                          disabled=frame.empty)
