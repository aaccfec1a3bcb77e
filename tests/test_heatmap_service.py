"""The heatmap service on real databases: filters, one grouped query on the rollup, and who sees what."""
from __future__ import annotations

from datetime import date

import pytest
from booking_ground import local
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker

from db.models import Checkpoint, District, IncidentHeat, PatrolHeat, Route, RouteStop
from nightwatch.access import VIEWER, Actor, Forbidden
from nightwatch.geo import cell_of, offset_point
from nightwatch.heatmap import NIGHT_HOURS, Cell
from nightwatch.services import heatmap as svc
from nightwatch.vocab import AccountRole

LANE = (25.2847, 110.2965)
MARKET, PIER, ALLEY = cell_of(*LANE), cell_of(*offset_point(*LANE, 700, 0)), cell_of(*offset_point(*LANE, 0, 700))
NIGHT1, NIGHT2, LATER = date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 28)
ALL_NIGHT = frozenset(NIGHT_HOURS)
DAY_AFTER = local("2026-11-21 12:00")  # NIGHT2 is last night


@pytest.fixture
def lane(session_factory: sessionmaker) -> dict:
    """Two nights of rollups in one district: a busy market, a sparse pier, an alley with incidents only."""
    with session_factory.begin() as s:
        district, other = District(name="东西巷", city="桂林"), District(name="襄城区", city="襄阳")
        s.add_all([district, other])
        s.flush()
        d = district.id
        patrol = [(NIGHT1, 22, MARKET, "red_vest", 4), (NIGHT1, 1, MARKET, "police_patrol", 3),
                  (NIGHT2, 22, MARKET, "red_vest", 2), (NIGHT1, 23, PIER, "red_vest", 2),
                  (NIGHT2, 0, PIER, "", 1), (LATER, 22, MARKET, "red_vest", 50), (NIGHT1, 12, MARKET, "", 30)]
        s.add_all(PatrolHeat(district_id=d, duty_date=n, hour=h, cell=c, team_type=tt, n=k) for n, h, c, tt, k in patrol)
        s.add(PatrolHeat(district_id=other.id, duty_date=NIGHT1, hour=22, cell=MARKET, team_type="red_vest", n=40))
        incidents = [(NIGHT1, 23, ALLEY, "theft", 3), (NIGHT2, 0, ALLEY, "drunk", 1), (NIGHT1, 22, MARKET, "dispute", 1),
                     (NIGHT2, 2, PIER, "theft", 0)]  # a merged-away tip leaves a zero behind
        s.add_all(IncidentHeat(district_id=d, duty_date=n, hour=h, cell=c, category=k, n=m) for n, h, c, k, m in incidents)
        stops = [Checkpoint(district_id=d, name=f"点{i}", secret="0" * 32, lat=lat, lon=lon)
                 for i, (lat, lon) in enumerate([offset_point(*LANE, 0, 500), offset_point(*LANE, 0, 900)])]
        s.add_all(stops)
        route = Route(district_id=d, name="东线")
        s.add(route)
        s.flush()
        s.add_all(RouteStop(route_id=route.id, position=i, checkpoint_id=p.id) for i, p in enumerate(stops))
    coordinator = Actor(login="c", role=AccountRole.COORDINATOR, district_ids=frozenset({d}))
    stranger = Actor(login="x", role=AccountRole.COORDINATOR, district_ids=frozenset({other.id}))
    volunteer = Actor(login="v", role=AccountRole.VOLUNTEER, district_ids=frozenset({d}))
    return {"district_id": d, "coordinator": coordinator, "others": [VIEWER, volunteer, stranger]}


def _patrol(session_factory, actor, lane, **asked):
    """Patrol cells as a {cell: n} dict, the two demo nights and the whole night unless asked otherwise."""
    asked = {"first": NIGHT1, "last": NIGHT2, "hours": ALL_NIGHT, "now": DAY_AFTER, **asked}
    return {c.cell: c.n for c in svc.patrol_cells(session_factory=session_factory, actor=actor,
                                                  district_id=lane["district_id"], **asked)}


def test_the_coordinator_gets_every_cell_summed_over_the_nights_and_hours_asked(session_factory, lane):
    coordinator = lane["coordinator"]
    assert _patrol(session_factory, coordinator, lane) == {MARKET: 9, PIER: 3}
    assert _patrol(session_factory, coordinator, lane, last=NIGHT1) == {MARKET: 7, PIER: 2}
    assert _patrol(session_factory, coordinator, lane, hours={22, 23}) == {MARKET: 6, PIER: 2}
    assert _patrol(session_factory, coordinator, lane, hours={0, 1, 2}) == {MARKET: 3, PIER: 1}
    assert _patrol(session_factory, coordinator, lane, team_types=["police_patrol"]) == {MARKET: 3}
    assert _patrol(session_factory, coordinator, lane, team_types=["red_vest", ""]) == {MARKET: 6, PIER: 3}


def test_anyone_else_gets_only_cells_at_or_above_the_minimum(session_factory, lane, monkeypatch):
    monkeypatch.setenv("NIGHTWATCH_HEATMAP_MIN_COUNT", "5")
    for actor in lane["others"]:
        assert _patrol(session_factory, actor, lane) == {MARKET: 9}
        assert _patrol(session_factory, actor, lane, hours={0, 1, 2}) == {}  # 3 and 1: both too few
    monkeypatch.setenv("NIGHTWATCH_HEATMAP_MIN_COUNT", "3")
    assert _patrol(session_factory, VIEWER, lane) == {MARKET: 9, PIER: 3}
    monkeypatch.setenv("NIGHTWATCH_HEATMAP_MIN_COUNT", "1")  # never below 2
    assert _patrol(session_factory, VIEWER, lane, last=NIGHT1, hours={0}) == {}


def test_a_coarser_cell_sums_its_children_before_the_minimum_applies(session_factory, lane, monkeypatch):
    monkeypatch.setenv("NIGHTWATCH_HEATMAP_MIN_COUNT", "5")
    coarse = _patrol(session_factory, VIEWER, lane, resolution=6)
    assert coarse == {cell_of(*LANE, 6): 12}


def test_incidents_and_gaps_are_for_the_districts_coordinators_only(session_factory, lane):
    asked = {"session_factory": session_factory, "district_id": lane["district_id"], "first": NIGHT1,
             "last": NIGHT2, "hours": ALL_NIGHT}
    for actor in lane["others"]:
        with pytest.raises(Forbidden):
            svc.incident_cells(actor=actor, **asked)
        with pytest.raises(Forbidden):
            svc.coverage_gaps(actor=actor, **asked)
    coordinator = lane["coordinator"]
    assert svc.incident_cells(actor=coordinator, **asked) == [Cell(ALLEY, 4), Cell(MARKET, 1)]
    assert svc.incident_cells(actor=coordinator, **asked, categories=["drunk"]) == [Cell(ALLEY, 1)]
    gap, = svc.coverage_gaps(actor=coordinator, **asked)
    assert (gap.cell, gap.incidents, gap.patrols, gap.score, gap.route) == (ALLEY, 4, 0, 80.0, "东线")
    assert gap.route_m < 400


def test_each_layer_is_one_grouped_query_on_its_rollup_never_on_raw_rows(session_factory, lane):
    statements: list[str] = []
    engine = session_factory.kw["bind"]

    def _seen(conn, cursor, statement, *args):
        statements.append(statement.lower())

    event.listen(engine, "before_cursor_execute", _seen)
    try:
        _patrol(session_factory, VIEWER, lane)
        svc.incident_cells(session_factory=session_factory, actor=lane["coordinator"], district_id=lane["district_id"],
                           first=NIGHT1, last=NIGHT2, hours=ALL_NIGHT)
    finally:
        event.remove(engine, "before_cursor_execute", _seen)
    # The public's window also reads the district's timezone: a single row by key.
    selects = [s for s in statements if s.lstrip().startswith("select") and "from district" not in s]
    assert len(selects) == 2
    assert "from patrol_heat" in selects[0] and "group by" in selects[0]
    assert "from incident_heat" in selects[1] and "group by" in selects[1]
    assert not any("check_in" in s or " tip" in s for s in selects)


def test_the_public_never_sees_tonight_and_its_windows_move_in_whole_weeks(session_factory, lane, monkeypatch):
    monkeypatch.setenv("NIGHTWATCH_HEATMAP_MIN_COUNT", "2")
    during_later = local("2026-11-28 23:00")  # the 50 check-ins of LATER are tonight's
    assert _patrol(session_factory, lane["coordinator"], lane, last=LATER, now=during_later)[MARKET] == 59
    assert _patrol(session_factory, VIEWER, lane, last=LATER, now=during_later) == {MARKET: 9, PIER: 3}
    # One night asked, a whole week given: NIGHT1 alone cannot be cut out of its week.
    assert _patrol(session_factory, VIEWER, lane, first=NIGHT1, last=NIGHT1) == {MARKET: 9, PIER: 3}
