"""`python -m nightwatch`: what operators script, run as a real process on real databases."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db.migrate import head_revision

ROOT = Path(__file__).resolve().parent.parent


def nightwatch(*args: str, url: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "NIGHTWATCH_DATABASE_URL": url, **env}
    environment.pop("NIGHTWATCH_DEMO", None) if "NIGHTWATCH_DEMO" not in env else None
    return subprocess.run([sys.executable, "-m", "nightwatch", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=300)


def tables_in(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_upgrade_builds_the_schema_in_a_new_sqlite_file(tmp_path):
    path = tmp_path / "new" / "nightwatch.sqlite3"
    result = nightwatch("upgrade", url=f"sqlite:///{path}")
    assert result.returncode == 0, result.stderr
    assert {"district", "grid", "shift", "assignment", "tip", "audit_event"} <= tables_in(path)
    again = nightwatch("upgrade", url=f"sqlite:///{path}")
    assert again.returncode == 0 and head_revision() in again.stdout


def test_an_unreachable_database_is_reported_in_plain_words_without_the_password(tmp_path):
    result = nightwatch("upgrade", url="postgresql://patrol:hunter2secret@127.0.0.1:1/nightwatch")
    assert result.returncode == 1
    assert "无法连接数据库" in result.stderr
    assert "hunter2secret" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_a_malformed_url_is_refused_with_a_hint_in_english_when_asked(tmp_path):
    result = nightwatch("upgrade", url="not a url at all", NIGHTWATCH_LANG="en")
    assert result.returncode == 2
    assert "NIGHTWATCH_DATABASE_URL" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_command_exits_non_zero_with_usage(tmp_path):
    result = nightwatch("fly", url=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert result.returncode == 2 and "usage" in result.stderr


def count_rows(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in sorted(tables_in(path))}


def test_seed_loads_the_demo_once_and_a_second_run_changes_nothing(tmp_path):
    path = tmp_path / "demo.sqlite3"
    first = nightwatch("seed", url=f"sqlite:///{path}")
    assert first.returncode == 0, first.stderr
    counts = count_rows(path)
    assert counts["district"] >= 10 and counts["shift"] > 0 and counts["tip"] > 0
    second = nightwatch("seed", url=f"sqlite:///{path}")
    assert second.returncode == 0, second.stderr
    assert count_rows(path) == counts
    skipped = nightwatch("seed", "--if-empty", url=f"sqlite:///{path}")
    assert skipped.returncode == 0 and "未载入" in skipped.stdout


@pytest.mark.parametrize("demo, seeded", [("", False), ("1", True)])
def test_prepare_seeds_a_configured_database_only_when_demo_is_asked_for(tmp_path, demo, seeded):
    path = tmp_path / "configured.sqlite3"
    result = nightwatch("prepare", url=f"sqlite:///{path}", NIGHTWATCH_DEMO=demo)
    assert result.returncode == 0, result.stderr
    assert (count_rows(path)["district"] > 0) is seeded


def test_sweep_records_attendance_once_and_a_second_run_changes_nothing(seeded_sqlite_url):
    first = nightwatch("sweep", url=seeded_sqlite_url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("到岗记录完成")
    second = nightwatch("sweep", url=seeded_sqlite_url)
    assert second.returncode == 0
    assert second.stdout.strip() == "到岗记录完成:缺勤 0 人次,结班 0 个,积分记录 0 条。"


def test_recount_puts_check_ins_loaded_behind_the_apps_back_on_the_heatmap(seeded_sqlite_url):
    path = seeded_sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        # A bulk load straight into the table, as an import script might do it: the rollup misses it.
        connection.execute("INSERT INTO check_in (district_id, person_id, checkpoint_id, at, duty_date, method, cell,"
                           " flagged) SELECT district_id, person_id, checkpoint_id, at, duty_date, method, cell,"
                           " flagged FROM check_in")
        rows, counted = connection.execute("SELECT (SELECT count(*) FROM check_in),"
                                           " (SELECT sum(n) FROM patrol_heat)").fetchone()
    assert counted == rows // 2

    result = nightwatch("recount", url=seeded_sqlite_url)

    assert result.returncode == 0, result.stderr
    assert "已重新统计" in result.stdout
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT sum(n) FROM patrol_heat").fetchone()[0] == rows
