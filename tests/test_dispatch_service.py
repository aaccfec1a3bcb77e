"""Dispatching on both backends: send, escalate only after the window, refer to 110, merge, scope refusals."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import AuditEvent, Dispatch, Tip, TipFollower
from dispatch_world import NOW, add_tip, build
from nightwatch.access import Forbidden
from nightwatch.services import dispatch as svc
from nightwatch.services.dispatch_board import board, candidates
from nightwatch.services.dispatch_detail import tip_detail
from nightwatch.services.response_report import response_report
from nightwatch.vocab import DispatchStatus, Outcome, TipCategory, TipStatus


def tip_row(factory, tip_id: int) -> Tip:
    with factory() as s:
        return s.get_one(Tip, tip_id)


def dispatches(factory, tip_id: int) -> dict[int, DispatchStatus]:
    with factory() as s:
        return dict(s.execute(select(Dispatch.person_id, Dispatch.status).where(Dispatch.tip_id == tip_id)).all())


def test_candidates_rank_fresh_near_people_first_and_push_the_stale_one_down(session_factory):
    w = build(session_factory)
    tip = add_tip(session_factory, w, category=TipCategory.NOISE)  # no team fits: distance and age decide
    ranked = candidates(session_factory=session_factory, actor=w.coordinator, tip_id=tip, now=NOW)
    order = [r.person_id for r in ranked]
    assert order[0] == w.near and order.index(w.stale) > order.index(w.mid)
    stale = next(r for r in ranked if r.person_id == w.stale)
    assert stale.ranked.stale and 55 < stale.ranked.age_min < 65 and stale.source == "checkin"


def test_dispatch_moves_the_tip_and_records_distance_and_audit(session_factory):
    w = build(session_factory)
    tip = add_tip(session_factory, w)
    ids = svc.dispatch(session_factory=session_factory, actor=w.coordinator, tip_id=tip, person_ids=[w.near, w.mid],
                       now=NOW)
    assert len(ids) == 2
    row = tip_row(session_factory, tip)
    assert row.status is TipStatus.DISPATCHED and row.dispatched_at == NOW
    with session_factory() as s:
        sent = s.scalars(select(Dispatch).where(Dispatch.tip_id == tip)).all()
        assert {round(d.distance_m) for d in sent} == {80, 240}
        assert "tip.dispatch" in s.scalars(select(AuditEvent.action)).all()
    with pytest.raises(svc.DispatchRefused) as refused:
        svc.dispatch(session_factory=session_factory, actor=w.coordinator, tip_id=tip, person_ids=[w.near], now=NOW)
    assert refused.value.key == "dispatch.already_sent"


def test_escalation_waits_for_the_window_then_sends_the_next_nearest(session_factory):
    w = build(session_factory)
    tip = add_tip(session_factory, w)
    svc.dispatch(session_factory=session_factory, actor=w.coordinator, tip_id=tip, person_ids=[w.near], now=NOW)
    with pytest.raises(svc.DispatchRefused) as refused:
        svc.escalate(session_factory=session_factory, actor=w.coordinator, tip_id=tip, now=NOW + timedelta(minutes=2))
    assert refused.value.key == "dispatch.escalate_too_soon"
    later = NOW + timedelta(minutes=3, seconds=1)
    svc.escalate(session_factory=session_factory, actor=w.coordinator, tip_id=tip, now=later)
    assert dispatches(session_factory, tip) == {w.near: DispatchStatus.ESCALATED, w.mid: DispatchStatus.SENT}


def test_broadcast_sends_everyone_on_the_grid_not_yet_sent(session_factory):
    w = build(session_factory)
    tip = add_tip(session_factory, w)
    svc.dispatch(session_factory=session_factory, actor=w.coordinator, tip_id=tip, person_ids=[w.near], now=NOW)
    svc.escalate(session_factory=session_factory, actor=w.coordinator, tip_id=tip, now=NOW + timedelta(minutes=4),
                 broadcast=True)
    assert set(dispatches(session_factory, tip)) == {w.near, w.mid, w.far, w.stale}


def test_no_escalation_once_someone_acknowledged(session_factory):
    from nightwatch.services import tasks

    w = build(session_factory)
    tip = add_tip(session_factory, w)
    [first] = svc.dispatch(session_factory=session_factory, actor=w.coordinator, tip_id=tip, person_ids=[w.near],
                           now=NOW)
    tasks.acknowledge(session_factory=session_factory, actor=w.actor(w.near), dispatch_id=first,
                      now=NOW + timedelta(minutes=1))
    with pytest.raises(svc.DispatchRefused) as refused:
        svc.escalate(session_factory=session_factory, actor=w.coordinator, tip_id=tip, now=NOW + timedelta(minutes=9))
    assert refused.value.key == "dispatch.escalate_when_acknowledged"


def test_refer_to_110_records_the_hand_off_and_stands_responders_down(session_factory):
    w = build(session_factory)
    tip = add_tip(session_factory, w)
    svc.dispatch(session_factory=session_factory, actor=w.coordinator, tip_id=tip, person_ids=[w.near], now=NOW)
    svc.refer_to_110(session_factory=session_factory, actor=w.coordinator, tip_id=tip, note="持刀,已报110",
                     now=NOW + timedelta(minutes=1))
    row = tip_row(session_factory, tip)
    assert row.status is TipStatus.REFERRED and row.outcome is Outcome.REFERRED and row.outcome_note == "持刀,已报110"
    assert dispatches(session_factory, tip) == {w.near: DispatchStatus.CANCELLED}


def test_merge_keeps_the_duplicates_reporter_following_the_original(session_factory):
    w = build(session_factory)
    original = add_tip(session_factory, w, minutes_ago=5)
    duplicate = add_tip(session_factory, w, minutes_ago=1)
    svc.merge(session_factory=session_factory, actor=w.coordinator, duplicate_id=duplicate, original_id=original,
              now=NOW)
    row = tip_row(session_factory, duplicate)
    assert row.status is TipStatus.MERGED and row.merged_into_id == original
    with session_factory() as s:
        follower = s.scalars(select(TipFollower).where(TipFollower.tip_id == original)).one()
    assert (follower.account_id, follower.shop_id, follower.merged_tip_id) == (w.reporter_account, w.shop, duplicate)
    with pytest.raises(svc.DispatchRefused):
        svc.merge(session_factory=session_factory, actor=w.coordinator, duplicate_id=original, original_id=duplicate,
                  now=NOW)


@pytest.mark.parametrize("call", ["dispatch", "escalate", "refer", "merge", "board", "candidates", "detail"])
def test_a_coordinator_of_another_district_is_refused_and_nothing_changes(session_factory, call):
    w = build(session_factory)
    tip, other = add_tip(session_factory, w), add_tip(session_factory, w)
    actor, f = w.outsider, session_factory
    calls = {
        "dispatch": lambda: svc.dispatch(session_factory=f, actor=actor, tip_id=tip, person_ids=[w.near], now=NOW),
        "escalate": lambda: svc.escalate(session_factory=f, actor=actor, tip_id=tip, now=NOW),
        "refer": lambda: svc.refer_to_110(session_factory=f, actor=actor, tip_id=tip, note="", now=NOW),
        "merge": lambda: svc.merge(session_factory=f, actor=actor, duplicate_id=tip, original_id=other, now=NOW),
        "board": lambda: board(session_factory=f, actor=actor, district_id=w.district, now=NOW),
        "candidates": lambda: candidates(session_factory=f, actor=actor, tip_id=tip, now=NOW),
        "detail": lambda: tip_detail(session_factory=f, actor=actor, tip_id=tip),
    }
    with pytest.raises(Forbidden):
        calls[call]()
    with pytest.raises(Forbidden):
        svc.dispatch(session_factory=f, actor=w.actor(w.near), tip_id=tip, person_ids=[w.near], now=NOW)
    assert tip_row(f, tip).status is TipStatus.RECEIVED and not dispatches(f, tip)


def test_a_person_of_another_district_cannot_be_sent(session_factory):
    w = build(session_factory)
    tip = add_tip(session_factory, w)
    with pytest.raises(svc.DispatchRefused) as refused:
        svc.dispatch(session_factory=session_factory, actor=w.coordinator, tip_id=tip, person_ids=[w.stranger], now=NOW)
    assert refused.value.key == "dispatch.not_in_district"


def test_the_board_puts_new_urgent_tips_first_with_countdowns(session_factory):
    w = build(session_factory)
    old = add_tip(session_factory, w, minutes_ago=10)
    urgent = add_tip(session_factory, w, minutes_ago=0.5, urgency="critical")
    sent = add_tip(session_factory, w, minutes_ago=20, urgency="critical")
    svc.dispatch(session_factory=session_factory, actor=w.coordinator, tip_id=sent, person_ids=[w.far],
                 now=NOW - timedelta(minutes=19))
    view = board(session_factory=session_factory, actor=w.coordinator, district_id=w.district, now=NOW)
    assert [t.id for t in view.tips] == [urgent, old, sent]
    first = {c.measure: c for c in view.tips[0].countdowns}
    assert not first["react"].missed and 25 <= first["react"].remaining_s <= 35
    assert view.tips[1].missed and view.tips[0].hotspot and view.tips[1].waited_min == 10


def test_the_report_shows_figures_only_for_large_enough_samples(session_factory):
    w = build(session_factory)
    for index in range(6):
        received = NOW - timedelta(hours=3, minutes=index * 7)
        add_tip(session_factory, w, received_at=received, category=TipCategory.THEFT,
                dispatched_at=received + timedelta(seconds=40), status="dispatched")
    add_tip(session_factory, w, received_at=NOW - timedelta(hours=2), category=TipCategory.FRAUD)
    rows = response_report(session_factory=session_factory, actor=w.coordinator, district_id=w.district,
                           since=NOW - timedelta(hours=12), until=NOW, by="category")
    by = {r.group: r for r in rows}
    assert by["theft"].enough and by["theft"].met_rate["react"] == 1.0 and by["theft"].median_s["react"] == 40
    assert not by["fraud"].enough and by["fraud"].median_s["react"] is None


def test_a_tip_counts_as_at_a_hotspot_within_150_m_of_one_and_only_then():
    from nightwatch.geo import offset_point
    from nightwatch.services.dispatch_board import at_hotspot

    market, lane = (25.2800, 110.2960), (25.2900, 110.3100)
    spots = sorted([lane, market, (25.2700, 110.2900)])
    for north_m, east_m, expected in ((0, 0, True), (140, 0, True), (-140, 0, True), (0, 140, True),
                                      (100, 100, True), (160, 0, False), (-160, 0, False), (0, 160, False),
                                      (120, 120, False)):
        point = offset_point(*market, north_m, east_m)
        assert at_hotspot(spots, *point) is expected, (north_m, east_m)
    assert at_hotspot(spots, *offset_point(*lane, 0, -149)) and not at_hotspot([], *market)
    assert not at_hotspot(spots, None, None)
