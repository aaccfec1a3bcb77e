"""/dashboard under AppTest on the demo data: tiles with 环比 and 同比, chart data, the brief, a quiet period."""
from __future__ import annotations

from test_pages import open_as

PAGE = "pages/15_dashboard.py"


def test_the_coordinator_sees_the_figures_then_a_quiet_period_then_english(app_env):
    at = open_as("demo-coordinator", PAGE)
    assert not at.exception
    labels = [metric.label for metric in at.metric]
    assert labels[:4] == ["接报线索", "1 分钟内派单", "按时到场", "发现隐患"] and "整改率" in labels
    # The demo holds no history a year back: every 同比 reads "no data", never 0% or infinity.
    captions = " ".join(c.value for c in at.caption)
    assert captions.count("同比 无数据") == 12 and "∞" not in captions and "inf" not in captions
    assert [tab.label for tab in at.tabs] == ["指标", "图表", "周报"]
    # Each chart's data can be opened as a table and exported.
    assert [e.label for e in at.expander].count("查看与导出数据") == 4
    brief = " ".join(m.value for m in at.markdown)
    assert "本周共接报线索" in brief and "当前逾期未整改" in brief
    assert any(button.proto.label == "下载可打印周报(HTML)" for button in at.get("download_button"))

    at.segmented_control(key="dashboard_period").set_value("custom").run()
    oldest = at.date_input(key="dashboard_custom").min
    at.date_input(key="dashboard_custom").set_value((oldest, oldest)).run()
    assert not at.exception
    assert any("没有任何排班、线索或打卡记录" in info.value for info in at.info)
    assert {m.proto.delta for m in at.metric} == {"无数据"}  # nothing before either: no data, not 0%

    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception and "Tips received" in [metric.label for metric in at.metric]
