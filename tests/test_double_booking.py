"""No one holds two overlapping shifts: the database refuses it on SQLite and PostgreSQL, even under racing writers."""
from __future__ import annotations

import itertools
import multiprocessing
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import sessionmaker

from db.errors import is_interval_mismatch, is_overlap, is_retryable
from db.models import Assignment, District, Grid, Person, Shift
from db.session import make_engine, make_session_factory
from nightwatch.nights import duty_date_of
from nightwatch.vocab import HOLDING_STATUSES, AssignmentStatus, RoleKind

SHANGHAI = ZoneInfo("Asia/Shanghai")
_phones = itertools.count(13800000000)


def local(wall: str) -> datetime:
    """The aware UTC instant of a Shanghai wall time written 'YYYY-MM-DD HH:MM'."""
    return datetime.strptime(wall, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI).astimezone(timezone.utc)


@dataclass(frozen=True)
class Ground:
    """A district and a grid to hang shifts on."""

    district_id: int
    grid_id: int


def add_ground(factory: sessionmaker) -> Ground:
    """A district with one grid."""
    with factory.begin() as session:
        district = District(name="东西巷", city="桂林")
        session.add(district)
        session.flush()
        grid = Grid(district_id=district.id, name="一号网格")
        session.add(grid)
        session.flush()
        return Ground(district.id, grid.id)


def add_person(factory: sessionmaker, ground: Ground) -> int:
    """A volunteer of the district."""
    with factory.begin() as session:
        person = Person(district_id=ground.district_id, name="志愿者", phone=str(next(_phones)),
                        role_kind=RoleKind.VOLUNTEER)
        session.add(person)
        session.flush()
        return person.id


def add_shift(factory: sessionmaker, ground: Ground, starts_at: datetime, ends_at: datetime) -> int:
    """A shift at the grid over the given aware instants."""
    with factory.begin() as session:
        shift = Shift(district_id=ground.district_id, grid_id=ground.grid_id, duty_date=duty_date_of(starts_at),
                      starts_at=starts_at, ends_at=ends_at)
        session.add(shift)
        session.flush()
        return shift.id


def add_local_shift(factory: sessionmaker, ground: Ground, starts: str, ends: str) -> int:
    """A shift over two Shanghai wall times."""
    return add_shift(factory, ground, local(starts), local(ends))


def assign(factory: sessionmaker, shift_id: int, person_id: int,
           status: AssignmentStatus = AssignmentStatus.ASSIGNED) -> int:
    """Put a person on a shift the way a service will: the assignment carries the shift's interval."""
    with factory.begin() as session:
        shift = session.get_one(Shift, shift_id)
        assignment = Assignment(shift_id=shift_id, person_id=person_id, status=status,
                                starts_at=shift.starts_at, ends_at=shift.ends_at)
        session.add(assignment)
        session.flush()
        return assignment.id


def change(factory: sessionmaker, model: type, row_id: int, **values: Any) -> None:
    """Update one row in its own transaction."""
    with factory.begin() as session:
        session.execute(update(model).where(model.id == row_id).values(**values))


def refusal(action: Callable[[], object]) -> IntegrityError:
    """The IntegrityError the action must raise."""
    with pytest.raises(IntegrityError) as caught:
        action()
    return caught.value


def held(factory: sessionmaker, person_id: int) -> list[tuple[datetime, datetime]]:
    """The intervals a person holds, in time order."""
    with factory() as session:
        rows = session.execute(
            select(Assignment.starts_at, Assignment.ends_at)
            .where(Assignment.person_id == person_id, Assignment.status.in_(HOLDING_STATUSES))
            .order_by(Assignment.starts_at)
        )
        return [(row.starts_at, row.ends_at) for row in rows]


def interval_of(factory: sessionmaker, model: type, row_id: int) -> tuple[datetime, datetime]:
    """A shift's or an assignment's stored interval."""
    with factory() as session:
        row = session.get_one(model, row_id)
        return row.starts_at, row.ends_at


PAIRS = [
    pytest.param(("2026-06-12 22:00", "2026-06-13 06:00"), ("2026-06-13 06:00", "2026-06-13 10:00"), False,
                 id="night-then-morning-back-to-back"),
    pytest.param(("2026-06-12 22:00", "2026-06-13 06:00"), ("2026-06-13 05:59", "2026-06-13 07:00"), True,
                 id="morning-starting-a-minute-early"),
    pytest.param(("2026-06-12 22:00", "2026-06-13 06:00"), ("2026-06-13 22:00", "2026-06-14 06:00"), False,
                 id="two-nights-in-a-row"),
    pytest.param(("2026-06-12 23:45", "2026-06-13 00:00"), ("2026-06-13 00:00", "2026-06-13 06:00"), False,
                 id="touching-at-midnight"),
    pytest.param(("2026-06-12 19:00", "2026-06-13 02:00"), ("2026-06-13 01:00", "2026-06-13 05:00"), True,
                 id="overlap-after-midnight"),
    pytest.param(("2026-06-12 23:00", "2026-06-13 01:00"), ("2026-06-12 23:30", "2026-06-13 02:00"), True,
                 id="both-cross-midnight"),
    pytest.param(("2026-06-12 22:00", "2026-06-13 06:00"), ("2026-06-13 01:00", "2026-06-13 02:00"), True,
                 id="one-inside-the-other"),
    pytest.param(("2026-01-31 22:00", "2026-02-01 06:00"), ("2026-02-01 05:00", "2026-02-01 08:00"), True,
                 id="month-end"),
    pytest.param(("2026-12-31 22:00", "2027-01-01 06:00"), ("2027-01-01 00:30", "2027-01-01 01:30"), True,
                 id="year-end"),
    pytest.param(("2028-02-28 22:00", "2028-02-29 06:00"), ("2028-02-29 06:00", "2028-02-29 12:00"), False,
                 id="leap-day-back-to-back"),
]


@pytest.mark.parametrize(("first", "second", "clash"), PAIRS)
def test_a_person_holds_two_shifts_unless_they_share_an_instant(session_factory, first, second, clash):
    ground = add_ground(session_factory)
    shifts = (add_local_shift(session_factory, ground, *first), add_local_shift(session_factory, ground, *second))
    for earlier, later in (shifts, shifts[::-1]):
        person = add_person(session_factory, ground)
        assign(session_factory, earlier, person)
        if clash:
            error = refusal(lambda: assign(session_factory, later, person))
            assert is_overlap(error)
            assert not is_interval_mismatch(error)
            assert len(held(session_factory, person)) == 1
        else:
            assign(session_factory, later, person)
            assert len(held(session_factory, person)) == 2


def test_two_people_may_hold_overlapping_shifts(session_factory):
    ground = add_ground(session_factory)
    night = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 06:00")
    early = add_local_shift(session_factory, ground, "2026-06-13 01:00", "2026-06-13 05:00")
    first, second = add_person(session_factory, ground), add_person(session_factory, ground)
    assign(session_factory, night, first)
    assign(session_factory, early, second)
    assign(session_factory, early, first, AssignmentStatus.WAITLISTED)
    assert held(session_factory, first) == [(local("2026-06-12 22:00"), local("2026-06-13 06:00"))]
    assert held(session_factory, second) == [(local("2026-06-13 01:00"), local("2026-06-13 05:00"))]


# Whether an assignment in each status takes up the person's time: only these may never overlap.
STATUS_HOLDS_TIME = {
    AssignmentStatus.ASSIGNED: True,
    AssignmentStatus.CONFIRMED: True,
    AssignmentStatus.NO_SHOW: True,
    AssignmentStatus.DONE: True,
    AssignmentStatus.WAITLISTED: False,
    AssignmentStatus.WITHDRAWN: False,
    AssignmentStatus.SWAPPED: False,
}


def test_every_status_is_decided_and_agrees_with_the_vocabulary():
    assert set(STATUS_HOLDS_TIME) == set(AssignmentStatus)
    assert {status for status, holds in STATUS_HOLDS_TIME.items() if holds} == set(HOLDING_STATUSES)


@pytest.mark.parametrize("status", list(STATUS_HOLDS_TIME), ids=str)
def test_only_assignments_that_hold_time_clash(session_factory, status):
    ground = add_ground(session_factory)
    night = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 06:00")
    early = add_local_shift(session_factory, ground, "2026-06-13 01:00", "2026-06-13 05:00")
    person = add_person(session_factory, ground)
    assign(session_factory, night, person)
    if STATUS_HOLDS_TIME[status]:
        assert is_overlap(refusal(lambda: assign(session_factory, early, person, status)))
        return
    assign(session_factory, early, person, status)
    # The other way round: a waitlisted (withdrawn, swapped) night does not block a later holding one.
    other = add_person(session_factory, ground)
    assign(session_factory, night, other, status)
    assign(session_factory, early, other)
    assert held(session_factory, other) == [(local("2026-06-13 01:00"), local("2026-06-13 05:00"))]


def test_promoting_from_the_waitlist_is_refused_while_it_would_overlap(session_factory):
    ground = add_ground(session_factory)
    night = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 06:00")
    morning = add_local_shift(session_factory, ground, "2026-06-13 05:00", "2026-06-13 08:00")
    person = add_person(session_factory, ground)
    holding = assign(session_factory, night, person)
    waiting = assign(session_factory, morning, person, AssignmentStatus.WAITLISTED)

    error = refusal(lambda: change(session_factory, Assignment, waiting, status=AssignmentStatus.ASSIGNED))
    assert is_overlap(error)
    with session_factory() as session:
        assert session.get_one(Assignment, waiting).status == AssignmentStatus.WAITLISTED

    change(session_factory, Assignment, holding, status=AssignmentStatus.WITHDRAWN)
    change(session_factory, Assignment, waiting, status=AssignmentStatus.ASSIGNED)
    assert held(session_factory, person) == [(local("2026-06-13 05:00"), local("2026-06-13 08:00"))]


def test_handing_a_shift_to_someone_already_on_duty_then_is_refused(session_factory):
    ground = add_ground(session_factory)
    night = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 06:00")
    early = add_local_shift(session_factory, ground, "2026-06-13 02:00", "2026-06-13 04:00")
    busy, free = add_person(session_factory, ground), add_person(session_factory, ground)
    assign(session_factory, night, busy)
    swapped = assign(session_factory, early, free)
    assert is_overlap(refusal(lambda: change(session_factory, Assignment, swapped, person_id=busy)))
    assert held(session_factory, free) == [(local("2026-06-13 02:00"), local("2026-06-13 04:00"))]


def test_moving_a_shift_moves_its_assignments(session_factory):
    ground = add_ground(session_factory)
    shift = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 02:00")
    holding = assign(session_factory, shift, add_person(session_factory, ground))
    waiting = assign(session_factory, shift, add_person(session_factory, ground), AssignmentStatus.WAITLISTED)

    moved = (local("2026-06-12 23:00"), local("2026-06-13 03:00"))
    change(session_factory, Shift, shift, starts_at=moved[0], ends_at=moved[1])
    assert interval_of(session_factory, Assignment, holding) == moved
    assert interval_of(session_factory, Assignment, waiting) == moved


def test_moving_a_shift_onto_another_of_the_persons_shifts_is_refused(session_factory):
    ground = add_ground(session_factory)
    night = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 02:00")
    late = add_local_shift(session_factory, ground, "2026-06-13 02:00", "2026-06-13 06:00")
    person = add_person(session_factory, ground)
    assign(session_factory, night, person)
    late_assignment = assign(session_factory, late, person)

    error = refusal(lambda: change(session_factory, Shift, late, starts_at=local("2026-06-13 01:00")))
    assert is_overlap(error)
    unmoved = (local("2026-06-13 02:00"), local("2026-06-13 06:00"))
    assert interval_of(session_factory, Shift, late) == unmoved
    assert interval_of(session_factory, Assignment, late_assignment) == unmoved

    change(session_factory, Shift, late, starts_at=local("2026-06-13 02:30"), ends_at=local("2026-06-13 06:30"))
    assert held(session_factory, person)[1] == (local("2026-06-13 02:30"), local("2026-06-13 06:30"))


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        pytest.param("2026-06-12 23:00", "2026-06-13 06:00", id="starts-late"),
        pytest.param("2026-06-12 22:00", "2026-06-13 05:00", id="ends-early"),
        pytest.param("2026-06-13 22:00", "2026-06-14 06:00", id="the-next-night"),
    ],
)
def test_an_assignment_carries_exactly_its_shifts_interval(session_factory, starts, ends):
    ground = add_ground(session_factory)
    shift = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 06:00")
    person = add_person(session_factory, ground)

    def add_mismatched() -> None:
        with session_factory.begin() as session:
            session.add(Assignment(shift_id=shift, person_id=person, starts_at=local(starts), ends_at=local(ends)))

    error = refusal(add_mismatched)
    assert is_interval_mismatch(error)
    assert not is_overlap(error)


def test_an_assignment_cannot_leave_its_shifts_interval(session_factory):
    ground = add_ground(session_factory)
    night = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 06:00")
    other = add_local_shift(session_factory, ground, "2026-06-13 22:00", "2026-06-14 06:00")
    assignment = assign(session_factory, night, add_person(session_factory, ground))

    assert is_interval_mismatch(refusal(
        lambda: change(session_factory, Assignment, assignment, ends_at=local("2026-06-13 07:00"))))
    assert is_interval_mismatch(refusal(lambda: change(session_factory, Assignment, assignment, shift_id=other)))
    assert interval_of(session_factory, Assignment, assignment) == interval_of(session_factory, Shift, night)


def test_other_refusals_are_neither_an_overlap_nor_a_mismatch(session_factory):
    ground = add_ground(session_factory)
    shift = add_local_shift(session_factory, ground, "2026-06-12 22:00", "2026-06-13 06:00")
    person = add_person(session_factory, ground)
    assign(session_factory, shift, person, AssignmentStatus.WAITLISTED)
    twice = refusal(lambda: assign(session_factory, shift, person, AssignmentStatus.WAITLISTED))
    # PostgreSQL reports a plain CHECK constraint with the same SQLSTATE as the interval trigger.
    backwards = refusal(lambda: add_shift(session_factory, ground, local("2026-06-13 06:00"),
                                          local("2026-06-12 22:00")))
    for error in (twice, backwards):
        assert not is_overlap(error)
        assert not is_interval_mismatch(error)


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
