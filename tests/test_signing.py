"""Checkpoint QR links are signed per checkpoint; forged, stale or garbled signatures are refused."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nightwatch.signing import (
    SIGNATURE_LENGTH,
    checkin_path,
    new_secret,
    sign_checkpoint,
    verify_checkpoint,
)

SECRET = new_secret()
URLSAFE = re.compile(r"^[A-Za-z0-9_-]+$")


def test_a_new_secret_is_64_hex_characters_and_fresh_each_time():
    first, second = new_secret(), new_secret()
    assert re.fullmatch(r"[0-9a-f]{64}", first) and first != second


def test_a_signature_is_url_safe_unpadded_and_at_least_128_bits():
    signature = sign_checkpoint(7, SECRET)
    assert len(signature) == SIGNATURE_LENGTH == 22 and URLSAFE.match(signature)
    assert SIGNATURE_LENGTH * 6 >= 128


def test_a_valid_signature_verifies():
    assert verify_checkpoint(7, SECRET, sign_checkpoint(7, SECRET))


def test_signing_is_deterministic():
    assert sign_checkpoint(42, SECRET) == sign_checkpoint(42, SECRET)


def test_a_seeded_short_hex_secret_also_works():
    secret = "0123456789abcdef0123456789abcdef"  # db/seed_reference.py uses token_hex(16)
    assert verify_checkpoint(3, secret, sign_checkpoint(3, secret))


def test_a_tampered_signature_is_refused():
    signature = sign_checkpoint(7, SECRET)
    tampered = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert not verify_checkpoint(7, SECRET, tampered)


def test_another_checkpoints_signature_is_refused():
    assert not verify_checkpoint(8, SECRET, sign_checkpoint(7, SECRET))
    # "1" + "23" and "12" + "3" must not collide: the id is the whole tail of the message.
    assert sign_checkpoint(1, SECRET) != sign_checkpoint(12, SECRET) != sign_checkpoint(123, SECRET)


def test_rotating_the_secret_invalidates_the_old_poster():
    old = sign_checkpoint(7, SECRET)
    rotated = new_secret()
    assert not verify_checkpoint(7, rotated, old)
    assert verify_checkpoint(7, rotated, sign_checkpoint(7, rotated))


def test_signatures_differ_across_ids_and_secrets():
    other = new_secret()
    signatures = {sign_checkpoint(i, s) for i in range(50) for s in (SECRET, other)}
    assert len(signatures) == 100


GARBAGE = [
    None, "", " ", "=", "A" * (SIGNATURE_LENGTH - 1), "A" * (SIGNATURE_LENGTH + 1), "A" * 100_000,
    "打卡点" * 8, "é" * SIGNATURE_LENGTH, "\x00" * SIGNATURE_LENGTH, "\ud800" * SIGNATURE_LENGTH,
    b"A" * SIGNATURE_LENGTH, 12345, ["sig"], {"sig": 1}, 1.5,
]


@pytest.mark.parametrize("signature", GARBAGE, ids=lambda g: repr(g)[:20])
def test_garbage_signatures_are_refused_without_exceptions(signature):
    assert verify_checkpoint(7, SECRET, signature) is False


def test_a_padded_signature_is_refused():
    assert not verify_checkpoint(7, SECRET, sign_checkpoint(7, SECRET) + "==")


@pytest.mark.parametrize("checkpoint_id", [None, "7", 7.0, True, -1, b"7"])
def test_bad_ids_are_refused_without_exceptions(checkpoint_id):
    assert verify_checkpoint(checkpoint_id, SECRET, sign_checkpoint(7, SECRET)) is False


@pytest.mark.parametrize("secret", [None, "", b"secret", 0])
def test_bad_secrets_are_refused_without_exceptions(secret):
    assert verify_checkpoint(7, secret, sign_checkpoint(7, SECRET)) is False


@pytest.mark.parametrize("checkpoint_id, secret", [(True, SECRET), (-1, SECRET), ("7", SECRET), (7, ""), (7, None)])
def test_signing_rejects_bad_input(checkpoint_id, secret):
    with pytest.raises(ValueError):
        sign_checkpoint(checkpoint_id, secret)


def test_the_checkin_path_round_trips_through_urllib():
    path = checkin_path(7, SECRET)
    parts = urlsplit(path)
    query = parse_qs(parts.query, strict_parsing=True)
    assert parts.path == "/checkin" and set(query) == {"cp", "sig"}
    assert query["cp"] == ["7"] and query["sig"] == [sign_checkpoint(7, SECRET)]
    assert verify_checkpoint(int(query["cp"][0]), SECRET, query["sig"][0])


@settings(max_examples=200, deadline=None)
@given(checkpoint_id=st.integers(min_value=0, max_value=2**63), secret=st.text(min_size=1, max_size=80))
def test_the_path_round_trips_for_any_id_and_secret(checkpoint_id, secret):
    query = parse_qs(urlsplit(checkin_path(checkpoint_id, secret)).query, strict_parsing=True)
    assert verify_checkpoint(int(query["cp"][0]), secret, query["sig"][0])


@settings(max_examples=300, deadline=None)
@given(
    checkpoint_id=st.integers(min_value=0, max_value=2**63),
    secret=st.one_of(st.binary(min_size=1, max_size=32).map(bytes.hex), st.text(min_size=1, max_size=64)),
    data=st.data(),
)
def test_any_one_character_change_is_refused(checkpoint_id, secret, data):
    signature = sign_checkpoint(checkpoint_id, secret)
    assert verify_checkpoint(checkpoint_id, secret, signature)
    position = data.draw(st.integers(min_value=0, max_value=len(signature) - 1))
    replacement = data.draw(st.characters().filter(lambda c: c != signature[position]))
    changed = signature[:position] + replacement + signature[position + 1:]
    assert verify_checkpoint(checkpoint_id, secret, changed) is False
