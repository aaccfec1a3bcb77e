"""Ranking on-duty people for a tip: walking time, how fresh their position is, team fit and load. Pure.

A candidate's score is in minutes, lower first:

    score = walk_min + stale_min - fit_min + load_min
    walk_min  = haversine(tip, position) / 80 m per minute          (nightwatch.response, on foot)
    stale_min = 0.5 × (position age in minutes − 20), when the age is over 20 minutes
    fit_min   = 2 when the person's team type suits the tip's category (TEAM_FIT), else 0
    load_min  = 3 × open dispatches the person already holds

A position older than 20 minutes is where they *were*: each further minute of age counts as half a
minute of walking, so a fresh position 300 m away beats a one-hour-old one 100 m away. Ties fall to
the nearer person, then the lower person id, so the order never depends on input order.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from nightwatch.geo import haversine_m
from nightwatch.response import METRES_PER_MINUTE, Travel
from nightwatch.vocab import TeamType, TipCategory

WALK_M_PER_MIN = METRES_PER_MINUTE[Travel.FOOT]
STALE_AFTER_MIN = 20.0
STALE_WEIGHT = 0.5
FIT_BONUS_MIN = 2.0
LOAD_PENALTY_MIN = 3.0

# Which team types suit which tips: a small table, not a model.
TEAM_FIT: dict[TipCategory, frozenset[TeamType]] = {
    TipCategory.FRAUD: frozenset({TeamType.ANTI_FRAUD, TeamType.POLICE_PATROL}),
    TipCategory.LOST_PERSON: frozenset({TeamType.RAPID_RESPONSE, TeamType.VOLUNTEER_POLICE, TeamType.JOINT_DUTY}),
    TipCategory.DISPUTE: frozenset({TeamType.RAPID_RESPONSE, TeamType.POLICE_PATROL, TeamType.JOINT_DUTY}),
    TipCategory.DRUNK: frozenset({TeamType.RAPID_RESPONSE, TeamType.POLICE_PATROL, TeamType.VOLUNTEER_POLICE}),
    TipCategory.THEFT: frozenset({TeamType.POLICE_PATROL, TeamType.VOLUNTEER_POLICE, TeamType.RAPID_RESPONSE}),
    TipCategory.SUSPICIOUS: frozenset({TeamType.VOLUNTEER_POLICE, TeamType.POLICE_PATROL, TeamType.PATROL_186}),
    TipCategory.FIRE_HAZARD: frozenset({TeamType.BUILDING_GUARD, TeamType.PROPERTY, TeamType.SECURITY}),
    TipCategory.UNLOCKED_VEHICLE: frozenset({TeamType.RED_VEST, TeamType.PATROL_186, TeamType.SECURITY}),
    TipCategory.MEDICAL: frozenset({TeamType.RAPID_RESPONSE, TeamType.RED_VOLUNTEER}),
}


# Candidates and their figures are named tuples, not frozen dataclasses: as immutable, and a dispatch screen
# builds dozens per tip, where a frozen dataclass costs three times as much to build.
class Candidate(NamedTuple):
    """Someone on duty who could go: where they were last seen, when, and what they already hold."""

    person_id: int
    lat: float
    lon: float
    seen_at: datetime
    team_type: TeamType | None = None
    load: int = 0


class Ranked(NamedTuple):
    """A candidate with the figures that placed them."""

    candidate: Candidate
    distance_m: float
    walk_min: float
    age_min: float
    stale: bool
    fits: bool
    score: float


def fits(category: TipCategory, team_type: TeamType | None) -> bool:
    """True when the team type suits the tip's category."""
    return team_type is not None and team_type in TEAM_FIT.get(category, frozenset())


def stale_minutes(age_min: float) -> float:
    """The walking minutes an old position adds (0 while it is fresh)."""
    return max(0.0, age_min - STALE_AFTER_MIN) * STALE_WEIGHT


def score_of(candidate: Candidate, point: tuple[float, float], category: TipCategory, now: datetime) -> Ranked:
    """One candidate's figures for a tip at a point."""
    distance = haversine_m(point[0], point[1], candidate.lat, candidate.lon)
    walk = distance / WALK_M_PER_MIN
    age = max(0.0, (now - candidate.seen_at).total_seconds() / 60)
    fit = fits(category, candidate.team_type)
    score = walk + stale_minutes(age) - (FIT_BONUS_MIN if fit else 0.0) + LOAD_PENALTY_MIN * candidate.load
    return Ranked(candidate, distance, walk, age, age > STALE_AFTER_MIN, fit, score)


def rank(candidates: Iterable[Candidate], point: tuple[float, float], category: TipCategory,
         now: datetime) -> list[Ranked]:
    """Candidates best first: by score, then distance, then person id."""
    scored = [score_of(c, point, category, now) for c in candidates]
    # Scores rounded to a millisecond, so float noise never decides between equals.
    return sorted(scored, key=lambda r: (round(r.score, 5), round(r.distance_m, 3), r.candidate.person_id))

