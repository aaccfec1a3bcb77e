"""Who may see and do what: the actor behind a request, the pages each role opens, district scope.

Pure rules: services call these before they read or write, pages only to draw the menu.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from nightwatch.vocab import AccountRole


class Forbidden(Exception):
    """The actor may not do this; the message is a catalog key."""

    def __init__(self, key: str = "access.forbidden") -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Actor:
    """The person behind a request: a signed-in account, or the anonymous public viewer."""

    account_id: int | None = None
    login: str = "viewer"
    role: AccountRole | None = None
    district_ids: frozenset[int] = field(default_factory=frozenset)
    person_id: int | None = None
    shop_id: int | None = None
    display_name: str | None = None

    @property
    def signed_in(self) -> bool:
        """True for an account; False for the public viewer."""
        return self.role is not None

    @property
    def is_admin(self) -> bool:
        """True for an administrator, who covers every district."""
        return self.role is AccountRole.ADMIN

    @property
    def is_coordinator(self) -> bool:
        """True for coordinators and administrators: they see personal data of their districts."""
        return self.role in (AccountRole.ADMIN, AccountRole.COORDINATOR)


VIEWER = Actor()


def scoped_actor(role: str | None, district_ids: frozenset[int]) -> Actor:
    """An actor of a role and districts only: the scope a cached read runs under (the public viewer has neither)."""
    return Actor(role=AccountRole(role), district_ids=district_ids) if role else VIEWER
SIGNED_IN = frozenset(AccountRole)
COORDINATING = frozenset({AccountRole.ADMIN, AccountRole.COORDINATOR})
PATROLLING = frozenset({AccountRole.TEAM_LEADER, AccountRole.VOLUNTEER})

# Page slug → roles that may open it; None stands for the public viewer (no sign-in).
PAGE_ROLES: dict[str, frozenset[AccountRole | None]] = {
    "home": frozenset({*AccountRole, None}),
    "map": frozenset({*AccountRole, None}),
    "geography": COORDINATING,
    "people": COORDINATING,
    "roster": COORDINATING,
    "coverage": COORDINATING,
    "my_shifts": PATROLLING,
    "tip": frozenset({AccountRole.MERCHANT}),
    "dispatch": COORDINATING,
    "my_tasks": PATROLLING,
    # Anyone may open a checkpoint's link: the page asks the viewer to sign in and come back.
    "checkin": frozenset({*AccountRole, None}),
    "routes": COORDINATING | PATROLLING,
    "dashboard": COORDINATING,
    # Merchants see and rectify their own shop's hazards and keep its dossier; patrols report and re-inspect.
    "hazards": SIGNED_IN,
    "shops": SIGNED_IN,
    "outreach": COORDINATING | PATROLLING,
    "heatmap": frozenset({*AccountRole, None}),
    "about": frozenset({*AccountRole, None}),
    "accounts": COORDINATING,
    "audit": COORDINATING,
}


def can_open(actor: Actor, page: str) -> bool:
    """True when the actor's role may open the page."""
    return actor.role in PAGE_ROLES.get(page, frozenset())


def covers_district(actor: Actor, district_id: int | None) -> bool:
    """True when the district is in the actor's scope (administrators cover all)."""
    return actor.is_admin or (district_id is not None and district_id in actor.district_ids)


def require_district(actor: Actor, district_id: int | None) -> None:
    """Refuse when the district is outside the actor's scope."""
    if not covers_district(actor, district_id):
        raise Forbidden("access.other_district")


def require_role(actor: Actor, roles: Iterable[AccountRole]) -> None:
    """Refuse unless the actor holds one of the roles."""
    if actor.role not in set(roles):
        raise Forbidden("access.role")


# Roles each role may hand out when creating accounts.
GRANTABLE: dict[AccountRole, frozenset[AccountRole]] = {
    AccountRole.ADMIN: frozenset(AccountRole),
    AccountRole.COORDINATOR: frozenset({AccountRole.TEAM_LEADER, AccountRole.VOLUNTEER, AccountRole.MERCHANT}),
}


def may_grant(actor: Actor, role: AccountRole) -> bool:
    """True when the actor may create or change an account to hold the role."""
    return actor.role is not None and role in GRANTABLE.get(actor.role, frozenset())
