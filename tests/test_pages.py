"""The pages under AppTest, as each role sees them, on a seeded database."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from benchmarks.scenario_pages import session_token
from nightwatch.services import setup

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["app.py", *sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))]
DEMO_PASSWORD = "nightwatch-demo"
# What each role's menu shows (page titles), and pages it must not open.
COORDINATOR_ONLY = ["pages/15_dashboard.py", "pages/20_geography.py", "pages/30_people.py", "pages/40_roster.py", "pages/50_coverage.py",
                    "pages/65_dispatch.py", "pages/80_accounts.py", "pages/85_audit.py"]
PATROL_ONLY = ["pages/45_my_shifts.py", "pages/70_my_tasks.py"]
COORDINATING = {"今夜概览", "态势图", "巡逻热力图", "数据看板", "巡线进度", "网格与点位", "队伍与人员", "平安档案", "排班", "覆盖看板",
                "线索调度", "隐患整改", "宣防活动", "账号管理", "操作日志", "关于夜巡"}
PATROLLING = {"今夜概览", "态势图", "巡逻热力图", "巡线进度", "平安档案", "我的班次", "我的任务", "隐患整改", "宣防活动", "关于夜巡"}
SIGNED_IN_ONLY = ["pages/35_shops.py", "pages/75_hazards.py", "pages/77_outreach.py"]
MENUS = {
    None: ({"今夜概览", "态势图", "巡逻热力图", "关于夜巡"},
           [*COORDINATOR_ONLY, *PATROL_ONLY, *SIGNED_IN_ONLY, "pages/55_routes.py", "pages/60_tip.py"]),
    "demo-admin": (COORDINATING, [*PATROL_ONLY, "pages/60_tip.py"]),
    "demo-coordinator": (COORDINATING, [*PATROL_ONLY, "pages/60_tip.py"]),
    "demo-leader": (PATROLLING, [*COORDINATOR_ONLY, "pages/60_tip.py"]),
    "demo-volunteer": (PATROLLING, [*COORDINATOR_ONLY, "pages/60_tip.py"]),
    "demo-merchant": ({"今夜概览", "态势图", "巡逻热力图", "平安档案", "报线索", "隐患整改", "关于夜巡"},
                      [*COORDINATOR_ONLY, *PATROL_ONLY, "pages/55_routes.py", "pages/77_outreach.py"]),
}
PAGE_LOGIN = {"pages/45_my_shifts.py": "demo-volunteer", "pages/70_my_tasks.py": "demo-volunteer",
              "pages/60_tip.py": "demo-merchant"}


def open_as(login: str | None, page: str = "app.py") -> AppTest:
    """Open the app as a signed-in demo account (or the public viewer), then go to `page`."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if login is not None:
        at.session_state["_nw_token"] = session_token(setup.configured_url(), login, DEMO_PASSWORD)
    at.run()
    if page != "app.py":
        at.switch_page(page).run()
    return at


def menu_of(at: AppTest) -> set[str]:
    return {link.proto.label for link in at.sidebar.get("page_link")}


@pytest.mark.parametrize("login", MENUS, ids=lambda login: login or "viewer")
def test_each_role_sees_its_own_menu_and_every_page_it_may_open_runs(app_env, login):
    entries, _ = MENUS[login]
    at = open_as(login)
    assert not at.exception
    assert menu_of(at) == entries


@pytest.mark.parametrize("login, page", [(login, page) for login, (_, forbidden) in MENUS.items()
                                         for page in forbidden], ids=str)
def test_a_typed_url_to_a_forbidden_page_is_refused_politely_with_no_data(app_env, login, page):
    at = open_as(login, page)
    assert not at.exception
    assert not at.dataframe and not at.table
    messages = " ".join(m.value for m in [*at.warning, *at.info])
    assert ("不对您的角色开放" in messages) if login else ("请先登录" in messages)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_for_someone_who_may_open_it(app_env, page):
    login = PAGE_LOGIN.get(page, "demo-admin")
    assert not open_as(login, page).exception


def test_the_viewer_gets_the_sign_in_form_and_no_figures(app_env):
    at = open_as(None)
    assert [i.label for i in at.text_input] == ["账号", "密码"]
    assert not at.dataframe and not at.metric


def test_signing_in_through_the_form_shows_the_coordinator_home(app_env):
    at = open_as(None)
    at.text_input[0].input("demo-coordinator")
    at.text_input[1].input(DEMO_PASSWORD)
    at.button[0].click().run()
    at.run()  # the browser would follow the cookie route; the tab keeps its own session meanwhile
    assert "东西巷 · 未结线索" in [s.value for s in at.subheader]


def test_a_wrong_password_is_refused_and_the_login_stays_typed(app_env):
    at = open_as(None)
    at.text_input[0].input("demo-coordinator")
    at.text_input[1].input("not-the-password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["账号或密码不正确。"]
    assert at.text_input[0].value == "demo-coordinator"
    assert "_nw_token" not in at.session_state


def test_the_administrator_home_shows_every_seeded_district(app_env):
    table = open_as("demo-admin").dataframe[-1].value
    assert {("桂林", "东西巷"), ("襄阳", "襄城区"), ("南昌", "西湖区"), ("无锡", "梁溪区")} <= set(
        zip(table["城市"], table["片区"])
    )
    assert table["今夜班次"].sum() > 0 and table["未结线索"].sum() > 0


def test_the_coordinator_home_shows_open_tips_and_grids_of_the_chosen_district(app_env):
    at = open_as("demo-coordinator")
    tips, grids = at.dataframe[0].value, at.dataframe[1].value
    assert len(tips) > 0 and set(tips.columns) >= {"接报时间", "已等待", "类别", "紧急程度", "状态"}
    assert len(grids) == 5  # 东西巷's five micro-grids
    assert at.sidebar.selectbox[0].options == ["桂林 · 东西巷", "襄阳 · 襄城区"]


def test_switching_district_changes_what_the_coordinator_sees(app_env):
    at = open_as("demo-coordinator")
    at.sidebar.selectbox[0].select_index(1).run()
    assert "襄城区 · 未结线索" in [s.value for s in at.subheader]


def test_a_volunteer_sees_their_next_shift_and_no_one_elses_figures(app_env):
    at = open_as("demo-volunteer")
    assert "我的下一班" in [s.value for s in at.subheader]
    assert "(+1)" in " ".join(m.value for m in at.markdown)
    assert not at.metric


def test_a_merchant_sees_their_own_tips(app_env):
    at = open_as("demo-merchant")
    assert at.header[0].value.endswith("百年桂花糕老店")
    assert len(at.text) > 0 and all(text.value for text in at.text)


def test_the_home_reads_in_english_after_switching_language(app_env):
    at = open_as("demo-coordinator")
    at.session_state["lang"] = "en"
    at.run()
    assert at.title[0].value.endswith("Tonight at a glance")
    assert "Received" in at.dataframe[0].value.columns


def test_about_counts_the_demo_rows_for_anyone(app_env):
    at = open_as(None, "pages/90_about.py")
    text = " ".join(m.value for m in at.markdown)
    assert "微网格" in text and "行" in text


def test_disabling_an_account_ends_its_access_at_the_next_interaction(app_env):
    at = open_as("demo-volunteer")
    assert "我的下一班" in [s.value for s in at.subheader]
    store = setup.open_store()
    from nightwatch.services import accounts

    target = next(r for r in accounts.list_accounts(session_factory=store.session_factory, actor=accounts.OPERATOR)
                  if r.login == "demo-volunteer")
    accounts.set_active(session_factory=store.session_factory, actor=accounts.OPERATOR, account_id=target.id,
                        active=False)
    store.engine.dispose()
    at.run()
    assert [i.label for i in at.text_input] == ["账号", "密码"]


def test_a_coordinator_reads_their_districts_audit_log_in_words(app_env):
    at = open_as("demo-coordinator", "pages/85_audit.py")
    log = at.dataframe[0].value
    assert "登录" in set(log["操作"]) and set(log["片区"]) <= {"东西巷", "襄城区", ""}
