"""Fill the gaps as a service, on SQLite and PostgreSQL: propose writes nothing, accept is all or nothing."""
from __future__ import annotations

from datetime import timedelta

import pytest
from coverage_ground import MONDAY, NOW, add_ground, add_shift, hold, unavailable, week
from sqlalchemy import func, select

from db.models import Assignment, AuditEvent
from nightwatch.access import Actor, Forbidden
from nightwatch.i18n import t
from nightwatch.services import coverage_fill, roster
from nightwatch.vocab import AccountRole


def count(factory, model) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def propose(factory, ground, **kw) -> coverage_fill.WeekProposal:
    return coverage_fill.propose(session_factory=factory, actor=ground.coordinator, district_id=ground.district_id,
                                 first_night=MONDAY, now=NOW, time_limit=5, **kw)


def test_a_proposal_covers_every_gap_at_home_and_writes_nothing(session_factory):
    ground = add_ground(session_factory, per_role=4)
    week(session_factory, ground, nights=3)
    proposal = propose(session_factory, ground)
    assert (proposal.result.covered, proposal.result.required, proposal.result.status) == (18, 18, "OPTIMAL")
    assert all(line.home for line in proposal.lines)
    assert proposal.lines[0].when == "06-08 19:00–02:00 (+1)"
    assert count(session_factory, Assignment) == 0 and count(session_factory, AuditEvent) == 0


def test_a_proposal_leaves_out_unavailable_nights_and_people_already_busy(session_factory):
    ground = add_ground(session_factory, per_role=2)
    west, east = ground.grids
    shifts = week(session_factory, ground, nights=1)
    officer = ground.people[west, "officer"][0]
    unavailable(session_factory, officer, MONDAY.weekday())
    worker = ground.people[west, "grid_worker"][0]
    hold(session_factory, add_shift(session_factory, ground, east, MONDAY, required={"grid_worker": 5}), worker,
         "grid_worker")
    picked = {line.person_id for line in propose(session_factory, ground).lines}
    assert officer not in picked and worker not in picked
    assert shifts


def test_accepting_stores_every_assignment_in_one_audited_event(session_factory):
    ground = add_ground(session_factory, per_role=2)
    week(session_factory, ground, nights=2)
    proposal = propose(session_factory, ground)
    stored = coverage_fill.accept(session_factory=session_factory, actor=ground.coordinator, proposal=proposal, now=NOW)
    assert stored == len(proposal.lines) == proposal.result.covered == 12
    with session_factory() as session:
        held = set(session.execute(select(Assignment.shift_id, Assignment.person_id, Assignment.role_kind)).all())
        actions = session.scalars(select(AuditEvent.action)).all()
    assert held == {(line.shift_id, line.person_id, line.role_kind) for line in proposal.lines}
    assert actions.count("coverage.accept") == 1 and actions.count("assignment.assigned") == 12


def test_a_proposal_made_stale_by_a_concurrent_assignment_is_refused_whole(session_factory):
    ground = add_ground(session_factory, per_role=2)
    west, east = ground.grids
    week(session_factory, ground, nights=2)
    proposal = propose(session_factory, ground)
    last = proposal.lines[-1]
    elsewhere = add_shift(session_factory, ground, east if last.grid == "一网格" else west,
                          last.duty_date, required={"officer": 3, "grid_worker": 3})
    roster.assign(session_factory=session_factory, actor=ground.coordinator, shift_id=elsewhere,
                  person_id=last.person_id, now=NOW)  # meanwhile, on another screen
    before = (count(session_factory, Assignment), count(session_factory, AuditEvent))
    with pytest.raises(coverage_fill.CoverageRefused) as refused:
        coverage_fill.accept(session_factory=session_factory, actor=ground.coordinator, proposal=proposal, now=NOW)
    assert (count(session_factory, Assignment), count(session_factory, AuditEvent)) == before
    assert refused.value.cause_key == "roster.clash" and refused.value.values["person"] == last.person
    message = t(refused.value.key, **refused.value.values) + t(refused.value.cause_key, **refused.value.cause_values)
    assert message.startswith("未保存任何排班:") and "冲突" in message


def test_a_place_filled_meanwhile_refuses_the_proposal_whole(session_factory):
    ground = add_ground(session_factory, per_role=3)
    west, _ = ground.grids
    shift = add_shift(session_factory, ground, west, MONDAY, required={"grid_worker": 1})
    proposal = propose(session_factory, ground)
    assert [line.shift_id for line in proposal.lines] == [shift]
    other = next(p for p in ground.people[west, "grid_worker"] if p != proposal.lines[0].person_id)
    roster.assign(session_factory=session_factory, actor=ground.coordinator, shift_id=shift, person_id=other, now=NOW)
    with pytest.raises(coverage_fill.CoverageRefused) as refused:
        coverage_fill.accept(session_factory=session_factory, actor=ground.coordinator, proposal=proposal, now=NOW)
    assert refused.value.cause_key == "coverage.slot_taken"
    assert count(session_factory, Assignment) == 1


def test_only_the_districts_coordinators_propose_and_accept(session_factory):
    ground = add_ground(session_factory)
    week(session_factory, ground, nights=1)
    proposal = propose(session_factory, ground)
    stranger = Actor(login="x", role=AccountRole.COORDINATOR, district_ids=frozenset({ground.district_id + 1}))
    with pytest.raises(Forbidden):
        coverage_fill.accept(session_factory=session_factory, actor=stranger, proposal=proposal, now=NOW)
    with pytest.raises(Forbidden):
        coverage_fill.propose(session_factory=session_factory, actor=stranger, district_id=ground.district_id,
                              first_night=MONDAY, now=NOW)
    assert count(session_factory, Assignment) == 0


def test_shifts_that_have_started_are_left_alone(session_factory):
    ground = add_ground(session_factory)
    week(session_factory, ground, nights=2)
    monday_evening = NOW + timedelta(days=7, hours=12)  # 20:00 in 东西巷: Monday's shifts are running
    later = coverage_fill.propose(session_factory=session_factory, actor=ground.coordinator,
                                  district_id=ground.district_id, first_night=MONDAY, now=monday_evening, time_limit=5)
    assert {line.duty_date for line in later.lines} == {MONDAY + timedelta(days=1)}
