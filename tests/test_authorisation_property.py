"""A property over random actors and records: a service call succeeds exactly when role and scope allow it."""

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import sessionmaker

from nightwatch.access import Actor, Forbidden
from nightwatch.services import accounts, audit, tonight
from nightwatch.services.accounts import AccountRefused
from nightwatch.vocab import AccountRole

from authz_world import (
    ADMIN,
    COORDINATOR,
    MERCHANT,
    NOW,
    PASSWORD,
    TEAM_LEADER,
    VOLUNTEER,
    World,
    build_world,
    new_login,
    snapshot,
)

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
