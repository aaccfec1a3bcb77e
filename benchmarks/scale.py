"""Named sizes of a synthetic city, from a few hundred rows for tests to a whole city."""
from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Scale:
    """How big a synthetic city is: rows per table, and how many nights of patrols it holds."""

    name: str
    districts: int
    grids: int
    people: int
    checkpoints: int
    routes: int
    duty_posts: int
    places: int
    shops: int
    nights: int
    shifts: int
    check_ins: int
    tips: int
    # People on one shift, inclusive bounds; every grid houses at least the upper bound.
    crew_min: int = 2
    crew_max: int = 4

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, int) and value < 1:
                raise ValueError(f"scale {self.name}: {field.name} must be at least 1")
        rules = {
            "every district needs a grid": self.grids >= self.districts,
            "every grid needs a checkpoint": self.checkpoints >= self.grids,
            "every grid needs a route": self.routes >= self.grids,
            "crew bounds are ordered": 2 <= self.crew_min <= self.crew_max,
            "every night has a shift": self.shifts >= self.nights,
            # Busy nights take more shifts than quiet ones, so leave headroom below one per grid.
            "shifts fit at most half the grid-nights": self.shifts <= self.grids * self.nights // 2,
            "every grid houses a full crew": self.patrollers >= self.grids * self.crew_max,
            "every attended shift has a check-in": self.check_ins >= self.shifts * self.crew_max,
            "every merchant co-defender has a shop": self.shops >= self.merchants,
        }
        broken = [rule for rule, holds in rules.items() if not holds]
        if broken:
            raise ValueError(f"scale {self.name}: " + "; ".join(broken))

    @property
    def merchants(self) -> int:
        """People who are merchant co-defenders (商户联防员), one per co-defending shop."""
        return self.people // 10

    @property
    def patrollers(self) -> int:
        """People who are not merchants: officers, auxiliaries, grid workers, volunteers …"""
        return self.people - self.merchants


TINY = Scale(
    name="tiny", districts=2, grids=6, people=60, checkpoints=18, routes=8, duty_posts=4,
    places=4, shops=30, nights=7, shifts=21, check_ins=300, tips=60,
)
SMALL = Scale(
    name="small", districts=5, grids=100, people=1_000, checkpoints=400, routes=150, duty_posts=40,
    places=50, shops=2_000, nights=90, shifts=4_500, check_ins=100_000, tips=10_000,
)
CITY = Scale(
    name="city", districts=20, grids=2_000, people=20_000, checkpoints=8_000, routes=3_000,
    duty_posts=800, places=1_000, shops=40_000, nights=365, shifts=365_000,
    check_ins=5_000_000, tips=500_000,
)
SCALES: dict[str, Scale] = {scale.name: scale for scale in (TINY, SMALL, CITY)}
