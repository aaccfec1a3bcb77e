"""Measuring the 1-3-5 targets on a tip's server-stamped steps, and reporting them fairly. Pure.

Three measures, each against a district target in minutes (nightwatch.response.DEFAULT_TARGETS):

- react:       received → dispatched         ≤ react_min (1)
- acknowledge: dispatched → acknowledged     ≤ acknowledge_min (defaults to reach_hotspot_min, 3)
- reach:       received → on scene           ≤ reach_hotspot_min (3) at a hotspot, else reach_anywhere_min (5)

A report cell shows figures only when it holds at least MIN_SAMPLE measured tips; below that
a median or a rate says more about chance than about the patrol, so it reads "样本不足".
"""
from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from nightwatch.response import DEFAULT_TARGETS

MIN_SAMPLE = 5
MEASURES = ("react", "acknowledge", "reach")


@dataclass(frozen=True)
class Steps:
    """When a tip took each step (aware UTC; None until it happens)."""

    received_at: datetime
    dispatched_at: datetime | None = None
    acknowledged_at: datetime | None = None
    on_scene_at: datetime | None = None
    closed_at: datetime | None = None


def targets_of(district_targets: Mapping[str, object] | None) -> dict[str, float]:
    """A district's targets in minutes, the 1-3-5 defaults where it sets none."""
    chosen: dict[str, float] = {k: float(v) for k, v in DEFAULT_TARGETS.items()}
    for key, value in (district_targets or {}).items():
        if isinstance(value, (int, float)) and value > 0:
            chosen[key] = float(value)
    chosen.setdefault("acknowledge_min", chosen["reach_hotspot_min"])
    return chosen


def _span(start: datetime | None, end: datetime | None) -> float | None:
    return None if start is None or end is None else max(0.0, (end - start).total_seconds())


def _bounds(steps: Steps, targets: Mapping[str, float], hotspot: bool
            ) -> dict[str, tuple[datetime | None, datetime | None, float]]:
    """Each measure's start, end and target in seconds."""
    reach = targets["reach_hotspot_min"] if hotspot else targets["reach_anywhere_min"]
    return {
        "react": (steps.received_at, steps.dispatched_at, targets["react_min"] * 60),
        "acknowledge": (steps.dispatched_at, steps.acknowledged_at, targets["acknowledge_min"] * 60),
        "reach": (steps.received_at, steps.on_scene_at, reach * 60),
    }


def durations(steps: Steps, targets: Mapping[str, float], hotspot: bool = False) -> dict[str, tuple[float, bool]]:
    """Each measure the tip has completed: (seconds, met the target)."""
    done = {}
    for name, (start, end, limit) in _bounds(steps, targets, hotspot).items():
        seconds = _span(start, end)
        if seconds is not None:
            done[name] = (seconds, seconds <= limit)
    return done


@dataclass(frozen=True)
class Countdown:
    """One target as the board shows it: seconds left (negative once missed), or done."""

    measure: str
    remaining_s: float
    done: bool
    missed: bool


def countdowns(steps: Steps, targets: Mapping[str, float], now: datetime, hotspot: bool = False) -> list[Countdown]:
    """The targets of a tip at `now`; acknowledge only once dispatched."""
    shown = []
    for name, (start, end, limit) in _bounds(steps, targets, hotspot).items():
        if start is None:
            continue
        elapsed = _span(start, end if end is not None else now) or 0.0
        shown.append(Countdown(name, limit - elapsed, end is not None, elapsed > limit))
    return shown


@dataclass(frozen=True)
class ReportRow:
    """One group of a 1-3-5 report; figures are None when the sample is too small."""

    group: str
    n: int
    enough: bool
    median_s: dict[str, float | None]
    met_rate: dict[str, float | None]
    counted: dict[str, int]


def report(measured: Iterable[tuple[str, dict[str, tuple[float, bool]]]], min_sample: int = MIN_SAMPLE
           ) -> list[ReportRow]:
    """Group (group label, durations) pairs; each measure is reported only from min_sample tips up."""
    groups: dict[str, list[dict[str, tuple[float, bool]]]] = {}
    for label, done in measured:
        groups.setdefault(label, []).append(done)
    rows = []
    for label in sorted(groups):
        tips = groups[label]
        medians: dict[str, float | None] = {}
        rates: dict[str, float | None] = {}
        counted: dict[str, int] = {}
        for name in MEASURES:
            values = [d[name] for d in tips if name in d]
            counted[name] = len(values)
            enough = len(values) >= min_sample
            medians[name] = statistics.median(v for v, _ in values) if enough else None
            rates[name] = sum(met for _, met in values) / len(values) if enough else None
        rows.append(ReportRow(label, len(tips), len(tips) >= min_sample, medians, rates, counted))
    return rows
