"""The situation map page under AppTest, per role, on the seeded demo."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from db.models import Checkpoint
from nightwatch.nights import duty_date_of
from nightwatch.services import setup
from test_pages import open_as

ALL = {"grids", "routes", "checkpoints", "posts", "shops", "teams", "people", "tips", "outreach", "hazards", "labels"}
PUBLIC = {"grids", "posts", "shops", "teams", "outreach", "labels"}
ROLE_LAYERS = {
    "demo-admin": ALL,
    "demo-coordinator": ALL,
    "demo-leader": ALL,
    "demo-volunteer": ALL,
    "demo-merchant": PUBLIC | {"tips"},
    None: PUBLIC,
}


def deck_of(at) -> dict:
    [chart] = at.get("deck_gl_json_chart")
    return json.loads(chart.proto.json)


def pick(at, kind: str, feature_id: int):
    """Choose a feature from the list under the map, as a phone user would instead of tapping."""
    box = next(s for s in at.selectbox if s.label == "查看要素")
    return box.set_value((kind, feature_id)).run()


def last_night(at):
    """Show last night at 22:00, when the demo's patrols were out, whatever the hour now (they end by 06:00)."""
    night = duty_date_of(datetime.now(UTC)) - timedelta(days=1)
    return at.date_input(key="map_night").set_value(night).run()


def first(deck: dict, layer_id: str) -> dict:
    return next(layer for layer in deck["layers"] if layer["id"] == layer_id)["data"][0]


@pytest.mark.parametrize("login", ROLE_LAYERS, ids=lambda login: login or "viewer")
def test_the_map_opens_for_every_role_with_that_roles_layers(app_env, login):
    at = open_as(login, "pages/10_map.py")
    assert not at.exception
    assert {layer["id"] for layer in deck_of(at)["layers"]} == ROLE_LAYERS[login]
    captions = " ".join(c.value for c in at.caption)
    assert "离线底图" in captions
    if login == "demo-merchant":
        assert "本店报告" in captions


@pytest.mark.parametrize("login", ["demo-volunteer", "demo-merchant", None], ids=lambda login: login or "viewer")
def test_no_phone_number_reaches_a_non_coordinators_map(app_env, login):
    at = open_as(login, "pages/10_map.py")
    text = json.dumps(deck_of(at), ensure_ascii=False) + " ".join(m.value for m in at.markdown)
    assert not any(run.isdigit() and len(run) == 11 for run in _digit_runs(text))


def _digit_runs(text: str) -> list[str]:
    runs, current = [], ""
    for char in text:
        if char.isdigit():
            current += char
        else:
            runs.append(current)
            current = ""
    return [*runs, current]


def test_picking_a_grid_shows_its_staffing_and_draws_the_response_circles(app_env):
    at = last_night(open_as("demo-coordinator", "pages/10_map.py"))
    grid = first(deck_of(at), "grids")
    at = pick(at, "grid", grid["id"])
    assert not at.exception
    assert at.subheader[0].value == grid["tooltip"].split("\n")[0]
    details = " ".join(m.value for m in at.markdown)
    assert "**编配:**" in details and "处置圈内的在岗人员" in details
    rings = next(layer for layer in deck_of(at)["layers"] if layer["id"] == "rings")
    assert [r["radius"] for r in rings["data"]] == [80, 240, 400]


def test_picking_a_person_shows_a_coordinator_their_phone_and_a_volunteer_not(app_env):
    at = last_night(open_as("demo-coordinator", "pages/10_map.py"))
    person = first(deck_of(at), "people")
    at = pick(at, "person", person["id"])
    assert "**电话:**" in " ".join(m.value for m in at.markdown)
    volunteer = pick(last_night(open_as("demo-volunteer", "pages/10_map.py")), "person", person["id"])
    text = " ".join(m.value for m in volunteer.markdown)
    assert "**班次:**" in text and "电话" not in text


def test_switching_layers_off_stops_sending_them(app_env):
    at = open_as("demo-coordinator", "pages/10_map.py")
    layers = next(p for p in at.get("button_group") if "map_layers" in (p.key or ""))
    layers.set_value([layers.value[0]]).run()  # keep the grids only
    assert {layer["id"] for layer in deck_of(at)["layers"]} == {"grids", "labels"}


def test_a_volunteer_picks_an_open_hazard_and_reads_its_state_the_public_never_gets_one(app_env):
    at = open_as("demo-volunteer", "pages/10_map.py")
    hazard = first(deck_of(at), "hazards")
    at = pick(at, "hazard", hazard["id"])
    assert not at.exception
    assert "**整改期限:**" in " ".join(m.value for m in at.markdown)
    public = open_as(None, "pages/10_map.py")
    assert "hazard" not in json.dumps(deck_of(public))



def _checkpoints_per_grid(grid_ids: list[int]) -> dict[int, int]:
    """How many active checkpoints each of these grids holds."""
    store = setup.open_store()
    with store.session_factory() as session:
        rows = session.execute(select(Checkpoint.grid_id, func.count()).where(
            Checkpoint.grid_id.in_(grid_ids), Checkpoint.active.is_(True)).group_by(Checkpoint.grid_id)).all()
    store.engine.dispose()
    return dict(rows)


def test_a_big_districts_overview_leaves_out_dense_layers_says_so_and_a_grid_brings_them_back(app_env, monkeypatch):
    monkeypatch.setattr("nightwatch.ui.situation_map.OVERVIEW_CAP", 8)  # the demo's district has 10 checkpoints
    at = open_as("demo-coordinator", "pages/10_map.py")
    assert not at.exception
    data = {layer["id"]: layer["data"] for layer in deck_of(at)["layers"]}
    assert data["checkpoints"] == [] and data["shops"] == []
    assert data["grids"] and data["posts"]  # layers within the cap are still drawn whole
    captions = " ".join(c.value for c in at.caption)
    assert "全区视图暂不画出" in captions and "打卡点(超过 8 个)" in captions
    picks = next(box for box in at.selectbox if box.label == "查看要素")
    assert not any(option.startswith("▪") for option in picks.options)  # nothing undrawn to pick either

    grid_id, count = max(_checkpoints_per_grid([g["id"] for g in data["grids"]]).items(), key=lambda item: item[1])
    at = at.selectbox(key="map_grid").set_value(grid_id).run()
    assert not at.exception
    data = {layer["id"]: layer["data"] for layer in deck_of(at)["layers"]}
    assert len(data["checkpoints"]) == count and [g["id"] for g in data["grids"]] == [grid_id]
    assert "全区视图暂不画出" not in " ".join(c.value for c in at.caption)
