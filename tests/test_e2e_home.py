"""In a real browser: the public home (sign-in) and about pages render Chinese, at phone and desktop size."""
from __future__ import annotations


import pytest

from app_server import running_app
from conftest import ARTIFACTS

pytestmark = pytest.mark.e2e
SIZES = {"desktop": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}
def settle(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector("[data-testid=stApp]", timeout=30_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=30_000
    )


@pytest.mark.parametrize("size", SIZES)
def test_the_public_pages_render_in_chinese(browser, seeded_sqlite_url, tmp_path, size):
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(seeded_sqlite_url, tmp_path / "app.log") as base:
        page = browser.new_context(viewport=SIZES[size], locale="zh-CN").new_page()
        page.goto(base + "/")
        settle(page)
        page.locator("h1", has_text="夜巡").wait_for(timeout=30_000)
        page.get_by_role("button", name="登录").wait_for(timeout=30_000)
        page.locator("input[type=password]").wait_for(timeout=30_000)
        assert page.locator("[data-testid=stDataFrame]").count() == 0  # nothing but the sign-in for the public
        assert page.locator("[data-testid=stException]").count() == 0
        page.screenshot(path=ARTIFACTS / f"home-{size}.png", full_page=True)

        page.goto(base + "/about")
        settle(page)
        page.locator("h3", has_text="取材的报道").wait_for(timeout=30_000)
        assert page.locator("[data-testid=stException]").count() == 0
        page.screenshot(path=ARTIFACTS / f"about-{size}.png", full_page=True)
