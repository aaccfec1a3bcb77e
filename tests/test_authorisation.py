"""Services refuse every role outside its job and its districts, on SQLite and PostgreSQL; sign-in holds its promises.

A small world of two districts (a: 桂林 东西巷, b: 襄阳 襄城区) with people, shops, shifts, tips and one
account of every role in each is built with the ORM; refusals share one world per backend (a
refusal must change nothing, and each test checks that it did not), anything that writes gets a
fresh one.
"""
from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import fresh_postgres_url, fresh_sqlite_url
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from db.models import (
    Account,
    AccountDistrict,
    AccountToken,
    Assignment,
    AuditEvent,
    Dispatch,
    District,
    Grid,
    Person,
    Shift,
    Shop,
    Tip,
)
from db.session import make_engine, make_session_factory
from nightwatch.access import Actor, Forbidden
from nightwatch.nights import duty_date_of
from nightwatch.passwords import hash_password
from nightwatch.services import accounts, audit, auth, tonight
from nightwatch.services.accounts import AccountRefused
from nightwatch.services.auth import SignInRefused
from nightwatch.vocab import AccountRole, BusinessKind, RoleKind, TipCategory, TipSource, TokenKind

PASSWORD = "lantern-walk-2026"
# One Argon2 hash (about half a second here) shared by every account of every world.
PASSWORD_HASH = hash_password(PASSWORD)
# 22:00 in Shanghai on a June night.
NOW = datetime(2026, 6, 13, 14, 0, tzinfo=timezone.utc)
ADMIN = AccountRole.ADMIN
COORDINATOR = AccountRole.COORDINATOR
TEAM_LEADER = AccountRole.TEAM_LEADER
VOLUNTEER = AccountRole.VOLUNTEER
MERCHANT = AccountRole.MERCHANT
MOBILE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_logins = itertools.count(1)


# --- the world --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One district of the world and the ids of everything in it."""

    key: str
    district: int
    district_name: str
    coordinator: int  # accounts ...
    deputy: int  # a second coordinator of the same district
    leader: int
    volunteer: int
    merchant: int
    leader_person: int  # people ...
    volunteer_person: int
    spare_person: int  # no account yet
    shop: int  # the merchant's shop
    neighbour_shop: int  # another shop of the same district, with no account
    leader_shift: int
    volunteer_shift: int
    own_tip: int  # posted by the merchant's account from the shop
    phoned_tip: int  # phoned in for the shop by its owner, no reporter account
    neighbour_tip: int  # from the neighbour shop
    street_tip: int  # from a passer-by, no shop
    leader_dispatch: int
    volunteer_dispatch: int
    phones: tuple[str, ...]

    @property
    def tips(self) -> set[int]:
        """Every tip of the district."""
        return {self.own_tip, self.phoned_tip, self.neighbour_tip, self.street_tip}

    @property
    def logins(self) -> set[str]:
        """The logins of the district's accounts."""
        return {f"{role}-{self.key}" for role in ("coordinator", "deputy", "leader", "volunteer", "merchant")}


@dataclass(frozen=True)
class World:
    """Two districts and an administrator."""

    a: Side
    b: Side
    admin: int
    pool: dict[AccountRole, int] = field(default_factory=dict)

    def side(self, key: str) -> Side:
        """Side a or b."""
        return self.a if key == "a" else self.b

    @property
    def phones(self) -> tuple[str, ...]:
        """Every phone number stored anywhere in the world."""
        return self.a.phones + self.b.phones


def _add(session: Session, row: Any) -> Any:
    """Add a row and give it its id."""
    session.add(row)
    session.flush()
    return row


def _build_side(session: Session, key: str, city: str, name: str, digit: str) -> Side:
    """One district with a grid, four people, two shops, accounts of every role, two shifts and four tips."""
    district = _add(session, District(name=name, city=city))
    grid = _add(session, Grid(district_id=district.id, name=f"{name}一号网格"))
    phones = [f"13{digit}0000{n:04d}" for n in range(1, 5)] + [f"13{digit}9999{n:04d}" for n in range(1, 4)]

    def person(label: str, kind: RoleKind, phone: str) -> Person:
        """A person of the district."""
        return _add(session, Person(district_id=district.id, name=f"{name}{label}", phone=phone, role_kind=kind))

    leader_p = person("队长", RoleKind.VOLUNTEER, phones[0])
    volunteer_p = person("网格员", RoleKind.GRID_WORKER, phones[1])
    spare_p = person("新志愿者", RoleKind.VOLUNTEER, phones[2])
    owner_p = person("店主", RoleKind.MERCHANT, phones[3])
    shop = _add(session, Shop(district_id=district.id, grid_id=grid.id, name=f"{name}烧烤店",
                              business_kind=BusinessKind.RESTAURANT, is_codefender=True,
                              codefender_id=owner_p.id, owner_phone=phones[4]))
    neighbour = _add(session, Shop(district_id=district.id, grid_id=grid.id, name=f"{name}奶茶店",
                                   business_kind=BusinessKind.SNACK_STALL, owner_phone=phones[5]))

    def account(role: AccountRole, login: str, **links: Any) -> int:
        """An account of the district, signing in with PASSWORD."""
        return _add(session, Account(login=f"{login}-{key}", password_hash=PASSWORD_HASH, role=role,
                                     display_name=login, **links)).id

    coordinator = account(COORDINATOR, "coordinator", districts=[AccountDistrict(district_id=district.id)])
    deputy = account(COORDINATOR, "deputy", districts=[AccountDistrict(district_id=district.id)])
    leader = account(TEAM_LEADER, "leader", person_id=leader_p.id)
    volunteer = account(VOLUNTEER, "volunteer", person_id=volunteer_p.id)
    merchant = account(MERCHANT, "merchant", shop_id=shop.id, person_id=owner_p.id)

    def shift(person_id: int, starts_at: datetime, hours: int) -> int:
        """A shift at the grid with the person assigned to it."""
        ends_at = starts_at + timedelta(hours=hours)
        row = _add(session, Shift(district_id=district.id, grid_id=grid.id, duty_date=duty_date_of(starts_at),
                                  starts_at=starts_at, ends_at=ends_at, required={"volunteer": 2}))
        _add(session, Assignment(shift_id=row.id, person_id=person_id, role_kind="volunteer",
                                 starts_at=starts_at, ends_at=ends_at))
        return row.id

    leader_shift = shift(leader_p.id, NOW - timedelta(hours=2), 8)
    volunteer_shift = shift(volunteer_p.id, NOW - timedelta(hours=1), 5)

    def tip(minutes_ago: int, text: str, **values: Any) -> int:
        """An open tip of the district, received some minutes before NOW."""
        received = NOW - timedelta(minutes=minutes_ago)
        return _add(session, Tip(district_id=district.id, grid_id=grid.id, category=TipCategory.DISPUTE,
                                 text=f"{name}{text}", duty_date=duty_date_of(received), received_at=received,
                                 **values)).id

    own_tip = tip(30, "店门口有人争执", shop_id=shop.id, reporter_account_id=merchant)
    phoned_tip = tip(25, "店主来电：后巷有可疑人员", shop_id=shop.id, source=TipSource.PHONE,
                     caller_name="店主", caller_phone=phones[3])
    neighbour_tip = tip(20, "奶茶店：电动车未上锁", shop_id=neighbour.id, source=TipSource.WALK_IN)
    street_tip = tip(15, "路人：有人醉酒", source=TipSource.PHONE, caller_name="路人", caller_phone=phones[6])
    leader_dispatch = _add(session, Dispatch(tip_id=phoned_tip, person_id=leader_p.id,
                                             sent_at=NOW - timedelta(minutes=20))).id
    volunteer_dispatch = _add(session, Dispatch(tip_id=street_tip, person_id=volunteer_p.id,
                                                sent_at=NOW - timedelta(minutes=10))).id
    return Side(key, district.id, name, coordinator, deputy, leader, volunteer, merchant, leader_p.id,
                volunteer_p.id, spare_p.id, shop.id, neighbour.id, leader_shift, volunteer_shift, own_tip,
                phoned_tip, neighbour_tip, street_tip, leader_dispatch, volunteer_dispatch, tuple(phones))


def build_world(factory: sessionmaker, *, pool: bool = False) -> World:
    """Two districts, an administrator, and audit events in both districts.

    With `pool`, one extra account per role with no district of its own, for actors whose
    scope a test draws at random.
    """
    with factory.begin() as session:
        admin = _add(session, Account(login="admin", password_hash=PASSWORD_HASH, role=ADMIN)).id
        a = _build_side(session, "a", "桂林", "东西巷", "8")
        b = _build_side(session, "b", "襄阳", "襄城区", "9")
        pooled = {
            role: _add(session, Account(login=f"pool-{role.value}", password_hash=PASSWORD_HASH, role=role)).id
            for role in (AccountRole if pool else ())
        }
    world = World(a, b, admin, pooled)
    # Ordinary work leaves events in each district: a reveal by the admin, a link by the local coordinator.
    for side in (a, b):
        accounts.reveal_phone(session_factory=factory, actor=actor_of(factory, admin), person_id=side.volunteer_person)
        accounts.issue_link(session_factory=factory, actor=actor_of(factory, side.coordinator), account_id=side.leader)
    return world


def actor_of(factory: sessionmaker, account_id: int) -> Actor:
    """The actor an account acts as, exactly as sign-in makes it."""
    with factory() as session:
        return auth.actor_of(session, session.get(Account, account_id))


def actor_named(factory: sessionmaker, world: World, who: str) -> Actor:
    """An actor by name: 'viewer', 'admin', or '<account>-<side>' such as 'coordinator-a'."""
    if who == "viewer":
        return Actor()
    if who == "admin":
        return actor_of(factory, world.admin)
    name, key = who.rsplit("-", 1)
    return actor_of(factory, getattr(world.side(key), name))


def snapshot(factory: sessionmaker) -> dict[str, Any]:
    """Everything a refused call must leave as it was: accounts, tokens, audit events, people."""
    with factory() as session:
        def count(model: type, *where: Any) -> int:
            """Rows of a table, optionally filtered."""
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

        return {
            "accounts": [tuple(row) for row in session.execute(
                select(Account.id, Account.login, Account.role, Account.active).order_by(Account.id))],
            "account_districts": count(AccountDistrict),
            "tokens": count(AccountToken),
            "live_tokens": count(AccountToken, AccountToken.revoked_at.is_(None)),
            "audit_events": count(AuditEvent),
            "people": count(Person),
        }


def audit_values(factory: sessionmaker) -> list[tuple[str, str]]:
    """Every audit event's action and its before/after values as JSON text."""
    with factory() as session:
        return [(event.action, json.dumps([event.before, event.after], ensure_ascii=False))
                for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def new_login() -> str:
    """A login no account has yet."""
    return f"new-account-{next(_logins)}"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared(request: pytest.FixtureRequest, sqlite_template: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[sessionmaker, World]]:
    """One world per backend for tests that only read or are refused."""
    if request.param == "sqlite":
        url = fresh_sqlite_url(sqlite_template, tmp_path_factory.mktemp("authorisation"))
    else:
        url = fresh_postgres_url(request.getfixturevalue("postgres"))
    engine = make_engine(url)
    factory = make_session_factory(engine)
    yield factory, build_world(factory)
    engine.dispose()


@pytest.fixture
def world(session_factory: sessionmaker) -> World:
    """A fresh world on this test's own database, for tests that write."""
    return build_world(session_factory)


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


# --- property: random actors against random records -------------------------------------------

OPERATIONS = ("list_accounts", "set_active", "issue_link", "revoke_links", "reveal_phone", "create_account",
              "people_choices", "shop_choices", "district_tonight", "read_log")
WRITES = {"set_active", "issue_link", "revoke_links", "reveal_phone", "create_account"}
ACCOUNT_TARGETS = ("coordinator", "deputy", "leader", "volunteer", "merchant", "admin")
GRANTED_BY_COORDINATORS = {TEAM_LEADER, VOLUNTEER, MERCHANT}


@dataclass(frozen=True)
class Attempt:
    """One random call: who (role and scope), what, and against which record."""

    role: AccountRole | None
    scope: frozenset[str]
    operation: str
    side: str
    target: str
    grant: AccountRole
    active: bool

    def allowed(self) -> bool:
        """What the rules say: coordinating roles only, coordinators only inside their districts and below them."""
        if self.role is ADMIN:
            # Personal links are for phones: never for coordinators or admins, whoever asks.
            return not (self.operation == "issue_link" and self.target in ("coordinator", "deputy", "admin"))
        if self.role is not COORDINATOR:
            return False
        if self.operation in ("list_accounts", "read_log"):
            return True
        in_scope = self.side in self.scope
        if self.operation in ("set_active", "issue_link", "revoke_links"):
            return in_scope and self.target in ("leader", "volunteer", "merchant")
        if self.operation == "create_account":
            return in_scope and self.grant in GRANTED_BY_COORDINATORS
        return in_scope


ATTEMPTS = st.builds(
    Attempt,
    # Coordinators are drawn three times as often: theirs is the rule with the most ways to go wrong.
    role=st.sampled_from((None, ADMIN, COORDINATOR, COORDINATOR, COORDINATOR, TEAM_LEADER, VOLUNTEER, MERCHANT)),
    scope=st.frozensets(st.sampled_from("ab")),
    operation=st.sampled_from(OPERATIONS),
    side=st.sampled_from("ab"),
    target=st.sampled_from(ACCOUNT_TARGETS),
    grant=st.sampled_from(tuple(AccountRole)),
    active=st.booleans(),
)


def attempt_actor(world: World, attempt: Attempt) -> Actor:
    """The actor of an attempt: a pooled account of the role, with the drawn district scope."""
    if attempt.role is None:
        return Actor()
    return Actor(account_id=world.pool[attempt.role], login=f"pool-{attempt.role.value}", role=attempt.role,
                 district_ids=frozenset(world.side(key).district for key in attempt.scope))


def perform(factory: sessionmaker, world: World, attempt: Attempt, me: Actor) -> object:
    """Make the attempt's call."""
    side = world.side(attempt.side)
    account_id = world.admin if attempt.target == "admin" else getattr(side, attempt.target)
    match attempt.operation:
        case "list_accounts":
            return accounts.list_accounts(session_factory=factory, actor=me)
        case "set_active":
            return accounts.set_active(session_factory=factory, actor=me, account_id=account_id,
                                       active=attempt.active)
        case "issue_link":
            return accounts.issue_link(session_factory=factory, actor=me, account_id=account_id)
        case "revoke_links":
            return accounts.revoke_links(session_factory=factory, actor=me, account_id=account_id)
        case "reveal_phone":
            return accounts.reveal_phone(session_factory=factory, actor=me, person_id=side.spare_person)
        case "create_account":
            links: dict[str, Any] = {
                ADMIN: {},
                COORDINATOR: {"district_ids": [side.district]},
                TEAM_LEADER: {"person_id": side.spare_person},
                VOLUNTEER: {"person_id": side.spare_person},
                MERCHANT: {"shop_id": side.neighbour_shop},
            }[attempt.grant]
            return accounts.create_account(session_factory=factory, actor=me, login=new_login(),
                                           password=PASSWORD, role=attempt.grant, **links)
        case "people_choices":
            return accounts.people_choices(session_factory=factory, actor=me, district_id=side.district)
        case "shop_choices":
            return accounts.shop_choices(session_factory=factory, actor=me, district_id=side.district)
        case "district_tonight":
            return tonight.district_tonight(session_factory=factory, actor=me, district_id=side.district, now=NOW)
        case "read_log":
            return audit.read_log(session_factory=factory, actor=me)
    raise AssertionError(attempt.operation)


@pytest.fixture
def pooled(session_factory: sessionmaker) -> tuple[sessionmaker, World]:
    """One world, with pooled actor accounts, shared by every example of a property on this backend."""
    return session_factory, build_world(session_factory, pool=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(attempt=ATTEMPTS)
def test_a_call_succeeds_only_for_the_right_role_in_scope(
    pooled: tuple[sessionmaker, World], attempt: Attempt,
) -> None:
    """Random actor and record: success iff role and scope allow; a refusal writes nothing, a success one event."""
    factory, world = pooled
    me = attempt_actor(world, attempt)
    before = snapshot(factory)
    if not attempt.allowed():
        with pytest.raises((Forbidden, AccountRefused)):
            perform(factory, world, attempt, me)
        assert snapshot(factory) == before
        return
    result = perform(factory, world, attempt, me)
    after = snapshot(factory)
    assert after["audit_events"] - before["audit_events"] == (1 if attempt.operation in WRITES else 0)
    if attempt.operation not in WRITES:
        assert after == before
    names = {world.side(key).district_name for key in attempt.scope}
    if attempt.role is COORDINATOR and attempt.operation == "list_accounts":
        assert all(set(row.districts) & names for row in result)
    if attempt.role is COORDINATOR and attempt.operation == "read_log":
        assert all(row.district in names or row.actor == me.login for row in result)
    if attempt.operation == "reveal_phone":
        assert result == world.side(attempt.side).phones[2]


# --- signing in -------------------------------------------------------------------------------


def sign_in(factory: sessionmaker, login: str, password: str = PASSWORD) -> auth.SignIn:
    """Sign in as a browser would."""
    return auth.sign_in(session_factory=factory, login=login, password=password)


def refusal_key(factory: sessionmaker, login: str, password: str) -> str:
    """The catalog key a refused sign-in shows."""
    with pytest.raises(SignInRefused) as refused:
        sign_in(factory, login, password)
    return refused.value.key


def test_wrong_password_unknown_login_and_disabled_account_read_alike(
    session_factory: sessionmaker, world: World,
) -> None:
    """Whoever probes learns nothing: a wrong password, an unknown login, a disabled account give one message."""
    accounts.set_active(session_factory=session_factory, actor=actor_named(session_factory, world, "coordinator-a"),
                        account_id=world.a.merchant, active=False)
    assert refusal_key(session_factory, "leader-a", "not-the-password") == "auth.wrong"
    assert refusal_key(session_factory, "nobody-at-all", PASSWORD) == "auth.wrong"
    assert refusal_key(session_factory, "merchant-a", PASSWORD) == "auth.wrong"


def test_five_wrong_passwords_lock_the_login_even_against_the_right_one(
    session_factory: sessionmaker, world: World,
) -> None:
    """After five failures the right password is refused as locked; other logins are unaffected; all is audited."""
    for attempt in range(5):
        assert refusal_key(session_factory, "leader-a", f"guess-number-{attempt}") == "auth.wrong"
    assert refusal_key(session_factory, " Leader-A ", PASSWORD) == "auth.locked"
    assert sign_in(session_factory, "volunteer-a").actor.account_id == world.a.volunteer
    log = audit.read_log(session_factory=session_factory, actor=actor_named(session_factory, world, "admin"))
    refusals = [row.after["reason"] for row in log if row.action == "auth.refused" and row.actor == "leader-a"]
    locked_out = [row.after["reason"] for row in log if row.action == "auth.locked_out" and row.actor == "leader-a"]
    assert refusals == ["password"] * 5 and locked_out == ["locked"]
    assert not any(PASSWORD in json.dumps([row.before, row.after]) for row in log)


def test_a_successful_sign_in_clears_earlier_failures(session_factory: sessionmaker, world: World) -> None:
    """Four slips, then the right password, then four more slips: still not locked."""
    for attempt in range(4):
        assert refusal_key(session_factory, "leader-a", f"slip-{attempt}") == "auth.wrong"
    assert sign_in(session_factory, "leader-a").actor.account_id == world.a.leader
    for attempt in range(4):
        assert refusal_key(session_factory, "leader-a", f"slip-again-{attempt}") == "auth.wrong"
    assert sign_in(session_factory, "leader-a").actor.account_id == world.a.leader


def test_disabling_an_account_ends_its_sessions_at_once(session_factory: sessionmaker, world: World) -> None:
    """A disabled account's browser and phone sessions and its link stop at once, and stay dead when re-enabled."""
    factory = session_factory
    coordinator = actor_named(factory, world, "coordinator-a")
    desktop = sign_in(factory, "merchant-a")
    link = accounts.issue_link(session_factory=factory, actor=coordinator, account_id=world.a.merchant)
    phone = auth.redeem(session_factory=factory, token=link.token)
    assert phone is not None
    seen = auth.actor_for_session(session_factory=factory, token=desktop.session.token)
    assert seen is not None and seen.shop_id == world.a.shop and seen.role is MERCHANT
    assert auth.actor_for_session(session_factory=factory, token=phone.token) == seen

    accounts.set_active(session_factory=factory, actor=coordinator, account_id=world.a.merchant, active=False)
    for token in (desktop.session.token, phone.token):
        assert auth.actor_for_session(session_factory=factory, token=token) is None
    assert auth.redeem(session_factory=factory, token=link.token) is None
    assert auth.redeem(session_factory=factory, token=desktop.handoff.token) is None

    accounts.set_active(session_factory=factory, actor=coordinator, account_id=world.a.merchant, active=True)
    for token in (desktop.session.token, phone.token):
        assert auth.actor_for_session(session_factory=factory, token=token) is None
    assert auth.redeem(session_factory=factory, token=link.token) is None


def test_signing_out_ends_the_sessions_of_every_browser(session_factory: sessionmaker, world: World) -> None:
    """Signing out on the desktop also signs out the phone; other accounts stay signed in."""
    factory = session_factory
    coordinator = actor_named(factory, world, "coordinator-a")
    desktop = sign_in(factory, "volunteer-a")
    link = accounts.issue_link(session_factory=factory, actor=coordinator, account_id=world.a.volunteer)
    phone = auth.redeem(session_factory=factory, token=link.token)
    other_link = accounts.issue_link(session_factory=factory, actor=coordinator, account_id=world.a.leader)
    other = auth.redeem(session_factory=factory, token=other_link.token)
    assert phone is not None and other is not None
    assert auth.actor_for_session(session_factory=factory, token=phone.token) is not None

    assert auth.sign_out(session_factory=factory, actor=desktop.actor) >= 2
    assert auth.actor_for_session(session_factory=factory, token=desktop.session.token) is None
    assert auth.actor_for_session(session_factory=factory, token=phone.token) is None
    assert auth.redeem(session_factory=factory, token=desktop.handoff.token) is None
    still = auth.actor_for_session(session_factory=factory, token=other.token)
    assert still is not None and still.account_id == world.a.leader
    assert auth.sign_out(session_factory=factory, actor=Actor()) == 0


def test_a_handoff_redeems_once_and_is_no_session(session_factory: sessionmaker, world: World) -> None:
    """The sign-in hand-off becomes one cookie session exactly once; neither it nor a session token is reusable."""
    factory = session_factory
    signed = sign_in(factory, "coordinator-b")
    assert auth.actor_for_session(session_factory=factory, token=signed.handoff.token) is None
    cookie = auth.redeem(session_factory=factory, token=signed.handoff.token)
    assert cookie is not None
    assert auth.actor_for_session(session_factory=factory, token=cookie.token) == signed.actor
    assert signed.actor.district_ids == {world.b.district}
    assert auth.redeem(session_factory=factory, token=signed.handoff.token) is None
    assert auth.redeem(session_factory=factory, token=signed.session.token) is None
    assert auth.actor_for_session(session_factory=factory, token=None) is None
    assert auth.actor_for_session(session_factory=factory, token="made-up-token") is None


def test_a_personal_link_signs_in_again_and_again_until_revoked_or_expired(
    session_factory: sessionmaker, world: World,
) -> None:
    """A volunteer's QR link opens a new session at every scan until revoked (ending those sessions) or expired."""
    factory = session_factory
    coordinator = actor_named(factory, world, "coordinator-a")
    link = accounts.issue_link(session_factory=factory, actor=coordinator, account_id=world.a.volunteer, days=7)
    assert auth.actor_for_session(session_factory=factory, token=link.token) is None  # a link is not a session
    sessions = [auth.redeem(session_factory=factory, token=link.token) for _ in range(3)]
    assert all(session is not None for session in sessions)
    assert len({session.token for session in sessions}) == 3
    for session in sessions:
        seen = auth.actor_for_session(session_factory=factory, token=session.token)
        assert seen is not None and seen.person_id == world.a.volunteer_person and seen.role is VOLUNTEER
    uses = [row for row in audit.read_log(session_factory=factory, actor=actor_named(factory, world, "admin"))
            if row.action == "auth.link_used" and row.entity_id == world.a.volunteer]
    assert len(uses) == 3

    accounts.revoke_links(session_factory=factory, actor=coordinator, account_id=world.a.volunteer)
    assert auth.redeem(session_factory=factory, token=link.token) is None
    assert all(auth.actor_for_session(session_factory=factory, token=s.token) is None for s in sessions)

    fresh = accounts.issue_link(session_factory=factory, actor=coordinator, account_id=world.a.volunteer)
    assert auth.redeem(session_factory=factory, token=fresh.token) is not None
    with factory.begin() as session:
        session.execute(update(AccountToken).where(AccountToken.kind == TokenKind.LINK,
                                                   AccountToken.revoked_at.is_(None))
                        .values(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1)))
    assert auth.redeem(session_factory=factory, token=fresh.token) is None


def test_passwords_are_stored_as_argon2_hashes_only(session_factory: sessionmaker, world: World) -> None:
    """A new account's password is kept as an Argon2id hash, never in the clear, and signs in."""
    factory = session_factory
    password = "Red-Vest-Patrol-88"
    created = accounts.create_account(session_factory=factory, actor=actor_named(factory, world, "coordinator-a"),
                                      login="New.Volunteer", password=password, role=VOLUNTEER,
                                      person_id=world.a.spare_person)
    with factory() as session:
        stored = session.get(Account, created).password_hash
        tokens = list(session.scalars(select(AccountToken.token_hash)))
    assert stored is not None and stored.startswith("$argon2id$")
    assert password not in stored
    signed = sign_in(factory, "new.volunteer", password)
    assert signed.actor.account_id == created
    with factory() as session:
        hashes = set(session.scalars(select(AccountToken.token_hash)))
    assert signed.session.token not in hashes and signed.handoff.token not in hashes
    assert len(hashes) == len(tokens) + 2
    assert not any(password in values for _, values in audit_values(factory))


def test_the_audit_trail_never_holds_a_full_phone_number(session_factory: sessionmaker, world: World) -> None:
    """Reveals are audited as events without the number; no before/after value anywhere holds a full mobile."""
    factory = session_factory
    coordinator = actor_named(factory, world, "coordinator-a")
    revealed = accounts.reveal_phone(session_factory=factory, actor=coordinator, person_id=world.a.spare_person)
    assert revealed == world.a.phones[2]
    # People sign in with their phone number as login: the refusal and the new account are audited masked.
    phone_login = "13912345678"
    assert refusal_key(factory, phone_login, "whatever-it-is") == "auth.wrong"
    accounts.create_account(session_factory=factory, actor=coordinator, login=phone_login, password=PASSWORD,
                            role=VOLUNTEER, person_id=world.a.spare_person)
    accounts.set_active(session_factory=factory, actor=coordinator, account_id=world.a.leader, active=False)
    accounts.revoke_links(session_factory=factory, actor=coordinator, account_id=world.a.volunteer)

    reveal = [row for row in audit.read_log(session_factory=factory, actor=coordinator)
              if row.action == "person.phone_revealed" and row.entity_id == world.a.spare_person]
    assert len(reveal) == 1
    assert (reveal[0].entity, reveal[0].district, reveal[0].actor) == ("person", world.a.district_name, "coordinator-a")
    values = audit_values(factory)
    assert {"account.create", "account.disable", "account.links_revoked", "person.phone_revealed"} <= {
        action for action, _ in values}
    for action, text in values:
        assert not MOBILE_IN_TEXT.search(re.sub(r"[\s-]", "", text)), action
        assert not any(phone in text for phone in (*world.phones, phone_login)), action
