"""Settings read from the environment, in one place. Pure: takes a mapping, returns values."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """What an operator configures; see the README's configuration table."""

    database_url: str | None
    demo: bool | None
    language: str | None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from environment variables (NIGHTWATCH_*)."""
        env = os.environ if env is None else env
        demo = env.get("NIGHTWATCH_DEMO", "").strip().lower()
        return cls(
            database_url=env.get("NIGHTWATCH_DATABASE_URL", "").strip() or None,
            demo={"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}.get(demo),
            language=env.get("NIGHTWATCH_LANG", "").strip() or None,
        )
