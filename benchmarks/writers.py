"""Merchant writer processes posting tips at once through the service, as the /tip form does.

Shared by the intake benchmark (as many tips as possible for some seconds) and tests/test_writers.py
(a fixed number each). Each writer is its own process with its own engine; the parent waits for
their reports and counts what reached the database.
"""
from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from db.models import Account, District, Shop
from db.session import make_engine, make_session_factory
from nightwatch import geo
from nightwatch.access import Actor
from nightwatch.services.tip_posting import post_tip
from nightwatch.vocab import AccountRole, BusinessKind, TipCategory, Urgency

WRITERS = 8
LAT, LON = 25.2800, 110.2960
SCRATCH = "bench_intake_scratch"


@dataclass(frozen=True)
class Writer:
    """One merchant account with its shop, as a writer process signs in."""

    index: int
    account_id: int
    shop_id: int
    district_id: int


@dataclass(frozen=True)
class Plan:
    """How long a writer goes on: `count` tips, or as many as fit in `seconds` (whichever ends first)."""

    count: int | None = None
    seconds: float | None = None
    start: int = 0  # the number of the first tip, so later windows use new keys
    warm: bool = False  # post one tip (not counted) before the start, so imports and caches are ready
    raw: bool = False  # single-row INSERT commits into the scratch table instead of tips (the raw ceiling)


@dataclass(frozen=True)
class Report:
    """What one writer process came back with: the tip ids it was given, its errors, when it ran."""

    index: int
    ids: list[int]
    errors: list[str]
    started: float
    finished: float
    cpu_s: float = 0.0  # the process's CPU seconds between start and finish


def key_of(index: int, n: int) -> str:
    """The idempotency key of writer `index`'s tip number `n`."""
    return f"writer{index}-tip{n:06d}-race"


def add_merchants(factory: sessionmaker, district_id: int | None = None, writers: int = WRITERS) -> list[Writer]:
    """One shop and one merchant account per writer: in a new district, or beside the district's located shops."""
    with factory.begin() as session:
        if district_id is None:
            district = District(name="并发街道", city="桂林", center_lat=LAT, center_lon=LON)
            session.add(district)
            session.flush()
            district_id = district.id
            spots = [(*geo.offset_point(LAT, LON, 40 * index, 0), None) for index in range(writers)]
        else:
            spots = session.execute(select(Shop.lat, Shop.lon, Shop.grid_id).where(
                Shop.district_id == district_id, Shop.lat.is_not(None)).order_by(Shop.id).limit(writers)).all()
        made = []
        for index, (lat, lon, grid_id) in enumerate(spots):
            shop = Shop(district_id=district_id, grid_id=grid_id, name=f"并发第{index}家店", lat=lat, lon=lon,
                        business_kind=BusinessKind.RETAIL, cell=geo.cell_of(lat, lon))
            session.add(shop)
            session.flush()
            account = Account(login=f"writer-{index}", role=AccountRole.MERCHANT, shop_id=shop.id)
            session.add(account)
            session.flush()
            made.append(Writer(index, account.id, shop.id, district_id))
        return made


def _post_one(factory: sessionmaker, actor: Actor, writer: Writer, n: int, key: str | None = None) -> int:
    """Post writer's tip number n as the /tip form does."""
    return post_tip(session_factory=factory, actor=actor, category=TipCategory.SUSPICIOUS,
                    text=f"第{writer.index}家店的第{n}条线索", urgency=Urgency.NORMAL,
                    idempotency_key=key or key_of(writer.index, n))


def _insert_one(factory: sessionmaker, _actor: Actor, writer: Writer, n: int, key: str | None = None) -> int:
    """One single-row INSERT committed into the scratch table: what SQLite alone allows."""
    with factory.writer.begin() as connection:
        return connection.exec_driver_sql(f"INSERT INTO {SCRATCH} (k) VALUES (?)",
                                          (key or key_of(writer.index, n),)).lastrowid


def post_tips(url: str, writer: Writer, plan: Plan, barrier: Any, results: Any) -> None:
    """A writer process: wait for the others, post until the plan ends, report every error."""
    ids: list[int] = []
    errors: list[str] = []
    engine = make_engine(url)
    factory = make_session_factory(engine)
    actor = Actor(writer.account_id, f"writer-{writer.index}", AccountRole.MERCHANT,
                  frozenset({writer.district_id}), shop_id=writer.shop_id)
    write = _insert_one if plan.raw else _post_one
    try:
        if plan.warm:
            write(factory, actor, writer, -1, f"writer{writer.index}-warm{plan.start:06d}")
        barrier.wait(timeout=120)
        started, cpu = time.monotonic(), time.process_time()
        deadline = started + plan.seconds if plan.seconds is not None else float("inf")
        n, end = plan.start, plan.start + plan.count if plan.count is not None else None
        while (end is None or n < end) and time.monotonic() < deadline:
            try:
                ids.append(write(factory, actor, writer, n))
            except Exception as error:  # noqa: BLE001 - every error is a finding, counted and shown
                errors.append(f"tip {n}: {type(error).__name__}: {str(error)[:300]}")
            n += 1
        results.put(Report(writer.index, ids, errors, started, time.monotonic(), time.process_time() - cpu))
    except BaseException as error:  # noqa: BLE001 - the parent must hear of any failure, not wait forever
        barrier.abort()
        results.put(Report(writer.index, ids, errors + [f"writer: {error!r}"], 0.0, 0.0))
    finally:
        engine.dispose()


def run_writers(context: multiprocessing.context.BaseContext, url: str, writers: list[Writer],
                plan: Plan) -> list[Report]:
    """Start one process per writer, release them together, gather their reports."""
    barrier, results = context.Barrier(len(writers)), context.Queue()
    processes = [context.Process(target=post_tips, args=(url, writer, plan, barrier, results)) for writer in writers]
    for process in processes:
        process.start()
    try:
        reports = [results.get(timeout=900) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=60)
    return sorted(reports, key=lambda report: report.index)


def window_s(reports: list[Report]) -> float:
    """Wall seconds from the first writer's start to the last one's finish."""
    return max(r.finished for r in reports) - min(r.started for r in reports)
