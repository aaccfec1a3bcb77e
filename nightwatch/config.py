"""Settings read from the environment, in one place. Pure: takes a mapping, returns values."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

_TRUTH = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def _text(env: Mapping[str, str], name: str) -> str | None:
    """A stripped variable, or None when unset or blank."""
    return env.get(name, "").strip() or None


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    """A positive number from a variable, or the default when unset or unusable."""
    try:
        value = float(env.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class Settings:
    """What an operator configures; see the README's configuration table."""

    database_url: str | None
    demo: bool | None
    language: str | None
    # Basemap: a MapLibre style URL, or an XYZ raster tile template, and the datum its tiles use.
    map_style: str | None = None
    map_tiles: str | None = None
    map_datum: str = "wgs84"
    # Geocoder past the offline gazetteer: "nominatim" or "baidu"; None keeps lookups offline.
    geocoder: str | None = None
    geocoder_key: str | None = None
    geocoder_domain: str | None = None
    geocoder_user_agent: str = "nightwatch"
    geocoder_min_delay_s: float = 1.0
    # Outbound notices (dispatches, escalations, reminders) to a group robot: off unless a URL is set.
    webhook_url: str | None = None
    webhook_kind: str = "json"  # "wecom", "dingtalk", "feishu" or plain "json"
    # Where tip photos are kept (EXIF stripped); relative paths are under the project.
    upload_dir: str = "data/uploads"
    # Check-ins: a phone farther than this from the point is flagged for the coordinator (not refused).
    checkin_radius_m: float = 150.0
    # Public heatmap: cells with fewer check-ins than this are hidden, so nobody can be followed.
    heatmap_min_count: int = 5
    # Retention (PIPL): tips and check-ins older than this many days are anonymised by `purge`.
    retention_days: int = 365

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from environment variables (NIGHTWATCH_*)."""
        env = os.environ if env is None else env
        return cls(
            database_url=_text(env, "NIGHTWATCH_DATABASE_URL"),
            demo=_TRUTH.get(env.get("NIGHTWATCH_DEMO", "").strip().lower()),
            language=_text(env, "NIGHTWATCH_LANG"),
            map_style=_text(env, "NIGHTWATCH_MAP_STYLE"),
            map_tiles=_text(env, "NIGHTWATCH_MAP_TILES"),
            map_datum=(_text(env, "NIGHTWATCH_MAP_DATUM") or "wgs84").lower(),
            geocoder=(_text(env, "NIGHTWATCH_GEOCODER") or "").lower() or None,
            geocoder_key=_text(env, "NIGHTWATCH_GEOCODER_KEY"),
            geocoder_domain=_text(env, "NIGHTWATCH_GEOCODER_DOMAIN"),
            geocoder_user_agent=_text(env, "NIGHTWATCH_GEOCODER_USER_AGENT") or "nightwatch",
            geocoder_min_delay_s=_number(env, "NIGHTWATCH_GEOCODER_MIN_DELAY", 1.0),
            webhook_url=_text(env, "NIGHTWATCH_WEBHOOK_URL"),
            webhook_kind=(_text(env, "NIGHTWATCH_WEBHOOK_KIND") or "json").lower(),
            upload_dir=_text(env, "NIGHTWATCH_UPLOAD_DIR") or "data/uploads",
            checkin_radius_m=_number(env, "NIGHTWATCH_CHECKIN_RADIUS_M", 150.0),
            heatmap_min_count=max(2, round(_number(env, "NIGHTWATCH_HEATMAP_MIN_COUNT", 5))),
            retention_days=max(1, round(_number(env, "NIGHTWATCH_RETENTION_DAYS", 365))),
        )
