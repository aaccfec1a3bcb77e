"""Hazard (隐患) rules: the life cycle, due dates by category, overdue, the rectification rate. Pure.

Allowed transitions (anything else raises ``HazardTransitionRefused`` and changes nothing):

=========  ======================================  ============  =====================================
event      from                                    to            also
=========  ======================================  ============  =====================================
VERIFY     reported                                verified      verified_at
ASSIGN     verified, assigned, reopened            assigned      assigned_at (latest)
RECTIFY    verified, assigned, reopened            rectified     rectified_at; needs an after photo
PASS       rectified                               reinspected   reinspected_at (a passing 复查)
FAIL       rectified                               reopened      reinspected_at; reopen_count + 1;
                                                                 due date renewed from that night
CLOSE      reinspected                             closed        closed_at (销号)
REOPEN     closed                                  reopened      reopen_count + 1; due date renewed
=========  ======================================  ============  =====================================

Every event's time must be no earlier than the latest step already taken. A repeated step
(assigning again, rectifying after a reopen) moves its timestamp forward; none goes back.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from nightwatch.vocab import HazardCategory, HazardStatus

# Rectified means the fix was made: re-inspection may still be pending, or have confirmed it.
RECTIFIED_STATUSES = frozenset({HazardStatus.RECTIFIED, HazardStatus.REINSPECTED, HazardStatus.CLOSED})
# Still waiting for someone to fix it (a failed re-inspection reopens it).
UNRECTIFIED_STATUSES = frozenset({HazardStatus.REPORTED, HazardStatus.VERIFIED, HazardStatus.ASSIGNED,
                                  HazardStatus.REOPENED})
OPEN_STATUSES = frozenset(HazardStatus) - {HazardStatus.CLOSED}

# Nights allowed to fix each kind, counted in duty dates from the night it was found (0: that same night).
DUE_NIGHTS: dict[HazardCategory, int] = {
    HazardCategory.BLOCKED_FIRE_EXIT: 1,
    HazardCategory.GAS_SAFETY: 1,
    HazardCategory.UNSAFE_WIRING: 3,
    HazardCategory.MISSING_EXTINGUISHER: 3,
    HazardCategory.GREASE_DUCT: 7,
    HazardCategory.UNLICENSED_VENUE: 15,
    HazardCategory.UNLOCKED_VEHICLE: 0,
    HazardCategory.OTHER: 7,
}


def due_date(category: HazardCategory, found_night: date) -> date:
    """The last duty date by which a hazard of this kind found on that night must be rectified."""
    return found_night + timedelta(days=DUE_NIGHTS.get(HazardCategory(category), DUE_NIGHTS[HazardCategory.OTHER]))


def is_overdue(status: HazardStatus, due_on: date | None, today: date) -> bool:
    """True when the due date has passed and the hazard is still not rectified."""
    return due_on is not None and status in UNRECTIFIED_STATUSES and due_on < today


def days_overdue(status: HazardStatus, due_on: date | None, today: date) -> int:
    """How many nights past its due date an unrectified hazard is; 0 when it is not overdue."""
    return (today - due_on).days if is_overdue(status, due_on, today) else 0


def rectification_rate(found: int, rectified: int) -> float | None:
    """整改率: the share of hazards found that are rectified, or None when none were found."""
    if found <= 0:
        return None
    return min(1.0, rectified / found)


class HazardEvent(StrEnum):
    """Something that happens to a hazard."""

    VERIFY = "verify"
    ASSIGN = "assign"
    RECTIFY = "rectify"
    PASS = "pass"
    FAIL = "fail"
    CLOSE = "close"
    REOPEN = "reopen"


class HazardTransitionRefused(ValueError):
    """The event cannot happen to the hazard now; ``key`` is a catalog key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class HazardState:
    """A hazard's status, due date, reopen count and the latest time of every step (aware UTC)."""

    status: HazardStatus
    category: HazardCategory
    found_at: datetime
    due_on: date | None = None
    reopen_count: int = 0
    verified_at: datetime | None = None
    assigned_at: datetime | None = None
    rectified_at: datetime | None = None
    reinspected_at: datetime | None = None
    closed_at: datetime | None = None

    @property
    def last_step_at(self) -> datetime:
        """The time of the latest step taken."""
        return max(getattr(self, name) for name in TIME_FIELDS if getattr(self, name) is not None)


TIME_FIELDS = ("found_at", "verified_at", "assigned_at", "rectified_at", "reinspected_at", "closed_at")
_FIXABLE = frozenset({HazardStatus.VERIFIED, HazardStatus.ASSIGNED, HazardStatus.REOPENED})

# event → (statuses it may come from, status it leads to, timestamp field it sets)
TRANSITIONS: dict[HazardEvent, tuple[frozenset[HazardStatus], HazardStatus, str | None]] = {
    HazardEvent.VERIFY: (frozenset({HazardStatus.REPORTED}), HazardStatus.VERIFIED, "verified_at"),
    HazardEvent.ASSIGN: (_FIXABLE, HazardStatus.ASSIGNED, "assigned_at"),
    HazardEvent.RECTIFY: (_FIXABLE, HazardStatus.RECTIFIED, "rectified_at"),
    HazardEvent.PASS: (frozenset({HazardStatus.RECTIFIED}), HazardStatus.REINSPECTED, "reinspected_at"),
    HazardEvent.FAIL: (frozenset({HazardStatus.RECTIFIED}), HazardStatus.REOPENED, "reinspected_at"),
    HazardEvent.CLOSE: (frozenset({HazardStatus.REINSPECTED}), HazardStatus.CLOSED, "closed_at"),
    # A manual reopen has no column of its own: the audit trail keeps when it happened.
    HazardEvent.REOPEN: (frozenset({HazardStatus.CLOSED}), HazardStatus.REOPENED, None),
}
REOPENING = frozenset({HazardEvent.FAIL, HazardEvent.REOPEN})


def reported(category: HazardCategory, at: datetime, found_night: date) -> HazardState:
    """A new hazard, found at the given instant on the given night, due by its category."""
    return HazardState(status=HazardStatus.REPORTED, category=HazardCategory(category), found_at=at,
                       due_on=due_date(category, found_night))


def allowed_events(state: HazardState) -> list[HazardEvent]:
    """The events the hazard may take next."""
    return [event for event, (sources, _to, _field) in TRANSITIONS.items() if state.status in sources]


def advance(state: HazardState, event: HazardEvent, at: datetime, night: date,
            after_photo: bool = False) -> HazardState:
    """The state after the event at ``at`` (on duty date ``night``); refuses impossible moves."""
    sources, target, field = TRANSITIONS[HazardEvent(event)]
    if state.status not in sources:
        raise HazardTransitionRefused(f"hazards.cannot.{HazardEvent(event).value}")
    if at.tzinfo is None:
        raise HazardTransitionRefused("hazards.cannot.naive_time")
    if at < state.last_step_at:
        raise HazardTransitionRefused("hazards.cannot.before_previous_step")
    if event is HazardEvent.RECTIFY and not after_photo:
        raise HazardTransitionRefused("hazards.cannot.rectify_without_photo")
    changes: dict[str, Any] = {"status": target}
    if field is not None:
        changes[field] = at
    if event in REOPENING:
        changes["reopen_count"] = state.reopen_count + 1
        changes["due_on"] = due_date(state.category, night)
    return replace(state, **changes)


# timestamp field → catalog key of the step it records, in life-cycle order
STEP_KEYS: tuple[tuple[str, str], ...] = (
    ("found_at", "hazards.step.reported"),
    ("verified_at", "hazards.step.verified"),
    ("assigned_at", "hazards.step.assigned"),
    ("rectified_at", "hazards.step.rectified"),
    ("reinspected_at", "hazards.step.reinspected"),
    ("closed_at", "hazards.step.closed"),
)


def state_of(hazard: Any) -> HazardState:
    """The life-cycle state of anything shaped like a hazard row (duck-typed)."""
    return HazardState(**{f.name: getattr(hazard, f.name) for f in fields(HazardState)})


def apply_state(hazard: Any, state: HazardState) -> None:
    """Copy a state onto a hazard row."""
    for f in fields(HazardState):
        setattr(hazard, f.name, getattr(state, f.name))
