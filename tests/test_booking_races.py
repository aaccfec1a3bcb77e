"""Racing writers, threads and processes, book a person once per night on SQLite and PostgreSQL."""
from __future__ import annotations

import itertools
import multiprocessing
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from booking_ground import (
    SHANGHAI,
    Ground,
    add_ground,
    add_person,
    add_shift,
    assign,
    held,
    refusal,
)
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import sessionmaker

from db.errors import is_overlap, is_retryable
from db.models import Assignment, Person
from db.session import make_engine, make_session_factory

# The race: WRITERS writers at once put one person on WRITERS shifts of one night that all overlap.
WRITERS = 8
ROUNDS = 30
# Each writer keeps its transaction open this long after inserting, so the others arrive while it is
# in flight: on SQLite they wait for the write lock, on PostgreSQL for its uncommitted row.
HOLD_SECONDS = 0.002
# PostgreSQL checks an exclusion constraint after inserting the index entry, so racing losers can wait
# on each other and one dies as a deadlock victim; find those in 50 ms rather than the default second.
RACE_CONNECT_ARGS = {"postgresql": {"options": "-c deadlock_timeout=50ms"}, "sqlite": {}}

Shifts = list[list[tuple[int, datetime, datetime]]]


@dataclass(frozen=True)
class Outcome:
    """What one writer's attempt came to, with monotonic times that show whether it raced the winner."""

    shift_id: int
    result: str  # "won", "overlap", "deadlock", or the unexpected error
    attempted_at: float
    finished_at: float


def racing_shifts(factory: sessionmaker, ground: Ground, rounds: int) -> Shifts:
    """Per round, WRITERS shifts of one night that all share 00:10–01:00: 23:00–01:00, 23:10–01:30 … 00:10–04:30."""
    work = []
    for round_no in range(rounds):
        night = datetime(2026, 7, 1, 23, tzinfo=SHANGHAI) + timedelta(days=round_no)
        shifts = []
        for k in range(WRITERS):
            starts_at = (night + timedelta(minutes=10 * k)).astimezone(timezone.utc)
            ends_at = (night + timedelta(hours=2, minutes=30 * k)).astimezone(timezone.utc)
            shifts.append((add_shift(factory, ground, starts_at, ends_at), starts_at, ends_at))
        work.append(shifts)
    return work


def attempt(factory: sessionmaker, person_id: int, shift: tuple[int, datetime, datetime],
            lock_person: bool) -> Outcome:
    """Assign with no check in Python; optionally lock the person's row first, as a roster service may."""
    shift_id, starts_at, ends_at = shift
    attempted_at = time.perf_counter()
    try:
        with factory.begin() as session:
            if lock_person:
                # FOR NO KEY UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already queues writers.
                session.execute(select(Person.id).where(Person.id == person_id).with_for_update(key_share=True))
            session.add(Assignment(shift_id=shift_id, person_id=person_id, starts_at=starts_at, ends_at=ends_at))
            session.flush()
            time.sleep(HOLD_SECONDS)
        result = "won"
    except IntegrityError as error:
        result = "overlap" if is_overlap(error) else f"{type(error.orig).__name__}: {error.orig}"
    except DBAPIError as error:
        result = "deadlock" if is_retryable(error) else f"{type(error.orig).__name__}: {error.orig}"
    return Outcome(shift_id, result, attempted_at, time.perf_counter())


def write_rounds(url: str, index: int, work: Shifts, person_id: int, barrier: Any, lock_person: bool) -> list[Outcome]:
    """One writer with its own engine and connection: every round, wait for the others, then assign."""
    engine = make_engine(url, connect_args=RACE_CONNECT_ARGS[make_url(url).get_backend_name()])
    factory = make_session_factory(engine)
    outcomes = []
    try:
        for shifts in work:
            barrier.wait(timeout=60)
            outcomes.append(attempt(factory, person_id, shifts[index], lock_person))
    finally:
        engine.dispose()
    return outcomes


def write_rounds_in_process(url: str, index: int, work: Shifts, person_id: int, barrier: Any, results: Any) -> None:
    """write_rounds in a process of its own; the outcomes go back through a queue."""
    try:
        results.put((index, write_rounds(url, index, work, person_id, barrier, lock_person=False)))
    except BaseException as error:  # noqa: BLE001 - the parent must hear of any failure, not wait forever
        barrier.abort()
        results.put((index, repr(error)))


def assert_one_winner_per_round(by_writer: list[list[Outcome]], losers_may_be: set[str], factory: sessionmaker,
                                person_id: int) -> list[Outcome]:
    """Exactly one writer wins each round, every other is refused as it may be, and the race was real."""
    rounds = list(zip(*by_writer))
    raced = 0
    for round_no, outcomes in enumerate(rounds):
        results = [outcome.result for outcome in outcomes]
        assert not any("locked" in result for result in results), f"round {round_no}: {results}"
        assert results.count("won") == 1, f"round {round_no}: {results}"
        assert set(results) - {"won"} <= losers_may_be, f"round {round_no}: {results}"
        winner = next(outcome for outcome in outcomes if outcome.result == "won")
        raced += sum(outcome.attempted_at < winner.finished_at for outcome in outcomes if outcome is not winner)
    # A loser that started before the winner committed was refused against a transaction in flight.
    assert raced >= len(rounds) * (WRITERS - 1) // 2, f"only {raced} losers raced the winner"
    intervals = held(factory, person_id)
    assert len(intervals) == len(rounds)
    assert all(ends <= next_starts for (_, ends), (next_starts, _) in itertools.pairwise(intervals))
    return [outcome for outcomes in rounds for outcome in outcomes]


def race_threads(url: str, work: Shifts, person_id: int, lock_person: bool) -> list[list[Outcome]]:
    """Run WRITERS threads through every round; each thread's outcomes in round order."""
    barrier = threading.Barrier(WRITERS)
    with ThreadPoolExecutor(WRITERS) as pool:
        futures = [pool.submit(write_rounds, url, index, work, person_id, barrier, lock_person)
                   for index in range(WRITERS)]
        return [future.result(timeout=120) for future in futures]


def test_racing_writers_book_a_person_once_per_night(db_url):
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    try:
        ground = add_ground(factory)
        person = add_person(factory, ground)
        by_writer = race_threads(db_url, racing_shifts(factory, ground, ROUNDS), person, lock_person=False)
        if db_url.startswith("sqlite"):
            assert_one_winner_per_round(by_writer, {"overlap"}, factory, person)
            return
        # PostgreSQL may pick a deadlock victim among the losers; run again, its attempt is an overlap.
        outcomes = assert_one_winner_per_round(by_writer, {"overlap", "deadlock"}, factory, person)
        for victim in (outcome for outcome in outcomes if outcome.result == "deadlock"):
            assert is_overlap(refusal(lambda: assign(factory, victim.shift_id, person)))
    finally:
        engine.dispose()


def test_racing_writers_that_lock_the_person_first_see_only_overlaps(db_url):
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    try:
        ground = add_ground(factory)
        person = add_person(factory, ground)
        by_writer = race_threads(db_url, racing_shifts(factory, ground, ROUNDS), person, lock_person=True)
        assert_one_winner_per_round(by_writer, {"overlap"}, factory, person)
    finally:
        engine.dispose()


def test_racing_processes_book_a_person_once_per_night_on_sqlite(sqlite_url):
    engine = make_engine(sqlite_url)
    factory = make_session_factory(engine)
    ground = add_ground(factory)
    person = add_person(factory, ground)
    work = racing_shifts(factory, ground, ROUNDS)
    # SQLite forbids carrying an open connection across fork(): close ours before the children start.
    engine.dispose()
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(WRITERS), context.Queue()
    processes = [context.Process(target=write_rounds_in_process,
                                 args=(sqlite_url, index, work, person, barrier, results))
                 for index in range(WRITERS)]
    for process in processes:
        process.start()
    try:
        by_index = dict(results.get(timeout=120) for _ in processes)
    finally:
        for process in processes:
            process.join(timeout=30)
    assert {index: outcomes for index, outcomes in by_index.items() if isinstance(outcomes, str)} == {}
    try:
        assert_one_winner_per_round([by_index[index] for index in range(WRITERS)], {"overlap"}, factory, person)
    finally:
        engine.dispose()
