"""Timing a scenario, and the figure it reports: median, min, max and N, its target and its reference."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Stats:
    """Seconds per run over N runs."""

    median: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, seconds: list[float]) -> Stats:
        """The statistics of measured seconds (at least one)."""
        return cls(statistics.median(seconds), min(seconds), max(seconds), len(seconds))


def timed(work: Callable[[], object], *, runs: int = 7, warmup: int = 1) -> Stats:
    """Run `work` warmup times unmeasured, then `runs` times, each on the monotonic clock."""
    for _ in range(warmup):
        work()
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return Stats.of(seconds)


@dataclass(frozen=True)
class Figure:
    """One row of the benchmark table: what a scenario measured on one backend, against its target.

    `value` is the number the target is about, in `unit` (milliseconds for a median time, tips/s for
    a rate, MB for a size). `stats` are the timed runs behind it, when it is a time. `reference` names
    what the same run measured for comparison (the geopy loop, DuckDB, the demo database), with
    `ratio` = reference / ours for speed-ups and ours / reference for "within N×" targets, as `target`
    words it. `met` is None when the scenario has no target at this scale (only `city` has targets).
    """

    scenario: str
    backend: str
    measure: str
    value: float
    unit: str
    target: str
    met: bool | None
    stats: Stats | None = None
    reference: str = ""
    reference_value: float | None = None
    ratio: float | None = None
    note: str = ""
