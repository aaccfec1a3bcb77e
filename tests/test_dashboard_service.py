"""The dashboard's figures on a real database (SQLite and PostgreSQL), from a small world where every one is known."""
from __future__ import annotations

from datetime import date

import pytest
from booking_ground import local
from sqlalchemy.orm import sessionmaker

from db.models import (
    Assignment,
    CheckIn,
    Checkpoint,
    District,
    Grid,
    Hazard,
    OutreachEvent,
    Person,
    Shift,
    Tip,
)
from db.rollups import rebuild
from nightwatch.access import Actor, Forbidden
from nightwatch.geo import cell_of
from nightwatch.kpi import Period, week_of
from nightwatch.nights import duty_date_of
from nightwatch.services.brief import weekly_brief
from nightwatch.services.dashboard import dashboard, hour_grid, weekly_trend
from nightwatch.vocab import (
    AccountRole,
    AssignmentStatus,
    HazardCategory,
    HazardStatus,
    Outcome,
    OutreachKind,
    RoleKind,
    TipCategory,
    TipStatus,
)

WEEK = Period(date(2026, 11, 16), date(2026, 11, 22))
NOW = local("2026-11-23 12:00")  # the Monday after: today's duty date is 23 November
SPOT = (25.2847, 110.2965)
ADMIN = Actor(role=AccountRole.ADMIN)


def _tip(s, district_id, category, received, outcome=None, *, status=TipStatus.CLOSED, dispatched=None, **extra):
    at = local(received)
    tip = Tip(district_id=district_id, category=category, received_at=at, duty_date=duty_date_of(at),
              status=status, outcome=outcome, lat=SPOT[0], lon=SPOT[1], cell=cell_of(*SPOT),
              dispatched_at=local(dispatched) if dispatched else None, **extra)
    s.add(tip)
    s.flush()
    return tip


def _shift(s, district_id, grid_id, starts, ends, people_attended):
    shift = Shift(district_id=district_id, grid_id=grid_id, duty_date=duty_date_of(local(starts)),
                  starts_at=local(starts), ends_at=local(ends))
    s.add(shift)
    s.flush()
    for person, attended in people_attended:
        s.add(Assignment(shift_id=shift.id, person_id=person.id, starts_at=shift.starts_at, ends_at=shift.ends_at,
                         status=AssignmentStatus.DONE if attended else AssignmentStatus.NO_SHOW,
                         attended_at=local(attended) if attended else None))
    return shift


def _hazard(s, district_id, found, status, due=None):
    s.add(Hazard(district_id=district_id, category=HazardCategory.BLOCKED_FIRE_EXIT, status=status,
                 found_at=local(found), due_on=due))


@pytest.fixture
def lane(session_factory: sessionmaker) -> dict[str, int]:
    """东西巷 over two weeks of November 2026 (and nothing a year before); 万达金街 next door."""
    with session_factory.begin() as s:
        district, other = District(name="东西巷", city="桂林"), District(name="万达金街", city="襄阳")
        s.add_all([district, other])
        s.flush()
        d = district.id
        grid = Grid(district_id=d, name="一网格")
        s.add(grid)
        s.flush()
        walker, sitter, absent = (Person(district_id=d, name=n, phone=p, role_kind=RoleKind.VOLUNTEER)
                                  for n, p in (("李巡", "13900000001"), ("王守", "13900000002"),
                                               ("赵缺", "13900000003")))
        s.add_all([walker, sitter, absent])
        s.flush()
        # The week: five tips (a sixth merged away), one of them at 05:30 on Monday still Sunday's night.
        first = _tip(s, d, TipCategory.DISPUTE, "2026-11-17 22:30", Outcome.MEDIATED, dispatched="2026-11-17 22:30")
        _tip(s, d, TipCategory.THEFT, "2026-11-18 01:10", Outcome.RETURNED)
        _tip(s, d, TipCategory.LOST_PERSON, "2026-11-20 23:00", Outcome.FOUND)
        _tip(s, d, TipCategory.DISPUTE, "2026-11-20 23:05", status=TipStatus.MERGED, merged_into_id=first.id)
        _tip(s, d, TipCategory.DISPUTE, "2026-11-22 21:00", status=TipStatus.RECEIVED)
        _tip(s, d, TipCategory.NOISE, "2026-11-23 05:30", Outcome.FALSE_ALARM)
        # The week before: two tips, one at 05:00 on the Monday of the week (still the Sunday night before).
        _tip(s, d, TipCategory.DRUNK, "2026-11-16 05:00", Outcome.RESOLVED)
        _tip(s, d, TipCategory.THEFT, "2026-11-10 22:00")
        _tip(s, other.id, TipCategory.THEFT, "2026-11-18 22:00")
        # Patrols: 22:00–02:00 with one on time, one an hour late, one absent; 20:00–23:00 on time.
        _shift(s, d, grid.id, "2026-11-17 22:00", "2026-11-18 02:00",
               [(walker, "2026-11-17 22:05"), (sitter, "2026-11-17 23:00"), (absent, None)])
        _shift(s, d, grid.id, "2026-11-21 20:00", "2026-11-21 23:00", [(walker, "2026-11-21 20:00")])
        _shift(s, d, grid.id, "2026-11-10 22:00", "2026-11-11 02:00", [(walker, "2026-11-10 22:00")])
        point = Checkpoint(district_id=d, grid_id=grid.id, name="巷口", secret="ab" * 16, lat=SPOT[0], lon=SPOT[1])
        s.add(point)
        s.flush()
        s.add(CheckIn(district_id=d, person_id=walker.id, checkpoint_id=point.id, at=local("2026-11-17 22:05"),
                      duty_date=date(2026, 11, 17)))
        # Hazards: three found in the week (two rectified, one overdue), one the week before (overdue).
        _hazard(s, d, "2026-11-17 23:00", HazardStatus.CLOSED)
        _hazard(s, d, "2026-11-19 22:00", HazardStatus.RECTIFIED)
        _hazard(s, d, "2026-11-20 22:00", HazardStatus.ASSIGNED, due=date(2026, 11, 20))
        _hazard(s, d, "2026-11-12 22:00", HazardStatus.REPORTED, due=date(2026, 11, 1))
        _hazard(s, other.id, "2026-11-18 22:00", HazardStatus.REPORTED, due=date(2026, 11, 1))
        for district_id, starts, reached, installs in ((d, "2026-11-19 19:00", 120, 30), (d, "2026-11-21 19:00", 80, 5),
                                                       (other.id, "2026-11-19 19:00", 999, 99)):
            s.add(OutreachEvent(district_id=district_id, kind=OutreachKind.ANTI_FRAUD_BOOTH, title="反诈宣传",
                                starts_at=local(starts), people_reached=reached, app_installs=installs))
        rebuild(s, d)
        return {"district": d, "other": other.id}


def test_a_week_counts_exactly_what_happened_in_its_nights(session_factory, lane):
    board = dashboard(session_factory=session_factory, actor=ADMIN, district_id=lane["district"], period=WEEK,
                      now=NOW)
    now = board.current
    assert board.district_name == "东西巷" and board.today == date(2026, 11, 23)
    assert now.active and now.tips == 5
    assert now.tips_by_category == {"dispute": 2, "theft": 1, "lost_person": 1, "noise": 1}
    assert now.helped_by_outcome == {"mediated": 1, "returned": 1, "found": 1, "false_alarm": 1}
    assert (now.hazards_found, now.hazards_rectified) == (3, 2) and round(now.rectification, 4) == 0.6667
    assert board.overdue_now == 2  # this week's assigned one and last week's, not next door's
    assert (now.turnout, now.on_time, now.late, now.hours) == (3, 2, 1, 10.0)  # 4 h + 3 h + 3 h
    assert (now.outreach_events, now.people_reached, now.app_installs) == (2, 200, 35)
    assert now.response.counted["react"] == 1 and now.response.met_rate["react"] is None  # too few to rate


def test_the_bases_are_the_week_before_and_an_empty_week_last_year(session_factory, lane):
    board = dashboard(session_factory=session_factory, actor=ADMIN, district_id=lane["district"], period=WEEK,
                      now=NOW)
    before = board.previous
    assert before.period == Period(date(2026, 11, 9), date(2026, 11, 15))
    assert before.active and before.tips == 2 and before.turnout == 1 and before.hours == 4.0
    assert before.hazards_found == 1 and before.hazards_rectified == 0 and before.outreach_events == 0
    assert board.last_year.period == Period(date(2025, 11, 16), date(2025, 11, 22))
    assert not board.last_year.active and board.last_year.tips == 0


def test_a_period_with_nothing_is_inactive_and_all_zero(session_factory, lane):
    quiet = Period(date(2026, 6, 1), date(2026, 6, 7))
    board = dashboard(session_factory=session_factory, actor=ADMIN, district_id=lane["district"], period=quiet,
                      now=NOW)
    now = board.current
    assert not now.active and now.tips == 0 and now.tips_by_category == {} and now.rectification is None
    assert (now.turnout, now.hours, now.outreach_events, now.people_reached) == (0, 0.0, 0, 0)


def test_the_hour_grid_and_the_weekly_trend(session_factory, lane):
    grid = hour_grid(session_factory=session_factory, actor=ADMIN, district_id=lane["district"], period=WEEK)
    # Tuesday night (the 17th): 22:30 and 01:10; Friday 23:00; Sunday 21:00 and 05:30 (merged one left out).
    assert grid == [(1, 1, 1), (1, 22, 1), (4, 23, 1), (6, 5, 1), (6, 21, 1)]
    trend = weekly_trend(session_factory=session_factory, actor=ADMIN, district_id=lane["district"],
                         last=date(2026, 11, 22), weeks=3)
    assert [(p.week, p.tips, p.hazards, p.turnout) for p in trend] == [
        (date(2026, 11, 2), 0, 0, 0), (date(2026, 11, 9), 2, 1, 1), (date(2026, 11, 16), 5, 3, 3)]


def test_the_weekly_brief_reads_the_week_holding_the_day(session_factory, lane):
    board = weekly_brief(session_factory=session_factory, actor=ADMIN, district_id=lane["district"],
                         day=date(2026, 11, 19), now=NOW)
    assert board.current.period == week_of(date(2026, 11, 19)) == WEEK and board.current.tips == 5


@pytest.mark.parametrize("role, own", [(AccountRole.COORDINATOR, False), (AccountRole.VOLUNTEER, True),
                                       (AccountRole.MERCHANT, True)])
def test_only_coordinators_of_the_district_read_it(session_factory, lane, role, own):
    actor = Actor(role=role, district_ids=frozenset({lane["district"] if own else lane["other"]}))
    with pytest.raises(Forbidden):
        dashboard(session_factory=session_factory, actor=actor, district_id=lane["district"], period=WEEK, now=NOW)
    with pytest.raises(Forbidden):
        hour_grid(session_factory=session_factory, actor=actor, district_id=lane["district"], period=WEEK)
    mine = Actor(role=AccountRole.COORDINATOR, district_ids=frozenset({lane["district"]}))
    assert dashboard(session_factory=session_factory, actor=mine, district_id=lane["district"], period=WEEK,
                     now=NOW).current.tips == 5
