"""In Chromium at phone size: open a checkpoint's QR link, sign in on that page, share the location, check in."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urlparse

import pytest
from app_server import running_app
from conftest import ARTIFACTS
from sqlalchemy import select
from test_e2e_home import SIZES, settle
from test_e2e_signin import PASSWORD

from db.models import Account, CheckIn, Checkpoint, Person
from nightwatch.geo import offset_point
from nightwatch.services.setup import open_store
from nightwatch.signing import checkin_path

pytestmark = pytest.mark.e2e
WAIT_MS = 30_000
PHONE_NORTH_M = 60  # where the phone says it is: 60 m north of the point


@dataclass(frozen=True)
class Point:
    """A checkpoint of the demo volunteer's district and its signed link."""

    id: int
    name: str
    path: str
    lat: float
    lon: float


def demo_point(database_url: str) -> tuple[Point, int]:
    """The first active checkpoint of the demo volunteer's district, and the volunteer's person id."""
    store = open_store(database_url)
    try:
        with store.session_factory() as s:
            person_id, district = s.execute(select(Person.id, Person.district_id).join(
                Account, Account.person_id == Person.id).where(Account.login == "demo-volunteer")).one()
            point = s.scalars(select(Checkpoint).where(Checkpoint.district_id == district, Checkpoint.active)
                              .order_by(Checkpoint.id)).first()
            return Point(point.id, point.name, checkin_path(point.id, point.secret), point.lat, point.lon), person_id
    finally:
        store.engine.dispose()


def check_ins_of(database_url: str, person_id: int, checkpoint_id: int) -> list[CheckIn]:
    store = open_store(database_url)
    try:
        with store.session_factory() as s:
            return list(s.scalars(select(CheckIn).where(CheckIn.person_id == person_id,
                                                        CheckIn.checkpoint_id == checkpoint_id,
                                                        CheckIn.at > datetime.now(timezone.utc) - timedelta(hours=1))))
    finally:
        store.engine.dispose()


def test_a_volunteer_scans_signs_in_on_the_spot_and_checks_in_with_the_phone_location(
        browser, seeded_sqlite_url, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    point, person_id = demo_point(seeded_sqlite_url)
    phone_lat, phone_lon = offset_point(point.lat, point.lon, PHONE_NORTH_M, 0)
    with running_app(seeded_sqlite_url, tmp_path / "app.log") as base:
        context = browser.new_context(viewport=SIZES["phone"], locale="zh-CN", permissions=["geolocation"],
                                      geolocation={"latitude": phone_lat, "longitude": phone_lon, "accuracy": 10})
        context.set_default_timeout(WAIT_MS)
        outside: list[str] = []

        def local_only(route) -> None:
            """Let requests to the app through; refuse and note anything bound elsewhere."""
            if urlparse(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", local_only)
        page = context.new_page()

        # Not signed in: the page names the point and offers the sign-in that comes back here.
        page.goto(base + point.path)
        settle(page)
        page.get_by_text(f"这是「{point.name}」的打卡码").wait_for()
        page.get_by_label("账号", exact=True).fill("demo-volunteer")
        page.get_by_label("密码", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="登录", exact=True).click()
        page.wait_for_url(base + point.path)
        tap = page.get_by_role("button", name="在此打卡")
        tap.wait_for()
        settle(page)
        assert check_ins_of(seeded_sqlite_url, person_id, point.id) == []  # opening the link recorded nothing

        # The location component runs in the page itself (no iframe), so the page's permission applies.
        assert page.locator("iframe").count() == 0
        page.get_by_role("button", name="附上我的位置").click()
        page.get_by_text("已附上位置").wait_for()
        settle(page)
        before = datetime.now(timezone.utc)
        tap.click()
        page.get_by_text(f"已在「{point.name}」打卡").wait_for()
        page.get_by_text(f"手机距打卡点约 {PHONE_NORTH_M} 米").wait_for()
        settle(page)
        after = datetime.now(timezone.utc)
        assert page.locator("[data-testid=stException]").count() == 0
        page.screenshot(path=ARTIFACTS / "checkin-phone.png")

        [row] = check_ins_of(seeded_sqlite_url, person_id, point.id)
        assert before <= row.at <= after  # the server's time, not the phone's
        assert row.distance_m == pytest.approx(PHONE_NORTH_M, abs=1) and not row.flagged
        assert (row.phone_lat, row.phone_lon) == pytest.approx((phone_lat, phone_lon))

        # A tampered signature is refused without naming the point.
        signature = point.path.rsplit("sig=", 1)[1]
        tampered = point.path.replace(signature, ("A" if signature[0] != "A" else "B") + signature[1:])
        page.goto(base + tampered)
        settle(page)
        page.get_by_text("这个二维码无效或已更换,不能打卡").wait_for()
        assert page.get_by_role("button", name="在此打卡").count() == 0
        assert page.get_by_text(point.name).count() == 0
        settle(page)
        page.screenshot(path=ARTIFACTS / "checkin-refused-phone.png")
        context.close()
    assert outside == []
