"""One catalog for every visible string: zh-CN first, English second.

Keys are dotted (``page.home``, ``team_type.red_volunteer``); values are str.format templates.
A test keeps both languages holding the same keys with the same placeholders.
"""
from __future__ import annotations

import re
from enum import StrEnum

from nightwatch.i18n import en, zh_cn

DEFAULT_LANGUAGE = "zh-CN"
CATALOGS: dict[str, dict[str, str]] = {"zh-CN": zh_cn.MESSAGES, "en": en.MESSAGES}
LANGUAGES: tuple[str, ...] = tuple(CATALOGS)


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The message for a key in a language, with values filled in."""
    catalog = CATALOGS.get(lang, CATALOGS[DEFAULT_LANGUAGE])
    template = catalog[key]
    return template.format(**values) if values else template


def vocab_key(member: StrEnum) -> str:
    """The catalog key of a vocabulary value: TeamType.RED_VOLUNTEER → ``team_type.red_volunteer``."""
    prefix = re.sub(r"(?<!^)(?=[A-Z])", "_", type(member).__name__).lower()
    return f"{prefix}.{member.value}"


def label(member: StrEnum, lang: str = DEFAULT_LANGUAGE) -> str:
    """How a vocabulary value reads to people."""
    return t(vocab_key(member), lang)


def language_from(value: str | None) -> str:
    """A supported language for a requested one (``zh``, ``en-US`` …), else the default."""
    if not value:
        return DEFAULT_LANGUAGE
    value = value.strip().lower()
    if value.startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE
