"""Passwords: hashed with Argon2id, never stored or logged in the clear."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An Argon2id hash of the password, with its own salt and parameters."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches the hash; False for no hash or any mismatch."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str, login: str = "") -> str | None:
    """Why a new password is refused, as a catalog key, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return "password.too_short"
    if login and login.lower() in password.lower():
        return "password.contains_login"
    if len(set(password)) < 4:
        return "password.too_simple"
    return None
