"""/dispatch under AppTest as the demo coordinator: the board, a tip's ranked responders, dispatch, 110, the report."""
from __future__ import annotations

from sqlalchemy import select

from db.models import Tip
from nightwatch.responders import FIT_BONUS_MIN, LOAD_PENALTY_MIN, WALK_M_PER_MIN, stale_minutes
from nightwatch.services import setup
from on_duty import put_on_duty_now
from test_my_tasks_page import fresh_tip
from test_pages import open_as

PAGE = "pages/65_dispatch.py"


def frames(at) -> dict[str, object]:
    """Each table on the page by its first column's name."""
    return {d.value.columns[0]: d.value for d in at.dataframe}


def shown_score(row) -> float:
    """A ranked row's score as the coordinator could work it out from its columns (minutes, lower first)."""
    age = float(str(row["位置时效(分钟)"]).split("·")[0])
    fit = FIT_BONUS_MIN if row["队伍对口"] == "✓" else 0.0
    return row["距离(米)"] / WALK_M_PER_MIN + stale_minutes(age) - fit + LOAD_PENALTY_MIN * row["在办任务"]


def test_the_board_lists_open_tips_with_countdowns_and_ranked_people(app_env):
    put_on_duty_now(app_env)  # the demo's patrols may be over at this hour
    at = open_as("demo-coordinator", PAGE)
    assert not at.exception
    assert "东西巷 · 待处置线索" in [s.value for s in at.subheader]
    tables = frames(at)
    board = tables["线索"]
    assert {"紧急程度", "类别", "网格", "已等待", "派单", "接单", "到场"} <= set(board.columns)
    ranked = next(t for t in tables.values() if "步行(分钟)" in t.columns)
    assert {"姓名", "距离(米)", "位置时效(分钟)", "在办任务"} <= set(ranked.columns) and len(ranked) > 0
    scores = [shown_score(row) for _, row in ranked.iterrows()]
    assert all(a <= b + 0.5 for a, b in zip(scores, scores[1:])), scores  # best first, within the shown rounding
    assert not [m.value for m in at.markdown if "13" in m.value and "****" not in m.value and m.value.isdigit()]


def test_dispatching_from_the_board_sends_the_chosen_person(app_env):
    tip_id = fresh_tip(login="demo-volunteer")  # in 东西巷, the coordinator's first district
    put_on_duty_now(app_env)  # the demo's patrols may be over at this hour
    at = open_as("demo-coordinator", PAGE)
    at.selectbox(key="dispatch_tip_id").set_value(tip_id).run()
    assert not any("进度" in t.value.columns for t in at.dataframe)
    at.button(key=f"send_{tip_id}").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["已派单给 1 人。"]
    sent = next(t for t in at.dataframe if "进度" in t.value.columns).value
    assert len(sent) == 1 and "✓" in set(frames(at)["姓名"]["已派"])
    store = setup.open_store()
    with store.session_factory() as s:
        assert s.scalar(select(Tip.dispatched_at).where(Tip.id == tip_id)) is not None
    store.engine.dispose()


def test_referring_to_110_records_the_hand_off(app_env):
    tip_id = fresh_tip(login="demo-volunteer")
    at = open_as("demo-coordinator", PAGE)
    at.selectbox(key="dispatch_tip_id").set_value(tip_id).run()
    at.text_input(key=f"refer_note_{tip_id}").input("持械斗殴,已报110")
    at.button(key=f"refer_{tip_id}").click().run()
    assert not at.exception and [s.value for s in at.success] == ["已记录移交110。"]
    store = setup.open_store()
    with store.session_factory() as s:
        tip = s.get_one(Tip, tip_id)
        assert tip.status.value == "referred" and tip.outcome_note == "持械斗殴,已报110"
    store.engine.dispose()


def test_the_report_tab_shows_sample_sizes(app_env):
    at = open_as("demo-coordinator", PAGE)
    report = next(t for t in at.dataframe if "线索数" in t.value.columns).value
    assert {"分组", "派单用时中位数", "派单达标率"} <= set(report.columns) and report["线索数"].sum() > 0
    at.segmented_control(key="report_by").set_value("category").run()
    assert not at.exception


def test_the_board_reads_in_english(app_env):
    at = open_as("demo-coordinator", PAGE)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception and "Urgency" in frames(at)["Tip"].columns
