"""Random tokens for sessions and sign-in links; only their hashes are stored."""
from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    """A fresh unguessable token (256 bits), URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The stored form of a token: SHA-256, hex. Tokens are random, so no salt is needed."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
