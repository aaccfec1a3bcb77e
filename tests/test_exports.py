"""A shown table as CSV and Excel: the same rows, labels and text a coordinator sees."""
from __future__ import annotations

import io
from datetime import datetime, timezone

import openpyxl
import pandas as pd

from nightwatch import exports


def _table() -> pd.DataFrame:
    return pd.DataFrame({"网格": ["东西巷一格", "=HYPERLINK(\"x\")"], "次数": [3, 12], "备注": ["-3 分钟", "+86 电话"],
                         "id": [1, 2]})


def test_csv_has_a_byte_order_mark_so_excel_reads_chinese_and_round_trips():
    data = exports.to_csv(_table().drop(columns=["id"]))
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == ["网格", "次数", "备注"]
    assert back["网格"][0] == "东西巷一格" and list(back["次数"]) == [3, 12]


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_defused_and_numbers_are_not():
    back = pd.read_csv(io.BytesIO(exports.to_csv(pd.DataFrame({"a": ["=1+1", "-3", "@x", "-5%", "ok"]}))),
                       encoding="utf-8-sig", dtype=str)
    assert list(back["a"]) == ["'=1+1", "-3", "'@x", "-5%", "ok"]


def test_xlsx_holds_the_same_cells_as_text_never_as_formulas():
    frame = _table()
    frame["时间"] = [datetime(2026, 11, 22, 14, 30, tzinfo=timezone.utc), None]
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(frame, sheet="巡逻/热力:图")))
    sheet = book.active
    assert sheet.title == "巡逻 热力 图"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("网格", "次数", "备注", "id", "时间")
    assert rows[1][:4] == ("东西巷一格", 3, "-3 分钟", 1)
    assert rows[2][0] == "=HYPERLINK(\"x\")" and sheet["A3"].data_type == "s"
    assert rows[1][4] == datetime(2026, 11, 22, 14, 30) and rows[2][4] is None
    assert sheet.freeze_panes == "A2"


def test_shown_frame_drops_hidden_columns_and_uses_the_shown_labels():
    shown = exports.shown_frame(_table(), {"id": None, "次数": {"label": "打卡次数"}, "备注": "说明", "absent": None})
    assert list(shown.columns) == ["网格", "打卡次数", "说明"]
    assert exports.shown_frame(_table()).equals(_table())
