"""The dashboard of a district: a period's figures against 环比 and 同比, the hour grid and weekly trends."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Assignment, District, Hazard, IncidentHeat, Shift, Tip
from nightwatch.access import COORDINATING, Actor, require_district, require_role
from nightwatch.figures import Dashboard
from nightwatch.hazards import UNRECTIFIED_STATUSES
from nightwatch.kpi import Period, last_year_period, previous_period, week_of
from nightwatch.nights import duty_date_of
from nightwatch.services.dashboard_figures import figures_of, window
from nightwatch.services.roster_views import timezone_of
from nightwatch.vocab import TipStatus

TREND_WEEKS = 12


class DistrictMissing(LookupError):
    """No district has that id; the message is a catalog key."""

    def __init__(self) -> None:
        super().__init__("dashboard.no_district")
        self.key = "dashboard.no_district"


def _district(session: Session, actor: Actor, district_id: int) -> District:
    """The district, once the actor may read its dashboard."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    district = session.get(District, district_id)
    if district is None:
        raise DistrictMissing()
    return district


def overdue_now(session: Session, district_id: int, today: date) -> int:
    """Hazards past their due date and still not rectified, today."""
    return session.scalar(select(func.count()).select_from(Hazard).where(
        Hazard.district_id == district_id, Hazard.status.in_(UNRECTIFIED_STATUSES), Hazard.due_on < today)) or 0


def today_of(session_factory: sessionmaker, district_id: int, now: datetime) -> date:
    """The district's current duty date."""
    with session_factory() as session:
        return duty_date_of(now, timezone_of(session, district_id))


def dashboard(*, session_factory: sessionmaker, actor: Actor, district_id: int, period: Period,
              now: datetime) -> Dashboard:
    """The period's figures, the same length before (环比), the same dates a year before (同比)."""
    with session_factory() as session:
        district = _district(session, actor, district_id)
        today = duty_date_of(now, district.timezone)
        return Dashboard(
            district_name=district.name, timezone=district.timezone, today=today, current=figures_of(session, district, period),
            previous=figures_of(session, district, previous_period(period)),
            last_year=figures_of(session, district, last_year_period(period)),
            overdue_now=overdue_now(session, district_id, today))


def hour_grid(*, session_factory: sessionmaker, actor: Actor, district_id: int,
              period: Period) -> list[tuple[int, int, int]]:
    """Located tips as (weekday of the night 0 = Monday, local hour, count), from the incident rollup."""
    with session_factory() as session:
        _district(session, actor, district_id)
        rows = session.execute(
            select(IncidentHeat.duty_date, IncidentHeat.hour, func.sum(IncidentHeat.n))
            .where(IncidentHeat.district_id == district_id, IncidentHeat.duty_date >= period.first,
                   IncidentHeat.duty_date <= period.last)
            .group_by(IncidentHeat.duty_date, IncidentHeat.hour)).all()
    counts: Counter[tuple[int, int]] = Counter()
    for night, hour, n in rows:
        counts[(night.weekday(), hour)] += int(n)
    return sorted((weekday, hour, n) for (weekday, hour), n in counts.items() if n)


@dataclass(frozen=True)
class WeekPoint:
    """One week of the trend: its Monday, tips received, hazards found, person-times on patrol."""

    week: date
    tips: int
    hazards: int
    turnout: int


def weekly_trend(*, session_factory: sessionmaker, actor: Actor, district_id: int, last: date,
                 weeks: int = TREND_WEEKS) -> list[WeekPoint]:
    """The `weeks` weeks up to the one holding `last`, oldest first; weeks with nothing count zero."""
    mondays = [week_of(last).first - timedelta(days=7 * n) for n in range(weeks - 1, -1, -1)]
    span = Period(mondays[0], week_of(last).last)
    with session_factory() as session:
        district = _district(session, actor, district_id)
        since, until = window(span, district.timezone)
        tips = session.execute(
            select(Tip.duty_date, func.count()).where(
                Tip.district_id == district_id, Tip.received_at >= since, Tip.received_at < until,
                Tip.status != TipStatus.MERGED).group_by(Tip.duty_date)).all()
        found = session.scalars(select(Hazard.found_at).where(
            Hazard.district_id == district_id, Hazard.found_at >= since, Hazard.found_at < until)).all()
        turnout = session.execute(
            select(Shift.duty_date, func.count()).join(Assignment, Assignment.shift_id == Shift.id).where(
                Shift.district_id == district_id, Shift.starts_at >= since, Shift.starts_at < until,
                Assignment.attended_at.is_not(None)).group_by(Shift.duty_date)).all()
    by_week: dict[str, Counter[date]] = {"tips": Counter(), "hazards": Counter(), "turnout": Counter()}
    for night, n in tips:
        by_week["tips"][week_of(night).first] += n
    for instant in found:
        by_week["hazards"][week_of(duty_date_of(instant, district.timezone)).first] += 1
    for night, n in turnout:
        by_week["turnout"][week_of(night).first] += n
    return [WeekPoint(monday, by_week["tips"][monday], by_week["hazards"][monday], by_week["turnout"][monday])
            for monday in mondays]
