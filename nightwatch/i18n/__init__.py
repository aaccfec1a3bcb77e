"""One catalog for every visible string: zh-CN first, English second.

Keys are dotted (``page.home``, ``team_type.red_volunteer``); values are str.format templates.
Each area of the app keeps its messages in `catalog/<area>.py` as ``key: (zh-CN, English)``,
both languages side by side; a test keeps every message complete in both.
"""
from __future__ import annotations

import re
from enum import StrEnum

from nightwatch.i18n.catalog import (
    about,
    access,
    checkin,
    cli,
    core,
    coverage,
    dashboard,
    deployment,
    dispatch,
    geocoding,
    geography,
    hazards,
    heatmap,
    home,
    input,
    map,
    my_shifts,
    outreach,
    people,
    posters,
    progress,
    reliability,
    rendering,
    retention,
    roster,
    shops,
    tasks,
    tips,
    vocab,
)

DEFAULT_LANGUAGE = "zh-CN"
LANGUAGES: tuple[str, ...] = ("zh-CN", "en")
AREAS = (core, home, about, access, cli, geography, geocoding, map, people, roster, my_shifts, coverage, tips, dispatch,
         tasks, posters, checkin, progress, heatmap, hazards, shops, outreach, dashboard, input, rendering, retention,
         reliability, deployment, vocab)


def _build() -> dict[str, dict[str, str]]:
    """Merge the areas into one dictionary per language; a key in two areas is a bug."""
    merged: dict[str, tuple[str, str]] = {}
    for area in AREAS:
        clash = merged.keys() & area.MESSAGES.keys()
        if clash:
            raise ValueError(f"catalog keys defined twice: {sorted(clash)}")
        merged.update(area.MESSAGES)
    return {lang: {key: pair[index] for key, pair in merged.items()} for index, lang in enumerate(LANGUAGES)}


CATALOGS: dict[str, dict[str, str]] = _build()


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
    return "en" if value.strip().lower().startswith("en") else DEFAULT_LANGUAGE
