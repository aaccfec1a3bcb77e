"""Hostile spreadsheets: import cells and file names through the people import, and exports made inert.

Import: a CSV and an .xlsx whose name cells are the corpus; each row is accepted with the name read
back exactly as nightwatch.text normalises it, or refused with a catalog key, the same on SQLite
and PostgreSQL. Exports: every formula-looking corpus string leaves as inert text (CSV cells start
with an apostrophe, .xlsx cells are strings, never formulas).
"""
from __future__ import annotations

import csv
import io

import hostile_bench
import pandas as pd
import pytest
from hostile import CORPUS, by_category
from hostile_bench import Bench, check_field, report, strings
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select

from db.models import Person
from nightwatch import exports, i18n
from nightwatch.services import people, people_import
from nightwatch.text import clean_text
from nightwatch.vocab import RoleKind

pytestmark = pytest.mark.reliability
benches = hostile_bench.benches  # the session's benches: one world per database
VOLUNTEER = i18n.label(RoleKind.VOLUNTEER, "zh-CN")
# What a spreadsheet app runs as a formula when a text cell starts with it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _formula_like() -> list[str]:
    """Every corpus string a spreadsheet could take for a formula."""
    return [entry.text for entry in CORPUS if entry.text.startswith(FORMULA_START)] + \
        [entry.text for entry in by_category("formula")]


def _xml_text(text: str) -> str:
    """Text as an XML file holds it: every CR read back as LF (XML's own line-end rule)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _csv_bytes(rows: list[tuple[str, str]]) -> bytes:
    """A people CSV (Chinese headers) of (name, phone) rows, as Excel saves it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["姓名", "手机", "身份"])
    writer.writerows([name, phone, VOLUNTEER] for name, phone in rows)
    # A lone surrogate leaves as the bytes a broken editor writes: the file is then not UTF-8 at all.
    return buffer.getvalue().encode("utf-8-sig", errors="surrogatepass")


def _xlsx_bytes(rows: list[tuple[str, str]]) -> bytes:
    """The same as an .xlsx; a cell starting with "=" is written as a formula, as a hostile file would."""
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "手机", "身份"])
    for name, phone in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", name), phone, VOLUNTEER])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class _Whatever:
    """Equal to anything: what a file that is not UTF-8 reads as (it is read as GB18030) is not asserted."""

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = None  # type: ignore[assignment]


def _csv_as_typed(value: str) -> object:
    """A name cell reads back normalised; a file made invalid UTF-8 only has to be handled the same on both."""
    return _Whatever() if any("\ud800" <= ch <= "\udfff" for ch in value) else clean_text(value)


def _import_one(bench: Bench, data: bytes, filename: str) -> object:
    """Import a file of one person; their name read back (the file is refused as a whole or stored)."""
    people_import.import_people(session_factory=bench.factory, actor=bench.coordinator, district_id=bench.district,
                                data=data, filename=filename)
    phone = people_import.people_rows.read_rows(data, filename)[0][1]["phone"]
    with bench.factory() as session:
        return session.scalar(select(Person.name).where(Person.phone == phone))


def _cell(kind: str):
    """Store one hostile name cell by importing a one-row file of this kind."""
    def store(bench: Bench, value: str, index: int) -> object:
        phone = f"1{'5' if kind == 'csv' else '6'}60000{index:04d}"
        data = (_csv_bytes if kind == "csv" else _xlsx_bytes)([(value, phone)])
        return _import_one(bench, data, f"名单.{kind}")
    return store


def _file_name(bench: Bench, value: str, index: int) -> object:
    """Import a valid one-row CSV under a hostile file name (with .csv added, so the type is known)."""
    return _import_one(bench, _csv_bytes([(f"文件名测试{index}", f"1770000{index:04d}")]), value + ".csv")


def test_a_hostile_csv_cell_is_imported_as_typed_or_refused_alike(benches, scorecard):
    failures = check_field(benches, "import CSV name cell", [e.text for e in strings(scorecard)], _cell("csv"),
                           _csv_as_typed)
    assert not failures, report(failures)


def test_a_hostile_xlsx_cell_is_imported_as_written_or_refused_alike(benches, scorecard):
    # openpyxl cannot write control characters; a formula cell has no value to import (refused: no name).
    failures = check_field(benches, "import .xlsx name cell", [e.text for e in strings(scorecard)], _cell("xlsx"),
                           lambda v: clean_text(ILLEGAL_CHARACTERS_RE.sub("", v)))
    assert not failures, report(failures)


def test_a_hostile_import_file_name_never_breaks_the_import(benches, scorecard):
    names = [e.text for e in strings(scorecard)] + [e.text for e in by_category("filename")][:scorecard.scale(99, 8)]
    failures = check_field(benches, "import file name", dict.fromkeys(names), _file_name, None)
    assert not failures, report(failures)


def test_the_shown_table_exports_turn_formulas_into_text(scorecard):
    texts = _formula_like()
    frame = pd.DataFrame({"名称": texts, "备注": list(reversed(texts))}, dtype=object)
    rows = list(csv.reader(io.StringIO(exports.to_csv(frame).decode("utf-8-sig"), newline="")))[1:]
    live_csv = [cell for row in rows for cell in row if cell.startswith(FORMULA_START)
                and not exports.PLAIN_NUMBER.match(cell)]
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(frame))).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    live_xlsx = [cell.value for cell in cells if cell.data_type != "s"]
    typed = [text for pair in zip(texts, reversed(texts), strict=True) for text in pair]
    changed = [(cell.value, text) for cell, text in zip(cells, typed, strict=True) if cell.value != _xml_text(text)]
    total = 2 * len(texts)  # cells in each file
    scorecard.record("hostile input", "formula-looking cells left inert (shown-table CSV; .xlsx)",
                     f"{total - len(live_csv)} of {total}; {total - len(live_xlsx)} of {total}", "all")
    assert not live_csv, f"CSV cells a spreadsheet would run: {live_csv}"
    assert not live_xlsx, f".xlsx cells that are not text: {live_xlsx}"
    assert not changed, f".xlsx cells that do not read back as typed: {changed}"


def test_the_people_export_turns_formula_names_into_text(benches, scorecard):
    bench = benches["sqlite"]
    names = [clean_text(text) for text in dict.fromkeys(_formula_like()) if clean_text(text)]
    for index, name in enumerate(names):
        people.add_person(session_factory=bench.factory, actor=bench.coordinator, district_id=bench.district,
                          fields=people.PersonFields(name=name[:80], phone=f"1880000{index:04d}",
                                                     role_kind=RoleKind.VOLUNTEER))
    data = people_import.export_csv(session_factory=bench.factory, actor=bench.coordinator,
                                    district_id=bench.district, filters=people.PeopleFilter())
    exported = [row[0] for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))][1:]
    cells = [cell for cell in exported if cell.removeprefix("'") in {name[:80] for name in names}]
    live = [cell for cell in cells if cell.startswith(FORMULA_START) and not exports.PLAIN_NUMBER.match(cell)]
    scorecard.record("hostile input", "formula-looking names left inert (people export CSV)",
                     f"{len(cells) - len(live)} of {len(cells)}", "all")
    assert not live, f"people export cells a spreadsheet would run: {live}"
    # The export reads back in: an apostrophe-led name is still the same person's name after the quote.
    assert {cell.removeprefix("'") for cell in cells} >= {name[:80] for name in names}

