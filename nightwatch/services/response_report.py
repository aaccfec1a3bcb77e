"""The 1-3-5 report: how fast a district's tips were reacted to and reached, by grid, category or hour."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from db.models import District, Grid, Tip
from nightwatch.access import COORDINATING, Actor, require_district, require_role
from nightwatch.response_times import MIN_SAMPLE, ReportRow, Steps, durations, report, targets_of
from nightwatch.services.dispatch_board import at_hotspot, hotspots
from nightwatch.vocab import TipStatus

GROUPINGS = ("district", "grid", "category", "hour")
UNGROUPED = "—"


def response_report(*, session_factory: sessionmaker, actor: Actor, district_id: int, since: datetime,
                    until: datetime, by: str = "grid", min_sample: int = MIN_SAMPLE) -> list[ReportRow]:
    """Tips received in [since, until) measured against the district's targets, grouped `by`."""
    if by not in GROUPINGS:
        raise ValueError(by)
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    with session_factory() as session:
        district = session.get(District, district_id)
        targets = targets_of(district.response_targets)
        spots = hotspots(session, district_id)
        rows = session.execute(
            select(Tip.received_at, Tip.dispatched_at, Tip.acknowledged_at, Tip.on_scene_at, Tip.closed_at,
                   Tip.lat, Tip.lon, Tip.category, Grid.name)
            .outerjoin(Grid, Grid.id == Tip.grid_id)
            .where(Tip.district_id == district_id, Tip.received_at >= since, Tip.received_at < until,
                   Tip.status != TipStatus.MERGED)
        ).all()
    zone = ZoneInfo(district.timezone)

    def label(row) -> str:
        if by == "district":
            return district.name
        if by == "grid":
            return row.name or UNGROUPED
        if by == "category":
            return str(row.category)
        return f"{row.received_at.astimezone(zone).hour:02d}:00"

    measured = ((label(r), durations(Steps(*r[:5]), targets, at_hotspot(spots, r.lat, r.lon))) for r in rows)
    return report(measured, min_sample)
