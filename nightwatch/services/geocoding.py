"""Finding an address: the offline gazetteer, then the cache, then a configured online geocoder.

Nothing here needs the network unless an operator sets NIGHTWATCH_GEOCODER; a failed
lookup raises GeocodeFailed and writes nothing.
"""
from __future__ import annotations

import logging
import math
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import BaiduV3, Nominatim
from sqlalchemy import null, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from db.models import Checkpoint, District, DutyPost, GeocodeCache, Place, Shop
from nightwatch.config import Settings
from nightwatch.coords import to_wgs84
from nightwatch.gazetteer import Named, best_match, normalise
from nightwatch.text import clean_text

MAX_QUERY = 200  # the cache's query column
PROVIDERS = ("nominatim", "baidu")
TIMEOUT_S = 5.0
_LIMITERS: dict[tuple[str, float], RateLimiter] = {}
_LIMITERS_LOCK = threading.Lock()
_API_KEY = re.compile(r"(?<=[?&]ak=)[^&\s]+")


class _HideKeys(logging.Filter):
    """Blanks Baidu's API key in log lines that quote whole request URLs (geopy's, urllib3's retries)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "ak=" in message:
            record.msg, record.args = _API_KEY.sub("***", message), ()
        return True


for _name in ("geopy", "urllib3.connectionpool", "urllib3.poolmanager", "urllib3.util.retry"):
    logging.getLogger(_name).addFilter(_HideKeys())


@dataclass(frozen=True)
class Found:
    """Where an address is, in WGS-84, with what was matched and who answered."""

    lat: float
    lon: float
    label: str  # what was matched, to show the user
    source: str  # "gazetteer" | "cache" | "nominatim" | "baidu"


class GeocodeFailed(Exception):
    """A lookup found nothing usable; the message is a catalog key, `values` fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def locate(
    *, session_factory: sessionmaker, query: str, district_id: int | None = None,
    settings: Settings | None = None, geocoder: Any = None,
) -> Found:
    """Where a typed name or address is: our own places first, then the cache, then the configured geocoder.

    With a district, its places come first and the online query names its city. `geocoder`
    replaces the geopy geocoder built from the settings (tests point one at a local server);
    it is asked only when the settings name a provider.
    """
    text = _checked(query)
    settings = settings or Settings.from_env()
    provider = settings.geocoder if settings.geocoder in PROVIDERS else None
    with session_factory() as session:
        match = best_match(text, _known_places(session), district_id)
        if match is not None:
            return Found(match.lat, match.lon, match.name, "gazetteer")
        asked = _online_query(text, _city(session, district_id))
        cached = _cached(session, asked, provider)
    if cached is not None:
        return cached
    if provider is None:
        raise GeocodeFailed("geocode.not_found", query=text)
    found = _ask(provider, geocoder or _geocoder_for(settings), asked, settings.geocoder_min_delay_s)
    _remember(session_factory, provider, asked, found)
    return found


def _checked(query: str) -> str:
    """The normalised query, or GeocodeFailed when it is blank or too long."""
    text = normalise(clean_text(query))  # a lone surrogate or NUL would break the cache key and the lookup
    if not text:
        raise GeocodeFailed("geocode.empty")
    if len(text) > MAX_QUERY:
        raise GeocodeFailed("geocode.too_long", limit=MAX_QUERY)
    return text


def _known_places(session: Session) -> list[Named]:
    """Every located place, duty post, checkpoint and shop, as gazetteer entries."""
    named: list[Named] = []
    for model in (Place, Shop, DutyPost, Checkpoint):
        address = getattr(model, "address", null())  # posts and checkpoints have no address
        rows = session.execute(
            select(model.name, model.lat, model.lon, model.district_id, address)
            .where(model.lat.is_not(None), model.lon.is_not(None))
            .order_by(model.id)
        )
        named += [Named(name, lat, lon, addr, district) for name, lat, lon, district, addr in rows]
    return named


def _city(session: Session, district_id: int | None) -> str | None:
    """The city a district lies in, or None."""
    if district_id is None:
        return None
    return session.scalar(select(District.city).where(District.id == district_id))


def _online_query(text: str, city: str | None) -> str:
    """What the geocoder is asked: the query, prefixed with the district's city unless it names it."""
    if not city or city in text or len(city) + 1 + len(text) > MAX_QUERY:
        return text
    return f"{city} {text}"


def _cached(session: Session, asked: str, provider: str | None) -> Found | None:
    """An earlier answer to the same query, the configured provider's first."""
    rows = session.scalars(select(GeocodeCache).where(GeocodeCache.query == asked)).all()
    rows = sorted(rows, key=lambda row: (row.provider != provider, row.id))
    return Found(rows[0].lat, rows[0].lon, rows[0].label, "cache") if rows else None


def _remember(session_factory: sessionmaker, provider: str, asked: str, found: Found) -> None:
    """Keep an answer so the same question never goes out again."""
    try:
        with session_factory.begin() as session:
            session.add(GeocodeCache(provider=provider, query=asked, lat=found.lat, lon=found.lon,
                                     label=found.label[:MAX_QUERY]))
    except IntegrityError:
        pass  # a concurrent lookup cached the same query first; its answer is as good


@lru_cache(maxsize=8)
def _geocoder_for(settings: Settings) -> Any:
    """The geopy geocoder the settings describe, made once and reused."""
    if settings.geocoder == "baidu":
        if not settings.geocoder_key:
            raise GeocodeFailed("geocode.unavailable")
        return BaiduV3(api_key=settings.geocoder_key, timeout=TIMEOUT_S, user_agent=settings.geocoder_user_agent)
    domain, scheme = settings.geocoder_domain, None
    if domain and "://" in domain:
        scheme, domain = domain.split("://", 1)
    options: dict[str, Any] = {"domain": domain.rstrip("/")} if domain else {}
    return Nominatim(user_agent=settings.geocoder_user_agent, scheme=scheme, timeout=TIMEOUT_S, **options)


def _limiter(provider: str, min_delay_s: float) -> RateLimiter:
    """One rate limiter per provider for the whole process, so all users together keep its pace."""
    with _LIMITERS_LOCK:
        key = (provider, min_delay_s)
        if key not in _LIMITERS:
            _LIMITERS[key] = RateLimiter(
                lambda geocoder, text: geocoder.geocode(text, exactly_one=True),
                min_delay_seconds=min_delay_s, error_wait_seconds=min_delay_s,
                max_retries=0, swallow_exceptions=False,
            )
        return _LIMITERS[key]


def _ask(provider: str, geocoder: Any, asked: str, min_delay_s: float) -> Found:
    """The geocoder's answer as a WGS-84 Found, or GeocodeFailed."""
    # `from None` throughout: geopy's messages can quote the request URL, and Baidu's carries the key.
    try:
        location = _limiter(provider, min_delay_s)(geocoder, asked)
    except GeopyError:
        raise GeocodeFailed("geocode.unavailable") from None
    except (ValueError, TypeError, KeyError):
        # geopy builds its Point while parsing, so an impossible latitude surfaces here.
        raise GeocodeFailed("geocode.outside") from None
    if location is None:
        raise GeocodeFailed("geocode.no_result", query=asked)
    return as_found(provider, location.latitude, location.longitude, location.address, asked)


def as_found(provider: str, lat: Any, lon: Any, label: str | None, asked: str) -> Found:
    """A provider's point as WGS-84, or GeocodeFailed("geocode.outside") when it is no real place."""
    if not _plausible(lat, lon):
        raise GeocodeFailed("geocode.outside")
    lat, lon = float(lat), float(lon)
    if provider == "baidu":
        # geopy's BaiduV3 sends no ret_coordtype, so Baidu answers in its default bd09ll (BD-09);
        # its `level` field ("门址", "道路") is no address, so the label is what we asked.
        lat, lon = to_wgs84(lat, lon, "bd09")
        label = asked
    return Found(lat, lon, (label or asked)[:MAX_QUERY], provider)


def _plausible(lat: Any, lon: Any) -> bool:
    """Whether a pair is a finite point on Earth other than 0,0 (what some services send for 'nothing')."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return False
    finite = math.isfinite(lat) and math.isfinite(lon)
    return finite and -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0.0, 0.0)
