"""Reading and checking people spreadsheets (pure): encodings, headers, phones, roles, teams, duplicates."""
from __future__ import annotations

import openpyxl
import pytest

from nightwatch import i18n
from nightwatch.people_rows import (
    MAX_ROWS,
    RowsRefused,
    check_rows,
    normalise_phone,
    read_rows,
    role_of,
)
from nightwatch.vocab import RoleKind

TEAMS = {"红马甲一队", "义警巡逻队"}
GRIDS = {"1号网格", "2号网格"}
TAKEN = {"13900000001"}
HEADER = "姓名,手机,身份,队伍,技能,网格\n"


def preview_of(body: str, header: str = HEADER, encoding: str = "utf-8"):
    rows = read_rows((header + body).encode(encoding), "people.csv")
    return check_rows(rows, teams=TEAMS, grids=GRIDS, taken_phones=TAKEN)


@pytest.mark.parametrize("typed, phone", [
    ("13812345678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("138-1234-5678", "13812345678"),
    ("+86 138 1234 5678", "13812345678"),
    ("+86-13812345678", "13812345678"),
    ("008613812345678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),
    ("13812345678.0", "13812345678"),
])
def test_phone_forms_people_type_are_normalised(typed, phone):
    assert normalise_phone(typed) == phone


@pytest.mark.parametrize("text, role", [
    ("民警", RoleKind.OFFICER), ("辅警", RoleKind.AUXILIARY), ("网格员", RoleKind.GRID_WORKER),
    ("志愿者", RoleKind.VOLUNTEER), ("商户联防员", RoleKind.MERCHANT), ("党员", RoleKind.PARTY_MEMBER),
    ("officer", RoleKind.OFFICER), ("Grid worker", RoleKind.GRID_WORKER), (" 辅警 ", RoleKind.AUXILIARY),
    ("警察", None), ("", None),
])
def test_role_kinds_are_read_by_chinese_label_english_label_or_code(text, role):
    assert role_of(text) == role


@pytest.mark.parametrize("row, problem", [
    ("张三,13812345678,民警,红马甲一队,党员、志愿者,1号网格", None),
    ("张三,138 1234 5678,辅警,,,", None),
    ("张三,+86 138-1234-5678,志愿者,义警巡逻队,,", None),
    ("张三,1381234567,民警,,,", "people.import.bad_phone"),
    ("张三,12812345678,民警,,,", "people.import.bad_phone"),
    ("张三,138123456789,民警,,,", "people.import.bad_phone"),
    ("张三,010-12345678,民警,,,", "people.import.bad_phone"),
    ("张三,,民警,,,", "people.import.bad_phone"),
    ("张三,13812345678,警察,,,", "people.import.unknown_role"),
    ("张三,13812345678,民警,三队,,", "people.import.unknown_team"),
    ("张三,13812345678,民警,,,9号网格", "people.import.unknown_grid"),
    ("张三,13812345678,民警,,厨师,", "people.import.unknown_skill"),
    (",13812345678,民警,,,", "people.import.no_name"),
    ("张三,13900000001,民警,,,", "people.import.phone_taken"),
])
def test_each_row_is_checked(row, problem):
    (checked,) = preview_of(row + "\n").rows
    assert checked.line == 2
    assert [p.key for p in checked.problems] == ([problem] if problem else [])


def test_a_good_row_is_cleaned():
    (row,) = preview_of("张三,+86 138-1234-5678,民警,红马甲一队,党员、志愿者,1号网格\n").rows
    assert (row.name, row.phone, row.role_kind, row.skills, row.team, row.grid) == (
        "张三", "13812345678", RoleKind.OFFICER, (RoleKind.PARTY_MEMBER, RoleKind.VOLUNTEER), "红马甲一队", "1号网格")


def test_a_duplicate_inside_the_file_names_the_first_row_as_excel_numbers_it():
    preview = preview_of("张三,13812345678,民警,,,\n\n李四,138-1234-5678,辅警,,,\n")
    assert [r.line for r in preview.rows] == [2, 4]  # the blank line keeps its number
    assert preview.bad_lines == [4] and not preview.ok
    problem = preview.rows[1].problems[0]
    assert (problem.key, problem.values) == ("people.import.duplicate_in_file", {"row": 2})
    assert i18n.t(problem.key, **problem.values) == "手机号与第 2 行重复"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_chinese_csv_reads_in_every_encoding_excel_writes(encoding):
    preview = preview_of("王五,13812345678,网格员,义警巡逻队,,2号网格\n", encoding=encoding)
    assert preview.ok and preview.rows[0].name == "王五" and preview.rows[0].team == "义警巡逻队"


def test_english_headers_in_any_order_are_understood():
    preview = preview_of("Volunteer,13812345678,Ann\n", header="Role,Phone,Name\n")
    assert preview.ok and preview.rows[0].name == "Ann" and preview.rows[0].role_kind is RoleKind.VOLUNTEER


def test_an_xlsx_file_with_number_cells_is_read(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "电话", "身份", "队伍"])
    sheet.append(["赵六", 13812345678, "辅警", "红马甲一队"])
    sheet.append([])
    sheet.append(["钱七", "139 0000 0002", "志愿者", None])
    path = tmp_path / "people.xlsx"
    book.save(path)
    rows = read_rows(path.read_bytes(), "people.xlsx")
    preview = check_rows(rows, teams=TEAMS, grids=GRIDS, taken_phones=TAKEN)
    assert preview.ok
    assert [(r.line, r.name, r.phone) for r in preview.rows] == [(2, "赵六", "13812345678"), (4, "钱七", "13900000002")]


@pytest.mark.parametrize("data, filename, key", [
    (("姓名,手机,身份\n" + "张三,13812345678,民警\n" * (MAX_ROWS + 1)).encode(), "big.csv",
     "people.import.too_many_rows"),
    ("姓名,队伍\n张三,一队\n".encode(), "people.csv", "people.import.missing_columns"),
    ("姓名,手机,身份\n".encode(), "people.csv", "people.import.empty"),
    (b"", "people.csv", "people.import.unreadable"),
    (b"not a workbook", "people.xlsx", "people.import.unreadable"),
    ("姓名,手机,身份\n".encode(), "people.txt", "people.import.file_type"),
    (b"\xff\xfe\xfa\x00\x81", "people.csv", "people.import.encoding"),
])
def test_a_file_that_cannot_be_taken_is_refused_whole(data, filename, key):
    with pytest.raises(RowsRefused) as refused:
        read_rows(data, filename)
    assert refused.value.key == key
    assert i18n.t(key, **refused.value.values)
