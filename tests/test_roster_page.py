"""The roster page under AppTest: a coordinator sees a night's shifts, assigns someone, and reads a clash."""
from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.models import District, Grid, Person, Shift
from nightwatch.access import Actor
from nightwatch.services import auth, campaigns, roster, setup
from nightwatch.vocab import AccountRole, RoleKind

ROOT = Path(__file__).resolve().parent.parent
ADMIN = Actor(login="test-admin", role=AccountRole.ADMIN)
NIGHT = date.today() + timedelta(days=60)  # beyond the seeded nights, so the night holds only ours


def two_overlapping_shifts() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Shifts 22:00–06:00 at two grids of 东西巷 on NIGHT, one auxiliary already on the first; (shifts, people)."""
    store = setup.open_store()
    factory = store.session_factory
    with factory() as session:
        district = session.scalar(select(District).where(District.name == "东西巷"))
        grids = session.scalars(select(Grid).where(Grid.district_id == district.id).order_by(Grid.id)).all()[:2]
        people = session.execute(select(Person.id, Person.name).where(
            Person.district_id == district.id, Person.role_kind == RoleKind.AUXILIARY, Person.active)
            .order_by(Person.id).limit(2)).all()
    for grid in grids:
        campaigns.create_campaign(session_factory=factory, actor=ADMIN, district_id=district.id,
                                  plan=campaigns.CampaignPlan(f"测试 {grid.name}", NIGHT, NIGHT, time(22), time(6),
                                                              grid_id=grid.id, required={"auxiliary": 2}))
    with factory() as session:
        shifts = [(s.id, name) for s, name in session.execute(
            select(Shift, Grid.name).join(Grid, Grid.id == Shift.grid_id)
            .where(Shift.duty_date == NIGHT, Shift.grid_id.in_([g.id for g in grids])).order_by(Grid.id))]
    roster.assign(session_factory=factory, actor=ADMIN, shift_id=shifts[0][0], person_id=people[0].id)
    store.engine.dispose()
    return shifts, [(p.id, p.name) for p in people]


def open_roster() -> AppTest:
    """The roster page as demo-coordinator, looking at NIGHT."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    store = setup.open_store()
    signed = auth.sign_in(session_factory=store.session_factory, login="demo-coordinator", password="nightwatch-demo")
    store.engine.dispose()
    at.session_state["_nw_token"] = signed.session.token
    at.session_state["roster_night"] = NIGHT
    at.run()
    return at.switch_page("pages/40_roster.py").run()


def test_a_coordinator_sees_the_nights_shifts_and_assigns_someone(app_env):
    shifts, people = two_overlapping_shifts()
    at = open_roster()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["时间"]) == ["22:00–06:00 (+1)"] * 2
    assert list(table["地点"]) == [name for _, name in shifts]
    assert people[0][1] in table["人员"][0] and "辅警 1/2" in table["在岗/需要"][0]
    at.selectbox(key="roster_assign_shift").set_value(shifts[1][0]).run()
    at.selectbox(key="roster_assign_person").set_value(people[1][0]).run()
    at.button(key="roster_assign_button").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [f"已排班:{people[1][1]}。"]
    assert people[1][1] in at.dataframe[0].value["人员"][1]


def test_a_clash_shows_the_chinese_message_naming_the_other_shift(app_env):
    shifts, people = two_overlapping_shifts()
    at = open_roster()
    at.selectbox(key="roster_assign_shift").set_value(shifts[1][0]).run()
    at.selectbox(key="roster_assign_person").set_value(people[0][0]).run()
    at.button(key="roster_assign_button").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [f"与已排的班次冲突:{shifts[0][1]} {NIGHT:%m-%d} 22:00–06:00 (+1)。"]


def test_too_little_rest_asks_for_a_reason_and_the_reason_assigns(app_env):
    shifts, people = two_overlapping_shifts()
    store = setup.open_store()
    with store.session_factory() as session:
        grid_id = session.get_one(Shift, shifts[0][0]).grid_id
        district_id = session.get_one(Shift, shifts[0][0]).district_id
    morning = NIGHT + timedelta(days=1)
    campaigns.create_campaign(session_factory=store.session_factory, actor=ADMIN, district_id=district_id,
                              plan=campaigns.CampaignPlan("测试 白天", morning, morning, time(10), time(14),
                                                          grid_id=grid_id, required={"auxiliary": 1}))
    store.engine.dispose()
    at = open_roster()
    at.date_input(key="_roster_night_input").set_value(morning).run()
    at.selectbox(key="roster_assign_person").set_value(people[0][0]).run()
    at.button(key="roster_assign_button").click().run()
    assert [w.value for w in at.warning] == [
        f"与 {shifts[0][1]} {NIGHT:%m-%d} 22:00–06:00 (+1) 之间只休息 4.0 小时,少于 8 小时。填写理由后可继续排班。"]
    at.text_input(key="roster_override_reason").input("节日加强").run()
    at.button(key="roster_override_button").click().run()
    assert not at.exception
    assert [w.value for w in at.warning] == [f"已排班:{people[0][1]}。 休息时间不足,已按填写的理由排班。"]


def test_a_campaign_made_in_the_form_lists_with_its_shifts(app_env):
    at = open_roster()
    form_inputs = {w.label: w for w in at.text_input}
    form_inputs["计划名称"].input("周末潮汐加强")
    dates = {w.label: w for w in at.date_input}
    dates["首夜"].set_value(NIGHT)
    dates["末夜"].set_value(NIGHT + timedelta(days=6))
    at.button(key="FormSubmitter:roster_campaign_new-保存计划").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["已保存,生成 7 个班次。"]
    assert "周末潮汐加强" in list(at.dataframe[-1].value["名称"])


def test_a_shift_anyone_fits_offers_the_first_fifty_and_typing_a_name_finds_the_rest(app_env):
    store = setup.open_store()
    with store.session_factory() as session:
        district = session.scalar(select(District).where(District.name == "东西巷"))
        grid = session.scalars(select(Grid).where(Grid.district_id == district.id).order_by(Grid.id)).first()
        everyone = session.execute(select(Person.id, Person.name).where(
            Person.district_id == district.id, Person.active).order_by(Person.name, Person.id)).all()
    campaigns.create_campaign(session_factory=store.session_factory, actor=ADMIN, district_id=district.id,
                              plan=campaigns.CampaignPlan("测试 不限", NIGHT, NIGHT, time(22), time(6),
                                                          grid_id=grid.id, required={}))
    store.engine.dispose()
    assert len(everyone) > 50
    at = open_roster()
    assert not at.exception
    assert len(at.selectbox(key="roster_assign_person").options) == 50
    assert f"显示前 50 位合适人选,共 {len(everyone)} 位" in " ".join(c.value for c in at.caption)
    last_id, last_name = everyone[-1]
    at.text_input(key="roster_assign_search").input(last_name).run()
    assert not at.exception
    at.selectbox(key="roster_assign_person").set_value(last_id).run()
    at.button(key="roster_assign_button").click().run()
    assert not at.exception and [s.value for s in at.success] == [f"已排班:{last_name}。"]
    assert [i.value for i in at.info] == ["没有符合这个姓名、又适合这个班次的人员。"]  # now on the shift


def test_withdrawing_picks_the_shift_then_one_of_its_people(app_env):
    shifts, people = two_overlapping_shifts()
    at = open_roster()
    assert at.selectbox(key="roster_withdraw_shift").options == [f"{shifts[0][1]} 22:00–06:00 (+1)"]
    assert at.selectbox(key="roster_withdraw_pick").options == [f"{people[0][1]}(辅警)"]
    at.button(key="roster_withdraw_button").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["已撤下。候补中符合条件的人员已自动补上。"]
    assert list(at.dataframe[0].value["人员"]) == ["", ""]
