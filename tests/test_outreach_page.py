"""/outreach under AppTest on the seeded demo: a refused form keeps what was typed; a saved one shows in the list."""
from __future__ import annotations

from datetime import time

from nightwatch.vocab import OutreachKind
from test_pages import open_as

PAGE = "pages/77_outreach.py"


def shown_table(at) -> str:
    return at.dataframe[0].value.to_string() if at.dataframe else ""


def test_a_refused_form_keeps_what_was_typed_then_saves_once_fixed(app_env):
    at = open_as("demo-volunteer", PAGE)
    assert not at.exception
    at.text_input(key="outreach_new.title").set_value("夜市口反诈摊位")
    at.radio(key="outreach_new.where_mode").set_value("typed")
    at.run()
    at.text_input(key="outreach_new.where").set_value("东西巷")
    at.number_input(key="outreach_new.reached").set_value(10)
    at.number_input(key="outreach_new.installs").set_value(50)
    at.number_input(key="outreach_new.m.fan").set_value(120)
    at.button(key="outreach_new.save").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["推广App安装人数不能超过覆盖人数。"]
    assert at.text_input(key="outreach_new.title").value == "夜市口反诈摊位"
    assert at.text_input(key="outreach_new.where").value == "东西巷"
    assert at.number_input(key="outreach_new.installs").value == 50
    assert at.number_input(key="outreach_new.m.fan").value == 120
    assert "夜市口反诈摊位" not in shown_table(at)

    at.number_input(key="outreach_new.installs").set_value(6)
    at.button(key="outreach_new.save").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["已记录:夜市口反诈摊位"]
    assert "夜市口反诈摊位" in shown_table(at) and "扇子 120" in shown_table(at)
    assert at.text_input(key="outreach_new.title").value == ""  # a saved form opens empty again
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["扇子"] != "0"


def test_a_coordinator_filters_the_list_by_kind_and_the_totals_follow(app_env):
    at = open_as("demo-coordinator", PAGE)
    assert not at.exception
    before = {m.label: m.value for m in at.metric}["活动场次"]
    at.selectbox(key="outreach_kind").select_index(1 + list(OutreachKind).index(OutreachKind.SCHOOL_GUARD)).run()
    assert {m.label: m.value for m in at.metric}["活动场次"] == "0" != before
    assert [i.value for i in at.info] == ["所选时段内还没有活动记录。"]


def test_a_coordinator_changes_an_event_past_midnight_then_deletes_it(app_env):
    at = open_as("demo-coordinator", PAGE)
    pick = at.selectbox(key="outreach_pick")
    pick.select_index(1).run()
    assert not at.exception
    at.text_input(key="outreach_edit.title").set_value("闸口夜市反诈宣讲")
    at.time_input(key="outreach_edit.end").set_value(time(0, 30))
    at.button(key="outreach_edit.save").click().run()
    assert not at.exception and [s.value for s in at.success] == ["已保存修改:闸口夜市反诈宣讲"]
    assert "闸口夜市反诈宣讲" in shown_table(at) and "(+1)" in shown_table(at)
    events = {m.label: m.value for m in at.metric}["活动场次"]
    at.button(key="outreach_edit.delete").click().run()
    assert [s.value for s in at.success] == ["已删除:闸口夜市反诈宣讲"]
    assert "闸口夜市反诈宣讲" not in shown_table(at)
    assert int({m.label: m.value for m in at.metric}["活动场次"]) == int(events) - 1


def test_a_shop_is_found_by_name_among_the_first_few_offered(app_env, monkeypatch):
    at = open_as("demo-coordinator", PAGE)
    at.radio(key="outreach_new.where_mode").set_value("shop").run()
    assert not at.exception
    every = at.selectbox(key="outreach_new.shop").options
    last = every[-1]
    monkeypatch.setattr("nightwatch.services.outreach_list.CHOICES", 2)
    at.run()
    assert at.selectbox(key="outreach_new.shop").options == every[:2] and len(every) > 2
    at.text_input(key="outreach_new.shop_find").set_value(last).run()
    assert at.selectbox(key="outreach_new.shop").options == [last]
    at.text_input(key="outreach_new.title").set_value("商户走访:消防与反诈")
    at.button(key="outreach_new.save").click().run()
    assert not at.exception and not at.error
    assert last in shown_table(at)
