"""Phone numbers in free text are masked however they were typed: full-width, +86, separators, landlines."""
from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nightwatch.privacy import mask_phone, mask_phones_in

WIDE = str.maketrans("0123456789+- ()", "０１２３４５６７８９＋－　（）")


@pytest.mark.parametrize(("typed", "shown"), [
    ("请联系13912345678", "请联系139****5678"),
    ("+86 139-1234-5678 店主", "139****5678 店主"),
    ("0086 139 1234 5678", "139****5678"),
    ("电话１３９１２３４５６７８。", "电话139****5678。"),
    ("＋８６　１３９－１２３４－５６７８", "139****5678"),
    ("座机0710-3456789", "座机0710-****6789"),
    ("(021) 1234 5678", "(021)-****5678"),
    ("（０２１）１２３４５６７８", "(021)-****5678"),
])
def test_a_phone_typed_any_way_is_masked(typed, shown):
    assert mask_phones_in(typed) == shown


@pytest.mark.parametrize("text", [
    "2026-11-22 22:30 东西巷口", "坐标 28.912345, 112.123456", "订单号 12345678901234", "金额 1500 元，3 人受伤",
])
def test_text_without_phones_is_left_alone(text):
    assert mask_phones_in(text) == text


def test_masking_reaches_inside_logged_structures():
    logged = {"phone": "13812345678", "contacts": [{"phone": "１３８１２３４５６７８"}], "count": 3}
    assert mask_phones_in(logged) == {"phone": "138****5678", "contacts": [{"phone": "138****5678"}], "count": 3}


@pytest.mark.parametrize(("phone", "shown"), [
    ("13812345678", "138****5678"), ("+86 138 1234 5678", "138****5678"), ("１３８１２３４５６７８", "138****5678"),
    ("0710-3456789", "071****6789"), ("12345", "*****"), ("", ""), (None, ""),
])
def test_a_stored_phone_is_shown_masked(phone, shown):
    assert mask_phone(phone) == shown


def _digits(text: str) -> str:
    """Only the digits of a text, full-width ones as ASCII."""
    return re.sub(r"\D", "", text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


@given(
    middle=st.from_regex(r"\A1[3-9][0-9]{9}\Z"),
    prefix=st.sampled_from(["", "+86", "+86 ", "0086-", "86"]),
    separator=st.sampled_from(["", " ", "-", "　", "－"]),
    wide=st.booleans(),
    before=st.text(alphabet="东西巷口电话联系,。 abc", max_size=8),
    after=st.text(alphabet="东西巷口电话联系,。 abc", max_size=8),
)
def test_no_mobile_number_survives_in_free_text(middle, prefix, separator, wide, before, after):
    typed = prefix + separator.join((middle[:3], middle[3:7], middle[7:]))
    if wide:
        typed = typed.translate(WIDE)
    masked = mask_phones_in(before + typed + after)
    assert "****" in masked
    assert _digits(masked) == middle[:3] + middle[-4:]  # the middle four and the +86 are gone
