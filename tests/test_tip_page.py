"""/tip under AppTest as the demo merchant: post a tip, see it in 我的线索; a double submit makes one tip."""
from __future__ import annotations

from sqlalchemy import func, select
from test_pages import open_as

from db.models import Tip
from nightwatch.services import setup
from nightwatch.vocab import TipCategory, Urgency

PAGE = "pages/60_tip.py"


def _tips_with(text: str) -> int:
    store = setup.open_store()
    with store.session_factory() as session:
        count = session.scalar(select(func.count()).select_from(Tip).where(Tip.text == text))
    store.engine.dispose()
    return count


def _fill(at, text: str) -> None:
    next(p for p in at.get("button_group") if p.key == "tip.category").set_value(TipCategory.DRUNK).run()
    next(p for p in at.get("button_group") if p.key == "tip.urgency").set_value(Urgency.HIGH).run()
    at.text_area(key="tip.text").input(text).run()


def _send(at) -> None:
    at.button(key="tip.send").click().run()


def test_a_posted_tip_appears_in_my_tips(app_env):
    at = open_as("demo-merchant", PAGE)
    assert not at.exception
    assert any(s.value.endswith("我的线索") for s in at.subheader)
    _fill(at, "门口有人醉酒砸瓶子")
    _send(at)
    assert not at.exception
    assert at.success and at.success[0].value.startswith("线索已发送")
    assert any("门口有人醉酒砸瓶子" in m.value for m in at.markdown)
    assert any("收到线索" in c.value for c in at.caption)
    assert _tips_with("门口有人醉酒砸瓶子") == 1
    assert at.text_area(key="tip.text").value == ""


def test_a_double_submit_with_the_same_key_makes_one_tip(app_env):
    at = open_as("demo-merchant", PAGE)
    key = at.session_state["tip.key"]
    _fill(at, "网络不好又点了一次")
    _send(at)
    # The answer never reached the phone: the same form, with the same key, is sent again.
    at.session_state["tip.key"] = key
    _fill(at, "网络不好又点了一次")
    _send(at)
    assert not at.exception
    assert _tips_with("网络不好又点了一次") == 1
    assert at.session_state["tip.key"] != key


def test_sending_without_a_category_says_so(app_env):
    at = open_as("demo-merchant", PAGE)
    at.text_area(key="tip.text").input("没选类别").run()
    _send(at)
    assert at.error and at.error[0].value == "请先选择是什么事"
    assert _tips_with("没选类别") == 0


LOG_SCRIPT = """
from nightwatch.access import Actor
from nightwatch.ui.tip_log_form import log_tip_form
from nightwatch.vocab import AccountRole
log_tip_form(Actor(account_id={account}, login="demo-coordinator", role=AccountRole.COORDINATOR,
                   district_ids=frozenset({{{district}}})), {district})
"""


def test_a_coordinator_logs_a_phoned_tip_with_the_form(app_env):
    from streamlit.testing.v1 import AppTest

    from db.models import Account, AccountDistrict, Place

    store = setup.open_store()
    with store.session_factory() as session:
        account = session.scalar(select(Account.id).where(Account.login == "demo-coordinator"))
        district = session.scalar(select(AccountDistrict.district_id).where(AccountDistrict.account_id == account))
        place = session.scalar(select(Place.name).where(Place.district_id == district, Place.lat.is_not(None)))
    store.engine.dispose()
    at = AppTest.from_string(LOG_SCRIPT.format(account=account, district=district), default_timeout=60).run()
    at.text_area(key="tip_log.text").input("电话报:有老人走失")
    at.text_input(key="tip_log.where").input(place)
    at.text_input(key="tip_log.caller_name").input("王女士")
    at.text_input(key="tip_log.caller_phone").input("13812345678")
    at.button[0].click().run()
    assert not at.exception and at.success, [e.value for e in at.warning]
    store = setup.open_store()
    with store.session_factory() as session:
        tip = session.scalar(select(Tip).where(Tip.text == "电话报:有老人走失"))
        assert (tip.caller_name, tip.caller_phone, tip.district_id) == ("王女士", "13812345678", district)
        assert tip.source.value == "phone" and tip.lat is not None
    store.engine.dispose()
