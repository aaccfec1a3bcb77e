"""The offline gazetteer: finding a typed name or address among the places we already know."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Named:
    """Something with a name, perhaps an address, and a WGS-84 point: a place, post, checkpoint or shop."""

    name: str
    lat: float
    lon: float
    address: str | None = None
    district_id: int | None = None


def normalise(text: str) -> str:
    """Text as people mean it: NFKC (full-width → half-width), trimmed, runs of spaces made one."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def _key(text: str | None) -> str:
    """What two spellings must share to match: normalised, case-folded, without spaces."""
    # Chinese names are written without spaces, so "听海路 夜市" should still find "听海路夜市".
    return normalise(text or "").casefold().replace(" ", "")


def _exact(query: str, place: Named) -> bool:
    """Whether the query is the place's name or address."""
    return query in (_key(place.name), _key(place.address))


def _within(query: str, place: Named) -> bool:
    """Whether the query is part of the place's name or address."""
    return query in _key(place.name) or (place.address is not None and query in _key(place.address))


def _only(matches: list[Named]) -> Named | None:
    """The match when all matches are one spot, else None: two different places are ambiguous."""
    spots = {(round(m.lat, 6), round(m.lon, 6)) for m in matches}
    return matches[0] if len(spots) == 1 else None


def best_match(query: str, places: Iterable[Named], district_id: int | None = None) -> Named | None:
    """The one place a query names: exact before partial, the given district before anywhere; else None."""
    wanted = _key(query)
    if not wanted:
        return None
    everywhere = list(places)
    nearby = [p for p in everywhere if district_id is not None and p.district_id == district_id]
    tests: tuple[Callable[[str, Named], bool], ...] = (_exact, _within)
    for pool in (nearby, everywhere):
        for test in tests:
            matches = [p for p in pool if test(wanted, p)]
            if matches:
                # An ambiguous tier stops the search: a weaker tier must not guess past it.
                return _only(matches)
    return None
