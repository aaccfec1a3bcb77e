"""Random sequences of assign, sign-up, withdraw and swap never leave an overlap or an over-filled shift."""
from __future__ import annotations

import itertools
from datetime import date, time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from roster_ground import add_night_shift, add_patch, add_people, check_invariants, volunteer_actor
from sqlalchemy import select

from db.models import Assignment, Shift
from nightwatch.access import Forbidden
from nightwatch.nights import utc
from nightwatch.services import roster
from nightwatch.vocab import HOLDING_STATUSES, AssignmentStatus, RoleKind

NOW = utc(2026, 6, 1)
_districts = itertools.count()
NIGHT = date(2026, 6, 12)
# Shifts of two nights that overlap in several ways, with small needs so they fill up fast.
SHIFTS = [
    (NIGHT, time(22), time(6), {"volunteer": 1, "auxiliary": 1}),
    (NIGHT, time(23), time(1), {"volunteer": 2}),
    (NIGHT, time(1), time(5), {"auxiliary": 1, "volunteer": 1}),
    (NIGHT, time(19), time(22), {}),
    (date(2026, 6, 13), time(6), time(10), {"volunteer": 1}),
]
PEOPLE = [(RoleKind.VOLUNTEER, ()), (RoleKind.VOLUNTEER, ()), (RoleKind.AUXILIARY, ()),
          (RoleKind.VOLUNTEER, ("auxiliary",)), (RoleKind.AUXILIARY, ("volunteer",))]

steps = st.lists(st.tuples(st.sampled_from(["assign", "sign_up", "withdraw", "swap"]),
                           st.integers(0, len(PEOPLE) - 1), st.integers(0, len(SHIFTS) - 1),
                           st.booleans()), min_size=1, max_size=25)


def swap(factory, patch, assignment_id: int, to_person: int) -> None:
    """Hand an assignment to a colleague in one transaction, the way the swaps service calls assign_in."""
    with factory.begin() as session:
        given_up = session.get_one(Assignment, assignment_id)
        if given_up.status not in HOLDING_STATUSES:
            raise roster.RosterRefused("roster.not_active")
        given_up.status = AssignmentStatus.SWAPPED
        session.flush()
        shift = session.get_one(Shift, given_up.shift_id)
        roster.assign_in(session, shift=shift, person_id=to_person, role_kind=given_up.role_kind,
                         override_reason="换班", now=NOW, actor=patch.coordinator)


def live_assignments(factory, shift_ids: list[int]) -> list[int]:
    with factory() as session:
        return list(session.scalars(select(Assignment.id).where(
            Assignment.shift_id.in_(shift_ids),
            Assignment.status.in_((*HOLDING_STATUSES, AssignmentStatus.WAITLISTED))).order_by(Assignment.id)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
def test_random_rostering_never_overlaps_or_overfills(session_factory, sequence):
    patch = add_patch(session_factory, name=f"片区{next(_districts)}")
    shifts = [add_night_shift(session_factory, patch, night, start, end, required=need)
              for night, start, end, need in SHIFTS]
    people = [add_people(session_factory, patch, role, skills=skills)[0] for role, skills in PEOPLE]
    for action, who, which, override in sequence:
        person, shift = people[who], shifts[which]
        try:
            if action == "assign":
                roster.assign(session_factory=session_factory, actor=patch.coordinator, shift_id=shift,
                              person_id=person, override_reason="演练" if override else None, now=NOW)
            elif action == "sign_up":
                roster.sign_up(session_factory=session_factory, actor=volunteer_actor(person, patch),
                               shift_id=shift, now=NOW)
            elif live := live_assignments(session_factory, shifts):
                chosen = live[(who * 7 + which) % len(live)]
                if action == "withdraw":
                    roster.withdraw(session_factory=session_factory, actor=patch.coordinator,
                                    assignment_id=chosen, now=NOW)
                else:
                    swap(session_factory, patch, chosen, person)
        except (roster.RosterRefused, Forbidden):
            pass
        check_invariants(session_factory)
