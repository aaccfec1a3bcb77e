"""The people page (/people) under AppTest, as the demo coordinator, on the seeded demo database."""
from __future__ import annotations

from test_pages import open_as

from nightwatch.access import Actor
from nightwatch.services import overview, people, setup
from nightwatch.vocab import AccountRole

PAGE = "pages/30_people.py"
HEADER = "姓名,手机,身份,队伍\n"


def dongxi_people() -> list[people.PersonRow]:
    """Everyone of 东西巷, read straight from the store."""
    store = setup.open_store()
    admin = Actor(login="test", role=AccountRole.ADMIN)
    try:
        (district,) = [d for d in overview.districts_of(session_factory=store.session_factory, actor=admin)
                       if d.label.endswith("东西巷")]
        return people.list_people(session_factory=store.session_factory, actor=admin, district_id=district.id,
                                  filters=people.PeopleFilter(active=None))
    finally:
        store.engine.dispose()


def import_button(at):
    return at.button(key="people_import_go")


def test_the_coordinator_sees_the_districts_people_in_the_table(app_env):
    at = open_as("demo-coordinator", PAGE)
    assert not at.exception
    assert [tab.label for tab in at.tabs] == ["人员", "队伍", "导入"]
    table = at.dataframe[0].value
    everyone = dongxi_people()
    assert len(table) == sum(p.active for p in everyone) > 0
    assert set(table["name"]) == {p.name for p in everyone if p.active}
    assert set(table["phone"]) <= {p.phone for p in everyone}  # only 东西巷's people reach the browser
    # The people tab's own audited export (CSV and Excel), then the teams table's two downloads.
    assert [b.proto.label for b in at.get("download_button")] == ["导出当前筛选结果(CSV)", "导出 Excel",
                                                                  "导出 CSV", "导出 Excel"]


def test_an_upload_with_a_bad_row_shows_the_chinese_error_and_cannot_be_imported(app_env):
    at = open_as("demo-coordinator", PAGE)
    before = len(dongxi_people())
    body = HEADER + "新人甲,13912340001,志愿者,\n新人乙,139-1234-000,辅警,\n"
    at.file_uploader[0].set_value(("people.csv", body.encode("gbk"), "text/csv")).run()
    assert not at.exception
    assert any("第 3 行" in e.value for e in at.error)
    preview = at.dataframe[-1].value
    assert list(preview["行号"]) == [2, 3]
    assert preview["错误"].iloc[0] == "" and "手机号「139-1234-000」无效" in preview["错误"].iloc[1]
    assert import_button(at).disabled and import_button(at).label == "导入 2 人"
    assert len(dongxi_people()) == before


def test_a_good_upload_imports_everyone(app_env):
    at = open_as("demo-coordinator", PAGE)
    before = len(dongxi_people())
    body = HEADER + "新人甲,13912340001,志愿者,\n新人乙,+86 139 1234 0002,党员,\n"
    at.file_uploader[0].set_value(("people.csv", body.encode("utf-8-sig"), "text/csv")).run()
    assert not import_button(at).disabled
    import_button(at).click().run()
    assert not at.exception
    assert "已导入 2 人。" in [s.value for s in at.success]
    names = {p.name for p in dongxi_people()}
    assert len(names) == before + 2 and {"新人甲", "新人乙"} <= names
    assert {"新人甲", "新人乙"} <= set(at.dataframe[0].value["name"])


def test_a_refused_new_person_keeps_what_was_typed_and_a_good_one_is_added(app_env):
    at = open_as("demo-coordinator", PAGE)
    before = len(dongxi_people())
    at.text_input(key="people_add_name_0").input("周九")
    at.text_input(key="people_add_phone_0").input("1391234")
    at.button(key="people_add_go_0").click().run()
    assert not at.exception
    assert "手机号「1391234」不是有效的 11 位大陆手机号。" in [e.value for e in at.error]
    assert at.text_input(key="people_add_phone_0").value == "1391234"
    assert len(dongxi_people()) == before
    at.text_input(key="people_add_phone_0").input("+86 139 1234 0009")
    at.button(key="people_add_go_0").click().run()
    assert "已新增:周九" in [s.value for s in at.success]
    assert at.text_input(key="people_add_name_1").value == ""
    assert "周九" in {p.name for p in dongxi_people()}
