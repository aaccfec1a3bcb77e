"""Accounts: created, disabled and given sign-in links by coordinators, within their districts."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Account, AccountDistrict, District, Person, Shop
from db.types import utcnow
from nightwatch.access import COORDINATING, Actor, Forbidden, covers_district, may_grant, require_role
from nightwatch.passwords import hash_password, password_problem
from nightwatch.privacy import mask_phone
from nightwatch.services import auth
from nightwatch.services.audit import record
from nightwatch.services.shops import named_like
from nightwatch.text import optional_text
from nightwatch.vocab import AccountRole, TokenKind

# Letters, digits and . _ - @ (an e-mail login is what single sign-on maps to).
LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,63}$")
# The system itself, for operator commands run on the server (python -m nightwatch add-account).
OPERATOR = Actor(login="operator", role=AccountRole.ADMIN)
CHOICES = 50  # people or shops offered at once when linking an account; a search reaches the rest
DEMO_LOGINS = ("demo-admin", "demo-coordinator", "demo-leader", "demo-volunteer", "demo-merchant")


class AccountRefused(Exception):
    """An account change was refused; the message is a catalog key, `values` fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class AccountRow:
    """One account as the accounts page lists it; the phone is masked."""

    id: int
    login: str
    role: AccountRole
    display_name: str | None
    districts: tuple[str, ...]
    person: str | None
    phone_masked: str
    shop: str | None
    active: bool
    last_seen_at: datetime | None


def list_accounts(*, session_factory: sessionmaker, actor: Actor) -> list[AccountRow]:
    """The accounts in the actor's districts (all for administrators), by login."""
    require_role(actor, COORDINATING)
    with session_factory() as session:
        accounts = session.scalars(select(Account).order_by(Account.login)).all()
        scopes: dict[int, set[int]] = {}
        for account_id, district_id in session.execute(select(AccountDistrict.account_id, AccountDistrict.district_id)):
            scopes.setdefault(account_id, set()).add(district_id)
        people = {row.id: row for row in session.execute(
            select(Person.id, Person.name, Person.phone, Person.district_id)
            .where(Person.id.in_({a.person_id for a in accounts if a.person_id})))}
        shops = {row.id: row for row in session.execute(
            select(Shop.id, Shop.name, Shop.district_id).where(Shop.id.in_({a.shop_id for a in accounts if a.shop_id})))}
        district_names = dict(session.execute(select(District.id, District.name)).all())
    rows = []
    for account in accounts:
        person, shop = people.get(account.person_id), shops.get(account.shop_id)
        reach = scopes.get(account.id, set()) | {row.district_id for row in (person, shop) if row is not None}
        if not actor.is_admin and not reach & actor.district_ids:
            continue
        rows.append(AccountRow(
            account.id, account.login, AccountRole(account.role), account.display_name,
            tuple(sorted(district_names[d] for d in reach)), person.name if person else None,
            mask_phone(person.phone) if person else "", shop.name if shop else None, account.active,
            account.last_seen_at,
        ))
    return rows


def create_account(
    *, session_factory: sessionmaker, actor: Actor, login: str, password: str, role: AccountRole,
    district_ids: Iterable[int] = (), person_id: int | None = None, shop_id: int | None = None,
    display_name: str | None = None,
) -> int:
    """Create an account the actor may grant, in the actor's districts; returns its id."""
    login = login.strip().lower()
    districts = frozenset(district_ids)
    _check_new_account(actor, login, password, role, districts, person_id, shop_id)
    with session_factory.begin() as session:
        # Scope first, so nobody learns which logins exist in districts they do not cover.
        scope = _check_links(session, actor, role, districts, person_id, shop_id)
        if session.scalar(select(Account.id).where(Account.login == login)) is not None:
            raise AccountRefused("accounts.login_taken", login=login)
        account = Account(login=login, password_hash=hash_password(password), role=role, person_id=person_id,
                          shop_id=shop_id, display_name=optional_text(display_name))
        account.districts = [AccountDistrict(district_id=d) for d in sorted(districts)]
        session.add(account)
        session.flush()
        record(session, actor, "account.create", "account", account.id, district_id=min(scope, default=None),
               after={"login": login, "role": role.value, "districts": sorted(districts),
                      "person_id": person_id, "shop_id": shop_id})
        return account.id


def set_active(*, session_factory: sessionmaker, actor: Actor, account_id: int, active: bool) -> None:
    """Enable or disable an account; disabling ends its sessions and links at once."""
    with session_factory.begin() as session:
        account, scope = _account_in_scope(session, actor, account_id)
        if account.id == actor.account_id and not active:
            raise AccountRefused("accounts.not_yourself")
        before = account.active
        account.active = active
        account.disabled_at = None if active else utcnow()
        if not active:
            auth.revoke_tokens(session, account.id, tuple(TokenKind))
        record(session, actor, "account.enable" if active else "account.disable", "account", account.id,
               district_id=min(scope, default=None), before={"active": before}, after={"active": active})


def issue_link(
    *, session_factory: sessionmaker, actor: Actor, account_id: int, days: int = 30
) -> auth.Issued:
    """A personal sign-in link token for a volunteer's, leader's or merchant's phone."""
    if not 1 <= days <= 90:
        raise AccountRefused("accounts.link_days_range")
    with session_factory.begin() as session:
        account, scope = _account_in_scope(session, actor, account_id)
        if account.role in (AccountRole.ADMIN, AccountRole.COORDINATOR):
            raise AccountRefused("accounts.link_role")
        issued = auth.issue_token(session, account, TokenKind.LINK, timedelta(days=days))
        record(session, actor, "account.link_issued", "account", account.id, district_id=min(scope, default=None),
               after={"expires_at": issued.expires_at.isoformat()})
        return issued


def revoke_links(*, session_factory: sessionmaker, actor: Actor, account_id: int) -> int:
    """Revoke every sign-in link and session of an account; returns how many tokens ended."""
    with session_factory.begin() as session:
        account, scope = _account_in_scope(session, actor, account_id)
        ended = auth.revoke_tokens(session, account.id, tuple(TokenKind))
        record(session, actor, "account.links_revoked", "account", account.id,
               district_id=min(scope, default=None), after={"tokens_ended": ended})
        return ended


def reveal_phone(*, session_factory: sessionmaker, actor: Actor, person_id: int) -> str:
    """A person's full phone number, for a coordinator of their district; every reveal is audited."""
    require_role(actor, COORDINATING)
    with session_factory.begin() as session:
        person = session.get(Person, person_id)
        if person is None or not covers_district(actor, person.district_id):
            raise Forbidden("access.other_district")
        record(session, actor, "person.phone_revealed", "person", person.id, district_id=person.district_id)
        return person.phone


def active_demo_logins(*, session_factory: sessionmaker) -> list[str]:
    """Demo accounts that can still sign in (a real deployment must have none)."""
    with session_factory() as session:
        return list(session.scalars(
            select(Account.login).where(Account.login.in_(DEMO_LOGINS), Account.active).order_by(Account.login)
        ))


def _check_new_account(
    actor: Actor, login: str, password: str, role: AccountRole, districts: frozenset[int],
    person_id: int | None, shop_id: int | None,
) -> None:
    require_role(actor, COORDINATING)
    if not LOGIN_PATTERN.match(login):
        raise AccountRefused("accounts.login_pattern")
    if (problem := password_problem(password, login)) is not None:
        raise AccountRefused(problem)
    if not may_grant(actor, role):
        raise Forbidden("access.role")
    if role is AccountRole.COORDINATOR and not districts:
        raise AccountRefused("accounts.needs_district")
    if role in (AccountRole.TEAM_LEADER, AccountRole.VOLUNTEER) and person_id is None:
        raise AccountRefused("accounts.needs_person")
    if role is AccountRole.MERCHANT and shop_id is None:
        raise AccountRefused("accounts.needs_shop")


def _check_links(
    session: Session, actor: Actor, role: AccountRole, districts: frozenset[int],
    person_id: int | None, shop_id: int | None,
) -> set[int]:
    """The districts the new account reaches, each checked against the actor's scope."""
    scope = set(districts)
    if person_id is not None:
        person = session.get(Person, person_id)
        if person is None:
            raise AccountRefused("accounts.needs_person")
        scope.add(person.district_id)
    if shop_id is not None:
        shop = session.get(Shop, shop_id)
        if shop is None:
            raise AccountRefused("accounts.needs_shop")
        scope.add(shop.district_id)
    if role is not AccountRole.ADMIN and not scope:
        raise AccountRefused("accounts.needs_district")
    for district_id in scope:
        if not covers_district(actor, district_id):
            raise Forbidden("access.other_district")
    return scope


def _account_in_scope(session: Session, actor: Actor, account_id: int) -> tuple[Account, set[int]]:
    require_role(actor, COORDINATING)
    account = session.get(Account, account_id)
    if account is None:
        raise Forbidden("access.other_district")
    scope = auth.account_districts(session, account)
    # A coordinator manages an account only when every district it reaches is theirs.
    if not actor.is_admin:
        if not scope or not scope <= actor.district_ids:
            raise Forbidden("access.other_district")
        if not may_grant(actor, AccountRole(account.role)):
            raise Forbidden("access.role")
    return account, scope


@dataclass(frozen=True)
class Choice:
    """Something to pick in a form: its id and how it reads (phones masked)."""

    id: int
    label: str


def people_choices(*, session_factory: sessionmaker, actor: Actor, district_id: int, text: str = "",
                   limit: int | None = None) -> list[Choice]:
    """Active people of a district in the actor's scope whose name or phone holds `text`, to link an account to."""
    _require_district_scope(actor, district_id)
    query = (select(Person.id, Person.name, Person.phone)
             .where(Person.district_id == district_id, Person.active).order_by(Person.name, Person.id).limit(limit))
    if text.strip():
        query = query.where(Person.name.icontains(text.strip(), autoescape=True)
                            | Person.phone.contains(text.strip(), autoescape=True))
    with session_factory() as session:
        rows = session.execute(query).all()
    return [Choice(row.id, f"{row.name} · {mask_phone(row.phone)}") for row in rows]


def shop_choices(*, session_factory: sessionmaker, actor: Actor, district_id: int, text: str = "",
                 limit: int | None = None) -> list[Choice]:
    """Shops of a district in the actor's scope whose name holds `text`, to link a merchant account to."""
    _require_district_scope(actor, district_id)
    with session_factory() as session:
        rows = session.execute(named_like(district_id, text).limit(limit)).all()
    return [Choice(row.id, row.name) for row in rows]


def _require_district_scope(actor: Actor, district_id: int) -> None:
    """Refuse anyone but a coordinator of the district (or an administrator)."""
    require_role(actor, COORDINATING)
    if not covers_district(actor, district_id):
        raise Forbidden("access.other_district")


def person_of_account(*, session_factory: sessionmaker, account_id: int) -> int | None:
    """The person an account signs in as, if any."""
    with session_factory() as session:
        return session.scalar(select(Account.person_id).where(Account.id == account_id))


def district_ids_named(*, session_factory: sessionmaker, names: Iterable[str]) -> list[int]:
    """District ids for names given as `片区` or `城市/片区`; refuses a name that matches none or several."""
    found = []
    with session_factory() as session:
        for name in names:
            city, _, district = name.rpartition("/")
            query = select(District.id).where(District.name == district.strip())
            if city:
                query = query.where(District.city == city.strip())
            ids = list(session.scalars(query))
            if len(ids) != 1:
                raise AccountRefused("accounts.unknown_district", name=name)
            found.extend(ids)
    return found


def person_with_phone(*, session_factory: sessionmaker, phone: str) -> int:
    """The person holding a phone number (for operator commands)."""
    with session_factory() as session:
        person_id = session.scalar(select(Person.id).where(Person.phone == phone.strip()))
    if person_id is None:
        raise AccountRefused("accounts.unknown_person")
    return person_id


def shop_named(*, session_factory: sessionmaker, name: str) -> int:
    """The shop of a name (for operator commands); refuses none or several."""
    with session_factory() as session:
        ids = list(session.scalars(select(Shop.id).where(Shop.name == name.strip())))
    if len(ids) != 1:
        raise AccountRefused("accounts.unknown_shop", name=name)
    return ids[0]
