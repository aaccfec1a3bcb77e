"""The weekly brief's sentences and its printable file for a known week, in both languages."""
from __future__ import annotations

from datetime import date

from nightwatch.brief import kpi_rows, row_change_text, sentences, value_text
from nightwatch.figures import Dashboard, Figures, Response
from nightwatch.kpi import Period
from nightwatch.ui.brief import brief_html

WEEK = Period(date(2026, 11, 16), date(2026, 11, 22))
BEFORE = Period(date(2026, 11, 9), date(2026, 11, 15))
LAST_YEAR = Period(date(2025, 11, 16), date(2025, 11, 22))
RESPONSE = Response({"react": 20, "acknowledge": 18, "reach": 16}, {"react": 0.85, "acknowledge": 0.9, "reach": 0.75},
                    {"react": 40.0, "acknowledge": 90.0, "reach": 250.0}, {"react_min": 1.0})
THIS_WEEK = Figures(period=WEEK, active=True, tips=37, tips_by_category={"dispute": 12, "theft": 8, "lost_person": 5,
                                                                        "noise": 12},
                    helped_by_outcome={"mediated": 5, "found": 2, "returned": 9, "false_alarm": 3}, response=RESPONSE,
                    hazards_found=9, hazards_rectified=8, turnout=412, on_time=390, late=22, hours=1530.5,
                    outreach_events=3, people_reached=1200, app_installs=85)
WEEK_BEFORE = Figures(period=BEFORE, active=True, tips=42, hazards_found=4, hazards_rectified=4, turnout=412,
                      hours=1500.0, outreach_events=0, response=Response({}, {"react": 0.8, "reach": None}, {}))
NOTHING = Figures(period=LAST_YEAR, active=False)
BOARD = Dashboard(district_name="东西巷", timezone="Asia/Shanghai", today=date(2026, 11, 23), current=THIS_WEEK,
                  previous=WEEK_BEFORE, last_year=NOTHING, overdue_now=2)


def test_the_brief_in_chinese():
    assert sentences(BOARD) == [
        "东西巷本周共接报线索 37 起,环比下降 12%,同比无数据;其中纠纷 12 起、噪音 12 起、盗窃 8 起。",
        "1-3-5 响应:1 分钟内派单占 85%,按时到场占 75%。",
        "发现隐患 9 处,已整改 8 处,整改率 89%;当前逾期未整改 2 处。",
        "巡防出勤 412 人次(迟到 22 人次),累计 1,530.5 小时,人次环比持平,同比无数据。",
        "帮助群众:物归原主 9 起、调解成功 5 起、已找到 2 起。",
        "开展宣防活动 3 场,覆盖 1,200 人,推广安装 App 85 次。",
    ]


def test_the_brief_in_english():
    said = sentences(BOARD, "en")
    assert said[0] == ("东西巷 received 37 tips this week (down 12% on the week before, no data on the same week "
                       "last year); most were Dispute 12, Noise 12, Theft 8.")
    assert said[2] == "9 hazards found, 8 rectified (89%); 2 overdue now."
    assert said[5] == "3 outreach events reached 1,200 people and promoted 85 app installs."


def test_a_quiet_week_says_so_instead_of_printing_zeros_as_changes():
    quiet = Figures(period=WEEK, active=False)
    board = Dashboard("东西巷", "Asia/Shanghai", date(2026, 11, 23), quiet, NOTHING, NOTHING, 0)
    assert sentences(board) == [
        "东西巷本周共接报线索 0 起,环比无数据,同比无数据。",
        "本周派单不足 5 起,1-3-5 响应暂不统计。",
        "本周未发现新的隐患;当前逾期未整改 0 处。",
        "巡防出勤 0 人次(迟到 0 人次),累计 0 小时,人次环比无数据,同比无数据。",
        "本周没有登记帮助群众的办结结果。",
        "本周没有登记宣防活动。",
    ]


def test_rates_move_in_percentage_points_and_a_rate_of_nothing_has_no_base():
    rows = {row.key: row for row in kpi_rows(BOARD)}
    assert value_text(rows["rectification"]) == "89%"
    assert row_change_text(rows["rectification"], "previous") == "下降 11 个百分点"  # 100% → 88.9%
    assert row_change_text(rows["react_rate"], "previous", "en") == "up 5 points"
    assert row_change_text(rows["reach_rate"], "previous") == "无数据"
    assert row_change_text(rows["outreach_events"], "previous") == "新增"
    assert row_change_text(rows["helped"], "previous") == "新增"
    assert row_change_text(rows["hours"], "last_year") == "无数据" and value_text(rows["hours"]) == "1,530.5"


def test_the_printable_brief_is_one_self_contained_page_with_the_figures():
    page = brief_html(BOARD, "zh-CN", "2026-11-23 09:00")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert "东西巷 夜间巡防周报" in page and "2026-11-16 至 2026-11-22" in page
    assert "整改率 89%" in page and "<td class=n>37</td>" in page and "<td>纠纷</td><td class=n>12</td>" in page
    assert "@media print" in page and "size: A4" in page and "Noto Sans CJK SC" in page
    assert "<script" not in page and "http" not in page and "<link" not in page  # nothing fetched from elsewhere
    english = brief_html(BOARD, "en", "2026-11-23 09:00")
    assert "weekly night patrol brief" in english and "Rectification rate" in english
