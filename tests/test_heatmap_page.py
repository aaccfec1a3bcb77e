"""/heatmap under AppTest on the seeded demo: the public gets aggregated patrol cells only, coordinators more."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from google.protobuf.json_format import MessageToJson
from test_pages import open_as

from nightwatch.access import Actor
from nightwatch.heatmap import public_nights
from nightwatch.i18n import CATALOGS, vocab_key
from nightwatch.nights import duty_date_of
from nightwatch.services import heatmap as svc
from nightwatch.services import setup
from nightwatch.vocab import AccountRole, TipCategory

PAGE = "pages/12_heatmap.py"
MIN_COUNT = 5
FRAME_LAYERS = ("heat_grids", "heat_routes")
# Words that would mean incident data reached the page: every category in both languages, the layer names.
INCIDENT_WORDS = [*(CATALOGS[lang][vocab_key(c)] for c in TipCategory for lang in CATALOGS), *(c.value for c in TipCategory),
                  "事件分布", "覆盖缺口", "incident_heat", "heat_incident", "heat_gap"]


def _walk(node):
    """Every element under a node of the app's tree."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def sent(at) -> tuple[str, list[dict]]:
    """Everything the page sends, as one JSON text, and the decks of its maps."""
    protos = [node.proto for node in _walk(at._tree) if getattr(node, "proto", None) is not None]
    decks = [json.loads(chart.proto.json) for chart in at.get("deck_gl_json_chart")]
    return "\n".join(MessageToJson(proto, ensure_ascii=False) for proto in protos), decks


def _admin_cells(district_id: int, hours: set[int]) -> dict[str, int]:
    """What a coordinator would see: every cell, to prove the public really lost the sparse ones."""
    store = setup.open_store()
    tonight = duty_date_of(datetime.now(UTC))
    first, last = public_nights(tonight - timedelta(days=6), tonight, tonight)  # the public's whole past week
    cells = svc.patrol_cells(session_factory=store.session_factory, actor=Actor(role=AccountRole.ADMIN),
                             district_id=district_id, first=first, last=last, hours=hours)
    store.engine.dispose()
    return {c.cell: c.n for c in cells}


def _district_ids() -> dict[str, int]:
    store = setup.open_store()
    ids = {d.label: d.id for d in svc.districts(session_factory=store.session_factory)}
    store.engine.dispose()
    return ids


def test_the_public_sees_aggregated_patrol_cells_only_each_at_least_the_minimum(app_env, monkeypatch):
    monkeypatch.setenv("NIGHTWATCH_HEATMAP_MIN_COUNT", str(MIN_COUNT))
    at = open_as(None, PAGE)
    assert not at.exception
    assert not at.get("radio") and not at.dataframe  # no layer choice, no gap table
    hidden_somewhere = False
    for label, district_id in [("桂林 · 东西巷", _district_ids()["桂林 · 东西巷"]),
                               ("襄阳 · 襄城区", _district_ids()["襄阳 · 襄城区"])]:
        at.selectbox(key="heatmap_district").set_value(district_id).run()
        for hours, wall in [(("18:00", "06:00"), None), (("01:00", "01:00"), {1})]:
            at.select_slider(key="heatmap_hours").set_range(*(int(h[:2]) for h in hours)).run()
            assert not at.exception
            text, decks = sent(at)
            for word in INCIDENT_WORDS:
                assert word not in text, word
            [deck] = decks
            *frame, layer = deck["layers"]
            # Under the cells only the public outline of the district: its grids and patrol lines.
            assert [item["id"] for item in frame] == list(FRAME_LAYERS)
            assert all(set(record) <= {"polygon", "path", "name", "position"} for item in frame for record in item["data"])
            assert layer["@@type"] == "H3HexagonLayer" and layer["id"] == "heat_patrol"
            assert all(set(record) == {"cell", "n", "colour"} for record in layer["data"])
            assert all(record["n"] >= MIN_COUNT for record in layer["data"])
            full = _admin_cells(district_id, wall or set(range(24)) - set(range(7, 18)))
            shown = {record["cell"]: record["n"] for record in layer["data"]}
            assert shown == {cell: n for cell, n in full.items() if n >= MIN_COUNT}
            hidden_somewhere |= len(full) > len(shown)
        assert f"打卡少于 {MIN_COUNT} 次的格子不公开显示" in text
    assert hidden_somewhere  # the demo does have sparse cells, and they stayed on the server


def test_a_volunteer_also_gets_the_public_view_of_their_own_district(app_env):
    at = open_as("demo-volunteer", PAGE)
    assert not at.exception and not at.get("radio") and not at.dataframe
    text, [deck] = sent(at)
    assert all(record["n"] >= MIN_COUNT for record in deck["layers"][-1]["data"])
    assert not any(word in text for word in INCIDENT_WORDS)


@pytest.mark.parametrize("layer, layer_id", [("巡逻覆盖", "heat_patrol"), ("事件分布", "heat_incident"),
                                             ("覆盖缺口", "heat_gap")])
def test_the_coordinator_chooses_among_three_layers_and_sees_the_ranked_gaps(app_env, layer, layer_id):
    at = open_as("demo-coordinator", PAGE)
    radio = at.radio(key="heatmap_layer")
    assert radio.options == ["巡逻覆盖", "事件分布", "覆盖缺口"]
    radio.set_value(["patrol", "incident", "gap"][radio.options.index(layer)]).run()
    assert not at.exception
    _, [deck] = sent(at)
    assert [item["id"] for item in deck["layers"]] == [*FRAME_LAYERS, layer_id]
    assert deck["layers"][-1]["data"]
    gaps = at.dataframe[0].value
    assert list(gaps.columns) == ["排名", "附近", "事件", "打卡", "缺口(百分点)", "最近巡线", "距离(米)"]
    assert list(gaps["排名"]) == list(range(1, len(gaps) + 1))
    assert list(gaps["缺口(百分点)"]) == sorted(gaps["缺口(百分点)"], reverse=True)
    assert (gaps["事件"] > 0).all() and gaps["最近巡线"].str.len().gt(0).all()
    assert "缺口 = 该格子占本片区事件的比例" in " ".join(c.value for c in at.caption)


def test_a_district_with_more_lines_than_frame_the_cells_gets_grid_outlines_only_and_is_told(app_env, monkeypatch):
    monkeypatch.setattr("nightwatch.ui.heatmap.FRAMED_ROUTES", 0)  # every demo district has a line: too many
    at = open_as("demo-coordinator", PAGE)
    assert not at.exception
    _, [deck] = sent(at)
    frame = {item["id"]: item["data"] for item in deck["layers"][:-1]}
    assert frame["heat_grids"] and frame["heat_routes"] == []
    assert "条巡线,画上去会盖住格子" in " ".join(c.value for c in at.caption)
    assert at.dataframe[0].value["最近巡线"].str.len().gt(0).all()  # the gaps still name their nearest line
