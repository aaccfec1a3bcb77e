"""What reaches each browser: every page as every role, scanned for the planted markers a role may not receive.

One seeded demo per module, with marker phones, reporter names and over-precise coordinates planted
through rows and the dispatch service (tests/payload_world.py); each page is opened under AppTest, and
everything AppTest says is sent (element protos, decoded dataframes, map JSON, download files, query
parameters) is searched (tests/payload_scan.py) for the markers the role's rule forbids.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import h3
import pytest
from demo_copy import demo_copy
from payload_scan import Markers, element_count, leaks, payload_of
from payload_world import DUTY_HOUR, FORBIDDEN, ROLES, plant
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from nightwatch.config import Settings
from nightwatch.services import auth

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["app.py", *sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))]
SLUGS = {"app.py": "home", **{p: p.split("_", 1)[1].removesuffix(".py") for p in PAGES[1:]}}
# Every page for the roles most likely to receive what they may not; the rest are sampled in quick mode.
RISKIEST = ("viewer", "volunteer", "merchant", "coordinator")
SAMPLE = ("app.py", "pages/10_map.py", "pages/12_heatmap.py", "pages/35_shops.py", "pages/75_hazards.py",
          "pages/70_my_tasks.py", "pages/85_audit.py")
DEMO_PASSWORD = "nightwatch-demo"


@dataclass
class Sweep:
    """Every page opened by every role chosen, and what was found."""

    markers: Markers
    opened: list[tuple[str, str]] = field(default_factory=list)
    elements: int = 0
    bytes: int = 0
    leaks: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # role, page, group, marker, kind
    seen: dict[str, set[str]] = field(default_factory=dict)  # role → marker labels found anywhere
    sparse_cells: dict[str, int] = field(default_factory=dict)  # role → heatmap cells under the minimum sent
    errors: list[str] = field(default_factory=list)
    full: bool = False
    seconds: float = 0.0


@pytest.fixture(scope="module")
def world(seeded_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """A seeded demo with markers planted, the app pointed at it, and a session token per role."""
    with demo_copy(seeded_sqlite_template, tmp_path_factory.mktemp("payload")) as factory:
        markers = plant(factory)
        tokens = {role: login and auth.sign_in(session_factory=factory, login=login, password=DEMO_PASSWORD).session.token
                  for role, login in ROLES.items()}
        yield markers, tokens


def open_page(token: str | None, page: str, state: dict | None = None,
              workbooks: bool = True) -> tuple[AppTest, list[bytes]]:
    """Run a page as the token's account; also return the bytes behind its download buttons.

    Excel files hold the same frame as the CSV beside them (nightwatch.ui.table); `workbooks=False`
    skips building them, which is most of the cost of a download.
    """
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if token:
        at.session_state["_nw_token"] = token
    for key, value in (state or {}).items():
        at.session_state[key] = value
    builders = []
    original = MediaFileManager.add_deferred

    def keep(self, data_callable, mimetype, *args, **kwargs):
        """Remember what a download button would send when clicked."""
        if workbooks or mimetype is None or "spreadsheet" not in mimetype:
            builders.append(data_callable)
        return original(self, data_callable, mimetype, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MediaFileManager, "add_deferred", keep)
        at.run()
        if page != "app.py":
            builders.clear()
            at.switch_page(page).run()
    return at, [build() for build in builders]


def sparse_cells(blobs: dict[str, str], minimum: int) -> int:
    """Heatmap cells in the map JSON that count fewer check-ins than the public minimum."""
    sparse = 0
    for line in blobs.get("deck_gl_json_chart", "").splitlines():
        spec = json.loads(json.loads(line).get("json", "{}"))
        for layer in spec.get("layers", []):
            if layer.get("id", "").startswith("heat") and isinstance(layer.get("data"), list):
                sparse += sum(1 for record in layer["data"] if isinstance(record.get("n"), int) and record["n"] < minimum
                              and ("cell" not in record or h3.is_valid_cell(record["cell"])))
    return sparse


def scan(sweep: Sweep, role: str, token: str | None, page: str, state: dict | None = None) -> dict[str, str]:
    """Open one page (or detail view) as one role and add what it sent to the sweep."""
    at, downloads = open_page(token, page, state, workbooks=sweep.full)
    if at.exception:
        sweep.errors.append(f"{role} {page}: {at.exception[0].value[:200]}")
    blobs = payload_of(at, downloads)
    sweep.opened.append((role, page))
    sweep.elements += element_count(at) + len(downloads)
    sweep.bytes += sum(len(blob.encode()) for blob in blobs.values())
    sweep.leaks += [(role, page, *found) for found in leaks(blobs, sweep.markers, FORBIDDEN[role])]
    every_group = tuple(sweep.markers.groups)
    sweep.seen.setdefault(role, set()).update(label for _, label, _ in leaks(blobs, sweep.markers, every_group))
    if SLUGS[page] == "heatmap":
        sweep.sparse_cells[role] = sweep.sparse_cells.get(role, 0) + sparse_cells(
            blobs, Settings.from_env().heatmap_min_count)
    return blobs


def detail_views(markers: Markers) -> list[tuple[str, dict]]:
    """Views that appear only after a choice: a tip to dispatch, a hazard, a shop dossier, one person's row."""
    return [("pages/65_dispatch.py", {"dispatch_tip_id": markers.tip_ids["anonymous"]}),
            ("pages/65_dispatch.py", {"dispatch_tip_id": markers.tip_ids["named"]}),
            ("pages/75_hazards.py", {"hz.pick": markers.hazard_id}),
            ("pages/10_map.py", {"map_hour": DUTY_HOUR}),
            ("pages/12_heatmap.py", {"heatmap_district": markers.district_id}),
            ("pages/35_shops.py", {"shops_f_text": markers.shop_name, "shops_pick": markers.shop_id}),
            ("pages/30_people.py", {"people_f_text": markers.person_name})]


@pytest.fixture(scope="module")
def sweep(world, scorecard) -> Sweep:
    """Open every page each chosen role may open (and the detail views), once for the module."""
    markers, tokens = world
    result = Sweep(markers, full=scorecard.full)
    started = time.perf_counter()
    for role in ROLES:
        full_round = scorecard.full or role in RISKIEST
        for page in PAGES if full_round else SAMPLE:
            scan(result, role, tokens[role], page)
        for page, state in detail_views(markers) if full_round else ():
            scan(result, role, tokens[role], page, state)
    result.seconds = time.perf_counter() - started
    return result


def test_every_role_opens_every_page_without_an_error(sweep, scorecard):
    """The sweep ran: pages × roles opened, nothing crashed, and the scanned volume is on the scorecard."""
    assert not sweep.errors
    scorecard.record("what reaches each browser", "page views opened (pages × roles, plus detail views)",
                     len(sweep.opened), f"{len(PAGES)} pages × {len(ROLES)} roles")
    scorecard.record("what reaches each browser", "elements and bytes scanned",
                     f"{sweep.elements:,} elements, {sweep.bytes:,} bytes", "everything AppTest says is sent")
    scorecard.record("what reaches each browser", "markers planted (phones, reporters, coordinates)",
                     f"{sweep.markers.count('phones') + sweep.markers.count('own_shop_phones')} phones, "
                     f"{1 + sweep.markers.count('reporters')} reporter names (1 anonymous), "
                     f"{sum(map(sweep.markers.count, ('people_places', 'tip_places', 'dispatched_tip_places')))}"
                     " coordinates", "")
    scorecard.record("what reaches each browser", "time to open and scan them", f"{sweep.seconds:.0f} s", "")
    assert len({role for role, _ in sweep.opened}) == len(ROLES)


def test_no_role_receives_a_marker_it_may_not_see(sweep, scorecard):
    """No full phone, anonymous or named reporter, or exact place reaches a role whose rule forbids it."""
    scorecard.record("what reaches each browser", "leaks found (forbidden markers sent to a role)",
                     len(sweep.leaks), 0)
    assert not sweep.leaks, "\n".join(map(str, sweep.leaks))


def test_viewers_receive_no_heatmap_cell_below_the_minimum(sweep, scorecard):
    """The public heatmap's JSON holds no cell counting fewer check-ins than the minimum; coordinators' does."""
    scorecard.record("what reaches each browser", "sparse heatmap cells sent to viewers",
                     sweep.sparse_cells["viewer"], 0)
    assert sweep.sparse_cells["viewer"] == 0
    assert sweep.sparse_cells["coordinator"] > 0  # the scan would see them: coordinators get every cell


def test_the_scanner_finds_the_markers_where_the_app_may_show_them(sweep, scorecard):
    """Coordinators receive the full phones the people page and dossiers show, and the exact places."""
    planted = {label for group in sweep.markers.groups.values() for label in group}
    found = sweep.seen["coordinator"] & planted
    scorecard.record("what reaches each browser", "planted markers found where allowed (coordinator)",
                     f"{len(found)} of {len(planted)}: {', '.join(sorted(found))}", "phones and places found")
    assert {"teammate", "leader", "codefender", "shop owner", "shop contact", "tip text full-width"} <= found
    assert {"dispatched tip", "undispatched tip", "person on duty"} <= found



def test_the_scanner_knows_a_phone_in_every_spelling_and_a_place_at_every_precision():
    """Plain, +86 with separators and full-width digits are found; masked numbers and rough points are not."""
    markers = Markers(groups={"phones": {"p": "13912340066"}, "tip_places": {"t": repr(25.28293847561)}})
    for sent in ("13912340066", "+86 139-1234-0066", "１３９１２３４００６６", r"\\+86 139\\-1234\\-0066",
                 "[25.2829385, 110.3]", "25.28294"):
        assert leaks({"markdown": f"回拨 {sent} 谢谢"}, markers, ("phones", "tip_places")), sent
    assert leaks({"markdown": "13812345678"}, markers, ("phones",)) == [
        ("phones", "unmasked mobile '13812345678'", "markdown")]
    assert leaks({"markdown": r"电话 138\\-1234\\-5678"}, markers, ("phones",))
    for shown in ("139****0066", "25.2829", "25.28312", "1391234006", "2026.1391234006612"):
        assert not leaks({"markdown": shown}, markers, ("phones", "tip_places")), shown
