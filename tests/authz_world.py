"""A small world for authorisation tests: two districts (a: 桂林 东西巷, b: 襄阳 襄城区), each with
people, shops, shifts, tips and one account of every role, built with the ORM on either backend.

Refusals share one world per backend (a refusal must change nothing, and each test checks that it
did not); anything that writes gets a fresh one.
"""

import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, select
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
from nightwatch.access import Actor
from nightwatch.nights import duty_date_of
from nightwatch.passwords import hash_password
from nightwatch.services import accounts, auth
from nightwatch.vocab import AccountRole, BusinessKind, RoleKind, TipCategory, TipSource

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
