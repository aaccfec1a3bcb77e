"""Tonight at a glance, per district, and how much the database holds."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import sessionmaker

from db.models import (
    Assignment,
    District,
    Grid,
    Hazard,
    Person,
    Shift,
    Team,
    Tip,
)
from db.seed import table_counts as seeded_table_counts
from nightwatch.access import Actor
from nightwatch.nights import duty_date_of
from nightwatch.vocab import HOLDING_STATUSES, OPEN_TIP_STATUSES, HazardStatus


@dataclass(frozen=True)
class DistrictGlance:
    """One district tonight: its size, its shifts and people on duty, what is still open."""

    district_id: int
    city: str
    name: str
    timezone: str
    duty_date: date
    grids: int
    teams: int
    people: int
    shifts_tonight: int
    on_duty_now: int
    open_tips: int
    open_hazards: int


def tonight(*, session_factory: sessionmaker, now: datetime) -> list[DistrictGlance]:
    """Every district at `now`, in its own timezone's night, ordered by city and name."""
    with session_factory() as session:
        districts = session.execute(
            select(District.id, District.city, District.name, District.timezone).order_by(District.city, District.name)
        ).all()
        nights = {d.id: duty_date_of(now, d.timezone) for d in districts}

        def per_district(query) -> Counter[int]:
            return Counter(dict(session.execute(query).all()))

        grids = per_district(select(Grid.district_id, func.count()).group_by(Grid.district_id))
        teams = per_district(select(Team.district_id, func.count()).where(Team.active).group_by(Team.district_id))
        people = per_district(
            select(Person.district_id, func.count()).where(Person.active).group_by(Person.district_id)
        )
        shifts: Counter[int] = Counter()
        for district_id, night, count in session.execute(
            select(Shift.district_id, Shift.duty_date, func.count())
            .where(Shift.duty_date.in_(set(nights.values())))
            .group_by(Shift.district_id, Shift.duty_date)
        ):
            if nights.get(district_id) == night:
                shifts[district_id] = count
        on_duty = per_district(
            select(Shift.district_id, func.count(distinct(Assignment.person_id)))
            .join(Assignment, Assignment.shift_id == Shift.id)
            .where(Assignment.status.in_(HOLDING_STATUSES), Assignment.starts_at <= now, Assignment.ends_at > now)
            .group_by(Shift.district_id)
        )
        open_tips = per_district(
            select(Tip.district_id, func.count()).where(Tip.status.in_(OPEN_TIP_STATUSES)).group_by(Tip.district_id)
        )
        open_hazards = per_district(
            select(Hazard.district_id, func.count())
            .where(Hazard.status.not_in((HazardStatus.CLOSED,)))
            .group_by(Hazard.district_id)
        )
    return [
        DistrictGlance(
            district_id=d.id, city=d.city, name=d.name, timezone=d.timezone, duty_date=nights[d.id],
            grids=grids[d.id], teams=teams[d.id], people=people[d.id], shifts_tonight=shifts[d.id],
            on_duty_now=on_duty[d.id], open_tips=open_tips[d.id], open_hazards=open_hazards[d.id],
        )
        for d in districts
    ]


def table_counts(*, session_factory: sessionmaker) -> dict[str, int]:
    """How many rows each domain table holds, keyed by table name, in the order they fill."""
    return seeded_table_counts(session_factory)


@dataclass(frozen=True)
class DistrictChoice:
    """A district someone may pick, labelled with its city."""

    id: int
    label: str


def districts_of(*, session_factory: sessionmaker, actor: Actor) -> list[DistrictChoice]:
    """The districts in the actor's scope (all for administrators), by city and name."""
    query = select(District.id, District.city, District.name).order_by(District.city, District.name)
    if not actor.is_admin:
        query = query.where(District.id.in_(actor.district_ids))
    with session_factory() as session:
        return [DistrictChoice(row.id, f"{row.city} · {row.name}") for row in session.execute(query)]
