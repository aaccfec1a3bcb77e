"""/hazards and the 复查 section of /my_tasks under AppTest on the seeded demo."""
from __future__ import annotations

from sqlalchemy import select
from test_pages import open_as

from db.models import Account, Hazard, HazardInspection
from nightwatch.services import setup
from nightwatch.vocab import HazardStatus

PAGE = "pages/75_hazards.py"
TASKS = "pages/70_my_tasks.py"


def texts(at) -> str:
    """Everything the page wrote, in one string."""
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption] + [m.value for m in at.success]
    return "\n".join(parts + [m.value for m in at.error] + [m.value for m in at.info])


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_the_coordinator_sees_the_table_rates_and_a_detail(app_env):
    at = open_as("demo-coordinator", PAGE)
    assert not at.exception
    assert at.dataframe, "the hazards table is drawn"
    assert {m.label for m in at.metric} >= {"整改率", "发现", "已整改"}
    assert any(b.label == "下载 CSV" or "CSV" in b.label for b in at.get("download_button"))
    assert "整改期限" in texts(at)


def test_a_volunteer_reports_a_refused_form_keeps_its_words_and_the_coordinator_verifies(app_env):
    at = open_as("demo-volunteer", PAGE)
    assert not at.exception and not at.dataframe  # a phone gets cards, not a wide table
    where = next(w for w in at.text_input if w.label == "位置说明")
    where.input("东巷口配电箱旁").run()
    button(at, "上报").click().run()
    assert "请写一句隐患情况" in texts(at)
    assert next(w for w in at.text_input if w.label == "位置说明").value == "东巷口配电箱旁"
    next(w for w in at.text_area if w.label == "隐患描述").input("配电箱门坏了,电线外露").run()
    button(at, "上报").click().run()
    assert "隐患已上报" in texts(at)
    store = setup.open_store()
    with store.session_factory() as s:
        hazard = s.scalars(select(Hazard).where(Hazard.description == "配电箱门坏了,电线外露")).one()
        assert hazard.status is HazardStatus.REPORTED and hazard.location_note == "东巷口配电箱旁"
    at = open_as("demo-coordinator", PAGE)
    at.multiselect(key="hz.f.status").set_value([HazardStatus.REPORTED]).run()
    at.selectbox(key="hz.pick").set_value(hazard.id).run()
    button(at, "核实").click().run()
    assert not at.exception and "已核实" in texts(at)
    with store.session_factory() as s:
        assert s.get(Hazard, hazard.id).status is HazardStatus.VERIFIED
    store.engine.dispose()


def test_the_volunteer_passes_the_reinspection_booked_on_tonights_patrol(app_env):
    at = open_as("demo-volunteer", TASKS)
    assert not at.exception
    assert any("复查任务" in h.value for h in at.subheader)
    button(at, "复查通过").click().run()
    assert "复查通过,等待销号" in texts(at)
    store = setup.open_store()
    with store.session_factory() as s:
        person = s.scalar(select(Account.person_id).where(Account.login == "demo-volunteer"))
        done = s.scalars(select(HazardInspection).where(HazardInspection.done_by_id == person)).all()
        assert [check.passed for check in done] == [True]
        assert s.get(Hazard, done[0].hazard_id).status is HazardStatus.REINSPECTED
    store.engine.dispose()


def test_the_merchant_sees_only_cards_of_its_own_shop(app_env):
    at = open_as("demo-merchant", PAGE)
    assert not at.exception and not at.dataframe
    assert any(h.value == "本店隐患" for h in at.subheader)
