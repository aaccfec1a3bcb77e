"""The tip life cycle as a state machine: which step may follow which, and when. Pure.

Allowed transitions (anything else raises ``TipTransitionRefused``):

=============  ==========================================  =============
event          from                                        to
=============  ==========================================  =============
DISPATCH       received, dispatched (another responder)    dispatched
ACKNOWLEDGE    dispatched                                  acknowledged
ARRIVE         dispatched, acknowledged                    on_scene
CLOSE          dispatched, acknowledged, on_scene          closed (needs an outcome)
REFER          any open status                             referred (outcome REFERRED)
MERGE          any open status                             merged
=============  ==========================================  =============

Closed, referred and merged tips take no further events (there is no reopen: a new report
makes a new tip). Every event's time must be no earlier than the latest step already taken.
A second DISPATCH (sending one more responder) keeps the first ``dispatched_at``.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from nightwatch.vocab import OPEN_TIP_STATUSES, Outcome, TipStatus


class TipEvent(StrEnum):
    """Something that happens to a tip."""

    DISPATCH = "dispatch"
    ACKNOWLEDGE = "acknowledge"
    ARRIVE = "arrive"
    CLOSE = "close"
    REFER = "refer"
    MERGE = "merge"


class TipTransitionRefused(ValueError):
    """The event cannot happen to the tip now; ``key`` is a catalog key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class TipState:
    """A tip's status, outcome and the time of every step taken (aware UTC)."""

    status: TipStatus
    received_at: datetime
    dispatched_at: datetime | None = None
    acknowledged_at: datetime | None = None
    on_scene_at: datetime | None = None
    closed_at: datetime | None = None
    referred_at: datetime | None = None
    outcome: Outcome | None = None

    @property
    def is_open(self) -> bool:
        """True while the tip can still move."""
        return self.status in OPEN_TIP_STATUSES

    @property
    def last_step_at(self) -> datetime:
        """The time of the latest step taken."""
        return max(when for _key, when in timeline(self))


TIME_FIELDS = ("received_at", "dispatched_at", "acknowledged_at", "on_scene_at", "closed_at", "referred_at")

# event → (statuses it may come from, status it leads to, timestamp field it sets)
TRANSITIONS: dict[TipEvent, tuple[frozenset[TipStatus], TipStatus, str | None]] = {
    TipEvent.DISPATCH: (frozenset({TipStatus.RECEIVED, TipStatus.DISPATCHED}), TipStatus.DISPATCHED, "dispatched_at"),
    TipEvent.ACKNOWLEDGE: (frozenset({TipStatus.DISPATCHED}), TipStatus.ACKNOWLEDGED, "acknowledged_at"),
    TipEvent.ARRIVE: (
        frozenset({TipStatus.DISPATCHED, TipStatus.ACKNOWLEDGED}), TipStatus.ON_SCENE, "on_scene_at",
    ),
    TipEvent.CLOSE: (
        frozenset({TipStatus.DISPATCHED, TipStatus.ACKNOWLEDGED, TipStatus.ON_SCENE}), TipStatus.CLOSED, "closed_at",
    ),
    TipEvent.REFER: (frozenset(OPEN_TIP_STATUSES), TipStatus.REFERRED, "referred_at"),
    # A merged tip's own clock stops; the tip it joined carries on. No timestamp column of its own.
    TipEvent.MERGE: (frozenset(OPEN_TIP_STATUSES), TipStatus.MERGED, None),
}


def received(at: datetime) -> TipState:
    """A new tip, received at the given instant."""
    return TipState(status=TipStatus.RECEIVED, received_at=at)


def allowed_events(state: TipState) -> list[TipEvent]:
    """The events the tip may take next."""
    return [event for event, (sources, _to, _field) in TRANSITIONS.items() if state.status in sources]


def _refusal_key(state: TipState, event: TipEvent) -> str:
    """The catalog key saying why the event cannot happen now."""
    if not state.is_open:
        return f"tips.cannot.{event.value}_when_{state.status.value}"
    if event in (TipEvent.ACKNOWLEDGE, TipEvent.ARRIVE, TipEvent.CLOSE) and state.status is TipStatus.RECEIVED:
        return f"tips.cannot.{event.value}_before_dispatch"
    return f"tips.cannot.{event.value}_when_{state.status.value}"


def advance(state: TipState, event: TipEvent, at: datetime, outcome: Outcome | None = None) -> TipState:
    """The state after the event at ``at``; refuses impossible moves and times before the last step."""
    sources, target, field = TRANSITIONS[TipEvent(event)]
    if state.status not in sources:
        raise TipTransitionRefused(_refusal_key(state, event))
    if at.tzinfo is None:
        raise TipTransitionRefused("tips.cannot.naive_time")
    if at < state.last_step_at:
        raise TipTransitionRefused("tips.cannot.before_previous_step")
    changes: dict[str, Any] = {"status": target}
    if field is not None and getattr(state, field) is None:
        changes[field] = at
    if event is TipEvent.CLOSE:
        if outcome is None or outcome is Outcome.REFERRED:
            raise TipTransitionRefused("tips.cannot.close_without_outcome")
        changes["outcome"] = Outcome(outcome)
    elif event is TipEvent.REFER:
        changes["outcome"] = Outcome.REFERRED
    return replace(state, **changes)


# timestamp field → catalog key of the step it records, in life-cycle order
STEP_KEYS: tuple[tuple[str, str], ...] = (
    ("received_at", "tips.step.received"),
    ("dispatched_at", "tips.step.dispatched"),
    ("acknowledged_at", "tips.step.acknowledged"),
    ("on_scene_at", "tips.step.on_scene"),
    ("closed_at", "tips.step.closed"),
    ("referred_at", "tips.step.referred"),
)


def timeline(state: TipState) -> list[tuple[str, datetime]]:
    """The steps taken, as (catalog key, when), oldest first."""
    steps = [(key, getattr(state, field)) for field, key in STEP_KEYS if getattr(state, field) is not None]
    return sorted(steps, key=lambda step: step[1])


def state_of(tip: Any) -> TipState:
    """The life-cycle state of anything shaped like a tip row (duck-typed)."""
    values = {f.name: getattr(tip, f.name) for f in fields(TipState)}
    return TipState(**values)


def apply_state(tip: Any, state: TipState) -> None:
    """Write a state back onto a tip row (duck-typed)."""
    for f in fields(TipState):
        setattr(tip, f.name, getattr(state, f.name))


def is_consistent(state: TipState) -> bool:
    """True when the state could have been reached: the status matches the steps and times never go back."""
    stamps = [getattr(state, name) for name in TIME_FIELDS if getattr(state, name) is not None]
    in_order = [getattr(state, name) for name in TIME_FIELDS[:5] if getattr(state, name) is not None]
    if in_order != sorted(in_order) or state.received_at != min(stamps):
        return False
    dispatched = state.dispatched_at is not None
    needs = {
        TipStatus.RECEIVED: not dispatched and state.outcome is None,
        TipStatus.DISPATCHED: dispatched and state.acknowledged_at is None and state.on_scene_at is None,
        TipStatus.ACKNOWLEDGED: dispatched and state.acknowledged_at is not None and state.on_scene_at is None,
        TipStatus.ON_SCENE: dispatched and state.on_scene_at is not None,
        TipStatus.CLOSED: dispatched and state.closed_at is not None and state.outcome not in (None, Outcome.REFERRED),
        TipStatus.REFERRED: state.referred_at is not None and state.outcome is Outcome.REFERRED,
        TipStatus.MERGED: state.closed_at is None and state.referred_at is None,
    }
    open_clean = state.status not in OPEN_TIP_STATUSES or (
        state.closed_at is None and state.referred_at is None and state.outcome is None
    )
    return needs[state.status] and open_clean
