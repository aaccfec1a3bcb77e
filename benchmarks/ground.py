"""The prepared database a scenario runs on: a synthetic city at one scale on one backend."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from benchmarks.scale import Scale
from db.models import Account
from nightwatch.access import Actor
from nightwatch.services.auth import actor_of


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

    def coordinator(self) -> Actor:
        """The benchmark coordinator as the services see them: every district in scope."""
        with self.session_factory() as session:
            account = session.scalars(select(Account).where(Account.login == self.coordinator_login)).one()
            return actor_of(session, account)


BENCH_PASSWORD = "nightwatch-bench"
