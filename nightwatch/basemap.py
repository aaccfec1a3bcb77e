"""The basemap under the situation map: none (offline), a MapLibre style, or raster tiles. Pure.

With no basemap configured the map draws our layers only and needs no network.
Chinese tile providers (AMap/高德, Tencent) draw their streets in GCJ-02, about 500 m from
WGS-84 in places; `datum` says which one the tiles use, and every point we draw is shifted
into it on the way out (we store WGS-84 only).
"""
from __future__ import annotations

from dataclasses import dataclass

from nightwatch.config import Settings
from nightwatch.coords import Datum, from_wgs84

# Served by the app (see nightwatch.ui.routes) when raster tiles are configured.
STYLE_PATH = "/map/style.json"


@dataclass(frozen=True)
class Basemap:
    """What the map draws underneath, and the datum its streets are in."""

    style: str | None = None
    tiles: str | None = None
    datum: Datum = Datum.WGS84

    @property
    def offline(self) -> bool:
        """True when nothing is fetched from a tile server."""
        return self.style is None

    def project(self, lat: float, lon: float) -> list[float]:
        """A stored WGS-84 point as [lon, lat] in the basemap's datum, the order deck.gl reads."""
        lat2, lon2 = from_wgs84(lat, lon, self.datum) if self.datum is not Datum.WGS84 else (lat, lon)
        return [round(lon2, 7), round(lat2, 7)]


def basemap_from(settings: Settings) -> Basemap:
    """The configured basemap: raster tiles win over a style URL; neither means offline."""
    try:
        datum = Datum(settings.map_datum)
    except ValueError:
        datum = Datum.WGS84
    if settings.map_tiles:
        return Basemap(style=STYLE_PATH, tiles=settings.map_tiles, datum=datum)
    if settings.map_style:
        return Basemap(style=settings.map_style, datum=datum)
    return Basemap()


def raster_style(tiles: str, attribution: str = "") -> dict:
    """A MapLibre style that draws one XYZ raster tile source (``{s}`` expands to subdomains 1–4)."""
    urls = [tiles.replace("{s}", str(n)) for n in range(1, 5)] if "{s}" in tiles else [tiles]
    return {
        "version": 8,
        "sources": {"basemap": {"type": "raster", "tiles": urls, "tileSize": 256, "attribution": attribution}},
        "layers": [{"id": "basemap", "type": "raster", "source": "basemap"}],
    }
