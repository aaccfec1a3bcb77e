"""Eight merchant processes post tips at once through the real service: every tip is kept once, nobody sees an error.

Each writer is its own process (spawned for the scorecard, see start_method; with its own engine) and posts its tips one after another, each
with its own idempotency key, as the /tip form does (benchmarks/writers.py, shared with benchmark scenario 5).
Afterwards every key is in the database exactly once and no writer met "database is locked" or any other
error. When the database really is too busy, the merchant sees a friendly message and keeps what they typed,
not a traceback.
"""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from benchmarks.writers import WRITERS, Plan, add_merchants, key_of, run_writers
from db.models import Tip
from db.session import make_engine, make_session_factory
from nightwatch import i18n
from nightwatch.vocab import TipCategory
from test_race_rounds import start_method

pytestmark = pytest.mark.reliability

TOPIC = "concurrency and crashes"
TIP_PAGE = "pages/60_tip.py"


def test_eight_writer_processes_keep_every_tip_once_and_see_no_error(db_url, scorecard):
    count = scorecard.scale(full=1_000, quick=50)
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    writers = add_merchants(factory)
    engine.dispose()  # no connection of ours is open while the writers start

    reports = run_writers(start_method(scorecard.full), db_url, writers, Plan(count=count))

    errors = [message for report in reports for message in report.errors]
    with factory() as session:
        keys = list(session.scalars(select(Tip.idempotency_key)))
        rows = session.scalar(select(func.count()).select_from(Tip))
    engine.dispose()
    expected = {key_of(index, n) for index in range(WRITERS) for n in range(count)}
    lost = expected - set(keys)
    duplicated = len(keys) - len(set(keys))
    given = [tip_id for report in reports for tip_id in report.ids]
    assert errors == [], f"{len(errors)} errors, first: {errors[:5]}"
    assert (rows, len(lost), duplicated) == (WRITERS * count, 0, 0), f"lost e.g. {sorted(lost)[:5]}"
    assert len(given) == len(set(given)) == WRITERS * count  # every writer got its own new tip each time
    seconds = max(r.finished for r in reports) - min(r.started for r in reports)

    where = "SQLite" if make_url(db_url).get_backend_name() == "sqlite" else "PostgreSQL"
    scorecard.record(TOPIC, f"{where}: writer processes × tips each", f"{WRITERS} × {count:,}", "8 × 1,000")
    scorecard.record(TOPIC, f"{where}: tip rows found", f"{rows:,}", f"{WRITERS * 1_000:,}")
    scorecard.record(TOPIC, f"{where}: tips lost", len(lost), "0")
    scorecard.record(TOPIC, f"{where}: tips duplicated", duplicated, "0")
    scorecard.record(TOPIC, f"{where}: errors a writer saw (\"database is locked\" or any other)", len(errors), "0")
    scorecard.record(TOPIC, f"{where}: throughput, 8 writers together", f"{rows / seconds:,.0f} tips/s", "")


def test_a_merchant_sees_a_friendly_message_when_the_database_stays_busy(app_env, monkeypatch, scorecard):
    from test_pages import (
        open_as,  # here, not at the top: every writer process imports this module
    )

    # Another writer holds SQLite's write lock longer than the app waits (shortened from 30 s for the test).
    monkeypatch.setattr("db.session.SQLITE_BUSY_TIMEOUT_MS", 300)
    at = open_as("demo-merchant", TIP_PAGE)
    key = at.session_state["tip.key"]
    next(p for p in at.get("button_group") if p.key == "tip.category").set_value(TipCategory.DRUNK).run()
    at.text_area(key="tip.text").input("忙的时候发的线索").run()
    blocker = sqlite3.connect(make_url(app_env).database, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        at.button(key="tip.send").click().run()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert not at.exception, at.exception
    assert [error.value for error in at.error] == [i18n.t("reliability.busy", "zh-CN")]
    # What they typed is still there, with the same key: pressing Send again posts it, once.
    assert at.text_area(key="tip.text").value == "忙的时候发的线索" and at.session_state["tip.key"] == key
    at.button(key="tip.send").click().run()
    assert not at.exception and at.success and not at.error
    engine = make_engine(app_env)
    with make_session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Tip).where(Tip.text == "忙的时候发的线索")) == 1
    engine.dispose()
    scorecard.record(TOPIC, "A merchant's tip while the database stays locked", "a friendly message, text kept; "
                     "sent once on retry", "no traceback, no lost tip")
