"""`check-config` refuses an unsafe deployment and names what to set; the shipped settings pass."""
from __future__ import annotations

import secrets
import shutil
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event
from test_cli import ROOT, nightwatch

from db.session import make_session_factory
from nightwatch.i18n import t
from nightwatch.services.deployment_check import deployment_problems
from nightwatch.services.setup import Store, open_store

pytestmark = pytest.mark.reliability
SHIPPED = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))

UNSAFE_CONFIGS = {
    "check.xsrf_off": ("server", "enableXsrfProtection", False),
    "check.error_details": ("client", "showErrorDetails", "full"),
    "check.upload_limit": ("server", "maxUploadSize", 200),
    "check.toolbar": ("client", "toolbarMode", "developer"),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the shipped Streamlit settings, and an empty home folder beside it."""
    (tmp_path / "project" / ".streamlit").mkdir(parents=True)
    shutil.copy(ROOT / ".streamlit" / "config.toml", tmp_path / "project" / ".streamlit" / "config.toml")
    (tmp_path / "home").mkdir()
    return tmp_path / "project"


@pytest.fixture
def store(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The app's own store on a fresh SQLite file, configured for production (no demo)."""
    monkeypatch.setenv("NIGHTWATCH_DEMO", "0")
    opened = open_store(sqlite_url)
    yield opened
    opened.engine.dispose()


def keys(store: Store, project: Path, env: dict[str, str] | None = None) -> list[str]:
    """The problems check-config finds, by catalog key."""
    return [key for key, _ in deployment_problems(store, root=project, home=project.parent / "home", env=env or {})]


def write_toml(path: Path, sections: dict[str, dict[str, object]]) -> None:
    """A small TOML file of sections holding strings, booleans and numbers."""
    def value(item: object) -> str:
        return str(item).lower() if isinstance(item, bool) else f'"{item}"' if isinstance(item, str) else str(item)
    lines = [line for name, options in sections.items()
             for line in [f"[{name}]", *(f"{key} = {value(item)}" for key, item in options.items())]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_shipped_settings_on_the_apps_own_sqlite_pass(store, project, scorecard):
    assert keys(store, project) == []
    scorecard.record("configuration", "problems found in the shipped settings", 0, "0")


@pytest.mark.parametrize("problem", sorted(UNSAFE_CONFIGS))
def test_each_unsafe_streamlit_setting_is_refused(store, project, problem):
    section, option, unsafe = UNSAFE_CONFIGS[problem]
    config = {name: dict(values) for name, values in SHIPPED.items()}
    config[section][option] = unsafe
    write_toml(project / ".streamlit" / "config.toml", config)
    assert keys(store, project) == [problem]


def test_a_streamlit_variable_overriding_the_file_is_caught(store, project):
    env = {"STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION": "false", "STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "500"}
    assert keys(store, project, env) == ["check.xsrf_off", "check.upload_limit"]


@pytest.mark.parametrize("cookie_secret", ["xxx", "changeme", "a" * 64, "nightwatch-demo", "short-but-random-9f3k"])
def test_a_weak_or_example_sign_on_secret_is_refused(store, project, cookie_secret):
    write_toml(project / ".streamlit" / "secrets.toml", {"auth": {"cookie_secret": cookie_secret}})
    assert keys(store, project) == ["check.weak_cookie_secret"]


def test_a_random_sign_on_secret_passes(store, project):
    write_toml(project / ".streamlit" / "secrets.toml", {"auth": {"cookie_secret": secrets.token_urlsafe(48)}})
    assert keys(store, project) == []


def test_a_sqlite_engine_opened_without_the_apps_settings_is_refused_on_every_count(sqlite_url, project, monkeypatch):
    monkeypatch.setenv("NIGHTWATCH_DEMO", "1")  # a bare file: no accounts table to ask about demo logins
    bare = create_engine(sqlite_url.replace(".sqlite3", "-bare.sqlite3"), connect_args={"timeout": 1})
    # Some SQLite builds turn secure_delete on by default: a careless engine may still turn it off.
    event.listen(bare, "connect", lambda connection, _record: connection.execute("PRAGMA secure_delete = OFF"))
    try:
        found = keys(Store(sqlite_url, bare, make_session_factory(bare)), project)
    finally:
        bare.dispose()
    assert found == ["check.hide_parameters", "check.sqlite_wal", "check.sqlite_foreign_keys",
                     "check.sqlite_busy_timeout", "check.sqlite_secure_delete"]


@pytest.mark.parametrize(("password", "refused"), [(None, True), ("secret", True), ("nightwatch", True),
                                                  (secrets.token_urlsafe(18), False)])
def test_a_server_database_needs_a_real_password(postgres, project, monkeypatch, password, refused):
    monkeypatch.setenv("NIGHTWATCH_DEMO", "1")
    url = postgres.url if password is None else postgres.url.replace("@", f":{password}@", 1)
    server = open_store(url)  # the test server trusts local connections, so any password connects
    try:
        assert ("check.weak_database_password" in keys(server, project)) is refused
    finally:
        server.engine.dispose()


def test_a_robot_url_in_clear_text_is_refused(store, project):
    assert keys(store, project, {"NIGHTWATCH_WEBHOOK_URL": "http://oapi.example.cn/robot/send?access_token=k"}) == [
        "check.webhook_http"]


def test_the_command_refuses_an_unsafe_deployment_in_plain_words_and_passes_a_safe_one(sqlite_url, tmp_path, scorecard):
    home = {"HOME": str(tmp_path), "NIGHTWATCH_DEMO": "0"}
    unsafe = nightwatch("check-config", url=sqlite_url, STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION="false", **home)
    assert unsafe.returncode == 1
    assert t("check.xsrf_off") in unsafe.stderr and t("cli.check.failed", count=1) in unsafe.stdout
    safe = nightwatch("check-config", url=sqlite_url, **home)
    assert safe.returncode == 0, safe.stderr
    assert t("cli.check.ok") in safe.stdout
    checks = len(UNSAFE_CONFIGS) + 9  # secrets, database password, engine, four SQLite settings, robot, demo logins
    scorecard.record("configuration", "unsafe settings check-config refuses (exit 1)", checks, "every one")
