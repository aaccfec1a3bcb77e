"""The weekly brief (周报) of a district: one Monday-to-Sunday week's figures against its bases."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import sessionmaker

from nightwatch.access import Actor
from nightwatch.figures import Dashboard
from nightwatch.kpi import week_of
from nightwatch.services.dashboard import dashboard


def weekly_brief(*, session_factory: sessionmaker, actor: Actor, district_id: int, day: date,
                 now: datetime) -> Dashboard:
    """The figures of the week holding `day`, against the week before and the same dates last year."""
    return dashboard(session_factory=session_factory, actor=actor, district_id=district_id, period=week_of(day),
                     now=now)
