"""Hazard (隐患) rules: which states count as rectified, when one is overdue, the rectification rate.

Pure: no database, no Streamlit. The life cycle (events and transitions) grows here too.
"""
from __future__ import annotations

from datetime import date

from nightwatch.vocab import HazardStatus

# Rectified means the fix was made: re-inspection may still be pending, or have confirmed it.
RECTIFIED_STATUSES = frozenset({HazardStatus.RECTIFIED, HazardStatus.REINSPECTED, HazardStatus.CLOSED})
# Still waiting for someone to fix it (a failed re-inspection reopens it).
UNRECTIFIED_STATUSES = frozenset({HazardStatus.REPORTED, HazardStatus.VERIFIED, HazardStatus.ASSIGNED,
                                  HazardStatus.REOPENED})


def is_overdue(status: HazardStatus, due_on: date | None, today: date) -> bool:
    """True when the due date has passed and the hazard is still not rectified."""
    return due_on is not None and status in UNRECTIFIED_STATUSES and due_on < today


def rectification_rate(found: int, rectified: int) -> float | None:
    """整改率: the share of hazards found that are rectified, or None when none were found."""
    if found <= 0:
        return None
    return min(1.0, rectified / found)
