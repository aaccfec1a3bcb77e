"""A big district's pages show what matters first, say how many there are, and let search reach the rest.

The demo's districts are small, so each test lowers the page's cut to a few rows instead.
"""
from __future__ import annotations

from datetime import datetime, timezone

from nightwatch.access import Actor
from nightwatch.services import overview, people, people_list, setup, shops
from nightwatch.ui import home
from nightwatch.ui import shops as shops_ui
from nightwatch.vocab import AccountRole
from test_pages import open_as

PEOPLE = "pages/30_people.py"
SHOPS = "pages/35_shops.py"
ADMIN = Actor(login="test", role=AccountRole.ADMIN)


def dongxi() -> int:
    store = setup.open_store()
    try:
        (district,) = [d.id for d in overview.districts_of(session_factory=store.session_factory, actor=ADMIN)
                       if d.label.endswith("东西巷")]
        return district
    finally:
        store.engine.dispose()


def active_people() -> list[people.PersonRow]:
    store = setup.open_store()
    try:
        return people.list_people(session_factory=store.session_factory, actor=ADMIN, district_id=dongxi())
    finally:
        store.engine.dispose()


def every_shop() -> list[shops.ShopRow]:
    store = setup.open_store()
    try:
        return shops.list_shops(session_factory=store.session_factory, actor=ADMIN, district_id=dongxi(),
                                now=datetime.now(timezone.utc))
    finally:
        store.engine.dispose()


def captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def test_a_big_district_shows_the_first_people_says_how_many_and_search_finds_the_rest(app_env, monkeypatch):
    monkeypatch.setattr(people_list, "SHOWN", 10)
    everyone = active_people()
    assert len(everyone) > 10
    at = open_as("demo-coordinator", PEOPLE)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["name"]) == [p.name for p in everyone[:10]]
    assert f"显示前 10 人,共 {len(everyone)} 人" in captions(at)
    beyond = everyone[-1]
    at.text_input(key="people_f_text").input(beyond.phone).run()
    assert not at.exception
    assert list(at.dataframe[0].value["name"]) == [beyond.name]
    assert "显示前" not in captions(at)


def test_the_people_search_reaches_team_names_and_people_without_a_team(app_env):
    everyone = active_people()
    store = setup.open_store()
    try:
        def names(**f) -> set[str]:
            return {p.name for p in people.list_people(session_factory=store.session_factory, actor=ADMIN,
                                                       district_id=dongxi(), filters=people.PeopleFilter(**f))}

        team = next(p for p in everyone if p.team)
        assert names(text=team.team) == {p.name for p in everyone if p.team == team.team}
        assert names(team_id=0) == {p.name for p in everyone if p.team is None}
        assert names(text="%") == set()
    finally:
        store.engine.dispose()


def test_a_big_district_lists_its_riskiest_shops_first_and_search_finds_any(app_env, monkeypatch):
    monkeypatch.setattr(shops, "SHOWN", 5)
    shops_ui._listed.clear()
    ranked = every_shop()
    assert len(ranked) > 5
    at = open_as("demo-coordinator", SHOPS)
    assert not at.exception
    assert list(at.dataframe[0].value["店名"]) == [s.name for s in ranked[:5]]
    assert f"显示风险最高的前 5 家,共 {len(ranked)} 家" in captions(at)
    assert len(at.selectbox(key="shops_pick").options) == 5  # the picker and the map hold the listed shops only
    last = ranked[-1]
    at.text_input(key="shops_f_text").input(last.name).run()
    assert not at.exception
    assert last.name in list(at.dataframe[0].value["店名"])
    shops_ui._listed.clear()


def test_a_big_district_home_shows_the_grids_shortest_of_people_first_and_says_how_many(app_env, monkeypatch):
    monkeypatch.setattr(home, "GRIDS_SHOWN", 2)
    at = open_as("demo-coordinator")
    assert not at.exception
    grids = at.dataframe[1].value
    assert len(grids) == 2
    assert "显示缺员最多的前 2 个网格,共 5 个" in captions(at)
