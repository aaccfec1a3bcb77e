"""In a real browser: the situation map draws offline at desktop and phone size, and a tap shows details."""
from __future__ import annotations

import http.server
import io
import threading

import pytest
from PIL import Image

from app_server import running_app
from conftest import ARTIFACTS
from on_duty import put_on_duty_now
from test_e2e_home import SIZES, settle
from test_e2e_signin import sign_in_with_password

pytestmark = pytest.mark.e2e


def tap_a_grid(page, chart) -> None:
    """Tap the map a little off its centre (where the teams' bases are) until a grid's details show."""
    box = chart.bounding_box()
    for x in (0.42, 0.58, 0.36, 0.64, 0.30, 0.70):
        page.mouse.click(box["x"] + box["width"] * x, box["y"] + box["height"] * 0.55)
        settle(page)
        page.wait_for_timeout(500)
        if page.locator("h3", has_text="网格").count():
            return
    raise AssertionError("no tap on the map showed a grid's details")


@pytest.mark.parametrize("size", SIZES)
def test_the_map_draws_offline_and_a_tap_on_a_grid_shows_its_details(browser, seeded_sqlite_url, tmp_path, size):
    ARTIFACTS.mkdir(exist_ok=True)
    put_on_duty_now(seeded_sqlite_url)  # the details list who is on duty near the grid, at any hour
    with running_app(seeded_sqlite_url, tmp_path / "app.log") as base:
        page = browser.new_context(viewport=SIZES[size], locale="zh-CN").new_page()
        elsewhere: list[str] = []
        page.on("request", lambda request: elsewhere.append(request.url) if not request.url.startswith(base)
                and not request.url.startswith("data:") else None)
        sign_in_with_password(page, base, "demo-coordinator")
        page.goto(base + "/map")
        settle(page)
        chart = page.locator("[data-testid=stDeckGlJsonChart]")
        chart.locator("canvas").first.wait_for(timeout=30_000)
        page.get_by_text("点选地图上的网格").wait_for(timeout=30_000)
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(1500)  # deck.gl draws on the next animation frames
        page.screenshot(path=ARTIFACTS / f"map-{size}.png", full_page=True)

        tap_a_grid(page, chart)
        page.get_by_text("处置圈内的在岗人员").wait_for(timeout=30_000)
        assert page.locator("[data-testid=stException]").count() == 0
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(1500)
        page.screenshot(path=ARTIFACTS / f"map-picked-{size}.png", full_page=True)
        assert not elsewhere, f"the offline map fetched {elsewhere[:3]}"


class _Tiles(http.server.BaseHTTPRequestHandler):
    """A tile server on 127.0.0.1 answering every tile with one pale PNG, counting what it was asked."""

    asked: list[str] = []

    def do_GET(self):  # noqa: N802 (the http.server API)
        type(self).asked.append(self.path)
        buffer = io.BytesIO()
        Image.new("RGB", (256, 256), (236, 230, 214)).save(buffer, "PNG")
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(buffer.getvalue())

    def log_message(self, *args):
        pass


def test_a_configured_tile_basemap_is_drawn_under_the_layers(browser, seeded_sqlite_url, tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tiles = f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png"
    try:
        with running_app(seeded_sqlite_url, tmp_path / "app.log", NIGHTWATCH_MAP_TILES=tiles,
                         NIGHTWATCH_MAP_DATUM="gcj02") as base:
            page = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN").new_page()
            page.goto(base + "/map")
            settle(page)
            page.locator("[data-testid=stDeckGlJsonChart] canvas").first.wait_for(timeout=30_000)
            page.wait_for_timeout(3000)
            page.screenshot(path=ARTIFACTS / "map-basemap-desktop.png", full_page=True)
            assert "离线底图" not in page.content()
    finally:
        server.shutdown()
    zooms = {int(path.split("/")[1]) for path in _Tiles.asked}
    assert zooms and all(12 <= z <= 19 for z in zooms), _Tiles.asked[:5]
