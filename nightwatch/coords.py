"""Convert points between WGS-84 (stored), GCJ-02 (AMap/高德, Tencent) and BD-09 (Baidu); parse pasted points.

Why our own code rather than a library (checked 2026-11, the candidates installable here):

- ``coordtransform`` 0.2.1 (MIT, 2026): its GCJ-02→WGS-84 and BD-09→GCJ-02 are only the
  one-step approximations (metre-level error, not < 0.5 m); its "out of China" box starts at
  3.86°N; takes (lon, lat) and returns lists; the wheel ships a stray setup.py and benchmark.
- ``eviltransform`` 0.1.1 (2018, sdist only, no licence declared and no LICENSE file shipped):
  has an exact bisection inverse, but computes the offset with the WGS-84 semi-major axis
  instead of the Krasovsky one the reference algorithm uses, and mixes tabs and spaces.
- ``coord-convert`` 0.2.1 (2019): pulls in fiona (GDAL), click and tqdm for ~100 lines of
  arithmetic; (lon, lat) order; an uncapped ``while`` loop in its inverse.
- ``pyproj``: PROJ has no GCJ-02 or BD-09 transformation.

The GCJ-02 offset is the publicly documented polynomial-plus-sines formula on the Krasovsky
ellipsoid, applied only inside the rectangle the reference algorithm uses for China
(72.004–137.8347°E, 0.8293–55.8271°N; note it also covers parts of neighbouring countries);
outside it points are returned unchanged, for GCJ-02 and BD-09 alike (as eviltransform does;
whether Baidu shifts foreign points is not something we rely on).
BD-09 is GCJ-02 plus the widely circulated Baidu rotation and shift. Both inverses are found by
fixed-point iteration on the forward map (to ~1e-11°, micrometres), not by the one-step
approximation. Everything here is (lat, lon), decimal degrees, pure and free of I/O.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from enum import StrEnum

__all__ = ["Datum", "from_wgs84", "in_china_box", "parse_pasted", "to_wgs84"]

Point = tuple[float, float]


class Datum(StrEnum):
    """A geodetic datum a map app speaks."""

    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"


# Krasovsky 1940 ellipsoid, as used by the GCJ-02 reference algorithm.
_KRASOVSKY_A = 6378245.0
_KRASOVSKY_E2 = 0.00669342162296594323
# Baidu's BD-09 constants: a small rotation/scale by sines of 3000·angle, then a fixed shift.
_BD_K = math.pi * 3000.0 / 180.0
_BD_DLON, _BD_DLAT = 0.0065, 0.006
# The reference algorithm's rectangle for "in China".
_BOX_LON = (72.004, 137.8347)
_BOX_LAT = (0.8293, 55.8271)
# Inverse iteration: stop when the forward map lands within this many degrees (~1 µm).
_INVERSE_TOLERANCE_DEG = 1e-11
_INVERSE_MAX_STEPS = 50
# Ranges used to tell the order of a pasted pair: where a point in mainland China can be.
_CN_LAT = (18.0, 54.0)
_CN_LON = (73.0, 135.0)


def in_china_box(lat: float, lon: float) -> bool:
    """Whether the GCJ-02 offset applies at a point (the reference algorithm's rectangle)."""
    return _BOX_LAT[0] <= lat <= _BOX_LAT[1] and _BOX_LON[0] <= lon <= _BOX_LON[1]


def _offset_lat(x: float, y: float) -> float:
    """The GCJ-02 north offset in metres-like units, for x = lon − 105, y = lat − 35."""
    base = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    waves = (
        20.0 * math.sin(6.0 * math.pi * x) + 20.0 * math.sin(2.0 * math.pi * x)
        + 20.0 * math.sin(math.pi * y) + 40.0 * math.sin(math.pi * y / 3.0)
        + 160.0 * math.sin(math.pi * y / 12.0) + 320.0 * math.sin(math.pi * y / 30.0)
    )
    return base + waves * 2.0 / 3.0


def _offset_lon(x: float, y: float) -> float:
    """The GCJ-02 east offset in metres-like units, for x = lon − 105, y = lat − 35."""
    base = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    waves = (
        20.0 * math.sin(6.0 * math.pi * x) + 20.0 * math.sin(2.0 * math.pi * x)
        + 20.0 * math.sin(math.pi * x) + 40.0 * math.sin(math.pi * x / 3.0)
        + 150.0 * math.sin(math.pi * x / 12.0) + 300.0 * math.sin(math.pi * x / 30.0)
    )
    return base + waves * 2.0 / 3.0


def _wgs_to_gcj(lat: float, lon: float) -> Point:
    """WGS-84 → GCJ-02 (the forward offset; identity outside the China rectangle)."""
    if not in_china_box(lat, lon):
        return lat, lon
    x, y = lon - 105.0, lat - 35.0
    phi = math.radians(lat)
    w = 1.0 - _KRASOVSKY_E2 * math.sin(phi) ** 2
    meridian_radius = _KRASOVSKY_A * (1.0 - _KRASOVSKY_E2) / (w * math.sqrt(w))
    parallel_radius = _KRASOVSKY_A / math.sqrt(w) * math.cos(phi)
    dlat = math.degrees(_offset_lat(x, y) / meridian_radius)
    dlon = math.degrees(_offset_lon(x, y) / parallel_radius)
    return lat + dlat, lon + dlon


def _gcj_to_bd(lat: float, lon: float) -> Point:
    """GCJ-02 → BD-09 (Baidu's closed-form forward step)."""
    r = math.hypot(lon, lat) + 0.00002 * math.sin(lat * _BD_K)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _BD_K)
    return r * math.sin(theta) + _BD_DLAT, r * math.cos(theta) + _BD_DLON


def _wgs_to_bd(lat: float, lon: float) -> Point:
    """WGS-84 → BD-09 (identity outside the China rectangle)."""
    if not in_china_box(lat, lon):
        return lat, lon
    return _gcj_to_bd(*_wgs_to_gcj(lat, lon))


def _invert(forward: Callable[[float, float], Point], lat: float, lon: float) -> Point:
    """The WGS-84 point that `forward` maps onto (lat, lon), by fixed-point iteration."""
    wlat, wlon = lat, lon
    for _ in range(_INVERSE_MAX_STEPS):
        flat, flon = forward(wlat, wlon)
        elat, elon = flat - lat, flon - lon
        if abs(elat) < _INVERSE_TOLERANCE_DEG and abs(elon) < _INVERSE_TOLERANCE_DEG:
            break
        wlat, wlon = wlat - elat, wlon - elon
    return wlat, wlon


_FORWARD: dict[Datum, Callable[[float, float], Point]] = {
    Datum.WGS84: lambda lat, lon: (lat, lon),
    Datum.GCJ02: _wgs_to_gcj,
    Datum.BD09: _wgs_to_bd,
}


def _checked(lat: float, lon: float, datum: Datum | str) -> tuple[float, float, Datum]:
    """Validate a point and a datum name, or raise ValueError/TypeError with a message key."""
    for value in (lat, lon):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError("coords.not_a_number")
        if not math.isfinite(value):
            raise ValueError("coords.not_finite")
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise ValueError("coords.out_of_range")
    try:
        return float(lat), float(lon), Datum(datum)
    except ValueError:
        raise ValueError("coords.unknown_datum") from None


def from_wgs84(lat: float, lon: float, datum: Datum | str) -> Point:
    """A stored WGS-84 point as the given datum's map app expects it, as (lat, lon)."""
    lat, lon, datum = _checked(lat, lon, datum)
    return _FORWARD[datum](lat, lon)


def to_wgs84(lat: float, lon: float, datum: Datum | str) -> Point:
    """A point in the given datum converted to WGS-84 for storage, as (lat, lon)."""
    lat, lon, datum = _checked(lat, lon, datum)
    if datum is Datum.WGS84:
        return lat, lon
    return _invert(_FORWARD[datum], lat, lon)


_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_PAIR = re.compile(rf"^[(\[]?\s*({_NUMBER})\s*(?:[,;、]\s*|\s+)({_NUMBER})\s*[)\]]?$")


def _within(value: float, bounds: tuple[float, float]) -> bool:
    """Whether a value lies in a closed range."""
    return bounds[0] <= value <= bounds[1]


def parse_pasted(text: str) -> Point:
    """(lat, lon) from a pair pasted out of a map app, in either order; ValueError(key) if not."""
    if not isinstance(text, str):
        raise TypeError("coords.unparseable")
    # NFKC folds full-width digits, '，', '．', '；' and the ideographic space to ASCII.
    normal = unicodedata.normalize("NFKC", text).strip()
    match = _PAIR.fullmatch(normal)
    if match is None:
        raise ValueError("coords.unparseable")
    first, second = float(match.group(1)), float(match.group(2))
    lat_first = _within(first, _CN_LAT) and _within(second, _CN_LON)
    lon_first = _within(first, _CN_LON) and _within(second, _CN_LAT)
    # The two ranges are disjoint, so at most one order fits; if neither does, refuse.
    if lat_first:
        return first, second
    if lon_first:
        return second, first
    raise ValueError("coords.outside_china")
