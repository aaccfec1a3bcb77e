"""The people page's list: the first people by name that pass the filters, and how many pass in all."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from nightwatch.access import Actor
from nightwatch.services.people import PeopleFilter, PersonRow, district_in_scope, filtered, people_rows_of
from nightwatch.shown import Shown

SHOWN = 100
CHOICES = 50


# The people a page shows of those that match, with how many match in all.
PeoplePage = Shown[PersonRow]


def people_page(*, session_factory: sessionmaker, actor: Actor, district_id: int, filters: PeopleFilter,
                shown: int | None = None) -> PeoplePage:
    """The first `shown` (by default `SHOWN`) people by name that pass the filters, and how many pass in all."""
    with session_factory() as session:
        district_in_scope(session, actor, district_id)
        total = session.scalar(select(func.count()).select_from(filtered(district_id, filters).subquery()))
        rows = people_rows_of(session, district_id, filters, SHOWN if shown is None else shown)
        return PeoplePage(rows, total or 0)


def leader_choices(*, session_factory: sessionmaker, actor: Actor, district_id: int, text: str = "",
                   keep: frozenset[int] = frozenset(), limit: int = CHOICES) -> list[PersonRow]:
    """Active people who may lead a team, found by name, phone, team or grid (the first `limit`), after `keep`."""
    with session_factory() as session:
        district_in_scope(session, actor, district_id)
        kept = people_rows_of(session, district_id, PeopleFilter(active=True, ids=keep), None) if keep else []
        found = people_rows_of(session, district_id, PeopleFilter(active=True, text=text), limit)
    return [*kept, *(row for row in found if row.id not in keep)]
