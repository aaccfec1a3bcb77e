"""Checking in from a checkpoint's QR link on real databases (SQLite and PostgreSQL)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from booking_ground import local
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from db.models import (
    Assignment,
    AuditEvent,
    CheckIn,
    Checkpoint,
    District,
    Grid,
    LastPosition,
    PatrolHeat,
    Person,
    Route,
    RouteStop,
    Shift,
    Team,
)
from nightwatch.access import Actor, Forbidden
from nightwatch.checkins import CheckInRefused, PhoneFix
from nightwatch.geo import cell_of, offset_point
from nightwatch.services.checkins import (
    check_in,
    check_in_alerts,
    inspect_link,
    verify_poster,
)
from nightwatch.signing import new_secret, sign_checkpoint
from nightwatch.vocab import AccountRole, AssignmentStatus, RoleKind, TeamType

NIGHT = date(2026, 11, 20)
NOW = local("2026-11-20 22:30")
GATE, CORNER, BRIDGE = (25.2847, 110.2965), (25.2843, 110.2969), (25.2839, 110.2975)


@dataclass(frozen=True)
class Lane:
    """The ids of a small world: a district with a route of three points, a walker and a colleague."""

    district: int
    other_district: int
    grid: int
    gate: int
    corner: int
    bridge: int
    retired: int
    far_point: int
    walker: int
    outsider: int
    shift: int
    route: int


def _point(s, district_id, grid_id, name, where, active=True) -> Checkpoint:
    point = Checkpoint(district_id=district_id, grid_id=grid_id, name=name, secret=new_secret(), lat=where[0],
                       lon=where[1], cell=cell_of(*where), active=active)
    s.add(point)
    s.flush()
    return point


@pytest.fixture
def lane(session_factory: sessionmaker) -> Lane:
    """东西巷 tonight: a red-vest walker holding 22:00–02:00 on a route gate → corner → bridge."""
    with session_factory.begin() as s:
        district = District(name="东西巷", city="桂林")
        other = District(name="襄城区", city="襄阳")
        s.add_all([district, other])
        s.flush()
        grid = Grid(district_id=district.id, name="东西巷一网格")
        s.add(grid)
        s.flush()
        team = Team(district_id=district.id, name="红马甲队", team_type=TeamType.RED_VEST)
        s.add(team)
        s.flush()
        gate, corner, bridge = (_point(s, district.id, grid.id, n, w) for n, w in
                                (("巷口牌坊", GATE), ("老井拐角", CORNER), ("小桥", BRIDGE)))
        retired = _point(s, district.id, grid.id, "旧岗亭", GATE, active=False)
        far_point = _point(s, other.id, None, "万达金街口", (32.0, 112.1))
        walker = Person(district_id=district.id, team_id=team.id, name="李巡", phone="13900000001",
                        role_kind=RoleKind.VOLUNTEER)
        outsider = Person(district_id=other.id, name="周外", phone="13900000002", role_kind=RoleKind.VOLUNTEER)
        s.add_all([walker, outsider])
        s.flush()
        route = Route(district_id=district.id, grid_id=grid.id, team_id=team.id, name="东西巷夜巡线")
        s.add(route)
        s.flush()
        s.add_all([RouteStop(route_id=route.id, position=i, checkpoint_id=p.id, minutes_from_previous=10)
                   for i, p in enumerate((gate, corner, bridge))])
        shift = Shift(district_id=district.id, grid_id=grid.id, route_id=route.id, duty_date=NIGHT,
                      starts_at=local("2026-11-20 22:00"), ends_at=local("2026-11-21 02:00"))
        s.add(shift)
        s.flush()
        s.add(Assignment(shift_id=shift.id, person_id=walker.id, status=AssignmentStatus.CONFIRMED,
                         starts_at=shift.starts_at, ends_at=shift.ends_at))
        return Lane(district.id, other.id, grid.id, gate.id, corner.id, bridge.id, retired.id, far_point.id,
                    walker.id, outsider.id, shift.id, route.id)


def volunteer(lane: Lane, person_id: int | None = None) -> Actor:
    return Actor(account_id=None, login="walker", role=AccountRole.VOLUNTEER, district_ids=frozenset({lane.district}),
                 person_id=person_id or lane.walker, display_name="李巡")


def coordinator(lane: Lane) -> Actor:
    return Actor(account_id=None, login="coord", role=AccountRole.COORDINATOR, district_ids=frozenset({lane.district}))


def signature(factory: sessionmaker, checkpoint_id: int) -> str:
    with factory() as s:
        return sign_checkpoint(checkpoint_id, s.get_one(Checkpoint, checkpoint_id).secret)


def scan(factory, lane, point_id, *, at=NOW, actor=None, sig=None, phone=None, radius_m=150.0):
    return check_in(session_factory=factory, actor=actor or volunteer(lane), checkpoint_id=point_id,
                    signature=sig if sig is not None else signature(factory, point_id), now=at, phone=phone,
                    radius_m=radius_m)


def counts(factory) -> dict[str, int]:
    """How many rows each table a check-in writes holds."""
    with factory() as s:
        return {model.__name__: s.scalar(select(func.count()).select_from(model))
                for model in (CheckIn, LastPosition, PatrolHeat)}


def refusals(factory) -> list[AuditEvent]:
    with factory() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == "checkin.refused")))


def test_a_valid_scan_counts_once_at_the_server_time_and_marks_the_walker_present(session_factory, lane):
    outcome = scan(session_factory, lane, lane.corner)
    assert (outcome.checkpoint_name, outcome.at, outcome.duplicate) == ("老井拐角", NOW, False)
    assert outcome.attended and outcome.shift_label == "东西巷夜巡线" and outcome.next_point == "小桥"
    with session_factory() as s:
        row = s.get_one(CheckIn, outcome.check_in_id)
        assert (row.person_id, row.shift_id, row.at, row.duty_date) == (lane.walker, lane.shift, NOW, NIGHT)
        assert row.cell == cell_of(*CORNER) and row.team_type == "red_vest" and row.distance_m is None
        assert s.scalar(select(Assignment.attended_at)) == NOW
        position = s.get_one(LastPosition, lane.walker)
        assert ((position.lat, position.lon), position.seen_at, position.source) == (CORNER, NOW, "checkin")
        assert s.scalar(select(PatrolHeat.n).where(PatrolHeat.cell == cell_of(*CORNER), PatrolHeat.hour == 22)) == 1
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.entity_id == row.id)) == "checkin.record"


def test_scanning_the_same_point_again_within_minutes_counts_once(session_factory, lane):
    first = scan(session_factory, lane, lane.gate)
    again = scan(session_factory, lane, lane.gate, at=NOW + timedelta(minutes=4))
    assert again.duplicate and again.check_in_id == first.check_in_id and again.at == NOW
    later = scan(session_factory, lane, lane.gate, at=NOW + timedelta(minutes=6))
    assert not later.duplicate and later.check_in_id != first.check_in_id
    assert counts(session_factory)["CheckIn"] == 2


def test_the_last_point_of_the_route_leads_back_to_the_first(session_factory, lane):
    assert scan(session_factory, lane, lane.bridge).next_point == "巷口牌坊"


def test_the_phone_location_is_kept_with_its_distance_and_a_far_one_is_flagged_not_refused(session_factory, lane):
    near = offset_point(*GATE, 30, 0)
    outcome = scan(session_factory, lane, lane.gate, phone=PhoneFix(*near, accuracy_m=12))
    assert outcome.distance_m == pytest.approx(30, abs=0.2) and not outcome.flagged
    far = offset_point(*CORNER, 0, 400)
    flagged = scan(session_factory, lane, lane.corner, phone=PhoneFix(*far))
    assert flagged.flagged and flagged.distance_m == pytest.approx(400, abs=1)
    with session_factory() as s:
        row = s.get_one(CheckIn, flagged.check_in_id)
        assert (row.phone_lat, row.phone_lon, row.flagged) == (far[0], far[1], True)
        assert row.distance_m == round(row.distance_m, 1)
    alerts = check_in_alerts(session_factory=session_factory, actor=coordinator(lane), district_id=lane.district,
                             night=NIGHT)
    assert [(a.kind, a.person, a.point) for a in alerts] == [("far", "李巡", "老井拐角")]


def test_outside_any_shift_the_scan_is_recorded_without_a_shift(session_factory, lane):
    outcome = scan(session_factory, lane, lane.gate, at=local("2026-11-20 20:00"))
    assert outcome.shift_id is None and not outcome.attended and outcome.next_point is None
    with session_factory() as s:
        assert s.get_one(CheckIn, outcome.check_in_id).shift_id is None


def test_a_grid_round_counts_on_that_shift_labelled_with_its_grid(session_factory, lane):
    with session_factory.begin() as s:
        s.get_one(Shift, lane.shift).route_id = None
    outcome = scan(session_factory, lane, lane.corner)
    assert (outcome.shift_id, outcome.shift_label, outcome.next_point) == (lane.shift, "东西巷一网格", None)
    assert outcome.attended


@pytest.mark.parametrize("case", ["tampered", "wrong_point", "rotated_secret", "unknown_point", "retired_point"])
def test_a_bad_link_is_refused_recorded_as_suspicious_and_writes_nothing_else(session_factory, lane, case):
    point, sig = lane.corner, signature(session_factory, lane.corner)
    if case == "tampered":
        sig = ("A" if sig[0] != "A" else "B") + sig[1:]
    elif case == "wrong_point":
        sig = signature(session_factory, lane.gate)
    elif case == "rotated_secret":
        with session_factory.begin() as s:
            s.get_one(Checkpoint, point).secret = new_secret()
    elif case == "unknown_point":
        point = 999_999
    else:
        point, sig = lane.retired, signature(session_factory, lane.retired)
    before = counts(session_factory)
    with pytest.raises(CheckInRefused) as refused:
        scan(session_factory, lane, point, sig=sig)
    reason = {"unknown_point": "unknown_point", "retired_point": "inactive"}.get(case, "forged")
    assert refused.value.key == f"checkin.refused_{reason}"
    assert counts(session_factory) == before
    [event] = refusals(session_factory)
    assert event.after == {"reason": reason} and sig not in str(event.after)
    assert event.district_id == (None if case == "unknown_point" else lane.district)
    with session_factory() as s:
        assert s.scalar(select(Assignment.attended_at)) is None


def test_refused_scans_reach_the_coordinators_alerts_of_that_night_only(session_factory, lane):
    with pytest.raises(CheckInRefused):
        scan(session_factory, lane, lane.gate, sig="x" * 22)
    with pytest.raises(CheckInRefused):
        scan(session_factory, lane, lane.gate, sig="y" * 22, at=NOW + timedelta(days=2))
    alerts = check_in_alerts(session_factory=session_factory, actor=coordinator(lane), district_id=lane.district,
                             night=NIGHT)
    assert [(a.kind, a.point, a.reason, a.at) for a in alerts] == [("refused", "巷口牌坊", "forged", NOW)]
    with pytest.raises(Forbidden):
        check_in_alerts(session_factory=session_factory, actor=volunteer(lane), district_id=lane.district, night=NIGHT)


def test_people_who_may_not_check_in_are_refused_with_nothing_written(session_factory, lane):
    before = counts(session_factory)
    with pytest.raises(CheckInRefused) as refused:
        scan(session_factory, lane, lane.gate, actor=coordinator(lane))
    assert refused.value.key == "checkin.coordinator_tests_only"
    with pytest.raises(CheckInRefused) as refused:
        scan(session_factory, lane, lane.far_point, actor=volunteer(lane))
    assert refused.value.key == "checkin.other_district"
    with pytest.raises(Forbidden):
        scan(session_factory, lane, lane.gate, actor=Actor(login="shop", role=AccountRole.MERCHANT))
    with pytest.raises(Forbidden):
        scan(session_factory, lane, lane.gate, actor=Actor())
    assert counts(session_factory) == before and refusals(session_factory) == []


def test_a_coordinator_tests_a_poster_without_recording_anything(session_factory, lane):
    card = verify_poster(session_factory=session_factory, actor=coordinator(lane), checkpoint_id=lane.gate,
                         signature=signature(session_factory, lane.gate))
    assert (card.name, card.district) == ("巷口牌坊", "东西巷")
    with pytest.raises(Forbidden):
        verify_poster(session_factory=session_factory, actor=coordinator(lane), checkpoint_id=lane.far_point,
                      signature=signature(session_factory, lane.far_point))
    with pytest.raises(CheckInRefused):
        verify_poster(session_factory=session_factory, actor=coordinator(lane), checkpoint_id=lane.gate,
                      signature="z" * 22)
    assert counts(session_factory)["CheckIn"] == 0 and refusals(session_factory) == []


def test_inspecting_a_link_names_the_point_only_when_it_verifies(session_factory, lane):
    viewer = Actor()
    card = inspect_link(session_factory=session_factory, actor=viewer, checkpoint_id=lane.bridge,
                        signature=signature(session_factory, lane.bridge))
    assert card.name == "小桥"
    with pytest.raises(CheckInRefused):
        inspect_link(session_factory=session_factory, actor=viewer, checkpoint_id=lane.bridge, signature="q" * 22)
    assert refusals(session_factory) == []  # an anonymous visitor's bad link is not a patrol scan
    with pytest.raises(CheckInRefused):
        inspect_link(session_factory=session_factory, actor=volunteer(lane), checkpoint_id=lane.bridge,
                     signature="q" * 22, now=NOW)
    assert [e.after for e in refusals(session_factory)] == [{"reason": "forged"}]
