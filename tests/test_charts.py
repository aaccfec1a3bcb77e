"""The dashboard's charts are valid Vega-Lite, draw only the frame's columns, and keep the CJK font stack."""
from __future__ import annotations

import pandas as pd
import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema import load_schema
from jsonschema import ValidationError

from nightwatch.ui.charts import CJK_FONT, bar_chart, hour_grid_chart, trend_chart

SCHEMA = load_schema()
HOURS = ["20时", "21时", "22时"]
WEEKDAYS = ["周一", "周二"]


def hour_grid() -> tuple[pd.DataFrame, dict]:
    frame = pd.DataFrame([{"星期": d, "时段": h, "数量": n} for d, row in zip(WEEKDAYS, ((0, 2, 5), (1, 0, 0)))
                          for h, n in zip(HOURS, row)])
    return frame, hour_grid_chart(frame, hour="时段", weekday="星期", count="数量", hour_order=HOURS,
                                  weekday_order=WEEKDAYS)


def trend() -> tuple[pd.DataFrame, dict]:
    frame = pd.DataFrame({"周": pd.to_datetime(["2026-11-02", "2026-11-09"]), "数量": [3, 7]})
    return frame, trend_chart(week="周", value="数量", title="线索", colour="#d9480f")


def bars() -> tuple[pd.DataFrame, dict]:
    frame = pd.DataFrame({"类别": ["纠纷", "盗窃"], "数量": [4, 1]})
    return frame, bar_chart(frame, label="类别", count="数量")


def drawn(spec: dict) -> dict:
    """The spec as Streamlit sends it, with the frame named as its data."""
    return {**spec, "data": {"name": "frame"}}


def fields(spec) -> set[str]:
    """Every column a spec's encodings name."""
    if isinstance(spec, dict):
        own = {spec["field"]} if isinstance(spec.get("field"), str) else set()
        return own.union(*(fields(value) for value in spec.values()))
    if isinstance(spec, list):
        return set().union(*(fields(value) for value in spec))
    return set()


@pytest.mark.parametrize("build", [hour_grid, trend, bars])
def test_each_chart_is_valid_vega_lite_drawn_from_its_frame_in_the_cjk_fonts(build):
    frame, spec = build()
    validate_jsonschema(drawn(spec), SCHEMA)
    assert fields(spec) == set(frame.columns)
    assert spec["config"]["font"] == CJK_FONT and spec["config"]["axis"]["labelFont"] == CJK_FONT


def test_a_misspelt_spec_is_caught_by_the_check_above():
    _, spec = bars()
    spec["layer"][0]["mark"]["type"] = "bars"
    with pytest.raises(ValidationError):
        validate_jsonschema(drawn(spec), SCHEMA)


def test_the_hour_grid_greys_empty_cells_and_lightens_the_label_on_dark_ones():
    _, spec = hour_grid()
    cells, labels = spec["layer"]
    assert cells["encoding"]["color"]["condition"]["test"] == "datum['数量'] > 0"
    assert cells["encoding"]["color"]["value"] == "#e9ecef"
    assert labels["encoding"]["color"]["condition"]["test"] == "datum['数量'] > 3.0"  # 0.6 of the busiest, 5
    assert cells["encoding"]["x"]["sort"] == HOURS and cells["encoding"]["y"]["sort"] == WEEKDAYS
