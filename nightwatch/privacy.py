"""Personal data as others may see it: masked phone numbers, and masking inside free text and logged values.

Phones are found however they are typed: ASCII or full-width digits (１３９…), with +86/0086, with
spaces, hyphens, dots or their full-width forms between groups; mainland mobiles (139 1234 5678) and
landlines with an area code (0710-3456789, (021) 1234 5678). A mobile keeps its first 3 and last 4
digits (139****5678); a landline keeps its area code and last 4 (0710-****6789).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

_SEPARATOR = r"[\s\-.]?"
# Mainland mobile numbers, possibly with +86 or 0086, inside free text.
MOBILE = re.compile(
    rf"(?<!\d)(?:(?:\+|00)?86{_SEPARATOR})?(1[3-9]\d){_SEPARATOR}(\d{{4}}){_SEPARATOR}(\d{{4}})(?!\d)")
# Landlines: a 3- or 4-digit area code starting with 0 (maybe in brackets), then 7 or 8 digits.
LANDLINE = re.compile(r"(?<!\d)(\(?0\d{2,3}\)?)[\s\-]?(\d{3,4})[\s\-]?(\d{4})(?!\d)")
# Any decimal digit, ASCII or not: text without one holds no phone number.
_ANY_DIGIT = re.compile(r"\d")
# Full-width punctuation that people type between digit groups, as its ASCII twin.
_WIDE_PUNCTUATION = {"＋": "+", "－": "-", "﹣": "-", "‐": "-", "—": "-", "　": " ", "（": "(", "）": ")", "．": "."}


def _ascii_twin(text: str) -> str:
    """The text with every decimal digit and phone punctuation as ASCII, one character for one.

    Same length, so a match found in the twin is at the same place in the original.
    """
    return "".join(str(unicodedata.digit(char)) if char.isdecimal() and not char.isascii()
                   else _WIDE_PUNCTUATION.get(char, char) for char in text)


def mask_phone(phone: str | None) -> str:
    """A phone number as non-coordinators see it: 138****5678 (+86 dropped); under 8 digits, all hidden."""
    if not phone:
        return ""
    digits = re.sub(r"\D", "", _ascii_twin(phone))
    mobile = re.fullmatch(r"(?:0086|86)?(1[3-9]\d{9})", digits)
    if mobile:
        digits = mobile.group(1)
    if len(digits) < 8:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_phones_in_text(text: str) -> str:
    """Free text with every mobile and landline number inside it masked, whatever digits it was typed in."""
    if not _ANY_DIGIT.search(text):  # most logged values (actions, kinds, names): no work to do
        return text
    twin = _ascii_twin(text)
    spans: list[tuple[int, int, str]] = []
    for match in MOBILE.finditer(twin):
        spans.append((match.start(), match.end(), f"{match.group(1)}****{match.group(3)}"))
    for match in LANDLINE.finditer(twin):
        if not any(start < match.end() and match.start() < end for start, end, _ in spans):
            spans.append((match.start(), match.end(), f"{match.group(1)}-****{match.group(3)}"))
    for start, end, masked in sorted(spans, reverse=True):
        text = text[:start] + masked + text[end:]
    return text


def mask_phones_in(value: Any) -> Any:
    """The same value with every phone number inside it masked (for the audit log and shared free text)."""
    if isinstance(value, str):
        return mask_phones_in_text(value)
    if isinstance(value, dict):
        return {key: mask_phones_in(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_phones_in(item) for item in value]
    return value
