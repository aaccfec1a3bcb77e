"""/my_tasks under AppTest as the demo volunteer: a dispatched tip as a card, 收到 / 到场 / 办结, no reporter."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from db.models import Account, Person, Tip
from nightwatch.nights import duty_date_of
from nightwatch.services import accounts, setup
from nightwatch.services import dispatch as svc
from nightwatch.vocab import Outcome, TipCategory, TipStatus
from test_pages import open_as

PAGE = "pages/70_my_tasks.py"
SECRETS = ("王小姐", "13712345678", "137****5678")


def fresh_tip(district_id: int | None = None, *, login: str = "demo-volunteer", anonymous: bool = True) -> int:
    """A tip received two minutes ago (the demo's own tips sit at its 22:30 snapshot, maybe ahead of the clock)."""
    store = setup.open_store()
    now = datetime.now(timezone.utc)
    with store.session_factory.begin() as s:
        if district_id is None:
            district_id = s.scalar(select(Person.district_id).join(Account, Account.person_id == Person.id)
                                   .where(Account.login == login))
        tip = Tip(district_id=district_id, category=TipCategory.LOST_PERSON, text="老人走失,穿灰色外套",
                  location_note="东西巷口牌坊下", lat=25.2795, lon=110.2953, anonymous=anonymous, caller_name="王小姐",
                  caller_phone="13712345678", duty_date=duty_date_of(now), received_at=now - timedelta(minutes=2),
                  urgency="critical")
        s.add(tip)
        s.flush()
        tip_id = tip.id
    store.engine.dispose()
    return tip_id


def dispatch_to(login: str, *, anonymous: bool = True) -> int:
    """A fresh tip in the person's district, dispatched to them now; returns the tip id."""
    tip_id = fresh_tip(login=login, anonymous=anonymous)
    store = setup.open_store()
    with store.session_factory() as s:
        person_id = s.scalar(select(Account.person_id).where(Account.login == login))
    svc.dispatch(session_factory=store.session_factory, actor=accounts.OPERATOR, tip_id=tip_id,
                 person_ids=[person_id], now=datetime.now(timezone.utc))
    store.engine.dispose()
    return tip_id


def tip_status(tip_id: int) -> TipStatus:
    store = setup.open_store()
    with store.session_factory() as s:
        status = s.get_one(Tip, tip_id).status
    store.engine.dispose()
    return status


def shown(at) -> str:
    return " ".join(e.value for e in [*at.markdown, *at.caption, *at.info, *at.success])


def test_the_volunteer_sees_the_task_without_the_reporter_and_works_it_through(app_env):
    tip = dispatch_to("demo-volunteer")
    at = open_as("demo-volunteer", PAGE)
    assert not at.exception
    text = shown(at)
    assert f"#{tip}" in text and "东西巷口牌坊下" in text and "走失" in text
    assert not [s for s in SECRETS if s in text]
    at.button(key=next(b.key for b in at.button if (b.key or "").startswith("ack_"))).click().run()
    assert [s.value for s in at.success] == ["已收到,请尽快前往。"] and tip_status(tip) is TipStatus.ACKNOWLEDGED
    at.button(key=next(b.key for b in at.button if (b.key or "").startswith("arrive_"))).click().run()
    assert tip_status(tip) is TipStatus.ON_SCENE
    outcome = next(s for s in at.selectbox if (s.key or "").startswith("outcome_"))
    outcome.set_value(Outcome.FOUND)
    next(a for a in at.text_area if (a.key or "").startswith("note_")).input("已找到,交给家属")
    at.button(key=next(b.key for b in at.button if (b.key or "").startswith("close_"))).click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["已办结,辛苦了!"] and tip_status(tip) is TipStatus.CLOSED
    assert not [b for b in at.button if (b.key or "").startswith("close_")]


def test_a_volunteer_with_nothing_dispatched_is_told_so(app_env):
    at = open_as("demo-volunteer", PAGE)
    assert not at.exception and "暂时没有派给您的任务。" in [i.value for i in at.info]
