"""People of a district for coordinators: listed, added, edited, moved between teams, deactivated.

Teams live in `services/people_teams.py`, spreadsheet import and export in `services/people_import.py`;
all share the scope check and refusal defined here.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, String, cast, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from db.models import Availability, District, Grid, Person, Team
from nightwatch.access import COORDINATING, Actor, require_district, require_role
from nightwatch.people_rows import NAME_MAX, is_mobile, normalise_phone
from nightwatch.services.audit import record
from nightwatch.text import clean_text
from nightwatch.vocab import RoleKind

WEEK = range(7)


class PeopleRefused(Exception):
    """A change to teams or people was refused; the message is a catalog key, `values` fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class PersonRow:
    """One person as the people page lists them; the full phone (only coordinators read people)."""

    id: int
    name: str
    phone: str
    role_kind: RoleKind
    skills: tuple[RoleKind, ...]
    team_id: int | None
    team: str | None
    home_grid_id: int | None
    home_grid: str | None
    active: bool


@dataclass(frozen=True)
class PersonFields:
    """What a coordinator sets on a person (a new one, or the edited values of an existing one)."""

    name: str
    phone: str
    role_kind: RoleKind
    skills: tuple[RoleKind, ...] = ()
    team_id: int | None = None
    home_grid_id: int | None = None
    active: bool = True


@dataclass(frozen=True)
class PeopleFilter:
    """The people page's filters: a team (0 = no team), a role kind, active or not, and text."""

    team_id: int | None = None
    role_kind: RoleKind | None = None
    active: bool | None = True
    text: str = ""
    ids: frozenset[int] = field(default_factory=frozenset)


def district_in_scope(session: Session, actor: Actor, district_id: int) -> District:
    """The district, for a coordinator of it (or an administrator); refuses anyone else."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    district = session.get(District, district_id)
    if district is None:
        raise PeopleRefused("people.no_district")
    return district


def list_people(*, session_factory: sessionmaker, actor: Actor, district_id: int,
                filters: PeopleFilter | None = None, limit: int | None = None) -> list[PersonRow]:
    """The district's people that pass the filters, by name (the first `limit` of them when given)."""
    with session_factory() as session:
        district_in_scope(session, actor, district_id)
        return people_rows_of(session, district_id, filters or PeopleFilter(), limit)


def filtered(district_id: int, filters: PeopleFilter) -> Select:
    """The ids of the district's people that pass every filter that is set, as one SQL query."""
    query = select(Person.id).where(Person.district_id == district_id)
    if filters.team_id is not None:
        query = query.where(Person.team_id.is_(None) if filters.team_id == 0 else Person.team_id == filters.team_id)
    if filters.role_kind is not None:
        role = RoleKind(filters.role_kind)
        query = query.where((Person.role_kind == role)
                            | cast(Person.skills, String).contains(f'"{role.value}"', autoescape=True))
    if filters.active is not None:
        query = query.where(Person.active.is_(filters.active))
    if filters.ids:
        query = query.where(Person.id.in_(sorted(filters.ids)))
    text = filters.text.strip()
    if text:
        named = (lambda model: select(model.id).where(model.district_id == district_id,
                                                      model.name.icontains(text, autoescape=True)))
        query = query.where(Person.name.icontains(text, autoescape=True) | Person.phone.contains(text, autoescape=True)
                            | Person.team_id.in_(named(Team)) | Person.home_grid_id.in_(named(Grid)))
    return query


def people_rows_of(session: Session, district_id: int, filters: PeopleFilter, limit: int | None) -> list[PersonRow]:
    """The filtered people by name, with their team's and grid's names, reading only the columns shown."""
    # The page's few people are cut first, then named: joining every match to its team and grid first
    # made PostgreSQL hash the whole person table and every grid for a hundred rows.
    chosen = (filtered(district_id, filters).add_columns(
        Person.name, Person.phone, Person.role_kind, Person.skills, Person.team_id, Person.home_grid_id, Person.active)
        .order_by(Person.name, Person.id).limit(limit).subquery())
    query = (select(chosen.c.id, chosen.c.name, chosen.c.phone, chosen.c.role_kind, chosen.c.skills, chosen.c.team_id,
                    Team.name, chosen.c.home_grid_id, Grid.name, chosen.c.active)
             .outerjoin(Team, Team.id == chosen.c.team_id).outerjoin(Grid, Grid.id == chosen.c.home_grid_id)
             .order_by(chosen.c.name, chosen.c.id))
    return [PersonRow(pid, name, phone, RoleKind(role), _skills(skills), team_id, team, grid_id, grid, active)
            for pid, name, phone, role, skills, team_id, team, grid_id, grid, active in session.execute(query)]


def grid_choices(*, session_factory: sessionmaker, actor: Actor, district_id: int) -> dict[int, str]:
    """The district's micro-grids (id → name) a person can call home."""
    with session_factory() as session:
        district_in_scope(session, actor, district_id)
        return dict(session.execute(select(Grid.id, Grid.name).where(Grid.district_id == district_id)
                                    .order_by(Grid.name)).all())


def add_person(*, session_factory: sessionmaker, actor: Actor, district_id: int, fields: PersonFields) -> int:
    """Add a person to the district; returns their id."""
    with session_factory.begin() as session:
        district_in_scope(session, actor, district_id)
        clean = check_fields(session, district_id, fields)
        person = Person(district_id=district_id, name=clean.name, phone=clean.phone, role_kind=clean.role_kind,
                        skills=[s.value for s in clean.skills], team_id=clean.team_id,
                        home_grid_id=clean.home_grid_id, active=clean.active)
        session.add(person)
        _flush(session, clean.phone)
        record(session, actor, "person.create", "person", person.id, district_id=district_id, after=_audited(clean))
        return person.id


def save_people(*, session_factory: sessionmaker, actor: Actor, district_id: int,
                changes: dict[int, PersonFields]) -> int:
    """Store edited people all at once, or none when one is refused (`values` name the person); returns the count."""
    with session_factory.begin() as session:
        district_in_scope(session, actor, district_id)
        for person_id, fields in changes.items():
            person = _person(session, district_id, person_id)
            try:
                clean = check_fields(session, district_id, fields, person_id=person_id, current_team=person.team_id)
            except PeopleRefused as refused:
                raise PeopleRefused(refused.key, **refused.values, person=fields.name or person.name) from refused
            before = _audited(_fields_of(person))
            person.name, person.phone, person.role_kind = clean.name, clean.phone, clean.role_kind
            person.skills = [s.value for s in clean.skills]
            person.team_id, person.home_grid_id, person.active = clean.team_id, clean.home_grid_id, clean.active
            _flush(session, clean.phone, person=person.name)
            after = _audited(clean)
            changed = {k for k in after if after[k] != before[k]}
            record(session, actor, "person.edit", "person", person.id, district_id=district_id,
                   before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
        return len(changes)


def set_people_active(*, session_factory: sessionmaker, actor: Actor, district_id: int,
                      person_ids: Iterable[int], active: bool) -> int:
    """Deactivate (or bring back) people; they keep their history. Returns how many changed."""
    with session_factory.begin() as session:
        district_in_scope(session, actor, district_id)
        changed = 0
        for person_id in sorted(set(person_ids)):
            person = _person(session, district_id, person_id)
            if person.active != active:
                person.active, changed = active, changed + 1
                record(session, actor, "person.activate" if active else "person.deactivate", "person", person.id,
                       district_id=district_id, before={"active": not active}, after={"active": active})
        return changed


def move_people(*, session_factory: sessionmaker, actor: Actor, district_id: int,
                person_ids: Iterable[int], team_id: int | None) -> int:
    """Move people into a team of the district (None: out of any team); returns how many moved."""
    with session_factory.begin() as session:
        district_in_scope(session, actor, district_id)
        _team(session, district_id, team_id)
        moved = 0
        for person_id in sorted(set(person_ids)):
            person = _person(session, district_id, person_id)
            if person.team_id != team_id:
                record(session, actor, "person.move", "person", person.id, district_id=district_id,
                       before={"team_id": person.team_id}, after={"team_id": team_id})
                person.team_id, moved = team_id, moved + 1
        return moved


def availability_of(*, session_factory: sessionmaker, actor: Actor, district_id: int, person_id: int) -> list[bool]:
    """The nights of the week (Monday first) the person can patrol; no rows means every night."""
    with session_factory() as session:
        district_in_scope(session, actor, district_id)
        _person(session, district_id, person_id)
        rows = dict(session.execute(select(Availability.weekday, Availability.available)
                                    .where(Availability.person_id == person_id)).all())
    return [rows.get(day, True) for day in WEEK]


def set_availability(*, session_factory: sessionmaker, actor: Actor, district_id: int, person_id: int,
                     nights: Sequence[bool]) -> None:
    """Keep the nights of the week the person can patrol (seven flags, Monday first)."""
    if len(nights) != len(WEEK):
        raise PeopleRefused("people.availability_week")
    with session_factory.begin() as session:
        district_in_scope(session, actor, district_id)
        _person(session, district_id, person_id)
        session.execute(delete(Availability).where(Availability.person_id == person_id))
        if not all(nights):  # every night is what no rows mean
            session.add_all(Availability(person_id=person_id, weekday=day, available=bool(nights[day])) for day in WEEK)
        record(session, actor, "person.availability", "person", person_id, district_id=district_id,
               after={"nights": [day for day in WEEK if nights[day]]})


def check_fields(session: Session, district_id: int, fields: PersonFields, person_id: int | None = None,
                 current_team: int | None = None) -> PersonFields:
    """The fields cleaned, or a refusal: a name, a mainland mobile nobody else holds, a team and grid of the district."""
    name = clean_text(fields.name)
    if not name or len(name) > NAME_MAX:
        raise PeopleRefused("people.bad_name", limit=NAME_MAX)
    phone = normalise_phone(fields.phone)
    if not is_mobile(phone):
        raise PeopleRefused("people.bad_phone", phone=fields.phone or "")
    holder = session.scalar(select(Person.id).where(Person.phone == phone))
    if holder is not None and holder != person_id:
        raise PeopleRefused("people.phone_taken", phone=phone)
    try:
        role = RoleKind(fields.role_kind)
        skills = tuple(dict.fromkeys(RoleKind(s) for s in fields.skills))
    except ValueError as error:
        raise PeopleRefused("people.bad_role") from error
    if fields.team_id != current_team:  # staying in a team that was since deactivated is allowed
        _team(session, district_id, fields.team_id)
    if fields.home_grid_id is not None and session.scalar(
            select(Grid.id).where(Grid.id == fields.home_grid_id, Grid.district_id == district_id)) is None:
        raise PeopleRefused("people.unknown_grid")
    return PersonFields(name, phone, role, skills, fields.team_id, fields.home_grid_id, bool(fields.active))


def _team(session: Session, district_id: int, team_id: int | None) -> Team | None:
    """The active team of the district a person may join (None stands for no team)."""
    if team_id is None:
        return None
    team = session.get(Team, team_id)
    if team is None or team.district_id != district_id:
        raise PeopleRefused("people.unknown_team")
    if not team.active:
        raise PeopleRefused("people.team_inactive", team=team.name)
    return team


def _person(session: Session, district_id: int, person_id: int) -> Person:
    # Someone of another district reads as unknown, so ids reveal nothing across districts.
    person = session.get(Person, person_id)
    if person is None or person.district_id != district_id:
        raise PeopleRefused("people.unknown_person")
    return person


def _flush(session: Session, phone: str, person: str = "") -> None:
    """Write now, so a number taken by a concurrent writer is refused in words, not as a crash."""
    try:
        session.flush()
    except IntegrityError as error:
        raise PeopleRefused("people.phone_taken", phone=phone, person=person) from error


def _skills(values: Iterable[str] | None) -> tuple[RoleKind, ...]:
    return tuple(RoleKind(v) for v in values or () if v in RoleKind._value2member_map_)


def _fields_of(person: Person) -> PersonFields:
    return PersonFields(person.name, person.phone, RoleKind(person.role_kind), _skills(person.skills),
                        person.team_id, person.home_grid_id, person.active)


def _audited(fields: PersonFields) -> dict[str, object]:
    """The fields as the audit log keeps them (record masks the phone)."""
    return {"name": fields.name, "phone": fields.phone, "role_kind": fields.role_kind.value,
            "skills": [s.value for s in fields.skills], "team_id": fields.team_id,
            "home_grid_id": fields.home_grid_id, "active": fields.active}
