"""The coverage page under AppTest, as the demo coordinator, on the seeded database."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from db.models import Assignment, AuditEvent, District, Grid
from nightwatch.nights import duty_date_of
from nightwatch.services import auth, setup
from nightwatch.vocab import HOLDING_STATUSES

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/50_coverage.py"


def open_coverage(login: str = "demo-coordinator") -> AppTest:
    """The coverage page, signed in as a demo account."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    store = setup.open_store()
    signed = auth.sign_in(session_factory=store.session_factory, login=login, password="nightwatch-demo")
    store.engine.dispose()
    at.session_state["_nw_token"] = signed.session.token
    at.run()
    at.switch_page(PAGE).run()
    return at


def stored(action: str) -> tuple[int, int]:
    store = setup.open_store()
    with store.session_factory() as session:
        counts = (session.scalar(select(func.count()).where(Assignment.status.in_(HOLDING_STATUSES))),
                  session.scalar(select(func.count()).where(AuditEvent.action == action)))
    store.engine.dispose()
    return counts


def test_the_board_shows_the_five_grids_of_the_week(app_env):
    at = open_coverage()
    assert not at.exception
    board = at.dataframe[0].value
    assert list(board.index) == ["东西巷一网格", "东西巷二网格", "东西巷三网格", "东西巷四网格", "东西巷五网格", "合计"]
    assert len(board.columns) == 7 and all("/" in value for value in board.iloc[:, 0])
    assert "东西巷 · 覆盖看板" in [s.value for s in at.subheader]


def test_picking_a_short_cell_shows_its_shifts_and_who_could_fill_them(app_env):
    at = open_coverage()
    # From tomorrow night on, every shift is still ahead whatever the hour (tonight's may be over).
    tomorrow = duty_date_of(datetime.now(UTC)) + timedelta(days=1)
    at.date_input(key="coverage_first").set_value(tomorrow).run()
    at.selectbox(key="coverage_pick").select_index(0).run()  # short cells come first
    assert not at.exception
    assert any("缺:" in m.value for m in at.markdown)
    assert at.selectbox(key="coverage_fill_shift").options
    person = next(s for s in at.selectbox if s.label == "补谁")
    assert person.options and any("本网格" in option for option in person.options)
    person.select_index(0)
    next(b for b in at.button if b.label == "排上").click().run()
    assert not at.exception
    assert [s.value for s in at.success][:1] and at.success[0].value.startswith("已排上")


def test_the_hour_view_shows_the_hours_of_one_night(app_env):
    at = open_coverage()
    at.get("button_group")[0].set_value("hours").run()
    assert not at.exception
    hours = list(at.dataframe[0].value.columns)
    assert hours and all(h.endswith("时") for h in hours)


def test_fill_the_gaps_proposes_and_accept_stores_it_all(app_env):
    at = open_coverage()
    before, _ = stored("coverage.accept")
    at.button(key="coverage_fill_gaps").click().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    covered, required = map(int, metrics["可补上"].split("/"))
    assert 0 < covered <= required and metrics["求解"] == "已证最优"
    proposal = at.dataframe[-1].value
    assert len(proposal) == covered and set(proposal.columns) >= {"日期", "时间", "网格", "角色", "队员"}
    at.button(key="coverage_accept").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [f"已保存 {covered} 条排班。"]
    assert stored("coverage.accept") == (before + covered, 1)


def test_discarding_a_proposal_stores_nothing(app_env):
    at = open_coverage()
    before = stored("coverage.accept")
    at.button(key="coverage_fill_gaps").click().run()
    at.button(key="coverage_discard").click().run()
    assert not at.exception and "coverage_proposal" not in at.session_state
    assert stored("coverage.accept") == before


def add_grids(count: int) -> list[str]:
    """Give 东西巷 `count` more grids with nothing planned; returns all its grid names in the board's order."""
    store = setup.open_store()
    with store.session_factory.begin() as session:
        district_id = session.scalar(select(District.id).where(District.name == "东西巷"))
        session.add_all([Grid(district_id=district_id, name=f"测试网格{n:02d}") for n in range(count)])
        session.flush()
        names = list(session.scalars(select(Grid.name).where(Grid.district_id == district_id).order_by(Grid.id)))
    store.engine.dispose()
    return names


def test_a_district_with_many_grids_draws_thirty_and_a_search_or_the_gap_toggle_reaches_the_rest(app_env):
    names = add_grids(31)
    at = open_coverage()
    assert not at.exception
    board = at.dataframe[0].value
    assert list(board.index) == [*names[:30], "合计"]
    assert f"显示前 30 个网格,共 {len(names)} 个" in " ".join(c.value for c in at.caption)
    assert len(at.selectbox(key="coverage_pick").options) == 30 * 7
    at.text_input(key="coverage_find_grid").input(names[-1]).run()
    assert not at.exception and list(at.dataframe[0].value.index) == [names[-1], "合计"]
    at.text_input(key="coverage_find_grid").input("").run()
    at.toggle(key="coverage_short_only").set_value(True).run()
    short = list(at.dataframe[0].value.index)[:-1]
    assert short and set(short) <= set(names[:5])  # the added grids plan nothing, so lack nobody
    assert list(at.dataframe[0].value.iloc[-1]) == list(board.iloc[-1])  # the totals stay the district's
