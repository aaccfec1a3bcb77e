"""Patrol check-in rules (巡逻打卡): duplicates, the phone's distance, which shift a scan belongs to.

Pure: no database, no clock. The check-in service gathers the facts and asks these rules.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from nightwatch.geo import haversine_m, is_valid_point
from nightwatch.nights import DEFAULT_TIMEZONE

# The same person scanning the same point again within this window counts once.
DUPLICATE_WINDOW = timedelta(minutes=5)
# Why a scanned link was refused; each reason is also the tail of its catalog key.
REFUSAL_REASONS = ("forged", "unknown_point", "inactive")


class CheckInRefused(Exception):
    """A check-in that may not be recorded; the message is a catalog key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def refusal_key(reason: str) -> str:
    """The catalog key telling the person why their scanned link was refused."""
    return f"checkin.refused_{reason}"


def is_duplicate(previous_at: datetime | None, now: datetime) -> bool:
    """True when an earlier scan of the same point by the same person is within the window."""
    return previous_at is not None and timedelta(0) <= now - previous_at < DUPLICATE_WINDOW


@dataclass(frozen=True)
class PhoneFix:
    """Where the phone said it was, when its owner allowed it: degrees and accuracy in metres."""

    lat: float
    lon: float
    accuracy_m: float | None = None


def phone_fix_from(value: object) -> PhoneFix | None:
    """A phone fix from what the browser handed back ({lat, lon, accuracy}), or None when unusable."""
    if not isinstance(value, dict):
        return None
    lat, lon, accuracy = value.get("lat"), value.get("lon"), value.get("accuracy")
    if isinstance(lat, bool) or isinstance(lon, bool) or not is_valid_point(lat, lon):
        return None
    usable = isinstance(accuracy, (int, float)) and not isinstance(accuracy, bool) and math.isfinite(accuracy)
    return PhoneFix(float(lat), float(lon), float(accuracy) if usable and accuracy >= 0 else None)


@dataclass(frozen=True)
class Distance:
    """How far the phone was from the point (None when unknown), and whether that is too far."""

    metres: float | None
    flagged: bool


UNKNOWN = Distance(None, False)


def measure(point_lat: float | None, point_lon: float | None, phone: PhoneFix | None, radius_m: float) -> Distance:
    """The phone's distance from the point, to 0.1 m; beyond the radius it is flagged, never refused."""
    if phone is None or point_lat is None or point_lon is None or not is_valid_point(phone.lat, phone.lon):
        return UNKNOWN
    metres = round(haversine_m(point_lat, point_lon, phone.lat, phone.lon), 1)
    return Distance(metres, metres > radius_m)


@dataclass(frozen=True)
class HeldShift:
    """A shift the person holds at the moment of the scan, with the points of its route (if any)."""

    shift_id: int
    starts_at: datetime
    grid_id: int | None = None
    route_id: int | None = None
    route_points: tuple[int, ...] = ()


def choose_shift(held: Sequence[HeldShift], checkpoint_id: int, grid_id: int | None) -> HeldShift | None:
    """The shift a scan belongs to: on a route through the point, else in its grid, else any held one."""
    ordered = sorted(held, key=lambda shift: (shift.starts_at, shift.shift_id))
    on_route = [s for s in ordered if checkpoint_id in s.route_points]
    in_grid = [s for s in ordered if grid_id is not None and s.grid_id == grid_id]
    for candidates in (on_route, in_grid, ordered):
        if candidates:
            return candidates[0]
    return None


def next_point(route_points: Sequence[int], checkpoint_id: int) -> int | None:
    """The point after this one on a route walked in laps (the last leads back to the first)."""
    if checkpoint_id not in route_points or len(set(route_points)) < 2:
        return None
    position = list(route_points).index(checkpoint_id)
    return route_points[(position + 1) % len(route_points)]


@dataclass(frozen=True)
class CheckInOutcome:
    """What the person sees after tapping: the check-in counted, where, when, and what comes next."""

    check_in_id: int
    checkpoint_name: str
    at: datetime  # the server's time of the counted check-in (the earlier one for a duplicate)
    timezone: str  # the district's, to show `at` as local wall-clock time
    duplicate: bool
    distance_m: float | None
    flagged: bool
    shift_label: str | None  # route or grid of the shift; None when outside any shift
    attended: bool  # this check-in marked the person present on their shift
    next_point: str | None = None
    radius_m: float | None = None
    shift_id: int | None = None  # None: outside any shift


@dataclass(frozen=True)
class PointCard:
    """A checkpoint whose link verified: enough to tell the person which point it is."""

    checkpoint_id: int
    name: str
    district_id: int
    district: str


@dataclass(frozen=True)
class CheckInAlert:
    """Something for the coordinator to look at: a refused scan, or a phone far from its point."""

    at: datetime
    kind: str  # "refused" or "far"
    person: str | None
    point: str | None
    distance_m: float | None = None
    reason: str | None = None
    timezone: str = DEFAULT_TIMEZONE  # the district's, to show `at` as its wall-clock time
