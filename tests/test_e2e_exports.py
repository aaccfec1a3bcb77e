"""In Chromium: a filtered table's 导出 CSV and 导出 Excel files hold exactly the headers and rows on screen."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd

from app_server import running_app
from test_e2e_home import SIZES, settle
from test_e2e_signin import sign_in_with_password
from test_exports import some_audit_events

BOM = b"\xef\xbb\xbf"


def table_on_screen(page, rows: int) -> list[list[str]]:
    """The first table's header and rows, read from the grid's cells once it shows `rows` rows."""
    grid = page.locator("[data-testid=stDataFrame]").first
    header = grid.locator("th")
    header.first.wait_for(state="attached", timeout=30_000)
    columns = header.count()
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=stDataFrame] td[role=gridcell]').length === n",
        arg=rows * columns, timeout=30_000)
    cells = grid.locator("td[role=gridcell]").all_inner_texts()
    return [header.all_inner_texts(), *(cells[i:i + columns] for i in range(0, len(cells), columns))]


def download(page, label: str) -> tuple[str, bytes]:
    """Click a download button under the table; the file's suggested name and its bytes."""
    with page.expect_download(timeout=30_000) as caught:
        page.get_by_role("button", name=label).first.click()
    done = caught.value
    return done.suggested_filename, Path(done.path()).read_bytes()


def as_rows(frame: pd.DataFrame) -> list[list[str]]:
    """Header and rows as text, a blank for an empty cell."""
    cells = [["" if value is None else str(value) for value in row] for row in frame.itertuples(index=False)]
    return [[str(column) for column in frame.columns], *cells]


def test_the_audit_logs_two_files_equal_the_filtered_table_on_screen(browser, seeded_sqlite_url, tmp_path):
    some_audit_events(seeded_sqlite_url)
    with running_app(seeded_sqlite_url, tmp_path / "app.log") as base:
        context = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN", accept_downloads=True)
        page = context.new_page()
        sign_in_with_password(page, base, "demo-coordinator")
        page.goto(base + "/audit")
        settle(page)
        page.get_by_text("只看当前片区").click()  # the filter: only the district chosen in the sidebar
        settle(page)
        shown = table_on_screen(page, rows=3)
        assert shown[0] == ["时间", "操作人", "操作", "对象", "片区", "之前", "之后"]
        assert {row[4] for row in shown[1:]} == {"东西巷"}

        name, data = download(page, "导出 CSV")
        assert name.startswith("audit-") and name.endswith(".csv")
        assert data.startswith(BOM)
        assert as_rows(pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)) == shown

        name, data = download(page, "导出 Excel")
        assert name.startswith("audit-") and name.endswith(".xlsx")
        header, *rows = openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)
        assert as_rows(pd.DataFrame(rows, columns=header)) == shown
        assert not page.locator("[data-testid=stException]").count()
        context.close()
