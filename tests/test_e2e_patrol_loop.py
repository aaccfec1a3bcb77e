"""In Chromium: a volunteer on a route walk scans a point on the phone; the coordinator sees it on /routes."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from app_server import running_app
from conftest import ARTIFACTS
from sqlalchemy import select
from test_e2e_home import SIZES, settle
from test_e2e_signin import sign_in_with_password

from db.models import (
    Account,
    Assignment,
    CheckIn,
    Checkpoint,
    District,
    Person,
    Route,
    RouteStop,
    Shift,
)
from nightwatch.nights import duty_date_of, wall_clock
from nightwatch.services.setup import open_store
from nightwatch.signing import checkin_path
from nightwatch.vocab import HOLDING_STATUSES, AssignmentStatus

pytestmark = pytest.mark.e2e
WAIT_MS = 30_000
ROUTE = "夜市新巡线"


def walk_starting_now(database_url: str) -> dict:
    """Put the demo volunteer on a walk of their district's route that began five minutes ago.

    The route is new, through three of the district's points; their other shifts around now are
    released first (one person never holds two at once). Returns what the test needs to look for.
    """
    now = datetime.now(timezone.utc)
    store = open_store(database_url)
    try:
        with store.session_factory.begin() as s:
            person = s.get_one(Person, s.scalar(select(Account.person_id).where(Account.login == "demo-volunteer")))
            tz = s.scalar(select(District.timezone).where(District.id == person.district_id))
            # A new line through three of the district's points: only this walk's scans can count on it.
            points = s.scalars(select(Checkpoint).where(Checkpoint.district_id == person.district_id,
                                                        Checkpoint.active).order_by(Checkpoint.id).limit(3)).all()
            route = Route(district_id=person.district_id, name=ROUTE)
            route.stops = [RouteStop(position=n, checkpoint_id=p.id, minutes_from_previous=5 if n else 0)
                           for n, p in enumerate(points)]
            s.add(route)
            point = points[0]
            for held in s.scalars(select(Assignment).where(
                    Assignment.person_id == person.id, Assignment.status.in_(HOLDING_STATUSES),
                    Assignment.ends_at > now - timedelta(hours=1), Assignment.starts_at < now + timedelta(hours=4))):
                held.status = AssignmentStatus.WITHDRAWN
            s.flush()
            walk = Shift(district_id=person.district_id, route_id=route.id, duty_date=duty_date_of(now, tz),
                         starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=3))
            s.add(walk)
            s.flush()
            s.add(Assignment(shift_id=walk.id, person_id=person.id, status=AssignmentStatus.CONFIRMED,
                             starts_at=walk.starts_at, ends_at=walk.ends_at))
            return {"person_id": person.id, "name": person.name, "route": route.name, "point": point.name,
                    "point_id": point.id, "path": checkin_path(point.id, point.secret), "tz": tz, "shift_id": walk.id,
                    "duty_date": walk.duty_date}
    finally:
        store.engine.dispose()


def the_check_in(database_url: str, walk: dict) -> CheckIn:
    """The one check-in the volunteer made on the walk."""
    store = open_store(database_url)
    try:
        with store.session_factory() as s:
            return s.scalars(select(CheckIn).where(CheckIn.person_id == walk["person_id"],
                                                   CheckIn.shift_id == walk["shift_id"])).one()
    finally:
        store.engine.dispose()


def test_a_scan_on_the_phone_shows_on_the_coordinators_route_progress(browser, seeded_sqlite_url, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    walk = walk_starting_now(seeded_sqlite_url)
    with running_app(seeded_sqlite_url, tmp_path / "app.log") as base:
        phone = browser.new_context(viewport=SIZES["phone"], locale="zh-CN")
        phone.set_default_timeout(WAIT_MS)
        volunteer = phone.new_page()
        sign_in_with_password(volunteer, base, "demo-volunteer")
        volunteer.goto(base + walk["path"])
        settle(volunteer)
        volunteer.get_by_role("button", name="在此打卡").click()
        volunteer.get_by_text(f"已在「{walk['point']}」打卡").wait_for()
        volunteer.get_by_text(f"计入班次:{walk['route']}").wait_for()
        settle(volunteer)
        volunteer.screenshot(path=ARTIFACTS / "patrol-loop-checkin-phone.png")
        phone.close()
        scanned = the_check_in(seeded_sqlite_url, walk)
        # After midnight the board writes the scan as "00:09 (+1)", like every time past the night's date.
        at = wall_clock(scanned.at, walk["tz"], walk["duty_date"])

        desk = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN")
        desk.set_default_timeout(WAIT_MS)
        coordinator = desk.new_page()
        sign_in_with_password(coordinator, base, "demo-coordinator")
        coordinator.goto(base + "/routes")
        settle(coordinator)
        coordinator.get_by_text(f"{walk['route']} · 完成").first.click()  # open the route's stop-by-stop view
        settle(coordinator)
        # The scan is in the order walked: its time, its point and the walker's name on one row.
        # Data grids draw on a canvas; their cells are also in a hidden table, read here by content.
        grid_cells = coordinator.locator("[data-testid=stDataFrame] td[role=gridcell]")
        grid_cells.first.wait_for(state="attached")
        # The route's own tables come in after the summary table; give them a few seconds on a busy machine.
        for _ in range(20):
            rows = [[cell.strip() for cell in row.locator("td").all_text_contents()]
                    for row in coordinator.locator("[data-testid=stDataFrame] tr[role=row]").all()]
            if any(row[1].endswith(walk["point"]) and walk["name"] in row[2]
                   for row in rows if len(row) > 2 and row[0] == at):
                break
            coordinator.wait_for_timeout(1000)
        else:
            pytest.fail(f"no row for the scan at {at} at {walk['point']} by {walk['name']}: {rows}")
        assert coordinator.locator("[data-testid=stException]").count() == 0
        coordinator.screenshot(path=ARTIFACTS / "patrol-loop-routes-desktop.png")
        desk.close()
