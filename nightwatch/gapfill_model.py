"""The CP-SAT model behind fill the gaps: variables, rules and the three lexicographic stages. Pure.

Stages share the time limit 40 / 30 / 30 %. Each stops on deterministic work (CP-SAT's own
measure, the same on every run) before the wall clock where the machine is not overloaded,
with one worker and a fixed seed, so the same input gives the same proposal.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from nightwatch.gapfill import _Shape

QUARTER_HOUR = 900  # seconds in the unit fairness counts hours in
FAIR_STEP = 16  # quarter hours between the steps of the fairness cost (4 h)
DETERMINISTIC_PER_SECOND = 0.03  # CP-SAT work units per second of budget: under what 2 cores do, so work binds first
WEEK_UNITS = 7 * 24 * 4  # no one holds more than a week of quarter hours


def quarter_hours(starts_at: datetime, ends_at: datetime) -> int:
    """Quarter hours from one instant to the other."""
    return round((ends_at - starts_at).total_seconds() / QUARTER_HOUR)


def solve(shape: _Shape, held_units: Sequence[int], time_limit: float, seed: int,
          workers: int) -> tuple[list[tuple[int, int]] | None, tuple[str, ...]]:
    """The three stages; the chosen pairs (None when coverage found nothing) and each stage's status."""
    model = cp_model.CpModel()
    x = {pair: model.new_bool_var(f"x{pair[0]}_{pair[1]}") for pair in shape.pairs}
    _constrain(model, shape, x)
    covered = sum(x.values())
    model.maximize(covered)
    solver = _solver(time_limit * 0.4, seed, workers)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, (solver.status_name(status),)
    best = _values(solver, x)
    model.add(covered >= len(best))
    travel = sum(shape.costs[pair] * var for pair, var in x.items())
    best, second = _improve(model, x, travel, best, _solver(time_limit * 0.3, seed, workers))
    fairness = _fair_hours(model, shape, held_units, x)
    best, third = _improve(model, x, fairness, best, _solver(time_limit * 0.3, seed, workers))
    return best, (solver.status_name(status), second, third)


def _constrain(model: cp_model.CpModel, shape: _Shape, x: dict[tuple[int, int], cp_model.IntVar]) -> None:
    by_slot: dict[int, list] = defaultdict(list)
    by_person_shift: dict[tuple[int, int], list] = defaultdict(list)
    for (c, k), var in x.items():
        by_slot[k].append(var)
        by_person_shift[c, shape.slots[k].shift_id].append(var)
    for k, vars_ in by_slot.items():
        model.add(sum(vars_) <= shape.slots[k].needed)
    on_shift = {}
    for (c, sid), vars_ in by_person_shift.items():
        on = model.new_bool_var(f"on{c}_{sid}")
        model.add(sum(vars_) == on)  # one role per person per shift
        on_shift[c, sid] = on
    for (c, sid), on in on_shift.items():
        for other in shape.clash[sid]:
            if other > sid and (c, other) in on_shift:
                model.add_bool_or([on.Not(), on_shift[c, other].Not()])


def _fair_hours(model: cp_model.CpModel, shape: _Shape, held_units: Sequence[int],
                x: dict[tuple[int, int], cp_model.IntVar]):
    """Σ over people and steps of hours above each step: a convex, piecewise-linear stand-in for Σ hours²."""
    terms: dict[int, list] = defaultdict(list)
    tops: dict[int, int] = defaultdict(int)
    for (c, k), var in x.items():
        units = quarter_hours(shape.slots[k].starts_at, shape.slots[k].ends_at)
        terms[c].append(units * var)
        tops[c] += units
    excess = []
    for c, parts in terms.items():
        held = held_units[c]
        top = held + min(tops[c], WEEK_UNITS)
        total = held + sum(parts)
        for step in range(0, top, FAIR_STEP):
            if step <= held:  # always above this step: the excess is exact, no variable needed
                excess.append(total - step)
                continue
            above = model.new_int_var(0, top - step, f"e{c}_{step}")
            model.add(above >= total - step)
            excess.append(above)
    return sum(excess)


def _improve(model: cp_model.CpModel, x: dict, objective, best: list[tuple[int, int]],
             solver: cp_model.CpSolver) -> tuple[list[tuple[int, int]], str]:
    """Minimise the next objective from the best so far (as a hint), then hold it at what was reached."""
    model.minimize(objective)
    model.clear_hints()
    chosen = set(best)
    for pair, var in x.items():
        model.add_hint(var, pair in chosen)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return best, solver.status_name(status)
    model.add(objective <= round(solver.objective_value))
    return _values(solver, x), solver.status_name(status)


def _solver(seconds: float, seed: int, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    # Stop on work done, not on the clock, so a busy machine gives the same answer.
    solver.parameters.max_deterministic_time = max(0.1, seconds) * DETERMINISTIC_PER_SECOND
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    return solver


def _values(solver: cp_model.CpSolver, x: dict) -> list[tuple[int, int]]:
    return [pair for pair, var in x.items() if solver.boolean_value(var)]
