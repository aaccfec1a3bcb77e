"""Recounting the heatmap rollups (db.models.heat) from the raw check-ins and tips of a district.

The services keep the rollups current on write (nightwatch.services.heat_rollup); this recount is
for the seed, for an upgrade from a schema without rollups, and for rows loaded behind the app's
back. Grouping is vectorised (pandas), and the local hour uses the district's own timezone.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from db.models import CheckIn, District, IncidentHeat, PatrolHeat, Tip

PATROL: Table = PatrolHeat.__table__  # type: ignore[assignment]
INCIDENT: Table = IncidentHeat.__table__  # type: ignore[assignment]
NO_TEAM = ""


def rebuild(session: Session, district_id: int) -> None:
    """Recount a district's rollups from its check-ins and tips (idempotent)."""
    tz = session.scalar(select(District.timezone).where(District.id == district_id)) or "Asia/Shanghai"
    session.execute(delete(PATROL).where(PATROL.c.district_id == district_id))
    session.execute(delete(INCIDENT).where(INCIDENT.c.district_id == district_id))
    patrols = pd.DataFrame(session.execute(
        select(CheckIn.duty_date, CheckIn.at, CheckIn.cell, CheckIn.team_type)
        .where(CheckIn.district_id == district_id, CheckIn.cell.is_not(None))).all(),
        columns=["duty_date", "at", "cell", "team_type"])
    _insert_counts(session, PATROL, district_id, tz, patrols.fillna({"team_type": NO_TEAM}), "team_type")
    tips = pd.DataFrame(session.execute(
        select(Tip.duty_date, Tip.received_at.label("at"), Tip.cell, Tip.category)
        .where(Tip.district_id == district_id, Tip.merged_into_id.is_(None), Tip.cell.is_not(None))).all(),
        columns=["duty_date", "at", "cell", "category"])
    _insert_counts(session, INCIDENT, district_id, tz, tips.assign(category=tips["category"].astype(str)), "category")


def _insert_counts(session: Session, table: Table, district_id: int, tz: str, rows: pd.DataFrame,
                   kind: str) -> None:
    """Group raw rows by night, local hour, cell and `kind`, and insert the counts."""
    if rows.empty:
        return
    hours = pd.to_datetime(rows["at"], utc=True).dt.tz_convert(tz).dt.hour
    counts = (rows.assign(hour=hours.to_numpy()).groupby(["duty_date", "hour", "cell", kind])
              .size().reset_index(name="n"))
    records = [{"district_id": district_id, "duty_date": r.duty_date, "hour": int(r.hour), "cell": r.cell,
                kind: getattr(r, kind), "n": int(r.n)} for r in counts.itertuples(index=False)]
    session.execute(insert(table), records)
