"""/accounts under AppTest: linking a new account to one of a district's thousand people or shops by search."""
from __future__ import annotations

from sqlalchemy import select

from db.models import Account, Person
from nightwatch.services import accounts, setup
from nightwatch.vocab import AccountRole
from test_pages import open_as

PAGE = "pages/80_accounts.py"


def picker(at, label: str):
    """The form's selectbox with this label."""
    (found,) = [box for box in at.selectbox if box.label == label]
    return found


def test_a_volunteer_account_is_linked_to_a_person_found_by_search(app_env, monkeypatch):
    monkeypatch.setattr(accounts, "CHOICES", 2)
    at = open_as("demo-coordinator", PAGE)
    at.selectbox(key="new_role").set_value(AccountRole.VOLUNTEER).run()
    assert not at.exception
    assert len(picker(at, "对应队员").options) == 2  # the first matches only, not the whole district
    store = setup.open_store()
    with store.session_factory() as session:
        wanted = session.execute(select(Person.id, Person.name).where(
            Person.active, Person.district_id == at.session_state["district_id"])
            .order_by(Person.name.desc())).first()  # far down the page's district's list
    at.text_input(key="new_find_person").input(wanted.name).run()
    assert [o for o in picker(at, "对应队员").options if o.startswith(wanted.name)]
    picker(at, "对应队员").set_value(wanted.id)
    form_inputs = {box.label: box for box in at.text_input}
    form_inputs["账号"].input("linked-by-search")
    form_inputs["密码"].input("a-long-enough-passphrase-42")
    (create,) = [b for b in at.button if b.label == "新建账号"]
    create.click().run()
    assert not at.exception
    assert "账号“linked-by-search”已创建。" in [s.value for s in at.success]
    with store.session_factory() as session:
        assert session.scalar(select(Account.person_id).where(Account.login == "linked-by-search")) == wanted.id
    store.engine.dispose()


def test_a_merchant_account_searches_shops_and_a_miss_offers_nothing(app_env):
    at = open_as("demo-coordinator", PAGE)
    at.selectbox(key="new_role").set_value(AccountRole.MERCHANT).run()
    assert not at.exception
    assert picker(at, "对应商户").options  # the district's shops, first by name
    at.text_input(key="new_find_shop").input("没有这家店%").run()
    assert not at.exception
    assert picker(at, "对应商户").options == []
