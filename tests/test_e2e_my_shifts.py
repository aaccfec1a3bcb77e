"""In a real browser at phone size: the demo volunteer signs up for an open slot and sees it in My shifts."""
from __future__ import annotations

import pytest

from app_server import running_app
from conftest import ARTIFACTS
from test_e2e_home import SIZES, settle
from test_e2e_signin import sign_in_with_password

pytestmark = pytest.mark.e2e
# A card is a bordered container: a vertical block directly inside a layout wrapper.
CARD = "[data-testid=stLayoutWrapper] > [data-testid=stVerticalBlock]"


def test_a_volunteer_signs_up_for_an_open_slot_and_sees_it_among_their_shifts(browser, seeded_sqlite_url, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(seeded_sqlite_url, tmp_path / "app.log") as base:
        context = browser.new_context(viewport=SIZES["phone"], locale="zh-CN")
        page = context.new_page()
        sign_in_with_password(page, base, "demo-volunteer")
        page.goto(base + "/my_shifts")
        settle(page)
        page.locator("h3", has_text="过往班次").wait_for(timeout=30_000)  # the last section: the page is drawn
        settle(page)
        withdraw = page.get_by_role("button", name="退出", exact=True)
        held_before = withdraw.count()
        assert held_before > 0  # the demo volunteer holds coming shifts

        card = page.locator(CARD).filter(has_text="还缺").first  # a slot with a place, not a waitlist
        sign_up = card.get_by_role("button").filter(has_text="报名")
        where_when, night = [line for line in card.inner_text().splitlines() if line.strip()][:2]
        night = night.split(" · ")[0]  # 勤务日 2026-11-24(周二)
        sign_up.click()
        page.get_by_text("报名成功,已加入我的班次。").wait_for(timeout=30_000)
        settle(page)

        assert withdraw.count() == held_before + 1
        mine = page.locator(CARD).filter(has=page.get_by_role("button", name="退出", exact=True)).filter(
            has_text=night).filter(has_text=where_when.split(" · ")[0])
        assert mine.count() == 1
        assert page.locator("[data-testid=stException]").count() == 0
        mine.evaluate("card => card.scrollIntoView({block: 'center'})")
        page.screenshot(path=ARTIFACTS / "my-shifts-phone.png")
        context.close()
