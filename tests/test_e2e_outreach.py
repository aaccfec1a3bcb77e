"""In a real browser on a phone: a volunteer logs an anti-fraud booth and sees it in the list and on the map."""
from __future__ import annotations

import pytest

from app_server import running_app
from conftest import ARTIFACTS
from test_e2e_home import SIZES, settle
from test_e2e_signin import sign_in_with_password

pytestmark = pytest.mark.e2e
TITLE = "E2E 夜市口反诈摊位"


def fill(page, label: str, value: str) -> None:
    """Type into the field with this label and leave it, as a thumb would; again if a rerun redrew it meanwhile."""
    field = page.get_by_label(label, exact=True)
    for _ in range(3):
        field.fill(value)
        field.press("Tab")
        settle(page)
        page.wait_for_timeout(300)
        if field.input_value() == value:
            return
    raise AssertionError(f"{label} did not keep {value!r}")


def test_a_volunteer_logs_a_booth_on_a_phone_and_finds_it_in_the_list_and_on_the_map(browser, seeded_sqlite_url,
                                                                                      tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(seeded_sqlite_url, tmp_path / "app.log", STREAMLIT_SERVER_FILE_WATCHER_TYPE="none") as base:
        page = browser.new_context(viewport=SIZES["phone"], locale="zh-CN").new_page()
        frames: list[bytes] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(
            f if isinstance(f, bytes) else f.encode())))
        sign_in_with_password(page, base, "demo-volunteer")
        page.goto(base + "/outreach")
        settle(page)
        page.get_by_role("button", name="保存活动").wait_for(timeout=30_000)
        page.wait_for_function("() => !document.querySelector('[data-testid*=Skeleton]')", timeout=30_000)
        fill(page, "活动名称", TITLE)
        fill(page, "覆盖人数", "150")
        fill(page, "推广App安装(国家反诈中心、守护家)", "30")
        fill(page, "扇子", "80")
        frames.clear()
        page.get_by_role("button", name="保存活动").click()
        settle(page)
        try:
            page.get_by_text(f"已记录:{TITLE}").wait_for(timeout=30_000)
        except Exception:
            page.screenshot(path=ARTIFACTS / "outreach-phone-failed.png", full_page=True)
            raise
        assert page.locator("[data-testid=stException]").count() == 0

        grid = page.locator("[data-testid=stDataFrame]").first
        grid.scroll_into_view_if_needed()
        assert TITLE.encode() in b"".join(frames)  # the list's rows came with the rerun
        chart = page.locator("[data-testid=stDeckGlJsonChart]")
        chart.locator("canvas").first.wait_for(timeout=30_000)
        deck = [f for f in frames if b"outreach_events" in f]
        assert deck and any(b"E2E" in f for f in deck), "the new booth is not among the map's events"
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(1500)
        page.screenshot(path=ARTIFACTS / "outreach-phone.png")
