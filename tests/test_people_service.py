"""Teams and people services on SQLite and PostgreSQL: edits, moves, scope, all-or-nothing import, export."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, Availability, District, Grid, Person, Team
from nightwatch.access import Actor, Forbidden
from nightwatch.services import people, people_import, people_teams
from nightwatch.services.people import PeopleFilter, PeopleRefused, PersonFields
from nightwatch.services.people_teams import TeamFields
from nightwatch.vocab import AccountRole, RoleKind, TeamType

HEADER = "姓名,手机,身份,队伍,技能,网格\n"


@pytest.fixture
def town(session_factory):
    """Two districts; the first with two teams, a grid and two people. Returns the ids by name."""
    with session_factory.begin() as session:
        a, b = District(name="东西巷", city="桂林"), District(name="襄城区", city="襄阳")
        session.add_all([a, b])
        session.flush()
        red = Team(district_id=a.id, name="红马甲一队", team_type=TeamType.RED_VEST)
        police = Team(district_id=a.id, name="义警巡逻队", team_type=TeamType.VOLUNTEER_POLICE)
        grid = Grid(district_id=a.id, name="1号网格")
        session.add_all([red, police, grid])
        session.flush()
        zhang = Person(district_id=a.id, name="张三", phone="13800000001", role_kind=RoleKind.VOLUNTEER,
                       team_id=red.id, skills=[])
        li = Person(district_id=a.id, name="李四", phone="13800000002", role_kind=RoleKind.AUXILIARY,
                    team_id=red.id, skills=["party_member"])
        far = Person(district_id=b.id, name="王五", phone="13800000003", role_kind=RoleKind.OFFICER, skills=[])
        session.add_all([zhang, li, far])
        session.flush()
        return {"a": a.id, "b": b.id, "red": red.id, "police": police.id, "grid": grid.id,
                "zhang": zhang.id, "li": li.id, "far": far.id}


def coordinator(*districts: int) -> Actor:
    return Actor(account_id=None, login="wang", role=AccountRole.COORDINATOR, district_ids=frozenset(districts))


def count(factory, model) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def actions(factory) -> list[str]:
    with factory() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_coordinator_lists_their_people_with_full_phones_and_filters(session_factory, town):
    me = coordinator(town["a"])
    rows = people.list_people(session_factory=session_factory, actor=me, district_id=town["a"])
    assert [(r.name, r.phone, r.team) for r in rows] == [("张三", "13800000001", "红马甲一队"),
                                                         ("李四", "13800000002", "红马甲一队")]
    party = people.list_people(session_factory=session_factory, actor=me, district_id=town["a"],
                               filters=PeopleFilter(role_kind=RoleKind.PARTY_MEMBER))
    assert [r.name for r in party] == ["李四"]  # a skill counts for the role filter
    assert people.list_people(session_factory=session_factory, actor=me, district_id=town["a"],
                              filters=PeopleFilter(text="0002"))[0].name == "李四"


def test_adding_editing_moving_and_deactivating_people_is_audited(session_factory, town):
    me, a = coordinator(town["a"]), town["a"]
    new = people.add_person(session_factory=session_factory, actor=me, district_id=a, fields=PersonFields(
        name=" 赵六 ", phone="+86 139-0000-0009", role_kind=RoleKind.GRID_WORKER, skills=(RoleKind.PARTY_MEMBER,),
        home_grid_id=town["grid"]))
    people.save_people(session_factory=session_factory, actor=me, district_id=a, changes={
        town["zhang"]: PersonFields(name="张三丰", phone="13800000001", role_kind=RoleKind.OFFICER)})
    assert people.move_people(session_factory=session_factory, actor=me, district_id=a,
                              person_ids=[new, town["zhang"]], team_id=town["police"]) == 2
    assert people.set_people_active(session_factory=session_factory, actor=me, district_id=a,
                                    person_ids=[town["li"]], active=False) == 1
    rows = {r.id: r for r in people.list_people(session_factory=session_factory, actor=me, district_id=a,
                                                filters=PeopleFilter(active=None))}
    assert (rows[new].name, rows[new].phone, rows[new].home_grid, rows[new].team) == (
        "赵六", "13900000009", "1号网格", "义警巡逻队")
    assert (rows[town["zhang"]].name, rows[town["zhang"]].role_kind) == ("张三丰", RoleKind.OFFICER)
    assert rows[town["li"]].active is False
    assert actions(session_factory) == ["person.create", "person.edit", "person.move", "person.move",
                                        "person.deactivate"]
    with session_factory() as session:
        logged = " ".join(str(e.after) for e in session.scalars(select(AuditEvent)))
    assert "13900000009" not in logged  # the audit log masks phones


def test_a_refused_save_names_the_row_and_changes_nothing(session_factory, town):
    me, a = coordinator(town["a"]), town["a"]
    with pytest.raises(PeopleRefused) as refused:
        people.save_people(session_factory=session_factory, actor=me, district_id=a, changes={
            town["zhang"]: PersonFields(name="张三丰", phone="13800000001", role_kind=RoleKind.OFFICER),
            town["li"]: PersonFields(name="李四", phone="13800000003", role_kind=RoleKind.AUXILIARY)})
    assert refused.value.key == "people.phone_taken" and refused.value.values["person"] == "李四"
    names = {r.name for r in people.list_people(session_factory=session_factory, actor=me, district_id=a)}
    assert names == {"张三", "李四"} and actions(session_factory) == []


@pytest.mark.parametrize("fields, key", [
    (PersonFields(name="新人", phone="12345", role_kind=RoleKind.VOLUNTEER), "people.bad_phone"),
    (PersonFields(name="新人", phone="13800000003", role_kind=RoleKind.VOLUNTEER), "people.phone_taken"),
    (PersonFields(name="", phone="13900000001", role_kind=RoleKind.VOLUNTEER), "people.bad_name"),
    (PersonFields(name="新人", phone="13900000001", role_kind="chef"), "people.bad_role"),
])
def test_bad_people_are_refused_in_words(session_factory, town, fields, key):
    with pytest.raises(PeopleRefused) as refused:
        people.add_person(session_factory=session_factory, actor=coordinator(town["a"]), district_id=town["a"],
                          fields=fields)
    assert refused.value.key == key and count(session_factory, Person) == 3


@pytest.mark.parametrize("actor, key", [
    (coordinator(), "access.other_district"),
    (Actor(login="li", role=AccountRole.VOLUNTEER), "access.role"),
    (Actor(login="shop", role=AccountRole.MERCHANT), "access.role"),
])
def test_others_are_refused_everything(session_factory, town, actor, key):
    if actor.role is AccountRole.COORDINATOR:
        actor = coordinator(town["b"])
    calls = [
        lambda: people.list_people(session_factory=session_factory, actor=actor, district_id=town["a"]),
        lambda: people.add_person(session_factory=session_factory, actor=actor, district_id=town["a"],
                                  fields=PersonFields(name="x", phone="13900000001", role_kind=RoleKind.VOLUNTEER)),
        lambda: people.move_people(session_factory=session_factory, actor=actor, district_id=town["a"],
                                   person_ids=[town["zhang"]], team_id=None),
        lambda: people_teams.list_teams(session_factory=session_factory, actor=actor, district_id=town["a"]),
        lambda: people_import.export_csv(session_factory=session_factory, actor=actor, district_id=town["a"],
                                         filters=PeopleFilter()),
    ]
    for call in calls:
        with pytest.raises(Forbidden) as refused:
            call()
        assert refused.value.key == key
    assert actions(session_factory) == []


def test_a_person_of_another_district_cannot_be_moved_in(session_factory, town):
    with pytest.raises(PeopleRefused):
        people.move_people(session_factory=session_factory, actor=coordinator(town["a"], town["b"]),
                           district_id=town["a"], person_ids=[town["far"]], team_id=town["red"])


def test_teams_are_created_edited_and_deactivated(session_factory, town):
    me, a = coordinator(town["a"]), town["a"]
    new = people_teams.create_team(session_factory=session_factory, actor=me, district_id=a, fields=TeamFields(
        name="反诈宣讲队", team_type=TeamType.ANTI_FRAUD, leader_id=town["zhang"], base_lat=25.28, base_lon=110.29))
    people_teams.save_teams(session_factory=session_factory, actor=me, district_id=a, changes={
        new: TeamFields(name="反诈宣讲一队", team_type=TeamType.ANTI_FRAUD, swap_needs_approval=False)})
    people_teams.set_team_active(session_factory=session_factory, actor=me, district_id=a, team_id=new, active=False)
    (row,) = [tm for tm in people_teams.list_teams(session_factory=session_factory, actor=me, district_id=a)
              if tm.id == new]
    assert (row.name, row.swap_needs_approval, row.active, row.leader) == ("反诈宣讲一队", False, False, None)
    with pytest.raises(PeopleRefused) as refused:
        people.move_people(session_factory=session_factory, actor=me, district_id=a, person_ids=[town["li"]],
                           team_id=new)
    assert refused.value.key == "people.team_inactive"
    with pytest.raises(PeopleRefused) as refused:
        people_teams.create_team(session_factory=session_factory, actor=me, district_id=a,
                                 fields=TeamFields(name="红马甲一队", team_type=TeamType.RED_VEST))
    assert refused.value.key == "people.team_name_taken"
    assert actions(session_factory) == ["team.create", "team.edit", "team.deactivate"]


def test_weekly_availability_is_kept(session_factory, town):
    me, a = coordinator(town["a"]), town["a"]
    nights = [True, True, False, True, True, False, True]
    people.set_availability(session_factory=session_factory, actor=me, district_id=a, person_id=town["zhang"],
                            nights=nights)
    assert people.availability_of(session_factory=session_factory, actor=me, district_id=a,
                                  person_id=town["zhang"]) == nights
    people.set_availability(session_factory=session_factory, actor=me, district_id=a, person_id=town["zhang"],
                            nights=[True] * 7)
    assert count(session_factory, Availability) == 0


def test_an_import_with_one_bad_row_stores_nobody_and_names_the_row(session_factory, town):
    data = (HEADER + "赵六,13900000011,民警,红马甲一队,,\n钱七,1390000,辅警,,,\n孙八,13900000013,志愿者,,,\n"
            ).encode("utf-8")
    me = coordinator(town["a"])
    preview = people_import.preview_import(session_factory=session_factory, actor=me, district_id=town["a"],
                                           data=data, filename="people.csv")
    assert preview.bad_lines == [3]
    with pytest.raises(PeopleRefused) as refused:
        people_import.import_people(session_factory=session_factory, actor=me, district_id=town["a"], data=data,
                                    filename="people.csv")
    assert refused.value.key == "people.import.refused" and refused.value.values["rows"] == "3"
    assert count(session_factory, Person) == 3 and actions(session_factory) == []


def test_an_import_against_an_existing_phone_anywhere_is_refused(session_factory, town):
    data = (HEADER + "赵六,13900000011,民警,,,\n王五二,138 0000 0003,辅警,,,\n").encode("gbk")
    with pytest.raises(PeopleRefused):
        people_import.import_people(session_factory=session_factory, actor=coordinator(town["a"]),
                                    district_id=town["a"], data=data, filename="people.csv")
    assert count(session_factory, Person) == 3


def test_a_good_import_stores_everyone_as_one_audited_event(session_factory, town):
    data = (HEADER + "赵六,13900000011,民警,红马甲一队,党员,1号网格\n钱七,+86 139 0000 0012,辅警,义警巡逻队,,\n"
            ).encode("utf-8-sig")
    me = coordinator(town["a"])
    assert people_import.import_people(session_factory=session_factory, actor=me, district_id=town["a"],
                                       data=data, filename="people.csv") == 2
    rows = {r.name: r for r in people.list_people(session_factory=session_factory, actor=me, district_id=town["a"])}
    assert (rows["赵六"].team, rows["赵六"].home_grid, rows["赵六"].skills) == (
        "红马甲一队", "1号网格", (RoleKind.PARTY_MEMBER,))
    assert rows["钱七"].phone == "13900000012"
    assert actions(session_factory) == ["people.import"]
    with session_factory() as session:
        assert session.scalar(select(AuditEvent.after))["count"] == 2


def test_the_export_is_utf8_with_a_bom_follows_the_filters_and_reads_back(session_factory, town):
    me = coordinator(town["a"])
    data = people_import.export_csv(session_factory=session_factory, actor=me, district_id=town["a"],
                                    filters=PeopleFilter(text="李"))
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["姓名", "手机", "身份", "技能", "队伍", "网格", "在岗"]
    assert frame.to_dict("records") == [{"姓名": "李四", "手机": "13800000002", "身份": "辅警", "技能": "党员",
                                         "队伍": "红马甲一队", "网格": "", "在岗": "是"}]
    assert actions(session_factory) == ["people.export"]
    # The export's own headers read back in (into the other district, once the phone is free there).
    preview = people_import.preview_import(session_factory=session_factory, actor=coordinator(town["b"]),
                                           district_id=town["b"], data=data, filename="export.csv")
    assert [p.key for p in preview.rows[0].problems] == ["people.import.phone_taken",
                                                         "people.import.unknown_team"]
