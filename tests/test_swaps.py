"""Swaps and give-aways on SQLite and PostgreSQL: offer, accept, approve or decline, cancel; every step audited."""
from __future__ import annotations

from datetime import timedelta

import pytest

from duty_world import NOW, TONIGHT, actions, add_shift, assignment, build, holders, put_on
from db.models import Person
from nightwatch.access import Forbidden
from nightwatch.services import swaps
from nightwatch.services.swap_lists import my_swaps, offers_for_me, pending_approvals
from nightwatch.services.swaps import SwapRefused
from nightwatch.vocab import AssignmentStatus, SwapStatus
from nightwatch.i18n import t

A = AssignmentStatus


@pytest.fixture
def world(session_factory):
    return build(session_factory)


def offered(factory, world, team_id=None, to=None):
    """Alice holds tonight's shift and offers it; returns (shift, her assignment, the offer)."""
    shift = add_shift(factory, world, team_id=team_id)
    mine = put_on(factory, shift, world.alice)
    swap = swaps.offer(session_factory=factory, actor=world.actor(world.alice), assignment_id=mine,
                       to_person_id=to, note="家里有事", now=NOW)
    return shift, mine, swap


def test_with_approval_the_shift_changes_hands_only_when_the_coordinator_approves(session_factory, world):
    shift, mine, swap = offered(session_factory, world)
    status = swaps.accept(session_factory=session_factory, actor=world.actor(world.bob), swap_id=swap, now=NOW)
    assert status is SwapStatus.ACCEPTED
    assert holders(session_factory, shift) == {world.alice: A.ASSIGNED}
    assert [r.swap_id for r in pending_approvals(session_factory=session_factory, actor=world.coordinator,
                                                 district_id=world.district, now=NOW)] == [swap]

    swaps.approve(session_factory=session_factory, actor=world.coordinator, swap_id=swap, now=NOW)
    assert holders(session_factory, shift) == {world.alice: A.SWAPPED, world.bob: A.CONFIRMED}
    assert actions(session_factory) == ["swap.offer", "swap.accept", "assignment.assigned", "swap.complete",
                                        "swap.approve"]
    rows = my_swaps(session_factory=session_factory, actor=world.actor(world.alice), now=NOW)
    assert [(r.status, r.taken_by) for r in rows] == [(SwapStatus.APPROVED, "鲍勃")]


def test_without_approval_taking_the_offer_completes_it(session_factory, world):
    shift, _, swap = offered(session_factory, world, team_id=world.easy_team)
    status = swaps.accept(session_factory=session_factory, actor=world.actor(world.bob), swap_id=swap, now=NOW)
    assert status is SwapStatus.APPROVED
    assert holders(session_factory, shift) == {world.alice: A.SWAPPED, world.bob: A.CONFIRMED}
    assert "swap.complete" in actions(session_factory)


def test_the_offerers_team_decides_when_the_shift_has_none(session_factory, world):
    with session_factory.begin() as session:
        session.get(Person, world.bob).skills = ["volunteer"]
    shift = add_shift(session_factory, world)
    mine = put_on(session_factory, shift, world.carol, role="volunteer")  # carol's team needs no approval
    swap = swaps.offer(session_factory=session_factory, actor=world.actor(world.carol), assignment_id=mine, now=NOW)
    assert swaps.accept(session_factory=session_factory, actor=world.actor(world.bob), swap_id=swap,
                        now=NOW) is SwapStatus.APPROVED
    assert holders(session_factory, shift) == {world.carol: A.SWAPPED, world.bob: A.CONFIRMED}
    assert assignment(session_factory, mine).status == A.SWAPPED


def test_a_taker_whose_role_does_not_fit_is_refused(session_factory, world):
    shift = add_shift(session_factory, world, required={"officer": 1, "grid_worker": 2})
    held = put_on(session_factory, shift, world.officer, role="officer")
    swap = swaps.offer(session_factory=session_factory, actor=world.actor(world.officer), assignment_id=held, now=NOW)
    with pytest.raises(SwapRefused) as refused:
        swaps.accept(session_factory=session_factory, actor=world.actor(world.carol), swap_id=swap, now=NOW)
    assert refused.value.key == "swaps.role_misfit" and refused.value.values == {"role": "officer"}
    assert offers_for_me(session_factory=session_factory, actor=world.actor(world.carol), now=NOW) == []


def test_a_taker_who_would_clash_is_refused_and_nothing_changes(session_factory, world):
    shift, mine, swap = offered(session_factory, world)
    other = add_shift(session_factory, world, starts_at=TONIGHT + timedelta(hours=2), hours=2, required={})
    put_on(session_factory, other, world.bob)
    with pytest.raises(SwapRefused) as refused:
        swaps.accept(session_factory=session_factory, actor=world.actor(world.bob), swap_id=swap, now=NOW)
    assert refused.value.key == "roster.clash"
    assert holders(session_factory, shift) == {world.alice: A.ASSIGNED}
    assert actions(session_factory) == ["swap.offer"]


def test_a_taker_with_too_little_rest_is_refused_as_the_roster_refuses_it(session_factory, world):
    _, _, swap = offered(session_factory, world)
    next_morning = add_shift(session_factory, world, starts_at=TONIGHT + timedelta(hours=10), hours=4, required={})
    put_on(session_factory, next_morning, world.bob)
    with pytest.raises(SwapRefused) as refused:
        swaps.accept(session_factory=session_factory, actor=world.actor(world.bob), swap_id=swap, now=NOW)
    assert refused.value.key == "swaps.rest_short"  # the colleague is not invited to give a coordinator's reason
    words = t(refused.value.key, **refused.value.values)
    assert "不能接" in words and "理由" not in words


def test_an_offer_to_one_colleague_is_for_them_alone(session_factory, world):
    _, _, swap = offered(session_factory, world, to=world.bob)
    assert offers_for_me(session_factory=session_factory, actor=world.actor(world.carol), now=NOW) == []
    with pytest.raises(SwapRefused, match="swaps.not_for_you"):
        swaps.accept(session_factory=session_factory, actor=world.actor(world.carol), swap_id=swap, now=NOW)
    assert [o.swap_id for o in offers_for_me(session_factory=session_factory, actor=world.actor(world.bob),
                                             now=NOW)] == [swap]


@pytest.mark.parametrize("who, key", [("stranger", "swaps.not_a_colleague"), ("alice", "swaps.own_offer")])
def test_strangers_and_the_offerer_cannot_take_it(session_factory, world, who, key):
    _, _, swap = offered(session_factory, world)
    with pytest.raises(SwapRefused, match=key):
        swaps.accept(session_factory=session_factory, actor=world.actor(getattr(world, who)), swap_id=swap, now=NOW)


def test_only_ones_own_coming_held_shift_can_be_offered_and_only_once(session_factory, world):
    shift = add_shift(session_factory, world)
    mine = put_on(session_factory, shift, world.alice)
    with pytest.raises(SwapRefused, match="swaps.not_yours"):
        swaps.offer(session_factory=session_factory, actor=world.actor(world.bob), assignment_id=mine, now=NOW)
    with pytest.raises(SwapRefused, match="swaps.started"):
        swaps.offer(session_factory=session_factory, actor=world.actor(world.alice), assignment_id=mine,
                    now=TONIGHT + timedelta(minutes=1))
    swaps.offer(session_factory=session_factory, actor=world.actor(world.alice), assignment_id=mine, now=NOW)
    with pytest.raises(SwapRefused, match="swaps.already_offered"):
        swaps.offer(session_factory=session_factory, actor=world.actor(world.alice), assignment_id=mine, now=NOW)
    waiting = put_on(session_factory, shift, world.bob, status=A.WAITLISTED)
    with pytest.raises(SwapRefused, match="swaps.not_held"):
        swaps.offer(session_factory=session_factory, actor=world.actor(world.bob), assignment_id=waiting, now=NOW)


def test_the_offerer_can_take_it_back_before_approval_and_then_nobody_can_take_it(session_factory, world):
    _, mine, swap = offered(session_factory, world)
    with pytest.raises(SwapRefused, match="swaps.not_yours"):
        swaps.cancel(session_factory=session_factory, actor=world.actor(world.bob), swap_id=swap, now=NOW)
    swaps.accept(session_factory=session_factory, actor=world.actor(world.bob), swap_id=swap, now=NOW)
    swaps.cancel(session_factory=session_factory, actor=world.actor(world.alice), swap_id=swap, now=NOW)
    with pytest.raises(SwapRefused, match="swaps.closed"):
        swaps.approve(session_factory=session_factory, actor=world.coordinator, swap_id=swap, now=NOW)
    assert assignment(session_factory, mine).status == A.ASSIGNED
    assert actions(session_factory)[-1] == "swap.cancel"


def test_a_coordinator_declines_only_in_their_own_district(session_factory, world):
    shift, _, swap = offered(session_factory, world)
    swaps.accept(session_factory=session_factory, actor=world.actor(world.bob), swap_id=swap, now=NOW)
    with pytest.raises(Forbidden):
        swaps.decline(session_factory=session_factory, actor=world.outsider, swap_id=swap, now=NOW)
    with pytest.raises(Forbidden):
        swaps.approve(session_factory=session_factory, actor=world.outsider, swap_id=swap, now=NOW)
    swaps.decline(session_factory=session_factory, actor=world.coordinator, swap_id=swap, now=NOW)
    assert holders(session_factory, shift) == {world.alice: A.ASSIGNED}
    assert actions(session_factory)[-1] == "swap.decline"


def test_an_approval_after_the_shift_began_is_refused(session_factory, world):
    _, _, swap = offered(session_factory, world)
    swaps.accept(session_factory=session_factory, actor=world.actor(world.bob), swap_id=swap, now=NOW)
    with pytest.raises(SwapRefused, match="swaps.started"):
        swaps.approve(session_factory=session_factory, actor=world.coordinator, swap_id=swap,
                      now=TONIGHT + timedelta(minutes=5))
