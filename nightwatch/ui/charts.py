"""Charts a coordinator reads at a glance, as Vega-Lite specs, with Chinese labels in a CJK-capable font.

Written as plain specs for `st.vega_lite_chart`, not built with Altair: Altair validated every
encoding and every chart against the Vega-Lite schema on each rerun: /dashboard took 270 ms a
render, 56 ms with these. tests/test_charts.py validates these specs against that schema once.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

Spec = dict[str, Any]

# Chromium picks the first family it has; Debian's fonts-noto-cjk gives the first.
CJK_FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, Source Han Sans SC, sans-serif"
CONFIG: Spec = {
    "font": CJK_FONT,
    "axis": {"labelFont": CJK_FONT, "titleFont": CJK_FONT, "labelFontSize": 12, "titleFontSize": 12},
    "legend": {"labelFont": CJK_FONT, "titleFont": CJK_FONT, "labelFontSize": 12, "orient": "bottom"},
    "title": {"font": CJK_FONT, "fontSize": 14, "anchor": "start"},
    "view": {"strokeWidth": 0},
}
EMPTY_CELL = "#e9ecef"


def _field(name: str, kind: str, **more: Any) -> Spec:
    """An encoding of one column: `kind` is nominal, ordinal, quantitative or temporal."""
    return {"field": name, "type": kind, **more}


def _unless(test: str, shown: Spec, otherwise: Any) -> Spec:
    """`shown` where the Vega expression `test` holds, else the constant `otherwise`."""
    return {"condition": {"test": test, **shown}, "value": otherwise}


def _chart(**spec: Any) -> Spec:
    """A whole spec in the CJK font stack."""
    return {**spec, "config": CONFIG}


def hour_grid_chart(frame: pd.DataFrame, *, hour: str, weekday: str, count: str, hour_order: list[str],
                    weekday_order: list[str]) -> Spec:
    """A heat grid: hours of the night across, weekdays down, darker for more tips, empty cells grey."""
    top = max(1, int(frame[count].max())) if not frame.empty else 1
    has_tips = f"datum['{count}'] > 0"
    shared = {
        "x": _field(hour, "ordinal", sort=hour_order, title=None, axis={"labelAngle": 0, "labelOverlap": "parity"}),
        "y": _field(weekday, "ordinal", sort=weekday_order, title=None, axis={"labelAngle": 0, "labelOverlap": False}),
        "tooltip": [_field(weekday, "nominal"), _field(hour, "nominal"), _field(count, "quantitative")],
    }
    scale = {"scheme": "orangered", "domainMin": 0}
    legend = {"title": count, "format": "d", "tickMinStep": 1}
    cells = {"mark": {"type": "rect", "cornerRadius": 2, "stroke": "#ffffff", "strokeWidth": 1},
             "encoding": {**shared, "color": _unless(has_tips, _field(count, "quantitative", scale=scale,
                                                                         legend=legend), EMPTY_CELL)}}
    labels = {"mark": {"type": "text", "fontSize": 11},
              "encoding": {**shared, "text": _unless(has_tips, _field(count, "quantitative"), ""),
                           "color": _unless(f"datum['{count}'] > {top * 0.6}", {"value": "#ffffff"}, "#1f2933")}}
    return _chart(height={"step": 30}, layer=[cells, labels])


def trend_chart(*, week: str, value: str, title: str, colour: str) -> Spec:
    """One weekly series as a line with points, titled, on its own scale."""
    line = {"type": "line", "color": colour, "point": {"color": colour, "filled": True}}  # points as the line
    return _chart(title=title, height=180, mark=line, encoding={
        "x": _field(week, "temporal", title=None, axis={"format": "%m-%d", "labelAngle": 0, "labelOverlap": True}),
        "y": _field(value, "quantitative", title=None, scale={"zero": True}, axis={"tickMinStep": 1, "format": "d"}),
        "tooltip": [_field(week, "temporal", format="%Y-%m-%d"), _field(value, "quantitative")],
    })


def bar_chart(frame: pd.DataFrame, *, label: str, count: str, colour: str = "#d9480f") -> Spec:
    """Horizontal bars, largest first, with the count at the end of each bar."""
    shared = {
        "y": _field(label, "nominal", sort="-x", title=None, axis={"labelOverlap": False, "labelLimit": 200}),
        "x": _field(count, "quantitative", title=None, axis={"tickMinStep": 1, "format": "d"}),
        "tooltip": [_field(label, "nominal"), _field(count, "quantitative")],
    }
    bars = {"mark": {"type": "bar", "color": colour, "cornerRadiusEnd": 3}, "encoding": shared}
    text = {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 12, "color": "#868e96"},
            "encoding": {**shared, "text": _field(count, "quantitative")}}
    return _chart(height=max(90, 30 * len(frame)), layer=[bars, text])
