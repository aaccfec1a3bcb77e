"""In a real browser: a volunteer reports a hazard, the coordinator verifies and assigns it, and the
volunteer passes the re-inspection booked on tonight's patrol (the demo books one there)."""
from __future__ import annotations

import pytest

from app_server import running_app
from conftest import ARTIFACTS
from test_e2e_home import SIZES, settle
from test_e2e_signin import sign_in_with_password
from test_e2e_tip_flow import choose_option

pytestmark = pytest.mark.e2e
WHERE = "东巷口配电箱旁"


def test_report_verify_assign_and_pass_the_reinspection(browser, seeded_sqlite_url, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(seeded_sqlite_url, tmp_path / "app.log") as base:
        phone = browser.new_context(viewport=SIZES["phone"], locale="zh-CN").new_page()
        sign_in_with_password(phone, base, "demo-volunteer")
        phone.goto(base + "/hazards")
        settle(phone)
        phone.locator("[data-testid=stExpander] summary", has_text="上报隐患").click()  # folded above the cards
        phone.get_by_label("位置说明").fill(WHERE)
        phone.get_by_label("隐患描述").fill("配电箱门坏了,电线外露")
        phone.get_by_label("隐患描述").blur()
        settle(phone)
        phone.get_by_role("button", name="上报", exact=True).click()
        phone.get_by_text("隐患已上报,等待核实").wait_for(timeout=30_000)

        desk = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN").new_page()
        sign_in_with_password(desk, base, "demo-coordinator")
        desk.goto(base + "/hazards")
        settle(desk)
        desk.locator("[data-testid=stDataFrame]").first.wait_for(timeout=30_000)
        # Type to filter: the list draws only its first options, and the seeded hazards may sort first.
        choose_option(desk, "查看隐患", WHERE)
        settle(desk)
        desk.get_by_role("button", name="核实").click()
        desk.get_by_text("已核实", exact=True).first.wait_for(timeout=30_000)
        settle(desk)
        desk.locator("[data-testid=stBaseButton-primary]", has_text="交办整改").click()
        desk.get_by_text("已交办", exact=True).first.wait_for(timeout=30_000)
        settle(desk)
        assert desk.locator("[data-testid=stException]").count() == 0
        desk.screenshot(path=ARTIFACTS / "hazards-desktop.png")

        phone.goto(base + "/my_tasks")
        settle(phone)
        phone.locator("h3", has_text="复查任务").wait_for(timeout=30_000)
        phone.get_by_role("button", name="复查通过").first.click()
        phone.get_by_text("复查通过,等待销号").wait_for(timeout=30_000)
        assert phone.locator("[data-testid=stException]").count() == 0
        phone.screenshot(path=ARTIFACTS / "reinspection-phone.png")
