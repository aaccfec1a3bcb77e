"""A shown table as a file: CSV that Excel opens in Chinese (utf-8-sig) and a real .xlsx workbook.

Pure: a DataFrame in, bytes out. The frame is exactly what the page shows (filters applied,
labels translated, personal data already masked); nothing here reads the database.
"""
from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

CSV_ENCODING = "utf-8-sig"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
# A cell starting with one of these is read as a formula by spreadsheet apps (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?%?$")
MAX_COLUMN_WIDTH = 60
SHEET_NAME_LIMIT = 31


def shown_frame(frame: pd.DataFrame, column_config: Mapping[str, Any] | None = None, *,
                hide_index: bool | None = True, column_order: Sequence[str] | None = None) -> pd.DataFrame:
    """The frame as the table shows it: index kept if shown, hidden columns dropped, shown labels and order.

    As st.dataframe does: `hide_index=None` shows any index but a plain 0, 1, 2 …, and `column_order` picks
    and orders the data columns but never moves or hides the index.
    """
    config = dict(column_config or {})
    if column_order is not None:
        frame = frame[[name for name in dict.fromkeys(column_order) if name in frame.columns]]
    if hide_index is None:
        hide_index = isinstance(frame.index, pd.RangeIndex)
    if not hide_index:
        frame = _index_as_columns(frame)
    hidden = [name for name, setting in config.items() if setting is None and name in frame.columns]
    shown = frame.drop(columns=hidden)
    labels = {name: _label_of(setting) for name, setting in config.items() if name in shown.columns}
    return shown.rename(columns={name: text for name, text in labels.items() if text})


def _index_as_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The index as leading column(s), as a table that shows its index draws it; unnamed levels get no header."""
    names = [name if name is not None else "" for name in frame.index.names]
    out = frame.copy()
    out.index = out.index.set_names(names)
    return out.reset_index()


def _label_of(setting: Any) -> str | None:
    """The label a column setting gives its column: a plain string, or a column config's "label"."""
    if isinstance(setting, str):
        return setting
    if isinstance(setting, Mapping):
        return setting.get("label")
    return None


def safe_cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe; anything else is kept."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes with a byte-order mark, so Excel on Windows reads the Chinese right."""
    safe = frame.map(safe_cell) if len(frame.columns) else frame
    # CRLF rows (as Excel writes them) make the csv writer quote a cell holding a lone CR, which
    # would otherwise start a new row whose next cell could be a live formula.
    return safe.to_csv(index=False, lineterminator="\r\n").encode(CSV_ENCODING)


def to_xlsx(frame: pd.DataFrame, sheet: str = "NightWatch") -> bytes:
    """An .xlsx workbook of one sheet: header row frozen, text kept as text, columns sized to fit."""
    book = Workbook()
    ws = book.active
    ws.title = _sheet_title(sheet)
    ws.append([str(column) for column in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([_xlsx_value(value) for value in row])
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            # openpyxl turns any string starting with "=" into a formula; a shown table holds text.
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    ws.freeze_panes = "A2"
    for index, column in enumerate(frame.columns, start=1):
        width = max([_width(column), *(_width(v) for v in frame.iloc[:, index - 1])], default=8)
        ws.column_dimensions[get_column_letter(index)].width = min(MAX_COLUMN_WIDTH, width + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(sheet: str) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", sheet).strip() or "NightWatch"
    return cleaned[:SHEET_NAME_LIMIT]


def _xlsx_value(value: object) -> object:
    """A cell value Excel can hold: no time zones, no NaN, lists and dicts as text."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, (str, int, float, bool, date)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def _width(value: object) -> int:
    """Display width of a value, counting a CJK character as two."""
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
