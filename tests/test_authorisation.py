"""Services refuse every role outside its job and its districts, on SQLite and PostgreSQL."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker

from nightwatch.access import Actor, Forbidden
from nightwatch.services import accounts, audit, auth, tonight
from nightwatch.services.accounts import AccountRefused
from nightwatch.vocab import AccountRole

from authz_world import (
    ADMIN,
    COORDINATOR,
    MERCHANT,
    MOBILE_IN_TEXT,
    NOW,
    PASSWORD,
    TEAM_LEADER,
    VOLUNTEER,
    World,
    actor_named,
    new_login,
    snapshot,
)

# --- refusals, one (actor, call) pair per case ------------------------------------------------

Call = Callable[[sessionmaker, World, Actor], object]


def _create(role: AccountRole, **links: Any) -> Call:
    """A create_account call with a fresh login and a good password."""
    return lambda f, w, me: accounts.create_account(
        session_factory=f, actor=me, login=new_login(), password=PASSWORD, role=role,
        **{name: value(w) for name, value in links.items()})


# A key of None: refused either way (the service gives "access.other_district" for a role reason too).
OTHER_DISTRICT: list[tuple[str, Call, str | None]] = [
    ("disable-volunteer-of-b", lambda f, w, me: accounts.set_active(
        session_factory=f, actor=me, account_id=w.b.volunteer, active=False), "access.other_district"),
    ("disable-merchant-of-b", lambda f, w, me: accounts.set_active(
        session_factory=f, actor=me, account_id=w.b.merchant, active=False), "access.other_district"),
    ("disable-coordinator-of-b", lambda f, w, me: accounts.set_active(
        session_factory=f, actor=me, account_id=w.b.coordinator, active=False), "access.other_district"),
    ("disable-fellow-coordinator-of-a", lambda f, w, me: accounts.set_active(
        session_factory=f, actor=me, account_id=w.a.deputy, active=False), None),
    ("disable-admin", lambda f, w, me: accounts.set_active(
        session_factory=f, actor=me, account_id=w.admin, active=False), None),
    ("link-for-volunteer-of-b", lambda f, w, me: accounts.issue_link(
        session_factory=f, actor=me, account_id=w.b.volunteer), "access.other_district"),
    ("link-for-leader-of-b", lambda f, w, me: accounts.issue_link(
        session_factory=f, actor=me, account_id=w.b.leader), "access.other_district"),
    ("link-for-merchant-of-b", lambda f, w, me: accounts.issue_link(
        session_factory=f, actor=me, account_id=w.b.merchant), "access.other_district"),
    ("revoke-links-of-leader-of-b", lambda f, w, me: accounts.revoke_links(
        session_factory=f, actor=me, account_id=w.b.leader), "access.other_district"),
    ("revoke-links-of-fellow-coordinator", lambda f, w, me: accounts.revoke_links(
        session_factory=f, actor=me, account_id=w.a.deputy), None),
    ("revoke-links-of-admin", lambda f, w, me: accounts.revoke_links(
        session_factory=f, actor=me, account_id=w.admin), None),
    ("reveal-phone-of-volunteer-of-b", lambda f, w, me: accounts.reveal_phone(
        session_factory=f, actor=me, person_id=w.b.volunteer_person), "access.other_district"),
    ("reveal-phone-of-person-without-account-in-b", lambda f, w, me: accounts.reveal_phone(
        session_factory=f, actor=me, person_id=w.b.spare_person), "access.other_district"),
    ("create-volunteer-for-person-of-b", _create(VOLUNTEER, person_id=lambda w: w.b.spare_person),
     "access.other_district"),
    ("create-leader-for-person-of-b", _create(TEAM_LEADER, person_id=lambda w: w.b.leader_person),
     "access.other_district"),
    ("create-merchant-for-shop-of-b", _create(MERCHANT, shop_id=lambda w: w.b.neighbour_shop),
     "access.other_district"),
    ("create-volunteer-of-a-reaching-into-b", _create(
        VOLUNTEER, person_id=lambda w: w.a.spare_person, district_ids=lambda w: [w.b.district]),
     "access.other_district"),
    ("create-coordinator-of-a", _create(COORDINATOR, district_ids=lambda w: [w.a.district]), "access.role"),
    ("create-coordinator-of-b", _create(COORDINATOR, district_ids=lambda w: [w.b.district]), "access.role"),
    ("create-admin", _create(ADMIN), "access.role"),
    ("people-of-b", lambda f, w, me: accounts.people_choices(
        session_factory=f, actor=me, district_id=w.b.district), "access.other_district"),
    ("shops-of-b", lambda f, w, me: accounts.shop_choices(
        session_factory=f, actor=me, district_id=w.b.district), "access.other_district"),
    ("tonight-of-b", lambda f, w, me: tonight.district_tonight(
        session_factory=f, actor=me, district_id=w.b.district, now=NOW), "access.other_district"),
    ("my-night", lambda f, w, me: tonight.my_night(session_factory=f, actor=me, now=NOW), "access.role"),
    ("my-tips", lambda f, w, me: tonight.my_tips(session_factory=f, actor=me), "access.role"),
]

# Coordinator services called on the caller's own district a: the role alone is the reason to refuse.
COORDINATOR_SERVICES: list[tuple[str, Call]] = [
    ("list-accounts", lambda f, w, me: accounts.list_accounts(session_factory=f, actor=me)),
    ("disable", lambda f, w, me: accounts.set_active(
        session_factory=f, actor=me, account_id=w.a.merchant, active=False)),
    ("issue-link", lambda f, w, me: accounts.issue_link(session_factory=f, actor=me, account_id=w.a.volunteer)),
    ("revoke-links", lambda f, w, me: accounts.revoke_links(session_factory=f, actor=me, account_id=w.a.leader)),
    ("reveal-phone", lambda f, w, me: accounts.reveal_phone(
        session_factory=f, actor=me, person_id=w.a.volunteer_person)),
    ("create-account", _create(VOLUNTEER, person_id=lambda w: w.a.spare_person)),
    ("people", lambda f, w, me: accounts.people_choices(session_factory=f, actor=me, district_id=w.a.district)),
    ("shops", lambda f, w, me: accounts.shop_choices(session_factory=f, actor=me, district_id=w.a.district)),
    ("tonight", lambda f, w, me: tonight.district_tonight(
        session_factory=f, actor=me, district_id=w.a.district, now=NOW)),
    ("audit-log", lambda f, w, me: audit.read_log(session_factory=f, actor=me)),
]

NOT_MY_JOB: list[tuple[str, str, Call]] = [
    ("merchant-a", "my-night", lambda f, w, me: tonight.my_night(session_factory=f, actor=me, now=NOW)),
    ("viewer", "my-night", lambda f, w, me: tonight.my_night(session_factory=f, actor=me, now=NOW)),
    ("leader-a", "my-tips", lambda f, w, me: tonight.my_tips(session_factory=f, actor=me)),
    ("volunteer-a", "my-tips", lambda f, w, me: tonight.my_tips(session_factory=f, actor=me)),
    ("viewer", "my-tips", lambda f, w, me: tonight.my_tips(session_factory=f, actor=me)),
]

REFUSALS: list[Any] = [
    pytest.param("coordinator-a", call, key, id=f"coordinator-a-{name}") for name, call, key in OTHER_DISTRICT
] + [
    pytest.param(who, call, "access.role", id=f"{who}-{name}")
    for who in ("leader-a", "volunteer-a", "merchant-a", "viewer") for name, call in COORDINATOR_SERVICES
] + [
    pytest.param(who, call, "access.role", id=f"{who}-{name}") for who, name, call in NOT_MY_JOB
]


@pytest.mark.parametrize(("who", "call", "key"), REFUSALS)
def test_refused_and_nothing_changes(
    shared: tuple[sessionmaker, World], who: str, call: Call, key: str | None,
) -> None:
    """Each role is refused outside its job and its districts, with the reason's key, and nothing is written."""
    factory, world = shared
    me = actor_named(factory, world, who)
    before = snapshot(factory)
    with pytest.raises(Forbidden) as refused:
        call(factory, world, me)
    if key is not None:
        assert refused.value.key == key
    assert snapshot(factory) == before


def test_a_coordinator_lists_only_accounts_of_their_district_with_masked_phones(
    shared: tuple[sessionmaker, World],
) -> None:
    """The accounts page of a coordinator of a holds a's accounts, none of b's, and no full phone."""
    factory, world = shared
    rows = accounts.list_accounts(session_factory=factory, actor=actor_named(factory, world, "coordinator-a"))
    assert {row.login for row in rows} == world.a.logins
    assert all(row.districts == (world.a.district_name,) for row in rows)
    shown = json.dumps([[str(value) for value in vars(row).values()] for row in rows], ensure_ascii=False)
    assert not MOBILE_IN_TEXT.search(shown)
    phones = {row.login: row.phone_masked for row in rows}
    assert phones["volunteer-a"] == f"{world.a.phones[1][:3]}****{world.a.phones[1][-4:]}"


def test_an_admin_lists_every_account(shared: tuple[sessionmaker, World]) -> None:
    """The administrator's accounts page holds the accounts of both districts and the admin's own."""
    factory, world = shared
    rows = accounts.list_accounts(session_factory=factory, actor=actor_named(factory, world, "admin"))
    assert {row.login for row in rows} == world.a.logins | world.b.logins | {"admin"}


def test_people_to_pick_are_of_the_district_and_masked(shared: tuple[sessionmaker, World]) -> None:
    """Linking an account to a person offers a's people with masked phones only."""
    factory, world = shared
    choices = accounts.people_choices(session_factory=factory, actor=actor_named(factory, world, "coordinator-a"),
                                      district_id=world.a.district)
    assert len(choices) == 4  # the leader, the grid worker, the newcomer and the shop owner of a
    assert {world.a.leader_person, world.a.volunteer_person, world.a.spare_person} <= {c.id for c in choices}
    assert all(world.a.district_name in choice.label for choice in choices)
    assert not any(MOBILE_IN_TEXT.search(choice.label) for choice in choices)
    shops = accounts.shop_choices(session_factory=factory, actor=actor_named(factory, world, "coordinator-a"),
                                  district_id=world.a.district)
    assert {shop.id for shop in shops} == {world.a.shop, world.a.neighbour_shop}


def test_tonight_of_a_district_holds_only_its_own_tips(shared: tuple[sessionmaker, World]) -> None:
    """A coordinator's first screen shows the open tips of their district and none of the other's."""
    factory, world = shared
    night = tonight.district_tonight(session_factory=factory, actor=actor_named(factory, world, "coordinator-a"),
                                     district_id=world.a.district, now=NOW)
    assert night.district == world.a.district_name
    assert {tip.id for tip in night.open_tips} == world.a.tips
    assert night.on_duty_by_role == {"volunteer": 2}


@pytest.mark.parametrize("key", ["a", "b"])
def test_my_tips_are_only_my_shops_and_my_accounts(shared: tuple[sessionmaker, World], key: str) -> None:
    """A merchant sees the tips their account posted and those phoned in for their shop, never a neighbour's."""
    factory, world = shared
    side = world.side(key)
    mine = tonight.my_tips(session_factory=factory, actor=actor_named(factory, world, f"merchant-{key}"))
    assert {tip.id for tip in mine} == {side.own_tip, side.phoned_tip}
    assert [tip.id for tip in mine] == [side.phoned_tip, side.own_tip]  # newest first


@pytest.mark.parametrize("key", ["a", "b"])
@pytest.mark.parametrize("who", ["leader", "volunteer"])
def test_my_night_is_only_my_shift_and_my_tasks(shared: tuple[sessionmaker, World], who: str, key: str) -> None:
    """A patroller sees their own shift and the tips dispatched to them, never who phoned them in."""
    factory, world = shared
    side = world.side(key)
    night = tonight.my_night(session_factory=factory, actor=actor_named(factory, world, f"{who}-{key}"), now=NOW)
    shift, dispatch, tip = {
        "leader": (side.leader_shift, side.leader_dispatch, side.phoned_tip),
        "volunteer": (side.volunteer_shift, side.volunteer_dispatch, side.street_tip),
    }[who]
    assert night.next_shift is not None
    assert night.next_shift.id == shift
    assert night.next_shift.on_now
    assert [(task.dispatch_id, task.tip_id) for task in night.tasks] == [(dispatch, tip)]
    assert not MOBILE_IN_TEXT.search(repr(night))


def test_a_coordinator_reads_only_their_districts_audit_events(shared: tuple[sessionmaker, World]) -> None:
    """The audit page of a coordinator of a shows a's events (and their own), never b's, which the admin does see."""
    factory, world = shared
    me = actor_named(factory, world, "coordinator-a")
    rows = audit.read_log(session_factory=factory, actor=me)
    assert rows
    assert all(row.district == world.a.district_name or row.actor == me.login for row in rows)
    assert audit.read_log(session_factory=factory, actor=me, district_id=world.b.district) == []
    everything = audit.read_log(session_factory=factory, actor=actor_named(factory, world, "admin"))
    assert {world.a.district_name, world.b.district_name} <= {row.district for row in everything}
    assert {row.id for row in rows} < {row.id for row in everything}


# --- what each coordinating role may do -------------------------------------------------------


def test_a_coordinator_manages_their_own_district(session_factory: sessionmaker, world: World) -> None:
    """Everything refused in b works in a: disable, enable, link, revoke, reveal, create, tonight; all audited in a."""
    factory = session_factory
    me = actor_named(factory, world, "coordinator-a")
    before = len(audit.read_log(session_factory=factory, actor=me))
    accounts.set_active(session_factory=factory, actor=me, account_id=world.a.merchant, active=False)
    accounts.set_active(session_factory=factory, actor=me, account_id=world.a.merchant, active=True)
    link = accounts.issue_link(session_factory=factory, actor=me, account_id=world.a.volunteer)
    assert auth.redeem(session_factory=factory, token=link.token) is not None
    assert accounts.revoke_links(session_factory=factory, actor=me, account_id=world.a.volunteer) >= 2
    assert accounts.reveal_phone(session_factory=factory, actor=me, person_id=world.a.spare_person) == world.a.phones[2]
    created = accounts.create_account(session_factory=factory, actor=me, login=new_login(), password=PASSWORD,
                                      role=VOLUNTEER, person_id=world.a.spare_person)
    assert created in {row.id for row in accounts.list_accounts(session_factory=factory, actor=me)}
    tonight.district_tonight(session_factory=factory, actor=me, district_id=world.a.district, now=NOW)
    log = audit.read_log(session_factory=factory, actor=me)
    assert len(log) - before == 7
    assert [row.action for row in log[:7]] == [
        "account.create", "person.phone_revealed", "account.links_revoked", "auth.link_used",
        "account.link_issued", "account.enable", "account.disable",
    ]
    assert all(row.district == world.a.district_name for row in log[:7])


def test_an_admin_acts_in_every_district(session_factory: sessionmaker, world: World) -> None:
    """The administrator may disable, link, revoke, reveal and create anywhere, coordinators and admins too."""
    factory = session_factory
    me = actor_named(factory, world, "admin")
    accounts.set_active(session_factory=factory, actor=me, account_id=world.b.coordinator, active=False)
    accounts.issue_link(session_factory=factory, actor=me, account_id=world.b.merchant)
    accounts.revoke_links(session_factory=factory, actor=me, account_id=world.b.merchant)
    assert accounts.reveal_phone(session_factory=factory, actor=me, person_id=world.b.spare_person) == world.b.phones[2]
    coordinator = accounts.create_account(session_factory=factory, actor=me, login=new_login(), password=PASSWORD,
                                          role=COORDINATOR, district_ids=[world.a.district, world.b.district])
    night = tonight.district_tonight(session_factory=factory, actor=me, district_id=world.b.district, now=NOW)
    assert {tip.id for tip in night.open_tips} == world.b.tips
    rows = {row.id: row for row in accounts.list_accounts(session_factory=factory, actor=me)}
    assert rows[coordinator].districts == tuple(sorted((world.a.district_name, world.b.district_name)))
    assert rows[world.b.coordinator].active is False
    with pytest.raises(AccountRefused) as refused:
        accounts.set_active(session_factory=factory, actor=me, account_id=world.admin, active=False)
    assert refused.value.key == "accounts.not_yourself"
