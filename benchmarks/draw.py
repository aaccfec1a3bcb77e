"""Random draws the city generator shares: seeded streams, apportioning, points, names and phones."""
from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from nightwatch.geo import EARTH_RADIUS_M, cell_of

# A table's rows as columns named like the database's; a list holds JSON documents or other objects.
Table = dict[str, np.ndarray | list]

# Metres per degree of latitude, as nightwatch.geo.offset_point reckons it.
METRES_PER_DEGREE = 111_320.0
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力斌宇浩凯健俊帆鑫鹏志晨欣怡婷雪琳")
MOBILE_PREFIXES = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                   "157", "158", "159", "176", "177", "180", "186", "187", "188", "189", "199"]
# Multiplier of the phone-number bijection on 0..10^8-1: odd and not a multiple of 5, so coprime to 10^8.
PHONE_STRIDE = 73_681_249


def stream(seed: int, stage: str) -> np.random.Generator:
    """An independent generator per stage, so changing one stage leaves the others' draws alone."""
    return np.random.default_rng([seed, zlib.crc32(stage.encode())])


def apportion(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """Whole counts summing to total, proportional to weights after each bucket gets the minimum."""
    weights = np.asarray(weights, dtype=float)
    spare = total - minimum * len(weights)
    if spare < 0:
        raise ValueError(f"{total} cannot give {minimum} to each of {len(weights)} buckets")
    share = spare * weights / weights.sum()
    counts = np.floor(share).astype(np.int64)
    # Largest remainders get the units left over; a stable sort keeps ties in bucket order.
    leftover = spare - int(counts.sum())
    counts[np.argsort(-(share - counts), kind="stable")[:leftover]] += 1
    return counts + minimum


def starts_of(counts: np.ndarray) -> np.ndarray:
    """Index of each bucket's first row when rows are laid out bucket after bucket."""
    return np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)


def rank_within(groups: np.ndarray) -> np.ndarray:
    """Position of each row within its run of equal, adjacent group values (0, 1, 2 …)."""
    index = np.arange(len(groups))
    new_run = np.ones(len(groups), dtype=bool)
    new_run[1:] = groups[1:] != groups[:-1]
    return index - np.maximum.accumulate(np.where(new_run, index, 0))


def table(**columns: Any) -> Table:
    """Columns of equal length; a scalar is repeated down its column."""
    n = next(len(v) for v in columns.values() if isinstance(v, (np.ndarray, list)))
    return {name: value if isinstance(value, (np.ndarray, list)) else np.full(n, value, dtype=_dtype(value))
            for name, value in columns.items()}


def _dtype(value: Any) -> Any:
    return object if isinstance(value, str) or value is None else None


def take(rows: Table, index: np.ndarray) -> Table:
    """The rows at the given positions (or where a mask holds), in that order."""
    return {name: column[index] for name, column in rows.items()}


def ids(rows: np.ndarray) -> np.ndarray:
    """Row ids (1-based) for row indices (0-based), None where the index is negative."""
    rows = np.asarray(rows)
    return np.where(rows >= 0, rows + 1, None)


def offset(lat: np.ndarray, lon: np.ndarray, north_m: np.ndarray,
           east_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points a given number of metres north and east of others (nightwatch.geo.offset_point, vectorised)."""
    return lat + north_m / METRES_PER_DEGREE, lon + east_m / (METRES_PER_DEGREE * np.cos(np.radians(lat)))


def haversine(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distances in metres (nightwatch.geo.haversine_m, vectorised)."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def cells(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """The H3 cell of each point; one call per point, so keep it to places, not check-ins."""
    return np.array([cell_of(a, b) for a, b in zip(lat.tolist(), lon.tolist())], dtype=object)


def names(rng: np.random.Generator, n: int) -> np.ndarray:
    """Chinese personal names: a surname and one or two given characters."""
    surname = rng.integers(0, len(SURNAMES), n)
    first = rng.integers(0, len(GIVEN), n)
    second = np.where(rng.random(n) < 0.6, rng.integers(0, len(GIVEN), n), -1)
    return np.array(
        [SURNAMES[s] + GIVEN[f] + (GIVEN[g] if g >= 0 else "")
         for s, f, g in zip(surname.tolist(), first.tolist(), second.tolist())],
        dtype=object,
    )


def phones(rng: np.random.Generator, first: int, n: int) -> np.ndarray:
    """Mainland mobile numbers for rows first … first+n-1; distinct because the last eight digits are."""
    prefix = rng.integers(0, len(MOBILE_PREFIXES), n)
    start = int(rng.integers(0, 10**8))
    suffix = (np.arange(first, first + n, dtype=np.int64) * PHONE_STRIDE + start) % 10**8
    numbers = [f"{MOBILE_PREFIXES[p]}{s:08d}" for p, s in zip(prefix.tolist(), suffix.tolist())]
    return np.array(numbers, dtype=object)


def choose(rng: np.random.Generator, values: Sequence[str], weights: list[float], n: int) -> np.ndarray:
    """n values drawn with the given relative weights, as plain strings (vocabulary values stay comparable)."""
    p = np.asarray(weights, dtype=float)
    return np.array([str(v) for v in values], dtype=object)[rng.choice(len(values), size=n, p=p / p.sum())]
