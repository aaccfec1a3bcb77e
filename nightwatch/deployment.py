"""Is this a safe deployment? Pure checks of settings; each problem is a catalog key (and its values)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Above this, an upload is no photo or roster file we expect, in megabytes.
MAX_UPLOAD_MB = 20
# SQLite waits at least this long for another writer before "database is locked", in milliseconds.
MIN_BUSY_TIMEOUT_MS = 5_000
MIN_SECRET_LENGTH = 32
MIN_DATABASE_PASSWORD_LENGTH = 12
# Secrets copied from examples (ours and the usual ones): anyone who read the docs knows them.
EXAMPLE_SECRETS = frozenset({
    "secret", "password", "passw0rd", "changeme", "change-me", "change_me", "example", "test", "admin", "postgres",
    "nightwatch", "nightwatch-demo", "xxx", "your-secret", "your_secret", "cookie_secret", "my-secret", "123456",
    "12345678", "qwerty",
})
# Streamlit reads STREAMLIT_<SECTION>_<OPTION> variables over config.toml: the options we check.
ENV_OPTIONS = {
    "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS": ("client", "showErrorDetails"),
    "STREAMLIT_CLIENT_TOOLBAR_MODE": ("client", "toolbarMode"),
    "STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION": ("server", "enableXsrfProtection"),
    "STREAMLIT_SERVER_MAX_UPLOAD_SIZE": ("server", "maxUploadSize"),
}
Problem = tuple[str, dict[str, object]]


def effective_streamlit_config(config: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """config.toml's sections with any STREAMLIT_* variable for a checked option laid over them."""
    merged = {section: dict(values) for section, values in config.items() if isinstance(values, Mapping)}
    for variable, (section, option) in ENV_OPTIONS.items():
        if variable in env:
            merged.setdefault(section, {})[option] = _typed(env[variable])
    return merged


def _typed(raw: str) -> object:
    """An environment value as Streamlit reads it: true/false, a number, or text."""
    text = raw.strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        return float(text)
    except ValueError:
        return text


def streamlit_problems(config: Mapping[str, Any]) -> list[str]:
    """What in the Streamlit settings would expose visitors: error details, XSRF off, big uploads, dev menu."""
    client, server = config.get("client", {}), config.get("server", {})
    problems = []
    if client.get("showErrorDetails") not in ("none", False):
        problems.append("check.error_details")
    if server.get("enableXsrfProtection") is False:
        problems.append("check.xsrf_off")
    if _number(server.get("maxUploadSize", 200)) > MAX_UPLOAD_MB:
        problems.append("check.upload_limit")
    if client.get("toolbarMode") not in ("viewer", "minimal"):
        problems.append("check.toolbar")
    return problems


def _number(value: object) -> float:
    """A setting as a number; anything unreadable counts as too big."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("inf")


def is_weak_secret(secret: object, min_length: int = MIN_SECRET_LENGTH) -> bool:
    """True for a missing, short, example or one-character-repeated secret."""
    if not isinstance(secret, str):
        return True
    text = secret.strip()
    return len(text) < min_length or text.lower() in EXAMPLE_SECRETS or len(set(text)) < 6


def secrets_problems(secrets: Mapping[str, Any]) -> list[Problem]:
    """Single sign-on's cookie secret (in .streamlit/secrets.toml) must be long, random and not an example."""
    auth = secrets.get("auth")
    if not isinstance(auth, Mapping):
        return []
    if is_weak_secret(auth.get("cookie_secret")):
        return [("check.weak_cookie_secret", {"length": MIN_SECRET_LENGTH})]
    return []


def database_password_problems(backend: str, password: str | None) -> list[Problem]:
    """A server database needs a password that is not an example; the embedded SQLite file has none."""
    if backend == "sqlite":
        return []
    if password is None or is_weak_secret(password, MIN_DATABASE_PASSWORD_LENGTH):
        return [("check.weak_database_password", {"length": MIN_DATABASE_PASSWORD_LENGTH})]
    return []


def sqlite_problems(pragmas: Mapping[str, Any]) -> list[Problem]:
    """A SQLite connection as the app opens it must use WAL, foreign keys, a busy timeout and secure delete."""
    problems: list[Problem] = []
    if str(pragmas.get("journal_mode", "")).lower() != "wal":
        problems.append(("check.sqlite_wal", {"mode": pragmas.get("journal_mode")}))
    if pragmas.get("foreign_keys") != 1:
        problems.append(("check.sqlite_foreign_keys", {}))
    if _number(pragmas.get("busy_timeout", 0)) < MIN_BUSY_TIMEOUT_MS:
        problems.append(("check.sqlite_busy_timeout", {"ms": pragmas.get("busy_timeout"),
                                                       "minimum": MIN_BUSY_TIMEOUT_MS}))
    if pragmas.get("secure_delete") != 1:
        problems.append(("check.sqlite_secure_delete", {}))
    return problems


def engine_problems(hide_parameters: bool) -> list[Problem]:
    """Database errors must never quote the row's values (phones, names) into logs and messages."""
    return [] if hide_parameters else [("check.hide_parameters", {})]


def webhook_problems(url: str | None) -> list[Problem]:
    """A robot URL carries its key: it must travel over HTTPS."""
    if url and not url.lower().startswith("https://"):
        return [("check.webhook_http", {})]
    return []
