"""Personal data as others may see it: masked phone numbers, and masking inside logged values."""
from __future__ import annotations

import re
from typing import Any

# Mainland mobile numbers, possibly with +86 and separators, inside free text.
MOBILE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")


def mask_phone(phone: str | None) -> str:
    """A phone number as non-coordinators see it: 138****5678 (+86 dropped); under 8 digits, all hidden."""
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    mobile = re.fullmatch(r"(?:0086|86)?(1[3-9]\d{9})", digits)
    if mobile:
        digits = mobile.group(1)
    if len(digits) < 8:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_phones_in(value: Any) -> Any:
    """The same value with every mobile number inside it masked (for the audit log)."""
    if isinstance(value, str):
        return MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", value)
    if isinstance(value, dict):
        return {key: mask_phones_in(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_phones_in(item) for item in value]
    return value
