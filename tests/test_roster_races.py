"""Eight writers race through the roster service: one wins the last place, one person gets one of 8 overlaps."""
from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, time, timedelta

from roster_ground import add_night_shift, add_patch, add_people, check_invariants, volunteer_actor
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from db.session import make_engine, make_session_factory
from nightwatch.nights import utc
from nightwatch.services import roster
from nightwatch.vocab import AssignmentStatus, RoleKind

WRITERS = 8
ROUNDS = 5
NOW = utc(2026, 6, 1)
RACE_CONNECT_ARGS = {"postgresql": {"options": "-c deadlock_timeout=50ms"}, "sqlite": {}}


def race(url: str, attempts: list[Callable[[sessionmaker], object]]) -> list[str]:
    """Run each attempt in its own thread on its own engine, all released at once; what each came to."""
    barrier = threading.Barrier(len(attempts))

    def run(attempt: Callable[[sessionmaker], object]) -> str:
        engine = make_engine(url, connect_args=RACE_CONNECT_ARGS[make_url(url).get_backend_name()])
        try:
            factory = make_session_factory(engine)
            barrier.wait(timeout=60)
            try:
                outcome = attempt(factory)
            except roster.RosterRefused as refused:
                return refused.key
            return outcome.status.value  # type: ignore[attr-defined]
        finally:
            engine.dispose()

    with ThreadPoolExecutor(len(attempts)) as pool:
        return [f.result(timeout=120) for f in [pool.submit(run, a) for a in attempts]]


def test_eight_volunteers_race_for_the_last_place_and_one_gets_it(session_factory, db_url):
    patch = add_patch(session_factory)
    for round_no in range(ROUNDS):
        shift = add_night_shift(session_factory, patch, date(2026, 6, 10) + timedelta(days=round_no),
                                required={"volunteer": 2})
        (first,) = add_people(session_factory, patch, RoleKind.VOLUNTEER)
        roster.sign_up(session_factory=session_factory, actor=volunteer_actor(first, patch), shift_id=shift, now=NOW)
        racers = add_people(session_factory, patch, RoleKind.VOLUNTEER, WRITERS)
        results = race(db_url, [
            lambda f, p=p, s=shift: roster.sign_up(session_factory=f, actor=volunteer_actor(p, patch), shift_id=s, now=NOW)
            for p in racers
        ])
        assert sorted(results) == sorted([AssignmentStatus.ASSIGNED.value] + [AssignmentStatus.WAITLISTED.value] * 7)
    check_invariants(session_factory)


def test_eight_coordinators_race_one_person_onto_eight_overlapping_shifts_and_one_holds(session_factory, db_url):
    patch = add_patch(session_factory)
    for round_no in range(ROUNDS):
        night = date(2026, 7, 1) + timedelta(days=round_no)
        shifts = [add_night_shift(session_factory, patch, night, time(22, 10 * k), time(2, 30), required={})
                  for k in range(WRITERS // 2)]
        shifts += [add_night_shift(session_factory, patch, night, time(0, 10 * k), time(3, 0), required={})
                   for k in range(WRITERS // 2)]
        (person,) = add_people(session_factory, patch, RoleKind.AUXILIARY)
        results = race(db_url, [
            lambda f, s=s: roster.assign(session_factory=f, actor=patch.coordinator, shift_id=s, person_id=person,
                                         now=NOW)
            for s in shifts
        ])
        assert sorted(results) == sorted([AssignmentStatus.ASSIGNED.value] + ["roster.clash"] * 7)
    check_invariants(session_factory)
