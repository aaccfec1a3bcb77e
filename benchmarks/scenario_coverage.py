"""Scenario 3: the coverage board of the district with most grids for a week, as the coverage page asks for it."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from benchmarks.ground import Ground
from benchmarks.measure import Figure, timed
from db.models import District, Grid, Shift
from nightwatch.nights import duty_date_of
from nightwatch.services import coverage

WEEK = 7
TARGET_MS = 150


def largest(ground: Ground) -> int:
    """The district with the most grids."""
    with ground.session_factory() as session:
        return session.execute(select(Grid.district_id).group_by(Grid.district_id)
                               .order_by(func.count().desc(), Grid.district_id).limit(1)).scalar_one()


def weeks(ground: Ground, tonight: date) -> dict[str, date]:
    """First nights: the page's default (tonight on), the week up to tonight, and one in the middle of history."""
    oldest = tonight - timedelta(days=ground.scale.nights - 1)
    return {"from tonight (page default)": tonight, "last week": tonight - timedelta(days=WEEK - 1),
            "mid-history week": oldest + timedelta(days=(ground.scale.nights - WEEK) // 2)}


def planned(ground: Ground, district_id: int, first: date) -> dict[tuple[int, date], int]:
    """People required per grid and night, counted straight from the shifts that name their grid."""
    query = (select(Shift.grid_id, Shift.duty_date, Shift.required)
             .where(Shift.district_id == district_id, Shift.grid_id.is_not(None), Shift.duty_date >= first,
                    Shift.duty_date < first + timedelta(days=WEEK)))
    needed: dict[tuple[int, date], int] = {}
    with ground.session_factory() as session:
        for grid_id, night, required in session.execute(query):
            needed[grid_id, night] = needed.get((grid_id, night), 0) + sum(n for n in (required or {}).values() if n > 0)
    return needed


def _checked(view: coverage.CoverageBoard, district_id: int, first: date, needed: dict[tuple[int, date], int]) -> None:
    """Every grid × night is on the board, and grid shifts ask for what the shifts table says."""
    cells = len(view.grids) * WEEK
    if len(view.board.cells) != cells:
        raise AssertionError(f"coverage board of district {district_id} from {first}: {len(view.board.cells)} "
                             f"cells for {len(view.grids)} grids × {WEEK} nights")
    for (grid_id, night), need in needed.items():
        if view.board.cell(grid_id, night).need < need:
            raise AssertionError(f"coverage board of district {district_id}: grid {grid_id} on {night} needs "
                                 f"{view.board.cell(grid_id, night).need}, its shifts ask for at least {need}")


def run(ground: Ground, runs: int) -> list[Figure]:
    """One figure per week of the largest district: the board by night, median milliseconds."""
    actor = ground.coordinator()
    district_id = largest(ground)
    with ground.session_factory() as session:
        tz = session.scalar(select(District.timezone).where(District.id == district_id))
    tonight = duty_date_of(ground.now, tz or ground.timezone)
    figures = []
    for name, first in weeks(ground, tonight).items():
        def board(first: date = first) -> coverage.CoverageBoard:
            return coverage.board(session_factory=ground.session_factory, actor=actor, district_id=district_id,
                                  first_night=first, nights=WEEK)

        view = board()
        _checked(view, district_id, first, planned(ground, district_id, first))
        stats = timed(board, runs=runs)
        value = stats.median * 1000
        figures.append(Figure(
            scenario="coverage", backend=ground.backend,
            measure=f"coverage board, {name} ({first}…{first + timedelta(days=WEEK - 1)}), district {district_id}",
            value=value, unit="ms", target=f"≤ {TARGET_MS} ms",
            met=value <= TARGET_MS if ground.scale.name == "city" else None, stats=stats,
            note=f"{len(view.grids)} grids × {WEEK} nights, {len(view.shifts)} shifts"))
    return figures
