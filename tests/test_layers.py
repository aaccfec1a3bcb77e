"""The import arrows of DESIGN.md §2 point only down: pages → ui → services → pure rules and db."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE_EXEMPT = {"services", "ui", "cli.py", "__main__.py", "i18n"}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, as dotted names (top-level and nested imports alike)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def files(*parts: str) -> list[Path]:
    base = ROOT.joinpath(*parts)
    return sorted(base.rglob("*.py")) if base.is_dir() else [base]


def starts(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def pure_modules() -> list[Path]:
    return [p for p in files("nightwatch") if p.relative_to(ROOT / "nightwatch").parts[0] not in PURE_EXEMPT]


RULES = [
    # (which files, what they must not import, why)
    (lambda: files("app.py") + files("pages"), ("db", "sqlalchemy"), "pages go through nightwatch.ui and services"),
    (lambda: files("nightwatch", "services"), ("streamlit", "nightwatch.ui"), "services know nothing of the UI"),
    (lambda: files("db"), ("streamlit", "nightwatch.ui", "nightwatch.services"), "db is the bottom layer"),
    (pure_modules, ("streamlit", "sqlalchemy", "db", "nightwatch.services", "nightwatch.ui"), "pure rules do no I/O"),
    (lambda: files("nightwatch", "i18n"), ("streamlit", "sqlalchemy", "db"), "the catalog is pure"),
]


@pytest.mark.parametrize("select, forbidden, why", RULES, ids=[r[2] for r in RULES])
def test_imports_point_only_down(select, forbidden, why):
    offenders = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in select()
        for name in imported_modules(path)
        if starts(name, *forbidden)
    }
    assert not offenders, f"{why}: " + "; ".join(sorted(offenders))


def test_streamlit_is_imported_only_in_the_ui_layer_and_pages():
    allowed = set(files("nightwatch", "ui")) | set(files("app.py")) | set(files("pages"))
    offenders = [
        str(path.relative_to(ROOT))
        for path in files("nightwatch") + files("db")
        if path not in allowed and any(starts(n, "streamlit") for n in imported_modules(path))
    ]
    assert not offenders


def test_the_rules_see_real_files():
    # Guards the guard: an empty selection would pass every rule above.
    assert files("pages") and files("nightwatch", "services") and files("db") and pure_modules()
