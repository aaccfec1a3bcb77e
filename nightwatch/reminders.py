"""Reminders to confirm a shift: a day before and two hours before, until the volunteer confirms.

Pure: which reminder (if any) an assignment is due now. A reminder is named by its window, so
a sender (the in-app card, a future webhook) can send each one once: key ``<assignment>:<hours>h``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from nightwatch.vocab import AssignmentStatus

# Longest first: the reminder due is the narrowest window the start already falls in.
WINDOWS: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(hours=2))
CONFIRMABLE: tuple[AssignmentStatus, ...] = (AssignmentStatus.ASSIGNED, AssignmentStatus.CONFIRMED)


@dataclass(frozen=True)
class Reminder:
    """A "please confirm" for one assignment, in one window before its start."""

    assignment_id: int
    person_id: int
    starts_at: datetime
    window: timedelta

    @property
    def hours(self) -> int:
        """The window in whole hours (24 or 2)."""
        return int(self.window.total_seconds() // 3600)

    @property
    def key(self) -> str:
        """A stable name for this reminder, for senders that must send each one once."""
        return f"{self.assignment_id}:{self.hours}h"


def window_due(starts_at: datetime, now: datetime) -> timedelta | None:
    """The narrowest reminder window the shift's start falls in now, or None (too early or begun)."""
    if now >= starts_at:
        return None
    due = None
    for window in WINDOWS:
        if starts_at - now <= window:
            due = window
    return due


def needs_confirming(status: str, confirmed_at: datetime | None) -> bool:
    """True for a held assignment nobody has confirmed yet."""
    return AssignmentStatus(status) in CONFIRMABLE and confirmed_at is None


def reminder_for(
    assignment_id: int, person_id: int, starts_at: datetime, status: str, confirmed_at: datetime | None,
    now: datetime,
) -> Reminder | None:
    """The reminder an assignment is due now, or None."""
    if not needs_confirming(status, confirmed_at):
        return None
    window = window_due(starts_at, now)
    return None if window is None else Reminder(assignment_id, person_id, starts_at, window)
