"""The app shell's pure rules: masked phones, pages per role, district scope, grants, passwords, tokens."""
from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nightwatch.access import VIEWER, Actor, can_open, covers_district, may_grant
from nightwatch.passwords import password_problem
from nightwatch.privacy import mask_phone, mask_phones_in
from nightwatch.tokens import new_token, token_hash
from nightwatch.vocab import AccountRole

ADMIN = AccountRole.ADMIN
COORDINATOR = AccountRole.COORDINATOR
TEAM_LEADER = AccountRole.TEAM_LEADER
VOLUNTEER = AccountRole.VOLUNTEER
MERCHANT = AccountRole.MERCHANT
ALL_ROLES: tuple[AccountRole | None, ...] = (None, *AccountRole)


def actor(role: AccountRole | None, *districts: int) -> Actor:
    """An actor of a role covering the given districts (role None is the public viewer)."""
    if role is None:
        return Actor(district_ids=frozenset(districts))
    return Actor(account_id=1, login=f"someone-{role.value}", role=role, district_ids=frozenset(districts))


# --- mask_phone -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "shown"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        (" 13812345678 ", "138****5678"),
        ("19900001111", "199****1111"),
        # An 11-digit landline with its area code (桂林 0773) keeps the same shape.
        ("0773-2823456", "077****3456"),
        ("+86 138 1234 5678", "138****5678"),
        ("+8613812345678", "138****5678"),
        ("12345", "*****"),
        ("1", "*"),
        ("", ""),
        (None, ""),
        ("未知", ""),
    ],
    ids=[
        "plain", "spaces", "dashes", "padded", "199-prefix", "landline-with-area-code", "plus86-spaced",
        "plus86-joined", "short", "one-digit", "empty", "none", "no-digits",
    ],
)
def test_mask_phone_shows_the_first_three_and_last_four_digits_only(phone: str | None, shown: str) -> None:
    """A mobile reads 138****5678 however it was typed; short values are hidden completely."""
    assert mask_phone(phone) == shown


def test_mask_phone_never_shows_a_seven_digit_number_in_the_clear() -> None:
    """A local landline without area code (7 digits) is hidden, as the docstring promises for short values."""
    masked = mask_phone("2823456")
    assert "2823456" not in masked
    assert "*" in masked


MOBILES = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text(alphabet=string.digits, min_size=9, max_size=9),
)


def typed(mobile: str, prefix: str, separator: str) -> str:
    """A mobile as someone might type it: optional country code, grouped 3-4-4 by a separator."""
    return f"{prefix}{mobile[:3]}{separator}{mobile[3:7]}{separator}{mobile[7:]}"


@settings(max_examples=200, deadline=None)
@given(
    mobile=MOBILES,
    prefix=st.sampled_from(["", "+86", "+86 ", "86", "86-", "0086 "]),
    separator=st.sampled_from(["", " ", "-"]),
)
def test_mask_phone_never_returns_the_middle_digits_of_a_mobile(mobile: str, prefix: str, separator: str) -> None:
    """Whatever the formatting, the four middle digits are stars and at most seven digits stay visible."""
    masked = mask_phone(typed(mobile, prefix, separator))
    assert masked[-4:] == mobile[-4:]
    assert masked[-8:-4] == "****"  # exactly where the middle digits stood
    assert len(masked.replace("*", "")) <= 7
    assert mobile not in masked


# --- mask_phones_in ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "logged"),
    [
        ("call 13812345678 now", "call 138****5678 now"),
        ("电话+86 138-1234-5678，速来", "电话138****5678，速来"),
        ("店主13812345678和13987654321都在", "店主138****5678和139****4321都在"),
        ("tel:138 1234 5678.", "tel:138****5678."),
        # Longer digit runs are order or ID numbers, not phones: left alone.
        ("订单 913812345678", "订单 913812345678"),
        ("no phone here", "no phone here"),
        ("", ""),
    ],
    ids=["english", "chinese-with-plus86", "two-numbers", "spaced", "longer-number", "nothing", "empty"],
)
def test_mask_phones_in_free_text(value: str, logged: str) -> None:
    """Mobiles inside free text are masked in place; the rest of the text is kept."""
    assert mask_phones_in(value) == logged


def test_mask_phones_in_nested_values() -> None:
    """Dicts and lists are walked to any depth; numbers, flags and None pass through unchanged."""
    value = {
        "phone": "13812345678",
        "people": [{"tel": "139 8765 4321", "name": "王师傅"}, "ok", ("+86-137-0000-1111",)],
        "count": 3,
        "active": True,
        "note": None,
    }
    assert mask_phones_in(value) == {
        "phone": "138****5678",
        "people": [{"tel": "139****4321", "name": "王师傅"}, "ok", ["137****1111"]],
        "count": 3,
        "active": True,
        "note": None,
    }
    assert mask_phones_in(None) is None


FREE_TEXT = st.text(alphabet="夜巡东西巷烧烤店门口有人 abcXYZ,.:，。", max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    mobile=MOBILES,
    prefix=st.sampled_from(["", "+86 ", "86-"]),
    separator=st.sampled_from(["", " ", "-"]),
    before=FREE_TEXT,
    after=FREE_TEXT,
)
def test_mask_phones_in_leaves_no_mobile_readable_in_text(
    mobile: str, prefix: str, separator: str, before: str, after: str
) -> None:
    """A mobile anywhere in free text (inside a dict and a list) comes back masked."""
    masked = mask_phones_in({"text": [f"{before}{typed(mobile, prefix, separator)}{after}"]})["text"][0]
    assert masked == f"{before}{mobile[:3]}****{mobile[-4:]}{after}"
    assert mobile not in re.sub(r"\D", "", masked)


# --- pages ------------------------------------------------------------------------------------

PAGE_TABLE: dict[str, set[AccountRole | None]] = {
    "home": {None, ADMIN, COORDINATOR, TEAM_LEADER, VOLUNTEER, MERCHANT},
    "about": {None, ADMIN, COORDINATOR, TEAM_LEADER, VOLUNTEER, MERCHANT},
    "accounts": {ADMIN, COORDINATOR},
    "audit": {ADMIN, COORDINATOR},
    "no-such-page": set(),
}


@pytest.mark.parametrize(
    ("role", "page", "opens"),
    [(role, page, role in roles) for page, roles in PAGE_TABLE.items() for role in ALL_ROLES],
    ids=[f"{role or 'viewer'}-{page}" for page in PAGE_TABLE for role in ALL_ROLES],
)
def test_can_open_per_role_and_page(role: AccountRole | None, page: str, opens: bool) -> None:
    """Everyone opens home and about; only coordinators and admins open accounts and audit; unknown pages are shut."""
    assert can_open(actor(role, 1), page) is opens


def test_the_viewer_is_not_signed_in() -> None:
    """The public viewer has no role, no account and no districts."""
    assert VIEWER == Actor()
    assert not VIEWER.signed_in and not VIEWER.is_admin and not VIEWER.is_coordinator
    assert actor(VOLUNTEER).signed_in


# --- districts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "district", "covered"),
    [
        (actor(ADMIN), 7, True),
        (actor(ADMIN), None, True),
        (actor(COORDINATOR, 1, 2), 1, True),
        (actor(COORDINATOR, 1, 2), 2, True),
        (actor(COORDINATOR, 1, 2), 3, False),
        (actor(COORDINATOR, 1, 2), None, False),
        (actor(COORDINATOR), 1, False),
        (actor(VOLUNTEER, 1), 1, True),
        (actor(VOLUNTEER, 1), 2, False),
        (actor(MERCHANT, 2), 1, False),
        (actor(None), 1, False),
    ],
    ids=[
        "admin-any", "admin-none", "coordinator-first", "coordinator-second", "coordinator-other",
        "coordinator-none", "coordinator-without-districts", "volunteer-own", "volunteer-other",
        "merchant-other", "viewer",
    ],
)
def test_covers_district(who: Actor, district: int | None, covered: bool) -> None:
    """Administrators cover every district; everyone else exactly the districts of their scope."""
    assert covers_district(who, district) is covered


@settings(max_examples=200, deadline=None)
@given(
    role=st.sampled_from(ALL_ROLES),
    scope=st.frozensets(st.integers(min_value=1, max_value=12), max_size=5),
    district=st.none() | st.integers(min_value=1, max_value=12),
)
def test_covers_district_iff_admin_or_in_scope(
    role: AccountRole | None, scope: frozenset[int], district: int | None
) -> None:
    """For any actor and district: covered exactly when the actor is an admin or the district is in scope."""
    who = Actor(account_id=None if role is None else 1, role=role, district_ids=scope)
    assert covers_district(who, district) is (role is ADMIN or district in scope)


# --- grants -----------------------------------------------------------------------------------

GRANTS: dict[AccountRole | None, set[AccountRole]] = {
    ADMIN: set(AccountRole),
    COORDINATOR: {TEAM_LEADER, VOLUNTEER, MERCHANT},
    TEAM_LEADER: set(),
    VOLUNTEER: set(),
    MERCHANT: set(),
    None: set(),
}


@pytest.mark.parametrize(
    ("granter", "role", "allowed"),
    [(granter, role, role in grants) for granter, grants in GRANTS.items() for role in AccountRole],
    ids=[f"{granter or 'viewer'}-grants-{role}" for granter in GRANTS for role in AccountRole],
)
def test_may_grant(granter: AccountRole | None, role: AccountRole, allowed: bool) -> None:
    """Admins grant every role; coordinators only team leader, volunteer and merchant; nobody else any."""
    assert may_grant(actor(granter, 1), role) is allowed


# --- passwords and tokens ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "login", "problem"),
    [
        ("", "", "password.too_short"),
        ("night-9", "", "password.too_short"),
        ("abcd56789", "", "password.too_short"),
        ("abcd567890", "", None),
        ("lantern-patrol-7", "wang", None),
        ("aaaaaaaaaaaa", "", "password.too_simple"),
        ("abababababab", "", "password.too_simple"),
        ("abcabcabcabc", "", "password.too_simple"),
        ("abcdabcdabcd", "", None),
        ("zhangsan-2026!", "zhangsan", "password.contains_login"),
        ("My-ZhangSan-night", "zhangsan", "password.contains_login"),
        ("zhangsan-2026!", "lisi", None),
        ("夜巡东西巷的巡逻队员们", "", None),
    ],
    ids=[
        "empty", "short", "nine-chars", "ten-chars", "fine", "one-char-repeated", "two-chars",
        "three-chars", "four-chars", "contains-login", "contains-login-any-case", "other-login", "chinese",
    ],
)
def test_password_problem(password: str, login: str, problem: str | None) -> None:
    """New passwords need ten characters, four different ones, and must not contain the login."""
    assert password_problem(password, login) == problem


def test_token_hash_is_stable_and_hides_the_token() -> None:
    """The same token always hashes alike (so it can be looked up), as 64 hex digits unlike the token."""
    token = new_token()
    assert token_hash(token) == token_hash(token)
    assert re.fullmatch(r"[0-9a-f]{64}", token_hash(token))
    assert token not in token_hash(token)
    assert token_hash(token) != token_hash(token + "x")


def test_tokens_are_unique_url_safe_and_long() -> None:
    """Every new token differs from all others, fits in a URL, and carries at least 256 bits."""
    tokens = [new_token() for _ in range(2000)]
    assert len(set(tokens)) == len(tokens)
    assert len({token_hash(token) for token in tokens}) == len(tokens)
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", token)
