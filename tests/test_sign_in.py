"""Sign-in keeps its promises: one refusal for every wrong guess, lockout, sessions that end everywhere."""

import json
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from db.models import (
    Account,
    AccountToken,
)
from nightwatch.access import Actor
from nightwatch.services import accounts, audit, auth
from nightwatch.services.auth import SignInRefused
from nightwatch.vocab import TokenKind

from authz_world import (
    MERCHANT,
    MOBILE_IN_TEXT,
    PASSWORD,
    VOLUNTEER,
    World,
    actor_named,
    audit_values,
)

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
