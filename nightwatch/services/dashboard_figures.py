"""One district's figures over one period, each read by one aggregate query on an indexed range."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Assignment, CheckIn, District, Hazard, Shift, Tip
from nightwatch import attendance
from nightwatch.figures import Figures, Response
from nightwatch.hazards import RECTIFIED_STATUSES
from nightwatch.kpi import Period, has_activity
from nightwatch.nights import Slot, window_of_night
from nightwatch.response_times import (
    MEASURES,
    MIN_SAMPLE,
    Steps,
    durations,
    report,
    targets_of,
)
from nightwatch.services.dispatch_board import at_hotspot, hotspots
from nightwatch.services.outreach import outreach_totals
from nightwatch.vocab import TipStatus


def window(period: Period, tz: str) -> tuple[datetime, datetime]:
    """The instants the period's nights span: from the first night's start to the last night's end."""
    return window_of_night(period.first, tz).starts_at, window_of_night(period.last, tz).ends_at


def activity(session: Session, district_id: int, since: datetime, until: datetime) -> bool:
    """True when the district had any shift, tip or check-in in the window."""
    def exists(model, column, district) -> int:
        query = select(model.id).where(district == district_id, column >= since, column < until).limit(1)
        return 1 if session.scalar(query) is not None else 0
    return has_activity(exists(Shift, Shift.starts_at, Shift.district_id), exists(Tip, Tip.received_at, Tip.district_id),
                        exists(CheckIn, CheckIn.at, CheckIn.district_id))


def _tips(session: Session, district_id: int, since: datetime, until: datetime) -> dict[str, dict[str, int]]:
    """Tips by category and people helped by outcome (merged duplicates left out)."""
    in_range = (Tip.district_id == district_id, Tip.received_at >= since, Tip.received_at < until,
                Tip.status != TipStatus.MERGED)
    categories = session.execute(select(Tip.category, func.count()).where(*in_range).group_by(Tip.category)).all()
    outcomes = session.execute(select(Tip.outcome, func.count()).where(*in_range, Tip.outcome.is_not(None))
                               .group_by(Tip.outcome)).all()
    return {"category": {str(k): n for k, n in categories}, "outcome": {str(k): n for k, n in outcomes}}


def _response(session: Session, district: District, since: datetime, until: datetime) -> Response:
    """The period's tips measured against the district's 1-3-5 targets, as the response report does."""
    targets = targets_of(district.response_targets)
    spots = hotspots(session, district.id)
    rows = session.execute(
        select(Tip.received_at, Tip.dispatched_at, Tip.acknowledged_at, Tip.on_scene_at, Tip.closed_at, Tip.lat,
               Tip.lon)
        .where(Tip.district_id == district.id, Tip.received_at >= since, Tip.received_at < until,
               Tip.status != TipStatus.MERGED, Tip.dispatched_at.is_not(None))).all()
    measured = [("all", durations(Steps(*r[:5]), targets, at_hotspot(spots, r.lat, r.lon))) for r in rows]
    rows_of = report(measured, MIN_SAMPLE)
    if not rows_of:
        return Response({m: 0 for m in MEASURES}, {m: None for m in MEASURES}, {m: None for m in MEASURES}, targets)
    row = rows_of[0]
    return Response(row.counted, row.met_rate, row.median_s, targets)


def _hazards(session: Session, district_id: int, since: datetime, until: datetime) -> tuple[int, int]:
    """Hazards found in the window, and how many of those are rectified now."""
    rows = session.execute(select(Hazard.status, func.count()).where(
        Hazard.district_id == district_id, Hazard.found_at >= since, Hazard.found_at < until)
        .group_by(Hazard.status)).all()
    return sum(n for _, n in rows), sum(n for status, n in rows if status in RECTIFIED_STATUSES)


def _turnout(session: Session, district_id: int, since: datetime, until: datetime) -> tuple[int, int, int, float]:
    """Person-times attended (on time, late) and hours on duty of the shifts starting in the window."""
    rows = session.execute(
        select(Assignment.starts_at, Assignment.ends_at, Assignment.attended_at)
        .join(Shift, Shift.id == Assignment.shift_id)
        .where(Shift.district_id == district_id, Shift.starts_at >= since, Shift.starts_at < until,
               Assignment.attended_at.is_not(None))).all()
    on_time = late = 0
    hours = 0.0
    for starts_at, ends_at, attended_at in rows:
        slot = Slot(starts_at, ends_at)
        if attendance.counted_from(slot, attended_at) == slot.starts_at:
            on_time += 1
        else:
            late += 1
        hours += attendance.attended_hours(slot, attended_at)
    return len(rows), on_time, late, round(hours, 1)


def figures_of(session: Session, district: District, period: Period) -> Figures:
    """Every figure of the dashboard for one district and period."""
    since, until = window(period, district.timezone)
    tips = _tips(session, district.id, since, until)
    found, rectified = _hazards(session, district.id, since, until)
    turnout, on_time, late, hours = _turnout(session, district.id, since, until)
    outreach = outreach_totals(session, district.id, since, until)
    return Figures(
        period=period, active=activity(session, district.id, since, until),
        tips=sum(tips["category"].values()), tips_by_category=tips["category"], helped_by_outcome=tips["outcome"],
        response=_response(session, district, since, until), hazards_found=found, hazards_rectified=rectified,
        turnout=turnout, on_time=on_time, late=late, hours=hours, outreach_events=outreach.events,
        people_reached=outreach.reached, app_installs=outreach.installs)
