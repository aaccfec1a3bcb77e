"""Signing in and out: passwords, session tokens for the cookie, and personal sign-in links."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from db.models import Account, AccountDistrict, AccountToken, AuditEvent, Person, Shop
from db.types import utcnow
from nightwatch.access import Actor
from nightwatch.privacy import mask_phones_in
from nightwatch.passwords import hash_password, needs_rehash, verify_password
from nightwatch.services.audit import record
from nightwatch.tokens import new_token, token_hash
from nightwatch.vocab import AccountRole, TokenKind

SESSION_LIFETIME = timedelta(days=30)
HANDOFF_LIFETIME = timedelta(minutes=2)
LINK_LIFETIME = timedelta(days=30)
# Refuse a login after this many failures within the window, even with the right password.
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
# Verified when no account matches, so a wrong login costs as long as a wrong password.
_DUMMY_HASH = hash_password("no-such-account-placeholder")


class SignInRefused(Exception):
    """Sign-in did not succeed; the message is a catalog key that never says which part was wrong."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Issued:
    """A token handed out once, in the clear, with when it stops working."""

    token: str
    expires_at: datetime


@dataclass(frozen=True)
class SignIn:
    """A successful sign-in: who, a session for this browser tab, a hand-off for the cookie route."""

    actor: Actor
    session: Issued
    handoff: Issued


def sign_in(*, session_factory: sessionmaker, login: str, password: str) -> SignIn:
    """Check a login and password; refuse disabled accounts and logins under repeated failure."""
    login = login.strip().lower()
    now = utcnow()
    with session_factory.begin() as session:
        # A refusal is recorded and committed before it is raised: the count of recent
        # refusals is what locks a login that is being guessed at.
        refusal = _refusal(session, login, password, now)
        if refusal is None:
            account = session.scalars(select(Account).where(Account.login == login)).one()
            if needs_rehash(account.password_hash or ""):
                account.password_hash = hash_password(password)
            account.last_seen_at = now
            actor = actor_of(session, account)
            issued = _issue(session, account, TokenKind.SESSION, SESSION_LIFETIME, now)
            handoff = _issue(session, account, TokenKind.HANDOFF, HANDOFF_LIFETIME, now)
            record(session, actor, "auth.sign_in", "account", account.id, district_id=home_district(actor))
            return SignIn(actor, issued, handoff)
        # Attempts while locked are recorded apart, so they do not extend the lock.
        action = "auth.locked_out" if refusal == "locked" else "auth.refused"
        record(session, Actor(login=login[:64]), action, "account", after={"reason": refusal})
    raise SignInRefused("auth.locked" if refusal == "locked" else "auth.wrong")


def _refusal(session: Session, login: str, password: str, now: datetime) -> str | None:
    """Why a sign-in is refused ("locked", "password", "disabled"), or None when it succeeds."""
    account = session.scalar(select(Account).where(Account.login == login))
    if _recent_failures(session, login, now) >= MAX_FAILURES:
        return "locked"
    if not verify_password(account.password_hash if account else _DUMMY_HASH, password) or account is None:
        return "password"
    return None if account.active else "disabled"


def redeem(*, session_factory: sessionmaker, token: str) -> Issued | None:
    """Exchange a sign-in link or hand-off for a new session; a hand-off works once. None when invalid."""
    now = utcnow()
    with session_factory.begin() as session:
        found = _valid_token(session, token, (TokenKind.LINK, TokenKind.HANDOFF), now)
        if found is None:
            return None
        held, account = found
        if held.kind is TokenKind.HANDOFF:
            held.revoked_at = now
        else:
            actor = actor_of(session, account)
            record(session, actor, "auth.link_used", "account", account.id, district_id=home_district(actor))
        account.last_seen_at = now
        return _issue(session, account, TokenKind.SESSION, SESSION_LIFETIME, now)


def actor_for_session(*, session_factory: sessionmaker, token: str | None) -> Actor | None:
    """The actor a session token stands for, or None when it is unknown, expired, revoked or disabled."""
    if not isinstance(token, str) or not token:
        return None
    with session_factory() as session:
        found = _valid_token(session, token, (TokenKind.SESSION,), utcnow())
        return actor_of(session, found[1]) if found else None


def actor_for_identity(*, session_factory: sessionmaker, email: str | None) -> Actor | None:
    """The actor whose active account's login is a single-sign-on identity's e-mail, else None."""
    if not isinstance(email, str) or not email.strip():
        return None
    with session_factory() as session:
        account = session.scalar(select(Account).where(Account.login == email.strip().lower(), Account.active))
        return actor_of(session, account) if account else None


def sign_out(*, session_factory: sessionmaker, actor: Actor) -> int:
    """End every session of the actor's account, in every browser; returns how many were ended."""
    if actor.account_id is None:
        return 0
    with session_factory.begin() as session:
        ended = revoke_tokens(session, actor.account_id, (TokenKind.SESSION, TokenKind.HANDOFF))
        record(session, actor, "auth.sign_out", "account", actor.account_id, district_id=home_district(actor),
               after={"sessions_ended": ended})
        return ended


def revoke_tokens(session: Session, account_id: int, kinds: tuple[TokenKind, ...]) -> int:
    """Revoke the account's live tokens of the given kinds inside the caller's transaction."""
    result = session.execute(
        update(AccountToken)
        .where(AccountToken.account_id == account_id, AccountToken.kind.in_(kinds),
               AccountToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return result.rowcount or 0


def issue_token(session: Session, account: Account, kind: TokenKind, lifetime: timedelta) -> Issued:
    """Create a token of a kind for an account inside the caller's transaction."""
    return _issue(session, account, kind, lifetime, utcnow())


def actor_of(session: Session, account: Account) -> Actor:
    """The actor an account acts as, with its district scope."""
    return Actor(
        account_id=account.id, login=account.login, role=AccountRole(account.role),
        district_ids=frozenset(account_districts(session, account)), person_id=account.person_id,
        shop_id=account.shop_id, display_name=account.display_name,
    )


def home_district(actor: Actor) -> int | None:
    """The district an actor's own events are filed under, so their coordinators can read them."""
    return min(actor.district_ids, default=None)


def account_districts(session: Session, account: Account) -> set[int]:
    """Every district an account reaches: its own scope, its person's and its shop's."""
    found = set(session.scalars(
        select(AccountDistrict.district_id).where(AccountDistrict.account_id == account.id)
    ))
    if account.person_id is not None:
        found.add(session.scalar(select(Person.district_id).where(Person.id == account.person_id)))
    if account.shop_id is not None:
        found.add(session.scalar(select(Shop.district_id).where(Shop.id == account.shop_id)))
    found.discard(None)
    return found


def _issue(session: Session, account: Account, kind: TokenKind, lifetime: timedelta, now: datetime) -> Issued:
    token = new_token()
    session.add(AccountToken(account_id=account.id, kind=kind, token_hash=token_hash(token),
                             expires_at=now + lifetime))
    return Issued(token, now + lifetime)


def _valid_token(
    session: Session, token: str, kinds: tuple[TokenKind, ...], now: datetime
) -> tuple[AccountToken, Account] | None:
    row = session.execute(
        select(AccountToken, Account)
        .join(Account, Account.id == AccountToken.account_id)
        .where(AccountToken.token_hash == token_hash(token), AccountToken.kind.in_(kinds),
               AccountToken.revoked_at.is_(None), AccountToken.expires_at > now, Account.active)
    ).first()
    return (row[0], row[1]) if row else None


def _recent_failures(session: Session, login: str, now: datetime) -> int:
    """Refused sign-ins of a login within the window and since its last successful one."""
    actor = mask_phones_in(login[:64])  # as audit.record stores it
    since = now - FAILURE_WINDOW
    last_success = session.scalar(
        select(func.max(AuditEvent.at)).where(AuditEvent.action == "auth.sign_in", AuditEvent.actor == actor)
    )
    if last_success is not None and last_success > since:
        since = last_success
    return session.scalar(
        select(func.count()).select_from(AuditEvent)
        .where(AuditEvent.action == "auth.refused", AuditEvent.actor == actor, AuditEvent.at > since)
    ) or 0
