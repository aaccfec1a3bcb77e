"""The deployment check behind `python -m nightwatch check-config`: reads the real settings, asks the pure rules."""
from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from db.session import PROJECT_ROOT
from nightwatch import deployment
from nightwatch.config import Settings
from nightwatch.deployment import Problem
from nightwatch.services import accounts
from nightwatch.services.setup import Store

SQLITE_PRAGMAS = ("journal_mode", "foreign_keys", "busy_timeout", "secure_delete")


def deployment_problems(store: Store, *, root: Path = PROJECT_ROOT, home: Path | None = None,
                        env: Mapping[str, str] | None = None) -> list[Problem]:
    """What makes this deployment unsafe, as (catalog key, values) pairs; empty when it is fine."""
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    config = _toml(home / ".streamlit" / "config.toml") | _toml(root / ".streamlit" / "config.toml")
    secrets = _toml(home / ".streamlit" / "secrets.toml") | _toml(root / ".streamlit" / "secrets.toml")
    streamlit = deployment.effective_streamlit_config(config, env)
    problems: list[Problem] = [(key, {}) for key in deployment.streamlit_problems(streamlit)]
    problems += deployment.secrets_problems(secrets)
    problems += deployment.database_password_problems(store.backend, make_url(store.url).password)
    problems += deployment.engine_problems(bool(store.engine.hide_parameters))
    if store.backend == "sqlite":
        problems += deployment.sqlite_problems(sqlite_pragmas(store.engine))
    problems += deployment.webhook_problems(Settings.from_env(env).webhook_url)
    if not store.wants_demo:
        demo = accounts.active_demo_logins(session_factory=store.session_factory)
        if demo:
            problems.append(("check.demo_accounts", {"logins": ", ".join(demo)}))
    return problems


def sqlite_pragmas(engine: Engine) -> dict[str, Any]:
    """The settings a connection of this engine really has, as SQLite reports them."""
    with engine.connect() as connection:
        return {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar() for name in SQLITE_PRAGMAS}


def _toml(path: Path) -> dict[str, Any]:
    """A TOML file's contents, or nothing when it does not exist."""
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
