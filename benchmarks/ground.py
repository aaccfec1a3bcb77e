"""The prepared database a scenario runs on: a synthetic city at one scale on one backend."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import sessionmaker

from benchmarks.scale import Scale


@dataclass(frozen=True)
class Ground:
    """A generated city, its rollups rebuilt and a benchmark coordinator added, ready to measure.

    `now` is an instant late on the city's last night (when its tips are open and its patrols out);
    scenarios pass it to the services instead of the wall clock, so figures do not depend on the hour.
    """

    scale: Scale
    backend: str  # "sqlite" or "postgresql"
    url: str
    session_factory: sessionmaker
    now: datetime
    timezone: str
    district_ids: tuple[int, ...]
    coordinator_login: str  # an account coordinating every district, password BENCH_PASSWORD
    demo_url: str  # a database holding the ordinary demo seed, for "does not grow with history"


BENCH_PASSWORD = "nightwatch-bench"
