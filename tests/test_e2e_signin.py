"""In a real browser: signing in with a password or a personal link, the cookie it sets, refusals and signing out."""
from __future__ import annotations

import re

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import select

from app_server import running_app
from conftest import ARTIFACTS, fresh_sqlite_url
from test_e2e_home import settle

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "nightwatch-demo"
COOKIE = "nw_session"
WAIT_MS = 30_000
# The cookie route answers at once; a sign-in not done by then will not be done at all.
ROUTE_SECONDS = 10


@dataclass(frozen=True)
class Site:
    """The running app of this module and the database it serves."""

    base: str
    database_url: str


@pytest.fixture(scope="module")
def site(seeded_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One real app for the whole module, on its own copy of the seeded SQLite file."""
    directory = tmp_path_factory.mktemp("e2e-signin")
    url = fresh_sqlite_url(seeded_sqlite_template, directory)
    with running_app(url, directory / "app.log") as base:
        yield Site(base, url)


@pytest.fixture
def contexts(browser: Any) -> Iterator[Callable[..., Any]]:
    """A factory of fresh browser contexts (own cookies each), closed after the test."""
    opened: list[Any] = []

    def new(viewport: dict[str, int] = DESKTOP) -> Any:
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        context.set_default_timeout(WAIT_MS)
        opened.append(context)
        return context

    yield new
    for context in opened:
        context.close()


def session_cookie(context: Any) -> dict[str, Any] | None:
    """The context's `nw_session` cookie, or None."""
    return next((cookie for cookie in context.cookies() if cookie["name"] == COOKIE), None)


def no_exception(page: Any) -> None:
    """Fail when Streamlit shows an exception box anywhere on the page."""
    settle(page)
    assert page.locator("[data-testid=stException]").count() == 0


def sign_in_form_shown(page: Any) -> None:
    """Wait for the sign-in form: login, password and the 登录 button."""
    page.get_by_label("账号", exact=True).wait_for()
    page.get_by_label("密码", exact=True).wait_for()
    page.get_by_role("button", name="登录", exact=True).wait_for()


def submit_sign_in(page: Any, base: str, login: str, password: str) -> None:
    """Open the home page and submit the sign-in form."""
    page.goto(base + "/")
    sign_in_form_shown(page)
    page.get_by_label("账号", exact=True).fill(login)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录", exact=True).click()


def wait_signed_in(page: Any, base: str) -> None:
    """Wait until the browser went through the cookie route: a session cookie, back on the home page."""
    deadline = time.monotonic() + ROUTE_SECONDS
    while time.monotonic() < deadline:
        if session_cookie(page.context) is not None and page.url.rstrip("/") == base:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"not signed in through /auth/link: the page is at {page.url}, "
                         f"cookies {[cookie['name'] for cookie in page.context.cookies()]}")


def sign_in_with_password(page: Any, base: str, login: str) -> None:
    """Sign a demo account in through the form and the cookie route, and wait for the signed-in home.

    The cookie is set while the route's redirect is still under way; opening another page before the
    home page has loaded again would be cut off by that redirect.
    """
    submit_sign_in(page, base, login, PASSWORD)
    wait_signed_in(page, base)
    page.wait_for_load_state("load")
    page.get_by_role("button", name=re.compile("退出登录")).wait_for(timeout=30_000)
    settle(page)


def sign_in_coordinator(page: Any, base: str) -> None:
    """Sign the demo coordinator in through the form and wait for the coordinator home."""
    sign_in_with_password(page, base, "demo-coordinator")
    page.locator("h1", has_text="今夜概览").wait_for()
    page.locator("h3", has_text="未结线索").wait_for()


@dataclass(frozen=True)
class Merchant:
    """The demo merchant account and the name of its shop."""

    account_id: int
    shop: str


def demo_merchant(database_url: str) -> Merchant:
    """Look up the demo merchant and its shop in the app's database."""
    from db.models import Account, Shop
    from nightwatch.services.setup import open_store

    store = open_store(database_url)
    try:
        with store.session_factory() as session:
            account = session.scalars(select(Account).where(Account.login == "demo-merchant")).one()
            shop = session.scalar(select(Shop.name).where(Shop.id == account.shop_id))
            assert shop, "the demo merchant has no shop"
            return Merchant(account.id, shop)
    finally:
        store.engine.dispose()


def test_coordinator_signs_in_with_password_and_the_cookie_carries_to_a_new_page(
    site: Site, contexts: Callable[..., Any]
) -> None:
    """Desktop: the form signs a coordinator in; an HttpOnly Lax cookie keeps a new page signed in."""
    context = contexts(DESKTOP)
    page = context.new_page()
    sign_in_coordinator(page, site.base)
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text("账号管理", exact=True).wait_for()
    sidebar.get_by_text("操作日志", exact=True).wait_for()
    page.locator("[data-testid=stDataFrame]").first.wait_for()
    no_exception(page)

    cookie = session_cookie(context)
    assert cookie is not None, "no nw_session cookie after signing in"
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert cookie["path"] == "/"
    assert COOKIE not in page.evaluate("() => document.cookie")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "signin-coordinator-desktop.png", full_page=True)

    audit = context.new_page()
    audit.goto(site.base + "/audit")
    audit.locator("h1", has_text="操作日志").wait_for()
    audit.get_by_text("只看当前片区").wait_for()
    # The coordinator's district may have no events yet: a table or the empty note, either way the page ran.
    audit.locator("[data-testid=stDataFrame]").or_(audit.get_by_text("还没有记录")).first.wait_for()
    assert audit.get_by_text("请先登录").count() == 0
    assert audit.get_by_label("密码", exact=True).count() == 0
    no_exception(audit)


def test_wrong_password_is_refused_keeps_the_login_and_sets_no_cookie(site: Site, contexts: Callable[..., Any]) -> None:
    """A wrong password shows one neutral error; the login stays typed; no cookie."""
    context = contexts(DESKTOP)
    page = context.new_page()
    submit_sign_in(page, site.base, "demo-leader", "not-the-password")
    page.get_by_text("账号或密码不正确").wait_for()
    assert page.get_by_label("账号", exact=True).input_value() == "demo-leader"
    assert page.locator("h1", has_text="今夜概览").count() == 0
    no_exception(page)
    assert session_cookie(context) is None


def test_merchant_personal_link_signs_in_on_a_phone_until_revoked(site: Site, contexts: Callable[..., Any]) -> None:
    """A personal link signs a merchant in, more than once, until the links are revoked."""
    from nightwatch.services import accounts
    from nightwatch.services.setup import open_store

    merchant = demo_merchant(site.database_url)
    store = open_store(site.database_url)
    try:
        issued = accounts.issue_link(session_factory=store.session_factory, actor=accounts.OPERATOR,
                                     account_id=merchant.account_id, days=7)
    finally:
        store.engine.dispose()
    link = f"{site.base}/auth/link?t={quote(issued.token)}"

    for attempt in ("first", "again"):
        context = contexts(PHONE)
        page = context.new_page()
        page.goto(link)
        assert page.url.rstrip("/") == site.base, f"{attempt}: the link did not redirect home: {page.url}"
        assert session_cookie(context) is not None, f"{attempt}: no cookie after opening the link"
        page.locator("h2", has_text=merchant.shop).wait_for()
        page.locator("h3", has_text="我上报的线索").wait_for()
        page.locator("[data-testid=stText]").or_(page.get_by_text("还没有上报过线索")).first.wait_for()
        no_exception(page)
        if attempt == "first":
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / "signin-merchant-phone.png", full_page=True)

    store = open_store(site.database_url)
    try:
        accounts.revoke_links(session_factory=store.session_factory, actor=accounts.OPERATOR,
                              account_id=merchant.account_id)
    finally:
        store.engine.dispose()

    context = contexts(PHONE)
    page = context.new_page()
    page.goto(link)
    assert "signin=invalid" in page.url, f"a revoked link should redirect home with signin=invalid: {page.url}"
    page.get_by_text("登录链接无效或已过期").wait_for()
    sign_in_form_shown(page)
    assert page.locator("h1", has_text=merchant.shop).count() == 0
    assert session_cookie(context) is None
    no_exception(page)


def test_a_volunteer_typing_the_accounts_url_is_refused_politely(site: Site, contexts: Callable[..., Any]) -> None:
    """A typed URL is guarded: a signed-in volunteer gets a polite refusal and no table."""
    page = contexts(DESKTOP).new_page()
    sign_in_with_password(page, site.base, "demo-volunteer")
    page.locator("h3", has_text="我的下一班").wait_for()
    page.goto(site.base + "/accounts")
    page.get_by_text("不对您的角色开放").wait_for()
    no_exception(page)
    assert page.locator("[data-testid=stDataFrame], [data-testid=stTable]").count() == 0
    assert page.locator("h1", has_text="账号管理").count() == 0


def test_a_signed_out_visitor_opening_audit_is_asked_to_sign_in(site: Site, contexts: Callable[..., Any]) -> None:
    """A visitor without a cookie typing /audit sees 请先登录 and the sign-in form, no data."""
    visitor = contexts(DESKTOP).new_page()
    visitor.goto(site.base + "/audit")
    visitor.get_by_text("请先登录").wait_for()
    sign_in_form_shown(visitor)
    no_exception(visitor)
    assert visitor.locator("[data-testid=stDataFrame], [data-testid=stTable]").count() == 0


def test_signing_out_ends_the_session_in_every_browser(site: Site, contexts: Callable[..., Any]) -> None:
    """The sign-out button drops this cookie and ends the session a copied cookie held too."""
    first = contexts(DESKTOP)
    page = first.new_page()
    sign_in_coordinator(page, site.base)

    second = contexts(DESKTOP)
    second.add_cookies([session_cookie(first)])
    other = second.new_page()
    other.goto(site.base + "/")
    other.locator("h3", has_text="未结线索").wait_for()

    page.locator("[data-testid=stSidebar]").get_by_role("button", name="退出登录").click()
    sign_in_form_shown(page)
    deadline = time.monotonic() + 10
    while session_cookie(first) is not None and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert session_cookie(first) is None, "the sign-out route did not delete the cookie"
    assert page.locator("h1", has_text="今夜概览").count() == 0
    no_exception(page)

    assert session_cookie(second) is not None, "the copied cookie should still be in the second browser"
    other.reload()
    sign_in_form_shown(other)
    assert other.locator("h3", has_text="未结线索").count() == 0
    no_exception(other)
