"""What the dashboard counts: one district's figures for a period, and a period with its two bases. Pure data."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from nightwatch.hazards import rectification_rate
from nightwatch.kpi import Period


@dataclass(frozen=True)
class Response:
    """The 1-3-5 measures of a period's tips: how many were measured, share within target, median seconds."""

    counted: dict[str, int]
    met_rate: dict[str, float | None]
    median_s: dict[str, float | None]
    targets: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Figures:
    """Everything the dashboard counts for one district over one period."""

    period: Period
    active: bool
    tips: int = 0
    tips_by_category: dict[str, int] = field(default_factory=dict)
    helped_by_outcome: dict[str, int] = field(default_factory=dict)
    response: Response | None = None
    hazards_found: int = 0
    hazards_rectified: int = 0
    turnout: int = 0
    on_time: int = 0
    late: int = 0
    hours: float = 0.0
    outreach_events: int = 0
    people_reached: int = 0
    app_installs: int = 0

    @property
    def rectification(self) -> float | None:
        """整改率 of the hazards found in the period, None when none were found."""
        return rectification_rate(self.hazards_found, self.hazards_rectified)


@dataclass(frozen=True)
class Dashboard:
    """A period's figures with its two bases, and what is overdue today."""

    district_name: str
    timezone: str
    today: date
    current: Figures
    previous: Figures
    last_year: Figures
    overdue_now: int
