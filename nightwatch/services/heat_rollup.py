"""The heatmap rollups kept current on write, and rebuilt from the raw rows when they cannot be.

Every check-in adds one to (district, night, local hour, cell, team type) in `patrol_heat`; every
tip adds one to (district, night, local hour, cell, category) in `incident_heat`, and a tip merged
into another takes its one back. The writers call these inside their own transaction, so a rollup
moves with the row it counts or not at all. `db.rollups.rebuild` recounts a district from scratch:
the seed uses it, and so do `rebuild_all` and an upgrade from a schema that had no rollups.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from db.models import CheckIn, District, Tip
from db.prepared import Prepared
from db.rollups import INCIDENT, NO_TEAM, PATROL, rebuild

__all__ = ["count_check_in", "count_tip", "local_hour", "rebuild", "rebuild_all"]


# What the incident rollup needs to know of a tip.
TIP_FACTS = ("district_id", "duty_date", "received_at", "cell", "category")


def local_hour(at: datetime, tz: str) -> int:
    """The wall-clock hour (0–23) of an instant in a timezone."""
    return at.astimezone(ZoneInfo(tz)).hour


def _bump(executor: Session | Connection, table: Table, key: dict, delta: int) -> None:
    """Add `delta` to the counter at `key`, creating it when missing (one statement, race-free)."""
    if isinstance(executor, Connection):  # a hot write path's bare connection
        _upsert(executor.dialect.name, table).execute(executor, {**key, "n": delta})
    else:
        executor.execute(_upsert(executor.get_bind().dialect.name, table).statement, {**key, "n": delta})


@lru_cache(maxsize=None)
def _upsert(dialect: str, table: Table) -> Prepared:
    """INSERT … ON CONFLICT (primary key) DO UPDATE SET n = n + the new n, built once: writers call it per row."""
    statement = (sqlite_insert if dialect == "sqlite" else pg_insert)(table)
    return Prepared(statement.on_conflict_do_update(index_elements=[column.name for column in table.primary_key],
                                                    set_={"n": table.c.n + statement.excluded.n}))


def _timezone(session: Session | Connection, district_id: int) -> str:
    """The district's timezone name."""
    return session.scalar(select(District.timezone).where(District.id == district_id)) or "Asia/Shanghai"


def count_check_in(session: Session, check_in: CheckIn) -> None:
    """Count a new check-in (with its cell set) in the patrol rollup."""
    if not check_in.cell:
        return
    key = {"district_id": check_in.district_id, "duty_date": check_in.duty_date,
           "hour": local_hour(check_in.at, _timezone(session, check_in.district_id)), "cell": check_in.cell,
           "team_type": check_in.team_type or NO_TEAM}
    _bump(session, PATROL, key, 1)


def count_tip(executor: Session | Connection, tip: Tip | Mapping[str, Any], delta: int = 1, *,
              timezone: str | None = None) -> None:
    """Count a new tip (+1) in its cell, or take back one merged into another (-1), in the incident rollup.

    `tip` is the row, or the column values it was just inserted with.
    """
    facts = tip if isinstance(tip, Mapping) else {name: getattr(tip, name) for name in TIP_FACTS}
    if not facts["cell"]:
        return
    timezone = timezone or _timezone(executor, facts["district_id"])
    key = {"district_id": facts["district_id"], "duty_date": facts["duty_date"],
           "hour": local_hour(facts["received_at"], timezone), "cell": facts["cell"],
           "category": str(facts["category"])}
    _bump(executor, INCIDENT, key, delta)


def rebuild_all(session_factory: sessionmaker) -> None:
    """Recount every district's rollups, one transaction per district."""
    with session_factory() as session:
        ids = list(session.scalars(select(District.id).order_by(District.id)))
    for district_id in ids:
        with session_factory.begin() as session:
            rebuild(session, district_id)
