"""Finding an address: offline by default, a configured geocoder (a real local HTTP server here) only when set."""
from __future__ import annotations

import json
import logging
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from geopy.geocoders import BaiduV3, Nominatim
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from db.models import District, GeocodeCache, Place
from db.session import make_engine, make_session_factory
from nightwatch.config import Settings
from nightwatch.coords import from_wgs84
from nightwatch.i18n import t
from nightwatch.services.geocoding import Found, GeocodeFailed, locate
from nightwatch.vocab import PlaceKind

OFFLINE = Settings(database_url=None, demo=None, language=None)
SECRET = "ak-must-never-show-0123456789"


@dataclass
class Service:
    """A tiny geocoding service on 127.0.0.1: answers `reply` and remembers every request."""

    url: str
    reply: tuple[int, Any] = (200, [])
    requests: list[tuple[float, str, dict[str, list[str]]]] = field(default_factory=list)

    def settings(self, provider: str = "nominatim", **values: Any) -> Settings:
        """Settings that send lookups to this service."""
        values.setdefault("geocoder_min_delay_s", 0.001)
        return Settings(None, None, None, geocoder=provider, geocoder_domain=self.url, **values)

    def asked(self, name: str) -> list[str]:
        """The values of one query parameter, request by request."""
        return [params[name][0] for _, _, params in self.requests]


@pytest.fixture
def service() -> Iterator[Service]:
    """A running local service; stopped after the test."""
    holder: list[Service] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state = holder[0]
            url = urlsplit(self.path)
            state.requests.append((time.monotonic(), url.path, parse_qs(url.query)))
            status, body = state.reply
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder.append(Service(url=f"http://127.0.0.1:{server.server_port}"))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield holder[0]
    server.shutdown()
    server.server_close()


class LocalBaidu(BaiduV3):
    """geopy's own BaiduV3, parsing and all, sent to the local service (its host is fixed in geopy)."""

    def __init__(self, url: str) -> None:
        super().__init__(api_key=SECRET, timeout=5)
        self.api = f"{url}{self.api_path}"


def nominatim_place(lat: float, lon: float, name: str) -> list[dict[str, Any]]:
    """A Nominatim /search answer with one place."""
    return [{"lat": str(lat), "lon": str(lon), "display_name": name, "place_id": 1}]


@pytest.fixture
def guilin(session_factory: sessionmaker) -> int:
    """A district in 桂林 with one known place; its id."""
    with session_factory.begin() as session:
        district = District(name="东西巷", city="桂林")
        session.add(district)
        session.flush()
        session.add(Place(district_id=district.id, name="正阳步行街", kind=PlaceKind.COMMERCIAL,
                          address="桂林市秀峰区正阳路", lat=25.2830, lon=110.2950))
        return district.id


def cached_rows(session_factory: sessionmaker) -> int:
    """How many answers the cache holds."""
    with session_factory() as session:
        return session.scalar(select(func.count()).select_from(GeocodeCache))


def refusal(call: Any) -> GeocodeFailed:
    """The GeocodeFailed a call raises."""
    with pytest.raises(GeocodeFailed) as caught:
        call()
    return caught.value


def test_a_seeded_place_is_found_offline(seeded_sqlite_url):
    engine = make_engine(seeded_sqlite_url)
    factory = make_session_factory(engine)
    try:
        found = locate(session_factory=factory, query=" 听海路　夜市 ", settings=OFFLINE)
        assert (found.label, found.source) == ("听海路夜市", "gazetteer")
        assert found.lat == pytest.approx(31.512, abs=0.01) and found.lon == pytest.approx(121.293, abs=0.01)
        assert locate(session_factory=factory, query="东西巷", settings=OFFLINE).label == "东西巷"
        assert cached_rows(factory) == 0
    finally:
        engine.dispose()


def test_offline_an_unknown_address_is_not_found_and_nothing_is_written(session_factory, guilin, service):
    geocoder = Nominatim(domain=service.url.removeprefix("http://"), scheme="http", user_agent="test")
    failed = refusal(lambda: locate(session_factory=session_factory, query="火星路 1 号", district_id=guilin,
                                    settings=OFFLINE, geocoder=geocoder))
    assert failed.key == "geocode.not_found"
    assert "坐标" in t(failed.key, **failed.values) and "coordinates" in t(failed.key, "en", **failed.values)
    assert service.requests == []  # a geocoder handed in is still not asked while the settings say offline
    assert cached_rows(session_factory) == 0


def test_a_known_place_is_answered_offline_even_with_a_geocoder_configured(session_factory, guilin, service):
    found = locate(session_factory=session_factory, query="正阳路", district_id=guilin, settings=service.settings())
    assert found == Found(25.2830, 110.2950, "正阳步行街", "gazetteer")
    assert service.requests == []


def test_nominatim_answers_once_then_the_cache_does(session_factory, guilin, service):
    service.reply = (200, nominatim_place(25.2741, 110.2906, "中山中路, 秀峰区, 桂林市, 广西, 中国"))
    settings = service.settings()

    first = locate(session_factory=session_factory, query="中山中路", district_id=guilin, settings=settings)
    again = locate(session_factory=session_factory, query=" 中山中路 ", district_id=guilin, settings=settings)

    assert first == Found(25.2741, 110.2906, "中山中路, 秀峰区, 桂林市, 广西, 中国", "nominatim")
    assert again == Found(25.2741, 110.2906, first.label, "cache")
    assert len(service.requests) == 1
    assert service.requests[0][1] == "/search"
    assert service.asked("q") == ["桂林 中山中路"]  # the district's city narrows the search
    assert cached_rows(session_factory) == 1


@pytest.mark.parametrize("status", [500, 503, 429, 403])
def test_a_failing_geocoder_is_unavailable_and_nothing_is_cached(session_factory, guilin, service, status):
    service.reply = (status, {"error": "nope"})
    failed = refusal(lambda: locate(session_factory=session_factory, query="中山中路", settings=service.settings()))
    assert failed.key == "geocode.unavailable"
    assert len(service.requests) == 1  # no retries hammering a struggling service
    assert cached_rows(session_factory) == 0


def test_an_unreachable_geocoder_is_unavailable(session_factory, service):
    settings = Settings(None, None, None, geocoder="nominatim", geocoder_domain="http://127.0.0.1:9")
    failed = refusal(lambda: locate(session_factory=session_factory, query="中山中路", settings=settings))
    assert failed.key == "geocode.unavailable"
    assert cached_rows(session_factory) == 0


@pytest.mark.parametrize("reply, key", [
    ([], "geocode.no_result"),
    pytest.param(nominatim_place(95.0, 110.0, "past the pole"), "geocode.outside",
                 marks=pytest.mark.filterwarnings("ignore:Latitude normalization")),
    (nominatim_place(0.0, 0.0, "null island"), "geocode.outside"),
])
def test_an_empty_or_impossible_answer_is_refused_and_nothing_is_cached(session_factory, service, reply, key):
    service.reply = (200, reply)
    failed = refusal(lambda: locate(session_factory=session_factory, query="某某路", settings=service.settings()))
    assert failed.key == key
    assert cached_rows(session_factory) == 0


@pytest.mark.parametrize("query, key", [("", "geocode.empty"), ("　 \t", "geocode.empty"), ("路" * 201, "geocode.too_long")])
def test_a_blank_or_overlong_query_is_refused_without_asking_anyone(session_factory, service, query, key):
    failed = refusal(lambda: locate(session_factory=session_factory, query=query, settings=service.settings()))
    assert failed.key == key and t(key, **failed.values)
    assert service.requests == [] and cached_rows(session_factory) == 0


def test_lookups_keep_the_configured_pace(session_factory, service):
    service.reply = (200, nominatim_place(25.27, 110.29, "somewhere"))
    settings = service.settings(geocoder_min_delay_s=0.4)
    locate(session_factory=session_factory, query="甲路", settings=settings)
    locate(session_factory=session_factory, query="乙路", settings=settings)
    (first, *_), (second, *_) = service.requests
    assert second - first >= 0.35


def test_baidu_answers_in_bd09_and_the_point_is_stored_as_wgs84(session_factory, service, caplog):
    caplog.set_level(logging.DEBUG)
    wgs = (25.2741, 110.2906)
    bd_lat, bd_lon = from_wgs84(*wgs, "bd09")
    service.reply = (200, {"status": 0, "result": {"location": {"lat": bd_lat, "lng": bd_lon}, "level": "道路"}})
    settings = service.settings("baidu", geocoder_key=SECRET)

    found = locate(session_factory=session_factory, query="中山中路", settings=settings,
                   geocoder=LocalBaidu(service.url))
    cached = locate(session_factory=session_factory, query="中山中路", settings=settings,
                    geocoder=LocalBaidu(service.url))

    assert (found.lat, found.lon) == pytest.approx(wgs, abs=1e-6)
    assert (found.source, found.label) == ("baidu", "中山中路")
    assert (cached.lat, cached.lon, cached.source) == (found.lat, found.lon, "cache")
    assert service.requests[0][1] == "/geocoding/v3/" and len(service.requests) == 1
    assert service.asked("ak") == [SECRET] and SECRET not in caplog.text


def test_a_refused_baidu_key_is_unavailable_and_nothing_is_cached(session_factory, service):
    service.reply = (200, {"status": 200, "message": "APP不存在，AK有误请检查再重试"})
    settings = service.settings("baidu", geocoder_key=SECRET)
    failed = refusal(lambda: locate(session_factory=session_factory, query="中山中路", settings=settings,
                                    geocoder=LocalBaidu(service.url)))
    assert failed.key == "geocode.unavailable"
    assert cached_rows(session_factory) == 0


def test_the_baidu_key_never_shows_in_errors_or_logs(session_factory, caplog):
    caplog.set_level(logging.DEBUG)
    settings = Settings(None, None, None, geocoder="baidu", geocoder_key=SECRET)
    # Nothing listens on port 9: requests' error quotes the whole URL, key included.
    failed = refusal(lambda: locate(session_factory=session_factory, query="中山中路", settings=settings,
                                    geocoder=LocalBaidu("http://127.0.0.1:9")))
    assert failed.key == "geocode.unavailable"
    assert SECRET not in "".join(traceback.format_exception(failed)) + repr(failed.values)
    assert caplog.records and SECRET not in caplog.text


def test_baidu_without_a_key_is_unavailable_without_asking(session_factory):
    settings = Settings(None, None, None, geocoder="baidu")
    failed = refusal(lambda: locate(session_factory=session_factory, query="中山中路", settings=settings))
    assert failed.key == "geocode.unavailable"
