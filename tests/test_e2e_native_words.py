"""In a real browser, on a phone: Streamlit's own English under fields and on file fields reads in Chinese."""
from __future__ import annotations

import pytest

from app_server import running_app
from test_e2e_home import SIZES, settle
from test_e2e_signin import sign_in_form_shown, sign_in_with_password

pytestmark = pytest.mark.e2e
SHOWN_AFTER = "e => getComputedStyle(e, '::after').content"
SHOWN_BEFORE = "e => getComputedStyle(e, '::before').content"
TEXT_SIZE = "e => getComputedStyle(e).fontSize"


def test_a_merchant_types_and_attaches_a_photo_with_chinese_hints(browser, seeded_sqlite_url, tmp_path):
    with running_app(seeded_sqlite_url, tmp_path / "app.log") as base:
        page = browser.new_context(viewport=SIZES["phone"], locale="zh-CN").new_page()
        page.goto(base + "/")
        sign_in_form_shown(page)
        page.get_by_label("账号", exact=True).fill("demo-merchant")
        hint = page.locator("[data-testid=InputInstructions]").first
        hint.wait_for()
        assert hint.evaluate(SHOWN_BEFORE) == '"按回车键提交"'
        assert hint.locator("span", has_text="Press Enter").is_hidden()

        sign_in_with_password(page, base, "demo-merchant")
        page.goto(base + "/tip")
        settle(page)
        button = page.locator("[data-testid=stFileUploaderDropzone] button p").first
        button.wait_for()
        assert button.evaluate(SHOWN_AFTER) == '"上传"' and button.evaluate(TEXT_SIZE) == "0px"
        limits = page.locator("[data-testid=stFileUploaderDropzoneInstructions] span").first
        assert limits.evaluate(SHOWN_AFTER) == '"每个文件不超过 5 MB · JPG、PNG、WEBP"'
        assert limits.evaluate(TEXT_SIZE) == "0px"
        too_big = tmp_path / "big.jpg"
        too_big.write_bytes(b"\xff\xd8" + bytes(6 * 1024 * 1024))
        page.locator("[data-testid=stFileUploaderDropzoneInput]").first.set_input_files(too_big)
        refused = page.locator("[data-testid=stFileChip][aria-invalid=true]").first
        refused.wait_for()
        assert "不超过 5 MB 的文件,再试一次" in refused.evaluate(SHOWN_AFTER)
        page.locator("textarea").first.fill("门口两桌客人争吵")
        assert page.locator("[data-testid=stTextArea] [data-testid=InputInstructions]").first.evaluate(
            SHOWN_BEFORE) == '"按 Ctrl(⌘)+回车键确认"'
