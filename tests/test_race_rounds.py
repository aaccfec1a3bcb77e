"""Eight processes race through the roster service round after round: every round has exactly one winner.

(a) Eight coordinators put one person on eight overlapping shifts at once: exactly one assignment holds, the
others are told of the clash. (b) Eight volunteers sign up for the last open place of a shift at once: exactly
one gets it, the others are waitlisted. Each racer is a process of its own (see start_method) with its own engine,
released with the others by a barrier every round, on SQLite and on PostgreSQL.
"""
from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

import pytest
from roster_ground import (
    Patch,
    add_night_shift,
    add_patch,
    add_people,
    check_invariants,
    volunteer_actor,
)
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker
from test_roster_races import RACE_CONNECT_ARGS

from db.models import Assignment
from db.session import make_engine, make_session_factory
from nightwatch.nights import utc
from nightwatch.vocab import HOLDING_STATUSES, AssignmentStatus, RoleKind

pytestmark = pytest.mark.reliability

RACERS = 8
NOW = utc(2026, 6, 1)
ASSIGNED, WAITLISTED, CLASH = AssignmentStatus.ASSIGNED.value, AssignmentStatus.WAITLISTED.value, "roster.clash"
TOPIC = "concurrency and crashes"
# Modules a forkserver loads once, so each racer starts in milliseconds (see start_method).
PRELOAD = ["pytest", "db.session", "db.models", "nightwatch.services.roster", "nightwatch.services.tip_posting",
           "roster_ground", "test_roster_races", "test_race_rounds", "test_writers"]


def start_method(full: bool) -> multiprocessing.context.BaseContext:
    """Fresh interpreters (spawn) for the scorecard; in the everyday suite, a forkserver: children forked from a
    clean process that has loaded the app but never opened a database, so the same isolation without paying
    eight interpreter starts per test."""
    if full:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


@dataclass(frozen=True)
class Overlaps:
    """Race (a), one round: a person and eight shifts of one night that all overlap."""

    person_id: int
    shift_ids: list[int]


@dataclass(frozen=True)
class LastPlace:
    """Race (b), one round: a shift with one place left and eight volunteers who want it."""

    shift_id: int
    racer_ids: list[int]


def overlap_rounds(factory: sessionmaker, patch: Patch, rounds: int) -> list[Overlaps]:
    """Per round, eight shifts sharing 00:30–02:30 of one night (22:00, 22:10 … 00:30 starts) and one person."""
    work = []
    for round_no in range(rounds):
        night = date(2026, 7, 1) + timedelta(days=round_no)
        shifts = [add_night_shift(factory, patch, night, time(22, 10 * k), time(2, 30), required={})
                  for k in range(RACERS // 2)]
        shifts += [add_night_shift(factory, patch, night, time(0, 10 * k), time(3, 0), required={})
                   for k in range(RACERS // 2)]
        (person,) = add_people(factory, patch, RoleKind.AUXILIARY)
        work.append(Overlaps(person, shifts))
    return work


def last_place_rounds(factory: sessionmaker, patch: Patch, rounds: int) -> list[LastPlace]:
    """Per round, a shift needing two volunteers that already has one, and eight volunteers to race."""
    from nightwatch.services import roster

    work = []
    for round_no in range(rounds):
        shift = add_night_shift(factory, patch, date(2027, 7, 1) + timedelta(days=round_no),
                                required={"volunteer": 2})
        (first,) = add_people(factory, patch, RoleKind.VOLUNTEER)
        roster.sign_up(session_factory=factory, actor=volunteer_actor(first, patch), shift_id=shift, now=NOW)
        work.append(LastPlace(shift, add_people(factory, patch, RoleKind.VOLUNTEER, RACERS)))
    return work


def race(url: str, index: int, patch: Patch, overlaps: list[Overlaps], places: list[LastPlace], barrier: Any,
         results: Any) -> None:
    """One racer process: every round of (a), then every round of (b), each started with the others."""
    from nightwatch.services import roster

    def outcome(attempt: Any) -> str:
        try:
            return attempt().status.value
        except roster.RosterRefused as refused:
            return refused.key
        except Exception as error:  # noqa: BLE001 - anything else is a finding, reported as such
            return f"error: {type(error).__name__}: {str(error)[:200]}"

    engine = make_engine(url, connect_args=RACE_CONNECT_ARGS[make_url(url).get_backend_name()])
    factory = make_session_factory(engine)
    came_to: dict[str, list[str]] = {"overlaps": [], "last place": []}
    try:
        for work in overlaps:
            barrier.wait(timeout=120)
            came_to["overlaps"].append(outcome(lambda w=work: roster.assign(
                session_factory=factory, actor=patch.coordinator, shift_id=w.shift_ids[index],
                person_id=w.person_id, now=NOW)))
        for work in places:
            barrier.wait(timeout=120)
            came_to["last place"].append(outcome(lambda w=work: roster.sign_up(
                session_factory=factory, actor=volunteer_actor(w.racer_ids[index], patch), shift_id=w.shift_id,
                now=NOW)))
        results.put((index, came_to))
    except BaseException as error:  # noqa: BLE001 - the parent must hear of any failure, not wait forever
        barrier.abort()
        results.put((index, repr(error)))
    finally:
        engine.dispose()


def run_racers(context: multiprocessing.context.BaseContext, url: str, patch: Patch, overlaps: list[Overlaps],
               places: list[LastPlace]) -> list[dict]:
    """Start the eight racers, let them run every round, and return what each came to, by racer."""
    barrier, results = context.Barrier(RACERS), context.Queue()
    processes = [context.Process(target=race, args=(url, index, patch, overlaps, places, barrier, results))
                 for index in range(RACERS)]
    for process in processes:
        process.start()
    try:
        by_index = dict(results.get(timeout=1800) for _ in processes)
    finally:
        for process in processes:
            process.join(timeout=60)
    failed = {index: came for index, came in by_index.items() if isinstance(came, str)}
    assert failed == {}, f"racers failed: {failed}"
    return [by_index[index] for index in range(RACERS)]


def holding(factory: sessionmaker, **where: int) -> int:
    """How many holding assignments match, e.g. holding(factory, person_id=3)."""
    with factory() as session:
        query = select(func.count()).select_from(Assignment).where(Assignment.status.in_(HOLDING_STATUSES))
        for column, value in where.items():
            query = query.where(getattr(Assignment, column) == value)
        return session.scalar(query)


def test_eight_way_races_have_exactly_one_winner_every_round(db_url, scorecard):
    rounds = scorecard.scale(full=200, quick=5)
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    patch = add_patch(factory)
    overlaps, places = overlap_rounds(factory, patch, rounds), last_place_rounds(factory, patch, rounds)
    engine.dispose()  # none of our connections is open while the racers start

    by_racer = run_racers(start_method(scorecard.full), db_url, patch, overlaps, places)

    overlap_winners, place_winners = [], []
    for round_no, work in enumerate(overlaps):
        came = sorted(racer["overlaps"][round_no] for racer in by_racer)
        assert came == sorted([ASSIGNED] + [CLASH] * (RACERS - 1)), f"overlaps, round {round_no}: {came}"
        assert holding(factory, person_id=work.person_id) == 1
        overlap_winners.append(came.count(ASSIGNED))
    for round_no, work in enumerate(places):
        came = sorted(racer["last place"][round_no] for racer in by_racer)
        assert came == sorted([ASSIGNED] + [WAITLISTED] * (RACERS - 1)), f"last place, round {round_no}: {came}"
        assert holding(factory, shift_id=work.shift_id) == 2
        place_winners.append(came.count(ASSIGNED))
    check_invariants(factory)
    engine.dispose()

    where = "SQLite" if make_url(db_url).get_backend_name() == "sqlite" else "PostgreSQL"
    for race_name, winners in (("one person, 8 overlapping shifts", overlap_winners),
                               ("the last place of a shift, 8 volunteers", place_winners)):
        scorecard.record(TOPIC, f"{where}: 8-way race for {race_name}: rounds", len(winners), "200")
        scorecard.record(TOPIC, f"{where}: 8-way race for {race_name}: winners per round",
                         f"{min(winners)}–{max(winners)}" if min(winners) != max(winners) else f"exactly {winners[0]}",
                         "exactly 1")
