"""/shops under AppTest: the merchant's own dossier form, a patrol's masked read, a coordinator's list and pick."""
from __future__ import annotations

from sqlalchemy import select

from db.models import Account, Shop
from nightwatch.services import setup
from test_pages import open_as

PAGE = "pages/35_shops.py"


def merchant_shop() -> Shop:
    store = setup.open_store()
    with store.session_factory() as s:
        shop = s.scalars(select(Shop).join(Account, Account.shop_id == Shop.id)
                         .where(Account.login == "demo-merchant")).one()
        s.expunge(shop)
    store.engine.dispose()
    return shop


def save(at, shop_id: int):
    return next(b for b in at.button if b.label == "保存" and (b.form_id or "").startswith(f"shop{shop_id}_dossier"))


def test_a_refused_phone_keeps_what_the_merchant_typed_and_a_good_one_saves(app_env):
    shop = merchant_shop()
    at = open_as("demo-merchant", PAGE)
    assert not at.exception
    assert at.subheader[0].value == shop.name and not at.dataframe  # straight to their own dossier, no list
    prefix = f"shop{shop.id}"
    at.text_input(key=f"{prefix}_owner_name").input("陈新")
    at.text_input(key=f"{prefix}_owner_phone").input("2801234")
    at.checkbox(key=f"{prefix}_item_alarm_button").check()
    save(at, shop.id).click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "店主的电话「2801234」不是有效号码:请填11位手机号,或带区号的座机号(如 0773-2801234)。"]
    assert at.text_input(key=f"{prefix}_owner_name").value == "陈新"
    assert at.text_input(key=f"{prefix}_owner_phone").value == "2801234"
    assert at.checkbox(key=f"{prefix}_item_alarm_button").value is True
    assert merchant_shop().owner_name == shop.owner_name  # nothing saved
    at.text_input(key=f"{prefix}_owner_phone").input("0773-2801234")
    save(at, shop.id).click().run()
    assert not at.exception and "档案已保存。" in [s.value for s in at.success]
    saved = merchant_shop()
    assert (saved.owner_name, saved.owner_phone) == ("陈新", "07732801234")
    assert saved.safety_checklist["alarm_button"] is True


def test_a_volunteer_reads_a_dossier_with_masked_phones_and_no_edit_form(app_env):
    shop = merchant_shop()
    at = open_as("demo-volunteer", PAGE)
    assert not at.exception and at.dataframe  # the list
    at.selectbox(key="shops_pick").set_value(shop.id).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown).replace("\\", "")  # Markdown escapes the stars
    assert shop.owner_phone not in text and f"{shop.owner_phone[:3]}****{shop.owner_phone[-4:]}" in text
    assert not [t for t in at.text_input if (t.key or "").endswith("_owner_phone")]
    assert "风险依据" in text and "档案时间线(近90天)" in text


def test_a_coordinator_filters_the_list_and_opens_a_dossier_with_its_risk(app_env):
    shop = merchant_shop()
    at = open_as("demo-coordinator", PAGE)
    assert not at.exception
    at.text_input(key="shops_f_text").input(shop.name).run()
    table = at.dataframe[0].value
    assert list(table["店名"]) == [shop.name]
    at.selectbox(key="shops_pick").set_value(shop.id).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert shop.owner_phone in text and "风险依据" in text
    assert at.text_input(key=f"shop{shop.id}_owner_phone").value == shop.owner_phone


def test_a_team_leader_records_an_inspection_and_it_heads_the_timeline(app_env):
    shop = merchant_shop()
    at = open_as("demo-leader", PAGE)
    at.selectbox(key="shops_pick").set_value(shop.id).run()
    prefix = f"shop{shop.id}_inspect"
    at.checkbox(key=f"{prefix}_extinguisher").check()
    at.text_area(key=f"{prefix}_note").input("灭火器压力正常,后门堆了纸箱")
    next(b for b in at.button if b.form_id == prefix).click().run()
    assert not at.exception and "检查记录已保存。" in [s.value for s in at.success]
    lines = [m.value for m in at.markdown if "安全检查 · 缺项" in m.value]
    assert lines and "灭火器压力正常,后门堆了纸箱" in lines[0]  # newest first
