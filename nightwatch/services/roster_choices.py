"""What the roster page offers to choose from: people who fit a shift, places for a campaign, tonight's date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import sessionmaker

from db.models import Assignment, DutyPost, Grid, Person, Route, Shift
from nightwatch.access import COORDINATING, Actor, require_district, require_role
from nightwatch.nights import duty_date_of
from nightwatch.services.roster_views import held_by_role, timezone_of
from nightwatch.shifts import fits, kinds_of, remaining
from nightwatch.vocab import HOLDING_STATUSES, AssignmentStatus, RoleKind


@dataclass(frozen=True)
class Candidate:
    """A person of the district who can fill a role a shift asks for."""

    person_id: int
    name: str
    role_kind: str
    kinds: tuple[str, ...]
    fills_short_role: bool  # one of their kinds is still short on the shift


@dataclass(frozen=True)
class PlaceChoice:
    """A grid, route or duty post a campaign can run at; grids bring their staffing template."""

    kind: str  # "grid", "route" or "post"
    id: int
    name: str
    template: dict[str, int]


def tonight(*, session_factory: sessionmaker, actor: Actor, district_id: int, now: datetime) -> date:
    """The duty date it is now in the district's timezone."""
    require_district(actor, district_id)
    with session_factory() as session:
        return duty_date_of(now, timezone_of(session, district_id))


def candidates(*, session_factory: sessionmaker, actor: Actor, shift_id: int, search: str = "") -> list[Candidate]:
    """Active people of the shift's district whose name holds `search`, who fit it and are not on it yet; those it
    still needs first, then by name."""
    require_role(actor, COORDINATING)
    with session_factory() as session:
        shift = session.execute(select(Shift.district_id, Shift.required).where(Shift.id == shift_id)).one()
        require_district(actor, shift.district_id)
        required = dict(shift.required or {})
        on_it = select(Assignment.person_id).where(
            Assignment.shift_id == shift_id, Assignment.status.in_((*HOLDING_STATUSES, AssignmentStatus.WAITLISTED)))
        query = (select(Person.id, Person.name, Person.role_kind, Person.skills)
                 .where(Person.district_id == shift.district_id, Person.active, Person.id.not_in(on_it)))
        if search.strip():
            query = query.where(Person.name.icontains(search.strip(), autoescape=True))
        if required:  # a first sieve in SQL; `fits` below decides
            query = query.where(or_(Person.role_kind.in_([k for k in required if k in set(RoleKind)]), *[
                cast(Person.skills, String).contains(f'"{kind}"', autoescape=True) for kind in required]))
        people = session.execute(query.order_by(Person.name, Person.id)).all()
        short = remaining(required, held_by_role(session, shift_id))
    found = []
    for person_id, name, role_kind, skills in people:
        kinds = kinds_of(role_kind, skills or ())
        if fits(kinds, required):
            found.append(Candidate(person_id, name, str(role_kind), kinds,
                                   not required or any(k in short for k in kinds)))
    return sorted(found, key=lambda c: not c.fills_short_role)


def campaign_places(*, session_factory: sessionmaker, actor: Actor, district_id: int) -> list[PlaceChoice]:
    """The district's grids, routes and duty posts, in that order."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    with session_factory() as session:
        grids = session.execute(select(Grid.id, Grid.name, Grid.staffing_template)
                                .where(Grid.district_id == district_id).order_by(Grid.name)).all()
        routes = session.execute(select(Route.id, Route.name).where(Route.district_id == district_id)
                                 .order_by(Route.name)).all()
        posts = session.execute(select(DutyPost.id, DutyPost.name).where(DutyPost.district_id == district_id)
                                .order_by(DutyPost.name)).all()
    return ([PlaceChoice("grid", g.id, g.name, dict(g.staffing_template or {})) for g in grids]
            + [PlaceChoice("route", r.id, r.name, {}) for r in routes]
            + [PlaceChoice("post", p.id, p.name, {}) for p in posts])
