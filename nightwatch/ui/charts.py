"""Altair charts a coordinator reads at a glance, with Chinese labels in a CJK-capable font."""
from __future__ import annotations

import altair as alt
import pandas as pd

# Chromium picks the first family it has; Debian's fonts-noto-cjk gives the first.
CJK_FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, Source Han Sans SC, sans-serif"


def _styled(chart: alt.Chart) -> alt.Chart:
    """Every text of the chart in the CJK font stack."""
    return (chart.configure(font=CJK_FONT)
            .configure_axis(labelFont=CJK_FONT, titleFont=CJK_FONT, labelFontSize=12, titleFontSize=12)
            .configure_legend(labelFont=CJK_FONT, titleFont=CJK_FONT, labelFontSize=12, orient="bottom")
            .configure_title(font=CJK_FONT, fontSize=14, anchor="start")
            .configure_view(strokeWidth=0))


def hour_grid_chart(frame: pd.DataFrame, *, hour: str, weekday: str, count: str, hour_order: list[str],
                    weekday_order: list[str]) -> alt.Chart:
    """A heat grid: hours of the night across, weekdays down, darker for more tips, empty cells grey."""
    top = max(1, int(frame[count].max())) if not frame.empty else 1
    base = alt.Chart(frame).encode(
        x=alt.X(f"{hour}:O", sort=hour_order, title=None, axis=alt.Axis(labelAngle=0, labelOverlap=False)),
        y=alt.Y(f"{weekday}:O", sort=weekday_order, title=None, axis=alt.Axis(labelOverlap=False, labelAngle=0)),
        tooltip=[weekday, hour, count])
    has_tips = f"datum['{count}'] > 0"
    cells = base.mark_rect(cornerRadius=2, stroke="#ffffff", strokeWidth=1).encode(
        color=alt.condition(has_tips, alt.Color(f"{count}:Q", scale=alt.Scale(scheme="orangered", domainMin=0),
                                                 legend=alt.Legend(title=count, format="d", tickMinStep=1)),
                                                 alt.value("#e9ecef")))
    labels = base.mark_text(fontSize=11).encode(
        text=alt.condition(has_tips, f"{count}:Q", alt.value("")),
        color=alt.condition(f"datum['{count}'] > {top * 0.6}", alt.value("#ffffff"), alt.value("#1f2933")))
    return _styled((cells + labels).properties(height=alt.Step(30)))


def trend_chart(frame: pd.DataFrame, *, week: str, value: str, title: str, colour: str) -> alt.Chart:
    """One weekly series as a line with points, titled, on its own scale."""
    chart = alt.Chart(frame, title=title).mark_line(point=True, color=colour).encode(
        x=alt.X(f"{week}:T", title=None, axis=alt.Axis(format="%m-%d", labelAngle=0, labelOverlap=True)),
        y=alt.Y(f"{value}:Q", title=None, scale=alt.Scale(zero=True), axis=alt.Axis(tickMinStep=1, format="d")),
        tooltip=[alt.Tooltip(f"{week}:T", format="%Y-%m-%d"), value],
    ).properties(height=180)
    return _styled(chart)


def bar_chart(frame: pd.DataFrame, *, label: str, count: str, colour: str = "#d9480f") -> alt.Chart:
    """Horizontal bars, largest first, with the count at the end of each bar."""
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False, labelLimit=200)),
        x=alt.X(f"{count}:Q", title=None, axis=alt.Axis(tickMinStep=1, format="d")), tooltip=[label, count])
    bars = base.mark_bar(color=colour, cornerRadiusEnd=3)
    text = base.mark_text(align="left", dx=4, fontSize=12, color="#868e96").encode(text=f"{count}:Q")
    return _styled((bars + text).properties(height=max(90, 30 * len(frame))))
