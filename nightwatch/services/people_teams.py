"""Teams of a district for coordinators: listed, created, edited, deactivated and brought back."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from db.models import Person, Team
from nightwatch.access import Actor
from nightwatch.geo import is_valid_point
from nightwatch.services.audit import record
from nightwatch.services.people import PeopleRefused, district_in_scope
from nightwatch.text import clean_text
from nightwatch.vocab import TeamType

TEAM_NAME_MAX = 120


@dataclass(frozen=True)
class TeamRow:
    """One team as the teams tab lists it, with its leader's name and how many active members it has."""

    id: int
    name: str
    team_type: TeamType
    leader_id: int | None
    leader: str | None
    base_lat: float | None
    base_lon: float | None
    swap_needs_approval: bool
    active: bool
    members: int


@dataclass(frozen=True)
class TeamFields:
    """What a coordinator sets on a team."""

    name: str
    team_type: TeamType
    leader_id: int | None = None
    base_lat: float | None = None
    base_lon: float | None = None
    swap_needs_approval: bool = True
    active: bool = True


def list_teams(*, session_factory: sessionmaker, actor: Actor, district_id: int,
               active_only: bool = False) -> list[TeamRow]:
    """The district's teams by name (inactive ones too unless asked not to)."""
    with session_factory() as session:
        district_in_scope(session, actor, district_id)
        members = dict(session.execute(
            select(Person.team_id, func.count()).where(Person.district_id == district_id, Person.active)
            .group_by(Person.team_id)).all())
        leaders = dict(session.execute(select(Person.id, Person.name).join(Team, Team.leader_id == Person.id)
                                       .where(Team.district_id == district_id)).all())
        query = select(Team).where(Team.district_id == district_id).order_by(Team.name)
        if active_only:
            query = query.where(Team.active)
        return [TeamRow(t.id, t.name, TeamType(t.team_type), t.leader_id, leaders.get(t.leader_id), t.base_lat,
                        t.base_lon, t.swap_needs_approval, t.active, members.get(t.id, 0))
                for t in session.scalars(query)]


def create_team(*, session_factory: sessionmaker, actor: Actor, district_id: int, fields: TeamFields) -> int:
    """Create a team in the district; returns its id."""
    with session_factory.begin() as session:
        district_in_scope(session, actor, district_id)
        clean = _check(session, district_id, fields)
        team = Team(district_id=district_id, **asdict(clean))
        session.add(team)
        _flush(session, clean.name)
        record(session, actor, "team.create", "team", team.id, district_id=district_id, after=_audited(clean))
        return team.id


def save_teams(*, session_factory: sessionmaker, actor: Actor, district_id: int,
               changes: dict[int, TeamFields]) -> int:
    """Store edited teams all at once, or none when one is refused (`values` name the team)."""
    with session_factory.begin() as session:
        district_in_scope(session, actor, district_id)
        for team_id, fields in changes.items():
            team = _team(session, district_id, team_id)
            try:
                clean = _check(session, district_id, fields, team_id=team_id)
            except PeopleRefused as refused:
                raise PeopleRefused(refused.key, **{**refused.values, "team": fields.name or team.name}) from refused
            before = _audited(_fields_of(team))
            for key, value in asdict(clean).items():
                setattr(team, key, value)
            _flush(session, clean.name)
            after = _audited(clean)
            changed = [key for key in after if after[key] != before[key]]
            record(session, actor, "team.edit", "team", team.id, district_id=district_id,
                   before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
        return len(changes)


def set_team_active(*, session_factory: sessionmaker, actor: Actor, district_id: int, team_id: int,
                    active: bool) -> None:
    """Deactivate a team (its members stay in it, nobody new joins) or bring it back."""
    with session_factory.begin() as session:
        district_in_scope(session, actor, district_id)
        team = _team(session, district_id, team_id)
        if team.active != active:
            team.active = active
            record(session, actor, "team.activate" if active else "team.deactivate", "team", team.id,
                   district_id=district_id, before={"active": not active}, after={"active": active})


def _check(session: Session, district_id: int, fields: TeamFields, team_id: int | None = None) -> TeamFields:
    """The fields cleaned, or a refusal: a free name, a known type, a leader of the district, a whole base point."""
    name = clean_text(fields.name)
    if not name or len(name) > TEAM_NAME_MAX:
        raise PeopleRefused("people.team_bad_name", limit=TEAM_NAME_MAX)
    clash = session.scalar(select(Team.id).where(Team.district_id == district_id, Team.name == name))
    if clash is not None and clash != team_id:
        raise PeopleRefused("people.team_name_taken", team=name)
    try:
        team_type = TeamType(fields.team_type)
    except ValueError as error:
        raise PeopleRefused("people.team_bad_type") from error
    if fields.leader_id is not None:
        leader = session.get(Person, fields.leader_id)
        if leader is None or leader.district_id != district_id or not leader.active:
            raise PeopleRefused("people.team_bad_leader")
    lat, lon = fields.base_lat, fields.base_lon
    if (lat is None) != (lon is None) or (lat is not None and not is_valid_point(lat, lon)):
        raise PeopleRefused("people.team_bad_base")
    return TeamFields(name, team_type, fields.leader_id, lat, lon, bool(fields.swap_needs_approval),
                      bool(fields.active))


def _team(session: Session, district_id: int, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None or team.district_id != district_id:
        raise PeopleRefused("people.unknown_team")
    return team


def _flush(session: Session, name: str) -> None:
    """Write now, so a name taken by a concurrent writer is refused in words."""
    try:
        session.flush()
    except IntegrityError as error:
        raise PeopleRefused("people.team_name_taken", team=name) from error


def _fields_of(team: Team) -> TeamFields:
    return TeamFields(team.name, TeamType(team.team_type), team.leader_id, team.base_lat, team.base_lon,
                      team.swap_needs_approval, team.active)


def _audited(fields: TeamFields) -> dict[str, object]:
    return {**asdict(fields), "team_type": fields.team_type.value}
