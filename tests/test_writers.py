"""Eight merchant processes post tips at once through the real service: every tip is kept once, nobody sees an error.

Each writer is its own process (spawned for the scorecard, see start_method; with its own engine) and posts its tips one after another, each
with its own idempotency key, as the /tip form does. Afterwards every key is in the database exactly once
and no writer met "database is locked" or any other error. When the database really is too busy, the
merchant sees a friendly message and keeps what they typed, not a traceback.
"""
from __future__ import annotations

import multiprocessing
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker
from test_race_rounds import start_method

from db.models import Account, District, Shop, Tip
from db.session import make_engine, make_session_factory
from nightwatch import geo, i18n
from nightwatch.access import Actor
from nightwatch.vocab import AccountRole, BusinessKind, TipCategory, Urgency

pytestmark = pytest.mark.reliability

WRITERS = 8
LAT, LON = 25.2800, 110.2960
TOPIC = "concurrency and crashes"
TIP_PAGE = "pages/60_tip.py"


@dataclass(frozen=True)
class Writer:
    """One merchant account with its shop, as a writer process signs in."""

    index: int
    account_id: int
    shop_id: int
    district_id: int


@dataclass(frozen=True)
class Report:
    """What one writer process came back with: the tip ids it was given, its errors, when it ran."""

    index: int
    ids: list[int]
    errors: list[str]
    started: float
    finished: float


def key_of(index: int, n: int) -> str:
    """The idempotency key of writer `index`'s tip number `n`."""
    return f"writer{index}-tip{n:05d}-race"


def add_merchants(factory: sessionmaker) -> list[Writer]:
    """A district with one shop and one merchant account per writer."""
    with factory.begin() as session:
        district = District(name="并发街道", city="桂林", center_lat=LAT, center_lon=LON)
        session.add(district)
        session.flush()
        writers = []
        for index in range(WRITERS):
            lat, lon = geo.offset_point(LAT, LON, 40 * index, 0)
            shop = Shop(district_id=district.id, name=f"第{index}家店", business_kind=BusinessKind.RETAIL, lat=lat,
                        lon=lon)
            session.add(shop)
            session.flush()
            account = Account(login=f"writer-{index}", role=AccountRole.MERCHANT, shop_id=shop.id)
            session.add(account)
            session.flush()
            writers.append(Writer(index, account.id, shop.id, district.id))
        return writers


def post_tips(url: str, writer: Writer, count: int, barrier: Any, results: Any) -> None:
    """A writer process: wait for the others, post `count` tips through the service, report every error."""
    from nightwatch.services.tip_posting import post_tip

    ids: list[int] = []
    errors: list[str] = []
    engine = make_engine(url)
    factory = make_session_factory(engine)
    actor = Actor(writer.account_id, f"writer-{writer.index}", AccountRole.MERCHANT,
                  frozenset({writer.district_id}), shop_id=writer.shop_id)
    try:
        barrier.wait(timeout=120)
        started = time.monotonic()
        for n in range(count):
            try:
                ids.append(post_tip(session_factory=factory, actor=actor, category=TipCategory.SUSPICIOUS,
                                    text=f"第{writer.index}家店的第{n}条线索", urgency=Urgency.NORMAL,
                                    idempotency_key=key_of(writer.index, n)))
            except Exception as error:  # noqa: BLE001 - every error is a finding, counted and shown
                errors.append(f"tip {n}: {type(error).__name__}: {str(error)[:300]}")
        results.put(Report(writer.index, ids, errors, started, time.monotonic()))
    except BaseException as error:  # noqa: BLE001 - the parent must hear of any failure, not wait forever
        barrier.abort()
        results.put(Report(writer.index, ids, errors + [f"writer: {error!r}"], 0.0, 0.0))
    finally:
        engine.dispose()


def run_writers(context: multiprocessing.context.BaseContext, url: str, writers: list[Writer],
                count: int) -> list[Report]:
    """Start one process per writer, release them together, gather their reports."""
    barrier, results = context.Barrier(len(writers)), context.Queue()
    processes = [context.Process(target=post_tips, args=(url, writer, count, barrier, results)) for writer in writers]
    for process in processes:
        process.start()
    try:
        reports = [results.get(timeout=900) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=60)
    return sorted(reports, key=lambda report: report.index)


def test_eight_writer_processes_keep_every_tip_once_and_see_no_error(db_url, scorecard):
    count = scorecard.scale(full=1_000, quick=50)
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    writers = add_merchants(factory)
    engine.dispose()  # no connection of ours is open while the writers start

    reports = run_writers(start_method(scorecard.full), db_url, writers, count)

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
