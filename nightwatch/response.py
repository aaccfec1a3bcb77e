"""The "1, 3, 5 minute" response circles (1、3、5分钟处置圈) and who is inside them. Pure.

A circle's radius is the distance a responder covers in that many minutes at a travel speed.
Straight-line distance flatters lanes, so the speeds are deliberately modest.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from nightwatch.geo import haversine_m

DEFAULT_TARGETS = {"react_min": 1, "reach_hotspot_min": 3, "reach_anywhere_min": 5}
TARGET_KEYS = tuple(DEFAULT_TARGETS)


class Travel(StrEnum):
    """How responders move, and how far that takes them in a minute."""

    FOOT = "foot"
    BIKE = "bike"


# Brisk walking ≈ 4.8 km/h; an electric patrol bike in night-market crowds ≈ 15 km/h.
METRES_PER_MINUTE = {Travel.FOOT: 80.0, Travel.BIKE: 250.0}


@dataclass(frozen=True)
class Ring:
    """One response circle: its target name, minutes and radius."""

    target: str
    minutes: int
    radius_m: float


def rings(targets: Mapping[str, int] | None, travel: Travel = Travel.FOOT) -> list[Ring]:
    """The three circles for a district's targets (the 1-3-5 defaults where it sets none)."""
    chosen = {**DEFAULT_TARGETS, **{k: v for k, v in (targets or {}).items() if k in DEFAULT_TARGETS}}
    speed = METRES_PER_MINUTE[travel]
    return [Ring(key, int(chosen[key]), float(chosen[key]) * speed) for key in TARGET_KEYS]


T = TypeVar("T")


def reach(origin: tuple[float, float], ring_list: list[Ring], located: Iterable[tuple[T, float, float]]
          ) -> dict[str, list[tuple[T, float]]]:
    """Who falls in each ring (smallest ring that holds them), nearest first, with distances in metres."""
    by_ring: dict[str, list[tuple[T, float]]] = {ring.target: [] for ring in ring_list}
    ordered = sorted(ring_list, key=lambda ring: ring.radius_m)
    for item, lat, lon in located:
        distance = haversine_m(origin[0], origin[1], lat, lon)
        for ring in ordered:
            if distance <= ring.radius_m:
                by_ring[ring.target].append((item, distance))
                break
    for members in by_ring.values():
        members.sort(key=lambda pair: pair[1])
    return by_ring
