"""Filling a week's staffing gaps: a CP-SAT model, and a greedy fallback with a stated bound. Pure.

The model chooses x[person, shift, role] ∈ {0, 1} where the person can fill the role, is
available on the night's weekday and is free then. Constraints: at most the number still
needed per (shift, role); one role per person per shift; no two chosen shifts of one person
overlap, and shifts of different nights leave at least the minimum rest between them (the
roster's own rule, `nightwatch.shifts.rest_gaps`), also against the shifts they already hold.

The objective is lexicographic, solved in three stages, each keeping the previous optimum:
1. cover as many required slots as possible;
2. the least travel: 0 for the person's home grid, else 1 + metres between grid centres / 50
   (no home or no centre counts as the far end, FAR_COST);
3. fair hours: the least Σ over people of their weekly hours (held plus proposed) above each
   4-hour step: a convex, piecewise-linear stand-in for Σ hours², which for a fixed total is the
   least spread and weighs the busiest most.

Coverage is proven optimal when the status is OPTIMAL; travel and fairness are the best found
within their share of the time limit (`gapfill_model`). When CP-SAT finds nothing in time, the
deterministic greedy below answers instead, with its bound in its docstring.
"""
from __future__ import annotations

import time as clock
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from nightwatch.geo import haversine_m
from nightwatch.gapfill_model import QUARTER_HOUR, quarter_hours, solve

FAR_COST = 100  # travel cost of an unknown or very far home (≈ 5 km)
METRES_PER_COST = 50


@dataclass(frozen=True)
class OpenSlot:
    """A shift's role still short: how many more people it needs."""

    shift_id: int
    grid_id: int | None
    duty_date: date
    starts_at: datetime
    ends_at: datetime
    role_kind: str
    needed: int

    @property
    def weekday(self) -> int:
        """The duty date's weekday, 0 = Monday, as availability counts it."""
        return self.duty_date.weekday()


@dataclass(frozen=True)
class Held:
    """A shift a person already holds: its night and interval."""

    duty_date: date
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Candidate:
    """Someone who could fill slots: their role kinds, home grid, held shifts and weekly availability."""

    person_id: int
    role_kinds: frozenset[str]
    home_grid_id: int | None = None
    held: tuple[Held, ...] = ()
    hours_held: float = 0.0
    # Weekday → available; a weekday not listed is available (as with no availability rows).
    availability: Mapping[int, bool] = field(default_factory=dict)
    # Shifts the person already has a row on (held, withdrawn, waitlisted): never proposed again.
    barred_shifts: frozenset[int] = frozenset()

    def available_on(self, weekday: int) -> bool:
        """True unless the person said they cannot patrol on this weekday."""
        return self.availability.get(weekday, True)


@dataclass(frozen=True)
class Pick:
    """One proposed assignment."""

    shift_id: int
    person_id: int
    role_kind: str
    grid_id: int | None
    duty_date: date
    starts_at: datetime
    ends_at: datetime
    cost: int


@dataclass(frozen=True)
class Proposal:
    """The proposed assignments and how good they are."""

    picks: tuple[Pick, ...]
    required: int
    covered: int
    status: str  # the solver's status for coverage (OPTIMAL proves the maximum), or GREEDY
    wall_seconds: float
    travel: int = 0
    max_hours: float = 0.0  # the busiest proposed person's hours this week, held ones included
    stages: tuple[str, ...] = ()  # each stage's status: coverage, travel, fairness


def clashes(a: Held, b: Held, rest: timedelta) -> bool:
    """True when one person may not hold both: they overlap, or are on different nights with too little rest."""
    if a.starts_at < b.ends_at and b.starts_at < a.ends_at:
        return True
    if a.duty_date == b.duty_date:
        return False
    gap = b.starts_at - a.ends_at if a.ends_at <= b.starts_at else a.starts_at - b.ends_at
    return gap < rest


def travel_cost(home_grid_id: int | None, grid_id: int | None, centres: Mapping[int, tuple[float, float]]) -> int:
    """0 at home, else 1 + metres between the grid centres / 50, capped at FAR_COST."""
    if home_grid_id is not None and home_grid_id == grid_id:
        return 0
    home, there = centres.get(home_grid_id or -1), centres.get(grid_id or -1)
    if home is None or there is None:
        return FAR_COST
    return min(FAR_COST, 1 + round(haversine_m(*home, *there) / METRES_PER_COST))


def _as_held(slot: OpenSlot) -> Held:
    return Held(slot.duty_date, slot.starts_at, slot.ends_at)


@dataclass
class _Shape:
    """What both solvers share: shifts, the (person, slot) pairs allowed, their costs and clashes."""

    slots: Sequence[OpenSlot]
    shifts: dict[int, OpenSlot]
    pairs: list[tuple[int, int]]  # (candidate index, slot index)
    costs: dict[tuple[int, int], int]
    clash: dict[int, set[int]]  # shift id → shift ids it clashes with (for one person)


def _shape(slots: Sequence[OpenSlot], candidates: Sequence[Candidate], rest: timedelta,
           centres: Mapping[int, tuple[float, float]]) -> _Shape:
    shifts = {s.shift_id: s for s in slots}
    clash = {a: {b for b in shifts if b != a and clashes(_as_held(shifts[a]), _as_held(shifts[b]), rest)}
             for a in shifts}
    pairs, costs = [], {}
    for c, person in enumerate(candidates):
        blocked = {sid for sid, s in shifts.items()
                   if any(clashes(_as_held(s), held, rest) for held in person.held)}
        for k, slot in enumerate(slots):
            if (slot.needed > 0 and slot.role_kind in person.role_kinds and person.available_on(slot.weekday)
                    and slot.shift_id not in person.barred_shifts and slot.shift_id not in blocked):
                pairs.append((c, k))
                costs[c, k] = travel_cost(person.home_grid_id, slot.grid_id, centres)
    return _Shape(slots, shifts, pairs, costs, clash)


def propose(slots: Sequence[OpenSlot], candidates: Sequence[Candidate], *, rest: timedelta,
            centres: Mapping[int, tuple[float, float]], time_limit: float = 10.0, seed: int = 0,
            workers: int = 1) -> Proposal:
    """The best proposal CP-SAT finds within the time limit; the greedy one if it finds none."""
    started = clock.perf_counter()
    shape = _shape(slots, candidates, rest, centres)
    chosen, stages = solve(shape, [_units_held(c) for c in candidates], time_limit, seed, workers)
    if chosen is None:
        return _proposal(shape, candidates, _greedy_pairs(shape, candidates), ("GREEDY", *stages), started)
    return _proposal(shape, candidates, chosen, stages, started)


def greedy(slots: Sequence[OpenSlot], candidates: Sequence[Candidate], *, rest: timedelta,
           centres: Mapping[int, tuple[float, float]]) -> Proposal:
    """A deterministic greedy proposal: the fallback when CP-SAT has nothing in time.

    Slots go hardest first (fewest candidates), each unit to the feasible candidate with the least
    travel, then fewest hours, then lowest id. Bound: an optimal pick the greedy misses is blocked
    either by a greedy pick on its own slot (at most one such charge per greedy pick) or by a greedy
    pick of its person that clashes with it (at most k charges, k = the most mutually compatible
    shifts that can clash with one shift; k ≤ 2 for nightly shifts of like length). So the greedy
    covers at least OPT / (1 + k): a third of the optimum for a week of like nights.
    """
    started = clock.perf_counter()
    shape = _shape(slots, candidates, rest, centres)
    return _proposal(shape, candidates, _greedy_pairs(shape, candidates), ("GREEDY",), started)


def _greedy_pairs(shape: _Shape, candidates: Sequence[Candidate]) -> list[tuple[int, int]]:
    options: dict[int, list[int]] = defaultdict(list)
    for c, k in shape.pairs:
        options[k].append(c)
    units = {c: _units_held(person) for c, person in enumerate(candidates)}
    taken: dict[int, set[int]] = defaultdict(set)  # candidate → shift ids taken
    chosen: list[tuple[int, int]] = []
    for k in sorted(options, key=lambda k: (len(options[k]), shape.slots[k].starts_at, k)):
        slot = shape.slots[k]
        for _ in range(slot.needed):
            free = [c for c in options[k] if slot.shift_id not in taken[c]
                    and not taken[c] & shape.clash[slot.shift_id]]
            if not free:
                break
            c = min(free, key=lambda c: (shape.costs[c, k], units[c], candidates[c].person_id))
            taken[c].add(slot.shift_id)
            units[c] += quarter_hours(slot.starts_at, slot.ends_at)
            chosen.append((c, k))
    return chosen


def _units_held(person: Candidate) -> int:
    return round(person.hours_held * 3600 / QUARTER_HOUR)


def _proposal(shape: _Shape, candidates: Sequence[Candidate], chosen: list[tuple[int, int]],
              stages: tuple[str, ...], started: float) -> Proposal:
    picks = []
    units = {c: _units_held(p) for c, p in enumerate(candidates)}
    for c, k in sorted(chosen, key=lambda ck: (shape.slots[ck[1]].starts_at, shape.slots[ck[1]].shift_id,
                                                shape.slots[ck[1]].role_kind, candidates[ck[0]].person_id)):
        s = shape.slots[k]
        units[c] += quarter_hours(s.starts_at, s.ends_at)
        picks.append(Pick(s.shift_id, candidates[c].person_id, s.role_kind, s.grid_id, s.duty_date,
                          s.starts_at, s.ends_at, shape.costs[c, k]))
    touched = {c for c, _ in chosen}
    busiest = max((units[c] for c in touched), default=0) * QUARTER_HOUR / 3600
    return Proposal(tuple(picks), sum(max(0, s.needed) for s in shape.slots), len(picks), stages[0],
                    clock.perf_counter() - started, sum(p.cost for p in picks), busiest, stages)
