"""HMAC signatures for checkpoint (打卡点) QR links: /checkin?cp=<id>&sig=<signature>.

Each checkpoint signs with its own secret (Checkpoint.secret, hex), so rotating one secret
invalidates only that point's printed posters. The signed message is versioned and unambiguous:
``b"nightwatch-checkpoint:v1:" + decimal id``. The signature is HMAC-SHA256 truncated to its
first 16 bytes (128 bits) and written as URL-safe base64 without padding: 22 characters.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from urllib.parse import urlencode

MESSAGE_PREFIX = b"nightwatch-checkpoint:v1:"
SIGNATURE_BYTES = 16  # 128 bits of the HMAC-SHA256 digest are kept
SIGNATURE_LENGTH = 22  # len(urlsafe_b64encode(16 bytes)) without the "==" padding
CHECKIN_PATH = "/checkin"


def new_secret() -> str:
    """A fresh checkpoint secret: 32 random bytes as 64 hex characters (fits Checkpoint.secret)."""
    return secrets.token_hex(32)


def _valid_id(checkpoint_id: object) -> bool:
    """True for a non-negative int that is not a bool."""
    return isinstance(checkpoint_id, int) and not isinstance(checkpoint_id, bool) and checkpoint_id >= 0


def _valid_secret(secret: object) -> bool:
    """True for a non-empty str secret."""
    return isinstance(secret, str) and bool(secret)


def _message(checkpoint_id: int) -> bytes:
    """The versioned bytes that are signed for a checkpoint."""
    return MESSAGE_PREFIX + str(checkpoint_id).encode("ascii")


def sign_checkpoint(checkpoint_id: int, secret: str) -> str:
    """The 22-character URL-safe signature of a checkpoint id under its secret."""
    if not _valid_id(checkpoint_id):
        raise ValueError("checkpoint_id must be a non-negative int")
    if not _valid_secret(secret):
        raise ValueError("secret must be a non-empty str")
    # The key is the secret's text as stored (UTF-8), so hex of any length works unchanged.
    digest = hmac.new(secret.encode("utf-8"), _message(checkpoint_id), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:SIGNATURE_BYTES]).rstrip(b"=").decode("ascii")


def verify_checkpoint(checkpoint_id: object, secret: object, signature: object) -> bool:
    """True only for the exact signature of this id under this secret; never raises."""
    if not (_valid_id(checkpoint_id) and _valid_secret(secret)):
        return False
    if not isinstance(signature, str) or len(signature) != SIGNATURE_LENGTH or not signature.isascii():
        return False
    try:
        expected = sign_checkpoint(checkpoint_id, secret)  # type: ignore[arg-type]
    except (ValueError, UnicodeError):
        return False
    return hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii"))


def checkin_path(checkpoint_id: int, secret: str) -> str:
    """The signed check-in path for a checkpoint: ``/checkin?cp=<id>&sig=<signature>``."""
    signature = sign_checkpoint(checkpoint_id, secret)
    return f"{CHECKIN_PATH}?{urlencode({'cp': str(checkpoint_id), 'sig': signature})}"
