"""The pages run under AppTest on a seeded database and show what the database holds."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["app.py", *sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))]


def run(page: str = "app.py") -> AppTest:
    """Open the app at its entry script, then at `page`, as a browser following the menu would."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    if page != "app.py":
        at.switch_page(page).run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_an_exception(app_env, page):
    assert not run(page).exception


def test_home_shows_the_seeded_districts_and_tonights_figures(app_env):
    at = run()
    table = at.dataframe[0].value
    assert {("桂林", "东西巷"), ("襄阳", "襄城区"), ("南昌", "西湖区"), ("无锡", "梁溪区")} <= set(
        zip(table["城市"], table["片区"])
    )
    assert table["今夜班次"].sum() > 0 and table["未结线索"].sum() > 0
    assert [m.label for m in at.metric][:1] == ["片区"]


def test_home_reads_in_english_after_switching_language(app_env):
    at = run()
    at.session_state["lang"] = "en"
    at.run()
    assert at.title[0].value.endswith("Tonight at a glance")
    assert "District" in at.dataframe[0].value.columns


def test_about_counts_the_demo_rows(app_env):
    at = run("pages/90_about.py")
    text = " ".join(m.value for m in at.markdown)
    assert "微网格" in text and "行" in text
