"""Shop dossier rules (平安档案): which safety items a shop needs, valid contact phones, and its risk score.

Pure: no database, no Streamlit. The risk score is a sum of points from facts, documented here:

| fact                                                   | points                  |
|--------------------------------------------------------|-------------------------|
| business kind: bar, KTV, chess and card room           | +3                      |
| business kind: hotel                                   | +2                      |
| business kind: restaurant, snack stall                 | +1                      |
| each open (unrectified) hazard                         | +2                      |
| each overdue hazard (on top of being open)             | +2                      |
| each hazard found in the last 90 days                  | +1                      |
| each tip at the shop in 90 days: theft, dispute, drunk, fraud | +2               |
| each tip at the shop in 90 days: suspicious, fire hazard, noise, unlocked vehicle, other | +1 |
| each missing required checklist item                   | +1                      |
| no safety inspection in 180 days (or never)            | +2                      |
| member of the merchant co-defence (商户联防)            | −2                      |

Lost people, lost items and medical calls are help given at the shop, not risk, and count 0.
The level: 8 points or more is high, 4 to 7 medium, less low.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nightwatch.vocab import BusinessKind, RiskLevel, TipCategory

RECENT_DAYS = 90
INSPECTION_DAYS = 180
HIGH_FROM = 8
MEDIUM_FROM = 4

# Every checklist item a dossier may hold, in the order forms show them.
CHECKLIST_ITEMS: tuple[str, ...] = (
    "extinguisher", "camera", "alarm_button", "fire_exit_clear", "gas_alarm", "grease_duct_cleaned",
)
FOOD_KINDS = frozenset({BusinessKind.RESTAURANT, BusinessKind.SNACK_STALL})
# Night venues are asked for a one-touch alarm button (一键报警) linked to the police.
ALARM_KINDS = frozenset({BusinessKind.BAR, BusinessKind.KTV, BusinessKind.CHESS_CARD, BusinessKind.HOTEL})

KIND_POINTS: dict[BusinessKind, int] = {
    BusinessKind.BAR: 3, BusinessKind.KTV: 3, BusinessKind.CHESS_CARD: 3, BusinessKind.HOTEL: 2,
    BusinessKind.RESTAURANT: 1, BusinessKind.SNACK_STALL: 1,
}
WEIGHTY_TIPS = frozenset({TipCategory.THEFT, TipCategory.DISPUTE, TipCategory.DRUNK, TipCategory.FRAUD})
HELP_TIPS = frozenset({TipCategory.LOST_PERSON, TipCategory.LOST_ITEM, TipCategory.MEDICAL})
OPEN_HAZARD_POINTS = 2
OVERDUE_HAZARD_POINTS = 2
RECENT_HAZARD_POINTS = 1
MISSING_ITEM_POINTS = 1
NO_INSPECTION_POINTS = 2
CODEFENDER_POINTS = -2

MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)  # ASCII: \d would take Arabic-Indic digits too
# Area code (010, 02x, 0xxx) then a 7- or 8-digit number.
LANDLINE = re.compile(r"0(?:10|2\d|[3-9]\d{2})[2-9]\d{6,7}", re.ASCII)
PHONE_NOISE = re.compile(r"[\s\-()()]")
MAX_CONTACTS = 3


class PhoneInvalid(ValueError):
    """A typed phone number is neither a mainland mobile nor a landline with its area code."""


def required_items(kind: BusinessKind) -> tuple[str, ...]:
    """The checklist items a shop of this kind must have, in form order."""
    needed = {"extinguisher", "fire_exit_clear"}
    if kind is not BusinessKind.SNACK_STALL:
        needed.add("camera")
    if kind in ALARM_KINDS:
        needed.add("alarm_button")
    if kind in FOOD_KINDS:
        needed |= {"gas_alarm", "grease_duct_cleaned"}
    return tuple(item for item in CHECKLIST_ITEMS if item in needed)


def missing_items(kind: BusinessKind, checklist: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The required items the checklist does not tick."""
    ticked = checklist or {}
    return tuple(item for item in required_items(kind) if ticked.get(item) is not True)


def clean_phone(text: str | None) -> str:
    """A typed phone as stored: digits only, +86 dropped; "" for blank; PhoneInvalid for anything else."""
    typed = PHONE_NOISE.sub("", unicodedata.normalize("NFKC", text or "").strip())
    for prefix in ("+86", "0086", "86"):
        if typed.startswith(prefix) and len(typed) == len(prefix) + 11:
            typed = typed[len(prefix):]
    if not typed:
        return ""
    if MOBILE.fullmatch(typed) or LANDLINE.fullmatch(typed):
        return typed
    raise PhoneInvalid(typed)


@dataclass(frozen=True)
class RiskFacts:
    """What the risk score is computed from, gathered by the caller for one shop."""

    business_kind: BusinessKind
    open_hazards: int = 0
    overdue_hazards: int = 0
    recent_hazards: int = 0
    recent_tips: Mapping[TipCategory, int] = field(default_factory=dict)
    checklist: Mapping[str, Any] = field(default_factory=dict)
    days_since_inspection: int | None = None
    is_codefender: bool = False


@dataclass(frozen=True)
class Reason:
    """One line of why: a catalog key, the values that fill it in, and the points it added."""

    key: str
    points: int
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Risk:
    """A shop's computed risk: its level, score and the reasons, biggest first."""

    level: RiskLevel
    score: int
    reasons: tuple[Reason, ...]


def level_of(score: int) -> RiskLevel:
    """The level a score falls in."""
    if score >= HIGH_FROM:
        return RiskLevel.HIGH
    return RiskLevel.MEDIUM if score >= MEDIUM_FROM else RiskLevel.LOW


def tip_points(category: TipCategory) -> int:
    """Points one recent tip of a category adds."""
    if category in WEIGHTY_TIPS:
        return 2
    return 0 if category in HELP_TIPS else 1


def assess(facts: RiskFacts) -> Risk:
    """The risk level and its reasons from a shop's facts (see the table at the top)."""
    reasons: list[Reason] = []

    def add(key: str, points: int, **values: Any) -> None:
        """Keep a reason that adds or takes points."""
        if points:
            reasons.append(Reason(key, points, values))

    add("shops.risk.kind", KIND_POINTS.get(facts.business_kind, 0), kind=facts.business_kind)
    add("shops.risk.open_hazards", OPEN_HAZARD_POINTS * facts.open_hazards, count=facts.open_hazards)
    add("shops.risk.overdue_hazards", OVERDUE_HAZARD_POINTS * facts.overdue_hazards, count=facts.overdue_hazards)
    add("shops.risk.recent_hazards", RECENT_HAZARD_POINTS * facts.recent_hazards, count=facts.recent_hazards,
        days=RECENT_DAYS)
    for category in TipCategory:
        count = facts.recent_tips.get(category, 0)
        add("shops.risk.tips", tip_points(category) * count, count=count, category=category, days=RECENT_DAYS)
    missing = missing_items(facts.business_kind, facts.checklist)
    add("shops.risk.missing", MISSING_ITEM_POINTS * len(missing), items=missing)
    if facts.days_since_inspection is None:
        add("shops.risk.never_inspected", NO_INSPECTION_POINTS)
    elif facts.days_since_inspection > INSPECTION_DAYS:
        add("shops.risk.no_inspection", NO_INSPECTION_POINTS, days=INSPECTION_DAYS)
    if facts.is_codefender:
        add("shops.risk.codefender", CODEFENDER_POINTS)
    score = max(0, sum(reason.points for reason in reasons))
    ordered = sorted(reasons, key=lambda reason: -reason.points)
    return Risk(level_of(score), score, tuple(ordered))
