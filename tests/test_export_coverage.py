"""No table can forget its export: every table is drawn by show_table, and every editable table offers a download."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HELPER = ROOT / "nightwatch" / "ui" / "table.py"
TABLES = {"dataframe", "table"}  # st.dataframe / st.table, or the same on a column or container
DOWNLOADS = {"download_buttons", "show_table", "download_button"}


def ui_sources() -> list[Path]:
    """Every file that draws something: the UI helpers and the pages."""
    return sorted([*ROOT.glob("nightwatch/ui/**/*.py"), *ROOT.glob("pages/*.py")])


def calls(source: str, *, methods_only: bool = False) -> list[tuple[str, int]]:
    """Each call's name (the attribute for `x.name(...)`) with its line, in source order."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                found.append((func.attr, node.lineno))
            elif isinstance(func, ast.Name) and not methods_only:
                found.append((func.id, node.lineno))
    return sorted(found, key=lambda item: item[1])


def bare_tables(source: str) -> list[int]:
    """Lines that draw a table without the export helper (a method call: st.table, not a helper named table)."""
    return [line for name, line in calls(source, methods_only=True) if name in TABLES]


def editors_without_download(source: str) -> list[int]:
    """Lines of st.data_editor calls with no download offered anywhere after them in the file."""
    found = calls(source)
    return [line for name, line in found if name == "data_editor"
            and not any(other in DOWNLOADS and later > line for other, later in found)]


def test_the_guard_catches_a_bare_table_and_an_editor_without_a_download():
    source = "import streamlit as st\nst.dataframe(df)\nleft.table(df)\nst.data_editor(df)\ntable(df)\n"
    assert bare_tables(source) == [2, 3]
    assert editors_without_download(source) == [4]
    assert editors_without_download(source + "download_buttons(df, name='x', key='x')\n") == []
    assert editors_without_download("download_buttons(df, name='x', key='x')\nst.data_editor(df)\n") == [2]


def test_the_pages_and_ui_helpers_are_scanned():
    names = {path.name for path in ui_sources()}
    assert {"85_audit.py", "roster_night.py", "people_table.py", "table.py"} <= names


@pytest.mark.parametrize("path", [p for p in ui_sources() if p != HELPER], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_table_is_drawn_with_its_csv_and_excel_downloads(path):
    source = path.read_text(encoding="utf-8")
    assert bare_tables(source) == [], f"{path.name}: draw tables with nightwatch.ui.table.show_table"
    assert editors_without_download(source) == [], f"{path.name}: offer download_buttons for the editor"
