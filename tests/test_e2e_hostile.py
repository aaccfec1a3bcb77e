"""Hostile input in a real browser: a tip, a roster entry and the map, with dialogs and requests watched.

A merchant types a tip whose words carry script, a Markdown link, `{text}` braces and a right-to-left
override (after a 10,000-character paste the field holds no more than its limit); a coordinator logs a tip
whose place is hostile, names a roster campaign with a payload, then opens the dispatch board and the map
where they show. No dialog may open, no request may leave for another host, no payload may become an
element, and the words must be readable as typed.
"""
from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from urllib.parse import urlparse

import pytest
from app_server import running_app
from conftest import ARTIFACTS
from sqlalchemy import select
from test_e2e_home import SIZES, settle
from test_e2e_signin import sign_in_with_password
from test_e2e_tip_flow import choose_option, only_one

from db.models import Account, District, Tip
from db.session import make_engine, make_session_factory
from nightwatch.services import auth
from nightwatch.services.tip_logging import log_tip
from nightwatch.services.tips import Where
from nightwatch.vocab import TipCategory, TipSource, Urgency

pytestmark = [pytest.mark.e2e, pytest.mark.reliability]
WORDS = "<img src=x onerror=alert(1)> [点这里](https://evil.example/login) {text} \u202egnp.exe <script>alert(2)</script>"
PLACE = "<svg/onload=alert(3)> ![看图](https://evil.example/track.png) {name}"
CAMPAIGN = "[夜巡](javascript:alert(4)) <b>{tooltip}</b>"
LONG = "巡" * 10_000
SCREENSHOT = ARTIFACTS / "hostile-tip-desktop.png"  # the reviewed copy lives in docs/screenshots/
# Anything a payload would have made: an image or frame pointing away, a link to the payload, its script.
PAYLOAD_ELEMENTS = ("img[src='x']", "svg[onload]", "a[href*='evil.example']", "a[href^='javascript']",
                    "img[src*='evil.example']", "iframe")


def plant_tip_with_hostile_place(database_url: str) -> int:
    """A coordinator's phoned-in tip placed by a hostile name (as a picked spot's label), through the service."""
    factory = make_session_factory(make_engine(database_url))
    with factory() as session:
        district_id = session.scalar(select(District.id).where(District.name == "东西巷"))
        coordinator = auth.actor_of(session, session.scalar(select(Account).where(Account.login == "demo-coordinator")))
    return log_tip(session_factory=factory, actor=coordinator, district_id=district_id,
                   category=TipCategory.SUSPICIOUS, text=WORDS, urgency=Urgency.CRITICAL,
                   where=Where(25.2795, 110.2953, "map", PLACE), source=TipSource.PHONE, now=datetime.now(UTC))


def merchant_tip(database_url: str) -> int | None:
    """The id of the tip the merchant typed, once stored."""
    factory = make_session_factory(make_engine(database_url))
    with factory() as session:
        return session.scalar(select(Tip.id).where(Tip.text == WORDS, Tip.location_note != PLACE))


def payload_elements(page) -> dict[str, int]:
    """Elements a payload would have created, by selector, plus scripts carrying its alert()."""
    found = {selector: page.locator(selector).count() for selector in PAYLOAD_ELEMENTS}
    found["script with alert("] = page.evaluate(
        "() => [...document.scripts].filter(s => s.textContent.includes('alert(')).length")
    return {selector: n for selector, n in found.items() if n}


def wait_shown(page, text: str, seconds: float = 30) -> None:
    """Wait until the page shows this text as typed."""
    page.wait_for_function("(t) => document.body.innerText.replaceAll('\\u2060', '').includes(t)", arg=text,
                           timeout=seconds * 1000)


def test_hostile_words_stay_words_in_the_browser(browser, seeded_sqlite_url, tmp_path, scorecard):
    ARTIFACTS.mkdir(exist_ok=True)
    planted = plant_tip_with_hostile_place(seeded_sqlite_url)
    dialogs: list[str] = []
    foreign: list[str] = []
    visited: list[str] = []
    began = time.perf_counter()
    with running_app(seeded_sqlite_url, tmp_path / "app.log") as base:
        own = urlparse(base).netloc

        def watch(context) -> None:
            """Record every dialog and every request to another host in this browser context."""
            context.on("request", lambda request: foreign.append(request.url)
                       if urlparse(request.url).scheme in ("http", "https", "ws", "wss")
                       and urlparse(request.url).netloc != own else None)

        def look(page) -> None:
            """Dismiss and record any dialog the page opens."""
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

        shop_context = browser.new_context(viewport=SIZES["phone"], locale="zh-CN")
        watch(shop_context)
        shop = shop_context.new_page()
        look(shop)
        sign_in_with_password(shop, base, "demo-merchant")
        shop.goto(base + "/tip")
        settle(shop)
        visited.append("/tip")
        shop.get_by_text("其他", exact=True).click()
        settle(shop)
        words = shop.get_by_label("简单说明")
        words.fill(LONG)
        assert len(words.input_value()) <= 500, "the field holds no more than its limit"
        words.fill(WORDS)
        shop.get_by_role("button", name=re.compile("发送线索")).click()
        settle(shop)
        shop.get_by_text("线索已发送").first.wait_for(timeout=30_000)
        tip_id = merchant_tip(seeded_sqlite_url)
        assert tip_id is not None, "the tip was stored with its words as typed"
        wait_shown(shop, WORDS)  # the merchant's own list shows the words as typed
        assert not payload_elements(shop)
        shop.screenshot(path=ARTIFACTS / "hostile-tip-phone.png", full_page=True)

        desk_context = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN")
        watch(desk_context)
        desk = desk_context.new_page()
        look(desk)
        sign_in_with_password(desk, base, "demo-coordinator")
        desk.goto(base + "/roster")
        settle(desk)
        visited.append("/roster")
        desk.get_by_role("tab", name="排班计划").click()
        settle(desk)
        only_one(desk, desk.get_by_label("计划名称")).fill(CAMPAIGN)
        desk.get_by_role("button", name="保存计划").click()
        settle(desk)
        # The campaign list is a data grid drawn on a canvas; its cells exist, hidden, for assistive tech.
        desk.get_by_text(CAMPAIGN, exact=True).first.wait_for(state="attached", timeout=30_000)
        assert not payload_elements(desk)

        desk.goto(base + "/dispatch")
        settle(desk)
        visited.append("/dispatch")
        for shown_tip, words_shown in ((planted, PLACE), (tip_id, WORDS)):
            choose_option(desk, "选择线索", f"#{shown_tip} ")
            settle(desk)
            desk.get_by_text(f"线索 #{shown_tip}").first.wait_for(timeout=30_000)
            wait_shown(desk, WORDS)  # the words read as typed
            wait_shown(desk, words_shown)
            assert not payload_elements(desk)
        desk.screenshot(path=SCREENSHOT, full_page=False)

        desk.goto(base + "/map")
        settle(desk)
        visited.append("/map")
        choose_option(desk, "查看要素", f"#{planted} ")
        settle(desk)
        wait_shown(desk, PLACE)
        wait_shown(desk, WORDS)
        assert not payload_elements(desk)
        desk.wait_for_timeout(500)  # any late request or dialog from the map's tiles or tooltips

    scorecard.record("hostile input", "Chromium: dialogs opened", len(dialogs), 0)
    scorecard.record("hostile input", "Chromium: requests to another host", len(foreign), 0)
    scorecard.record("hostile input", "Chromium: pages visited with hostile tips, roster entry and map",
                     f"{len(visited)} ({', '.join(visited)}) in {time.perf_counter() - began:.0f} s")
    assert not dialogs, dialogs
    assert not foreign, foreign[:10]
