"""整改率 for coordinators: hazards found in a period and how many are rectified, per district, grid and category."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import sessionmaker

from db.models import Grid, Hazard
from nightwatch.access import COORDINATING, Actor, require_district, require_role
from nightwatch.hazards import RECTIFIED_STATUSES, rectification_rate
from nightwatch.vocab import HazardCategory


@dataclass(frozen=True)
class Rate:
    """Found, rectified and their rate (None when nothing was found)."""

    label: str | HazardCategory | None
    found: int
    rectified: int

    @property
    def rate(self) -> float | None:
        """The share rectified, or None with nothing found."""
        return rectification_rate(self.found, self.rectified)


@dataclass(frozen=True)
class Rates:
    """The district's rate, then per grid and per category."""

    district: Rate
    by_grid: list[Rate]
    by_category: list[Rate]


def rates(*, session_factory: sessionmaker, actor: Actor, district_id: int, found_from: datetime | None = None,
          found_before: datetime | None = None) -> Rates:
    """Rectification rates of the hazards found in [found_from, found_before) in the district."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    fixed = func.sum(case((Hazard.status.in_(list(RECTIFIED_STATUSES)), 1), else_=0))
    conditions = [Hazard.district_id == district_id]
    if found_from is not None:
        conditions.append(Hazard.found_at >= found_from)
    if found_before is not None:
        conditions.append(Hazard.found_at < found_before)
    with session_factory() as session:
        grids = session.execute(select(Grid.name, func.count(Hazard.id), fixed).select_from(Hazard)
                                .outerjoin(Grid, Grid.id == Hazard.grid_id).where(*conditions)
                                .group_by(Grid.name).order_by(Grid.name)).all()
        kinds = session.execute(select(Hazard.category, func.count(Hazard.id), fixed).where(*conditions)
                                .group_by(Hazard.category).order_by(Hazard.category)).all()
    by_grid = [Rate(name, found, int(done or 0)) for name, found, done in grids]
    by_category = [Rate(HazardCategory(kind), found, int(done or 0)) for kind, found, done in kinds]
    district = Rate(None, sum(r.found for r in by_grid), sum(r.rectified for r in by_grid))
    return Rates(district, by_grid, by_category)
