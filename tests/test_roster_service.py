"""The roster service on SQLite and PostgreSQL: assign, sign up, withdraw, waitlist, clashes, rest, campaigns."""
from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from db.models import Assignment, AuditEvent, Shift
from nightwatch.access import Forbidden
from nightwatch.i18n import t
from nightwatch.nights import utc
from nightwatch.services import campaigns, roster, roster_choices
from nightwatch.vocab import AssignmentStatus, RoleKind
from roster_ground import add_night_shift, add_patch, add_people, check_invariants, volunteer_actor

NOW = utc(2026, 6, 1)
NIGHT = date(2026, 6, 12)


def status_of(factory, assignment_id: int) -> AssignmentStatus:
    with factory() as session:
        return AssignmentStatus(session.get_one(Assignment, assignment_id).status)


def test_a_coordinator_fills_a_role_and_the_next_one_waits(session_factory):
    patch = add_patch(session_factory)
    shift = add_night_shift(session_factory, patch, NIGHT, required={"grid_worker": 2})
    people = add_people(session_factory, patch, RoleKind.GRID_WORKER, 3)
    outcomes = [roster.assign(session_factory=session_factory, actor=patch.coordinator, shift_id=shift,
                              person_id=p, now=NOW) for p in people]
    assert [o.status for o in outcomes] == [AssignmentStatus.ASSIGNED] * 2 + [AssignmentStatus.WAITLISTED]
    assert outcomes[2].warnings == ("roster.waitlisted",)
    rows = roster.night_roster(session_factory=session_factory, actor=patch.coordinator,
                               district_id=patch.district_id, duty_date=NIGHT)
    assert [(r.where, r.when, r.held, r.short) for r in rows] == [("一号网格", "22:00–06:00 (+1)", {"grid_worker": 2}, {})]
    assert [h.person_id for h in rows[0].waitlist] == [people[2]]
    with session_factory() as session:
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["assignment.assigned", "assignment.assigned", "assignment.waitlisted"]


def test_an_overlapping_shift_is_refused_with_a_message_naming_the_held_one(session_factory):
    patch = add_patch(session_factory)
    night = add_night_shift(session_factory, patch, NIGHT)
    early = add_night_shift(session_factory, patch, NIGHT, time(1), time(5))
    (person,) = add_people(session_factory, patch, RoleKind.AUXILIARY)
    roster.assign(session_factory=session_factory, actor=patch.coordinator, shift_id=night, person_id=person, now=NOW)
    with pytest.raises(roster.ShiftClash) as clash:
        roster.assign(session_factory=session_factory, actor=patch.coordinator, shift_id=early, person_id=person, now=NOW)
    assert clash.value.other_shift_id == night
    assert t(clash.value.key, **clash.value.values) == "与已排的班次冲突:一号网格 06-12 22:00–06:00 (+1)。"
    check_invariants(session_factory)


def test_too_little_rest_is_a_warning_a_coordinator_overrides_with_a_reason(session_factory):
    patch = add_patch(session_factory)
    night = add_night_shift(session_factory, patch, NIGHT)
    noon = add_night_shift(session_factory, patch, NIGHT.replace(day=13), time(12), time(18))
    (person,) = add_people(session_factory, patch, RoleKind.OFFICER)
    roster.assign(session_factory=session_factory, actor=patch.coordinator, shift_id=night, person_id=person, now=NOW)
    with pytest.raises(roster.RestTooShort) as short:
        roster.assign(session_factory=session_factory, actor=patch.coordinator, shift_id=noon, person_id=person, now=NOW)
    assert short.value.hours == pytest.approx(6.0) and short.value.key == "roster.rest_short"
    assert "06-12 22:00–06:00 (+1)" in t(short.value.key, **short.value.values)
    outcome = roster.assign(session_factory=session_factory, actor=patch.coordinator, shift_id=noon, person_id=person,
                            override_reason="大型活动加班", now=NOW)
    assert outcome.status is AssignmentStatus.ASSIGNED and outcome.warnings == ("roster.rest_overridden",)
    with session_factory() as session:
        assert session.get_one(Assignment, outcome.assignment_id).override_reason == "大型活动加班"


def test_back_to_back_shifts_of_one_night_need_no_rest(session_factory):
    patch = add_patch(session_factory)
    first = add_night_shift(session_factory, patch, NIGHT, time(19), time(22))
    second = add_night_shift(session_factory, patch, NIGHT, time(22), time(2))
    (person,) = add_people(session_factory, patch, RoleKind.OFFICER)
    for shift in (first, second):
        outcome = roster.assign(session_factory=session_factory, actor=patch.coordinator, shift_id=shift,
                                person_id=person, now=NOW)
        assert outcome.status is AssignmentStatus.ASSIGNED and outcome.warnings == ()


def test_a_withdrawal_promotes_the_first_waitlisted_who_does_not_clash(session_factory):
    patch = add_patch(session_factory)
    shift = add_night_shift(session_factory, patch, NIGHT, required={"volunteer": 1})
    other = add_night_shift(session_factory, patch, NIGHT, time(23), time(1), required={"volunteer": 1})
    first, busy, patient = add_people(session_factory, patch, RoleKind.VOLUNTEER, 3)
    held = roster.sign_up(session_factory=session_factory, actor=volunteer_actor(first, patch), shift_id=shift, now=NOW)
    waits = [roster.sign_up(session_factory=session_factory, actor=volunteer_actor(p, patch), shift_id=shift, now=NOW)
             for p in (busy, patient)]
    assert {w.status for w in waits} == {AssignmentStatus.WAITLISTED}
    roster.assign(session_factory=session_factory, actor=patch.coordinator, shift_id=other, person_id=busy, now=NOW)
    roster.withdraw(session_factory=session_factory, actor=volunteer_actor(first, patch),
                    assignment_id=held.assignment_id, now=NOW)
    assert status_of(session_factory, held.assignment_id) is AssignmentStatus.WITHDRAWN
    assert [status_of(session_factory, w.assignment_id) for w in waits] == [AssignmentStatus.WAITLISTED,
                                                                             AssignmentStatus.ASSIGNED]
    again = roster.sign_up(session_factory=session_factory, actor=volunteer_actor(first, patch), shift_id=shift, now=NOW)
    assert again.assignment_id == held.assignment_id and again.status is AssignmentStatus.WAITLISTED
    check_invariants(session_factory)


def test_volunteers_see_open_slots_that_fit_their_role_and_not_others(session_factory):
    patch = add_patch(session_factory)
    mine = add_night_shift(session_factory, patch, NIGHT, required={"volunteer": 2, "officer": 1})
    add_night_shift(session_factory, patch, NIGHT, time(19), time(21), required={"officer": 1})
    (person,) = add_people(session_factory, patch, RoleKind.VOLUNTEER)
    slots = roster.open_slots(session_factory=session_factory, actor=volunteer_actor(person, patch), now=NOW, days=30)
    assert [(s.shift_id, s.needs, s.full, s.when) for s in slots] == [(mine, {"volunteer": 2}, False, "22:00–06:00 (+1)")]
    with pytest.raises(roster.RosterRefused) as unfit:
        roster.sign_up(session_factory=session_factory, actor=volunteer_actor(person, patch), shift_id=mine + 1, now=NOW)
    assert unfit.value.key == "roster.role_unfit"


def test_scope_other_districts_and_other_peoples_assignments_are_refused(session_factory):
    patch, elsewhere = add_patch(session_factory), add_patch(session_factory, "襄城区")
    shift = add_night_shift(session_factory, patch, NIGHT)
    (person,) = add_people(session_factory, patch, RoleKind.GRID_WORKER)
    (stranger,) = add_people(session_factory, elsewhere, RoleKind.GRID_WORKER)
    with pytest.raises(Forbidden):
        roster.assign(session_factory=session_factory, actor=elsewhere.coordinator, shift_id=shift, person_id=person)
    with pytest.raises(Forbidden):
        roster.assign(session_factory=session_factory, actor=patch.coordinator, shift_id=shift, person_id=stranger,
                      now=NOW)
    with pytest.raises(Forbidden):
        roster.night_roster(session_factory=session_factory, actor=elsewhere.coordinator,
                            district_id=patch.district_id, duty_date=NIGHT)
    held = roster.assign(session_factory=session_factory, actor=patch.coordinator, shift_id=shift, person_id=person,
                         now=NOW)
    (colleague,) = add_people(session_factory, patch, RoleKind.GRID_WORKER)
    with pytest.raises(Forbidden):
        roster.withdraw(session_factory=session_factory, actor=volunteer_actor(colleague, patch),
                        assignment_id=held.assignment_id, now=NOW)
    with pytest.raises(roster.RosterRefused, match="roster.started"):
        roster.withdraw(session_factory=session_factory, actor=patch.coordinator, assignment_id=held.assignment_id,
                        now=utc(2026, 6, 12, 15))


def plan(**changes) -> campaigns.CampaignPlan:
    base = dict(name="暑期夜巡", first_night=date(2026, 6, 1), last_night=date(2026, 6, 10),
                start_time=time(19), end_time=time(2))
    return campaigns.CampaignPlan(**(base | changes))


def test_a_campaign_makes_its_nights_with_the_grids_template(session_factory):
    patch = add_patch(session_factory)
    made = campaigns.create_campaign(session_factory=session_factory, actor=patch.coordinator,
                                     district_id=patch.district_id, now=utc(2026, 5, 1),
                                     plan=plan(grid_id=patch.grid_id, weekdays=(4, 5), last_night=date(2026, 6, 13)))
    assert made.added == 4  # 1 June 2026 is a Monday: Fridays and Saturdays are the 5th, 6th, 12th and 13th
    with session_factory() as session:
        shifts = session.scalars(select(Shift).order_by(Shift.starts_at)).all()
    assert [s.duty_date.day for s in shifts] == [5, 6, 12, 13]
    assert all(s.required == {"officer": 1, "auxiliary": 2, "grid_worker": 3} for s in shifts)


def test_editing_a_campaign_changes_coming_shifts_only(session_factory):
    patch = add_patch(session_factory)
    made = campaigns.create_campaign(session_factory=session_factory, actor=patch.coordinator,
                                     district_id=patch.district_id, now=utc(2026, 5, 1),
                                     plan=plan(grid_id=patch.grid_id))
    (person,) = add_people(session_factory, patch, RoleKind.OFFICER)
    with session_factory() as session:
        shifts = session.scalars(select(Shift).order_by(Shift.starts_at)).all()
    past, coming = shifts[1], shifts[6]
    early = roster.assign(session_factory=session_factory, actor=patch.coordinator, shift_id=past.id,
                          person_id=person, now=utc(2026, 5, 1))
    later = roster.assign(session_factory=session_factory, actor=patch.coordinator, shift_id=coming.id,
                          person_id=person, now=utc(2026, 5, 1))
    edit_now = utc(2026, 6, 4)  # the nights of the 1st to 3rd have begun
    change = campaigns.update_campaign(session_factory=session_factory, actor=patch.coordinator,
                                       campaign_id=made.campaign_id, now=edit_now,
                                       plan=plan(grid_id=patch.grid_id, start_time=time(20), end_time=time(3),
                                                 last_night=date(2026, 6, 8), required={"officer": 2}))
    assert (change.added, change.changed, change.removed, change.kept) == (0, 5, 2, 3)
    with session_factory() as session:
        after = {s.id: s for s in session.scalars(select(Shift))}
        moved = session.get_one(Assignment, later.assignment_id)
        kept = session.get_one(Assignment, early.assignment_id)
    assert after[past.id].starts_at == past.starts_at and after[past.id].required == past.required
    assert after[coming.id].starts_at == utc(2026, 6, 7, 12) and after[coming.id].required == {"officer": 2}
    assert (moved.starts_at, moved.ends_at) == (utc(2026, 6, 7, 12), utc(2026, 6, 7, 19))
    assert kept.starts_at == past.starts_at
    rows = campaigns.list_campaigns(session_factory=session_factory, actor=patch.coordinator,
                                    district_id=patch.district_id)
    assert [(r.hours, r.shifts, r.where) for r in rows] == [("20:00–03:00 (+1)", 8, "一号网格")]


def test_shrinking_a_campaigns_staffing_puts_the_latest_unconfirmed_back_on_the_waitlist(session_factory):
    patch = add_patch(session_factory)
    one_night = dict(grid_id=patch.grid_id, last_night=date(2026, 6, 1))
    made = campaigns.create_campaign(session_factory=session_factory, actor=patch.coordinator,
                                     district_id=patch.district_id, now=NOW - timedelta(days=1),
                                     plan=plan(required={"volunteer": 2}, **one_night))
    with session_factory() as session:
        shift = session.scalar(select(Shift.id))
    first, second = add_people(session_factory, patch, RoleKind.VOLUNTEER, 2)
    held = [roster.assign(session_factory=session_factory, actor=patch.coordinator, shift_id=shift, person_id=p,
                          now=NOW) for p in (first, second)]
    campaigns.update_campaign(session_factory=session_factory, actor=patch.coordinator, campaign_id=made.campaign_id,
                              now=NOW, plan=plan(required={"volunteer": 1}, **one_night))
    assert [status_of(session_factory, h.assignment_id) for h in held] == [AssignmentStatus.ASSIGNED,
                                                                            AssignmentStatus.WAITLISTED]
    check_invariants(session_factory)
    campaigns.update_campaign(session_factory=session_factory, actor=patch.coordinator, campaign_id=made.campaign_id,
                              now=NOW, plan=plan(required={"volunteer": 3}, **one_night))
    assert [status_of(session_factory, h.assignment_id) for h in held] == [AssignmentStatus.ASSIGNED] * 2


def test_the_people_offered_for_a_shift_are_those_who_fit_it_short_role_first_and_a_name_narrows_them(session_factory):
    patch = add_patch(session_factory)
    shift = add_night_shift(session_factory, patch, NIGHT, required={"grid_worker": 1, "auxiliary": 1})
    workers = add_people(session_factory, patch, RoleKind.GRID_WORKER, 2)
    skilled = add_people(session_factory, patch, RoleKind.VOLUNTEER, 1, skills=("auxiliary",))
    add_people(session_factory, patch, RoleKind.VOLUNTEER, 2)  # fit nothing the shift asks for
    roster.assign(session_factory=session_factory, actor=patch.coordinator, shift_id=shift, person_id=workers[0],
                  now=NOW)
    found = roster_choices.candidates(session_factory=session_factory, actor=patch.coordinator, shift_id=shift)
    assert [(c.person_id, c.fills_short_role) for c in found] == [(skilled[0], True), (workers[1], False)]
    named = roster_choices.candidates(session_factory=session_factory, actor=patch.coordinator, shift_id=shift,
                                      search="worker-1")
    assert [c.person_id for c in named] == [workers[1]]
    assert roster_choices.candidates(session_factory=session_factory, actor=patch.coordinator, shift_id=shift,
                                     search="%") == []
