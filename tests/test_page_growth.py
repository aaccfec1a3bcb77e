"""Pages whose cost must not grow with the district: open routes only, edited rows only, a cached shop list kept true."""
from __future__ import annotations

from sqlalchemy import select

from db.models import District, Route
from nightwatch.services import setup
from nightwatch.services.people import PersonRow
from nightwatch.services.people_teams import TeamRow
from nightwatch.ui.people_table import _changes, _frame
from nightwatch.vocab import RoleKind, TeamType
from test_pages import open_as

ROUTES = "pages/55_routes.py"


def route_ids_of(district: str) -> list[int]:
    """The active routes of a district, in the board's order."""
    store = setup.open_store()
    try:
        with store.session_factory() as s:
            return list(s.scalars(select(Route.id).join(District, District.id == Route.district_id)
                                  .where(District.name == district, Route.active.is_(True)).order_by(Route.name)))
    finally:
        store.engine.dispose()


def tables_under(expander) -> int:
    return len(expander.dataframe)


def test_the_route_board_draws_the_first_route_open_and_the_others_closed_without_their_tables(app_env):
    at = open_as("demo-coordinator", ROUTES)
    at.sidebar.selectbox[0].select("襄阳 · 襄城区").run()
    assert not at.exception
    ids = route_ids_of("襄城区")
    assert len(ids) > 1 and len(at.expander) == len(ids)
    assert len(at.dataframe[0].value) == len(ids)  # the summary still lists every route
    assert tables_under(at.expander[0]) >= 1
    assert [tables_under(e) for e in at.expander[1:]] == [0] * (len(ids) - 1)


def test_a_route_opened_shows_its_stops(app_env):
    at = open_as("demo-coordinator", ROUTES)
    at.sidebar.selectbox[0].select("襄阳 · 襄城区").run()
    ids = route_ids_of("襄城区")
    at.session_state[f"route_{ids[-1]}_open"] = True
    at.run()
    assert not at.exception
    stops = at.expander[-1].dataframe[0].value
    assert list(stops.columns[:2]) == ["序号", "打卡点"]


def person(person_id: int, name: str, team: str | None) -> PersonRow:
    return PersonRow(id=person_id, name=name, phone="13800000000", role_kind=RoleKind.VOLUNTEER, skills=(),
                     team_id=None, team=team, home_grid_id=None, home_grid=None, active=True)


def test_of_the_rows_the_editor_records_as_edited_only_real_changes_are_saved():
    teams = [TeamRow(id=7, name="红马甲一队", team_type=TeamType.RED_VOLUNTEER, leader_id=None, leader=None,
                     base_lat=None, base_lon=None, swap_needs_approval=False, active=True, members=2)]
    before = _frame([person(1, "张三", None), person(2, "李四", "红马甲一队"), person(3, "王五", None)])
    after = before.copy()
    after.loc[3, "team"] = "红马甲一队"
    after.loc[1, "grid"] = float("nan")  # touched but left empty: the editor hands it back as NaN
    changes = _changes(before, after, teams, {}, edited=[1, 3])
    assert list(changes) == [3] and changes[3].team_id == 7
    assert _changes(before, after, teams, {}, edited=[]) == {}


SHOPS = "pages/35_shops.py"


def listed(at) -> list[str]:
    return list(at.dataframe[0].value["店名"])


def test_a_shop_added_is_listed_at_once_though_the_list_was_read_a_moment_before(app_env):
    at = open_as("demo-coordinator", SHOPS)
    before = listed(at)
    at.run()  # the list is now a cached read
    at.text_input(key="shops_new_name").input("夜巡测试便利店")
    at.number_input(key="shops_new_lat").set_value(25.2736)
    at.number_input(key="shops_new_lon").set_value(110.2900)
    next(b for b in at.button if b.form_id == "shops_new").click().run()
    assert not at.exception
    assert sorted(listed(at)) == sorted([*before, "夜巡测试便利店"])


def test_a_patrol_and_a_coordinator_each_get_the_list_of_their_own_district(app_env):
    coordinator = open_as("demo-coordinator", SHOPS)
    coordinator.sidebar.selectbox[0].select("襄阳 · 襄城区").run()
    volunteer = open_as("demo-volunteer", SHOPS)
    assert not volunteer.exception and not coordinator.exception
    assert set(listed(volunteer)).isdisjoint(listed(coordinator))
