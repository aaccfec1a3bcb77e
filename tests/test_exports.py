"""A shown table as CSV and Excel: the same rows, labels and text a coordinator sees, on the pages too."""
from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime, timezone

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import select
from streamlit.runtime.media_file_manager import MediaFileManager

from db.models import AuditEvent, District
from nightwatch import exports
from nightwatch.services import audit, setup
from nightwatch.ui.table import exported_frame
from test_pages import open_as
from test_roster_page import ADMIN, open_roster, two_overlapping_shifts


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



def test_a_shown_index_becomes_the_first_column_and_a_column_order_is_kept():
    board = pd.DataFrame({"11-22": ["3/4", "7/8"], "11-23": ["1/4", "8/8"]}, index=pd.Index(["一格", "合计"], name="网格"))
    shown = exports.shown_frame(board, hide_index=False, column_order=["11-23"])
    assert list(shown.columns) == ["网格", "11-23"] and list(shown["网格"]) == ["一格", "合计"]
    assert list(exports.shown_frame(board).columns) == ["11-22", "11-23"]  # a hidden index is not exported
    assert list(exports.shown_frame(board, hide_index=None).columns) == ["网格", "11-22", "11-23"]
    assert list(exports.shown_frame(board.reset_index(), hide_index=None).columns) == ["网格", "11-22", "11-23"]


def test_a_styled_table_exports_its_values_without_the_columns_it_hides():
    styled = _table().style.map(lambda v: "color: red").hide(["id"], axis="columns")
    shown = exported_frame(styled, {"次数": "打卡次数"}, {"hide_index": True})
    assert list(shown.columns) == ["网格", "打卡次数", "备注"] and list(shown["打卡次数"]) == [3, 12]

# --- On the pages: the files a button hands out hold exactly the table the page shows. ---------------------------
# A download button's file is built lazily (deferred) when clicked; AppTest never clicks it through the browser,
# so the test keeps each registered builder and runs it, as the server does on a click.


@pytest.fixture
def builders(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[Callable[[], bytes], str]]:
    """Every deferred download registered while the test runs: its builder and file name, by its file id."""
    kept: dict[str, tuple[Callable[[], bytes], str]] = {}
    register = MediaFileManager.add_deferred

    def keep(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        """Register as usual, and remember the builder."""
        file_id = register(self, data_callable, mimetype, coordinates, file_name, **kwargs)
        kept[file_id] = (data_callable, file_name or "")
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return kept


def as_text(frame: pd.DataFrame) -> list[list[str]]:
    """Header and rows as the text a person reads (a blank for nothing), to compare a table with a file."""
    cells = [["" if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)) else str(value)
              for value in row] for row in frame.itertuples(index=False)]
    return [[str(column) for column in frame.columns], *cells]


def downloaded(at, builders, key: str) -> tuple[pd.DataFrame, pd.DataFrame, bytes]:
    """The CSV and Excel files behind a table's two buttons (as frames), and the raw CSV bytes."""
    build_csv, csv_name = builders[at.download_button(key=f"export_csv_{key}").proto.deferred_file_id]
    build_xlsx, xlsx_name = builders[at.download_button(key=f"export_xlsx_{key}").proto.deferred_file_id]
    assert csv_name.endswith(".csv") and xlsx_name == csv_name.removesuffix(".csv") + ".xlsx"
    raw = build_csv()
    csv = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    sheet = openpyxl.load_workbook(io.BytesIO(build_xlsx())).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    return csv, pd.DataFrame(rows, columns=header), raw


def file_name(at, builders, key: str) -> str:
    """The name the CSV of a table downloads under."""
    return builders[at.download_button(key=f"export_csv_{key}").proto.deferred_file_id][1]


def assert_files_equal_the_table(at, builders, key: str, shown: pd.DataFrame) -> None:
    """Both files: the BOM, then the same headers and rows, in the same order, as the table in the page."""
    csv, xlsx, raw = downloaded(at, builders, key)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert as_text(csv) == as_text(shown)
    assert as_text(xlsx) == as_text(shown)


def some_audit_events(url: str | None = None) -> None:
    """Three edits in 东西巷 and one in 襄城区, the demo coordinator's two districts."""
    store = setup.open_store(url)
    with store.session_factory.begin() as session:
        districts = {name: id_ for name, id_ in session.execute(select(District.name, District.id))}
        for n, name in enumerate(["东西巷", "东西巷", "东西巷", "襄城区"]):
            audit.record(session, ADMIN, "person.edit", "person", n + 1, district_id=districts[name],
                         before={"name": f"旧名{n}"}, after={"name": f"新名{n}", "phone": "13800138000"})
    store.engine.dispose()


def test_the_audit_log_downloads_exactly_the_filtered_rows_shown(app_env, builders):
    some_audit_events()
    at = open_as("demo-coordinator", "pages/85_audit.py")
    everything = at.dataframe[0].value
    at.toggle[0].set_value(True).run()  # only the chosen district
    assert not at.exception
    shown = at.dataframe[0].value
    assert 0 < len(shown) < len(everything) and set(shown["片区"]) == {"东西巷"}
    assert_files_equal_the_table(at, builders, "audit", shown)
    assert file_name(at, builders, "audit").startswith("audit-")


def test_the_dispatch_report_downloads_the_grouping_chosen(app_env, builders):
    at = open_as("demo-coordinator", "pages/65_dispatch.py")
    at.segmented_control(key="report_by").set_value("category").run()
    assert not at.exception
    shown = next(d for d in at.dataframe if "线索数" in d.value.columns).value
    assert_files_equal_the_table(at, builders, "dispatch_report", shown)
    assert file_name(at, builders, "dispatch_report").startswith("response-times-by-category-")


def test_the_roster_night_downloads_the_nights_shifts_shown(app_env, builders):
    two_overlapping_shifts()
    at = open_roster()
    assert not at.exception
    shown = at.dataframe[0].value
    assert len(shown) == 2 and "人员" in shown.columns
    assert_files_equal_the_table(at, builders, "roster_night_table", shown)


def test_the_route_summary_file_carries_the_labels_and_columns_the_table_shows(app_env, builders):
    at = open_as("demo-coordinator", "pages/55_routes.py")
    assert not at.exception
    shown = at.dataframe[0].value
    assert "完成度" in shown.columns and len(shown) > 0
    assert_files_equal_the_table(at, builders, "routes_summary", shown)


def test_the_coverage_board_file_keeps_the_grid_names_the_table_shows_as_its_index(app_env, builders):
    at = open_as("demo-coordinator", "pages/50_coverage.py")
    board = at.dataframe[0].value
    csv, _, _ = downloaded(at, builders, "coverage_board")
    assert csv.columns[0] == board.index.name == "网格"
    assert list(csv.iloc[:, 0]) == [str(name) for name in board.index]
    assert as_text(csv.iloc[:, 1:]) == as_text(board)


def test_the_two_buttons_read_in_english_for_an_english_reader(app_env, builders):
    at = open_as("demo-coordinator", "pages/85_audit.py")
    at.session_state["lang"] = "en"
    at.run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Export CSV", "Export Excel"]


def test_the_people_tabs_excel_holds_the_same_audited_rows_as_its_csv(app_env, builders):
    at = open_as("demo-coordinator", "pages/30_people.py")
    editor = at.dataframe[0].value
    build_csv, _ = builders[at.download_button(key="people_export").proto.deferred_file_id]
    build_xlsx, xlsx_name = builders[at.download_button(key="people_export_xlsx").proto.deferred_file_id]
    csv = pd.read_csv(io.BytesIO(build_csv()), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    header, *rows = openpyxl.load_workbook(io.BytesIO(build_xlsx())).active.iter_rows(values_only=True)
    assert xlsx_name.startswith("people-") and xlsx_name.endswith(".xlsx")
    assert as_text(pd.DataFrame(rows, columns=header)) == as_text(csv)
    assert list(csv["姓名"]) == list(editor["name"]) and list(csv["手机"]) == list(editor["phone"])
    store = setup.open_store()
    with store.session_factory() as session:
        exported = session.scalars(select(AuditEvent.action).where(AuditEvent.action == "people.export")).all()
    store.engine.dispose()
    assert len(exported) == 2  # each file handed out is audited


def test_the_teams_editor_downloads_its_rows_under_the_shown_labels(app_env, builders):
    at = open_as("demo-coordinator", "pages/30_people.py")
    teams = at.dataframe[1].value
    csv, xlsx, _ = downloaded(at, builders, "teams")
    assert list(csv.columns) == ["队伍名称", "类型", "队长", "驻点纬度", "驻点经度", "换班需审批", "在岗", "在岗人数"]
    assert list(csv["队伍名称"]) == list(teams["name"]) and as_text(xlsx) == as_text(csv)
