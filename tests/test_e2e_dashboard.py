"""In a real browser at desktop size: /dashboard draws its charts with Chinese labels, and the brief downloads."""
from __future__ import annotations

import re

import pytest
from app_server import running_app
from conftest import ARTIFACTS
from test_e2e_home import SIZES, settle
from test_e2e_signin import sign_in_with_password

pytestmark = pytest.mark.e2e
CHART = "[data-testid=stVegaLiteChart]"


def test_the_dashboard_renders_in_chinese_and_the_brief_downloads(browser, seeded_sqlite_url, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(seeded_sqlite_url, tmp_path / "app.log") as base:
        page = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN", accept_downloads=True).new_page()
        sign_in_with_password(page, base, "demo-coordinator")
        page.goto(base + "/dashboard")
        settle(page)
        page.get_by_text("接报线索", exact=True).first.wait_for(timeout=30_000)
        assert page.locator("[data-testid=stMetric]").count() == 12
        assert page.get_by_text("同比 无数据").count() == 12  # the demo has no last year: "no data", never 0%
        page.screenshot(path=ARTIFACTS / "dashboard-desktop.png", full_page=True)

        page.get_by_role("tab", name="图表").click()
        settle(page)
        page.locator(f"{CHART} canvas, {CHART} svg").nth(3).wait_for(timeout=30_000)
        assert page.locator(CHART).count() >= 4
        # The charts' text is drawn in the CJK stack's first family, which this machine has: no tofu boxes.
        assert page.evaluate("() => document.fonts.check('12px \"Noto Sans CJK SC\"', '周一线索类别')")
        assert page.locator("[data-testid=stException]").count() == 0
        page.screenshot(path=ARTIFACTS / "dashboard-charts-desktop.png", full_page=True)

        page.get_by_role("tab", name="周报").click()
        settle(page)
        title = page.locator("h3", has_text="夜间巡防周报").first
        title.wait_for(timeout=30_000)
        district = re.sub(r"\s*夜间巡防周报.*", "", title.inner_text()).strip()
        first_line = page.locator("li", has_text="本周共接报线索").first.inner_text()
        with page.expect_download() as download:
            page.get_by_role("button", name=re.compile("下载可打印周报")).click()
        document = (tmp_path / "brief.html")
        download.value.save_as(document)
        html = document.read_text(encoding="utf-8")
        assert district and f"<h1>{district} 夜间巡防周报</h1>" in html
        assert first_line.strip() in html and "整改" in html and "<table>" in html
        assert "<script" not in html and "@media print" in html
