"""The benchmark suite as CI runs it: `python -m nightwatch bench --scale small` measures every scenario.

A smoke test that the suite works on SQLite and PostgreSQL; it asserts nothing about time. The small
city is built once into benchmarks/.cache and reused; a PostgreSQL city is generated each run.
"""
from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from benchmarks import suite
from benchmarks.report import FAILED, NOT_BUILT
from conftest import fresh_postgres_url

ROOT = Path(__file__).resolve().parent.parent


def table_rows(markdown: str) -> list[list[str]]:
    """The cells of each figure row of the Markdown table."""
    lines = [line for line in markdown.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("| ").split(" | ")] for line in lines[2:]]


def postgres_url(request: pytest.FixtureRequest) -> str | None:
    """A fresh database on the session's PostgreSQL server, or None when it is missing (outside strict mode)."""
    try:
        server = request.getfixturevalue("postgres")
    except pytest.skip.Exception:
        return None
    return fresh_postgres_url(server)


@pytest.mark.timeout(1200)
def test_bench_at_small_scale_measures_every_scenario_on_every_backend(request, tmp_path):
    pg_url = postgres_url(request)
    out = tmp_path / "benchmarks.md"
    backend_args = ["--pg-url", pg_url] if pg_url else ["--sqlite-only"]
    env = {key: value for key, value in os.environ.items() if key != suite.PG_URL_VARIABLE}
    done = subprocess.run([sys.executable, "-m", "nightwatch", "bench", "--scale", "small", "--runs", "1",
                           "--out", str(out), *backend_args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=1150)
    assert done.returncode == 0, f"bench exited {done.returncode}:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    rows = table_rows(out.read_text(encoding="utf-8"))
    assert not [row for row in rows if row[-1].startswith((FAILED, NOT_BUILT))], done.stdout
    backends = ["sqlite", "postgresql"] if pg_url else ["sqlite"]
    for scenario in suite.SCENARIOS:
        label = f"{scenario.number} {scenario.title}"
        for backend in backends:
            assert any(row[:2] == [label, backend] for row in rows), f"{label} missing on {backend}"
        measured = [row for row in rows if row[:2] == [label, "sqlite"] and row[2] != "—"]
        assert measured, f"{label} reported no figure on SQLite"
        assert label in done.stdout, f"{label} missing from the printed table"


def test_a_failing_scenario_is_a_failed_row_and_a_missing_one_is_not_built(monkeypatch, tmp_path):
    broken = types.ModuleType("benchmarks.scenario_broken_for_test")

    def run(ground, runs):
        raise AssertionError("ours and the reference disagree on the nearest person")

    broken.run = run
    monkeypatch.setitem(sys.modules, broken.__name__, broken)
    monkeypatch.setattr(suite, "SCENARIOS", (suite.Scenario(1, "broken", "scenario_broken_for_test"),
                                             suite.Scenario(2, "absent", "scenario_absent_for_test")))
    out = tmp_path / "benchmarks.md"
    status = suite.bench("small", runs=1, sqlite_only=True, out=out, say=lambda words: None)
    rows = table_rows(out.read_text(encoding="utf-8"))
    assert status == 1
    assert rows[0][:2] == ["1 broken", "sqlite"]
    assert rows[0][-1] == f"{FAILED}: AssertionError: ours and the reference disagree on the nearest person"
    assert rows[1][:2] == ["2 absent", "sqlite"] and rows[1][-1].startswith(NOT_BUILT)
    assert "PostgreSQL skipped: --sqlite-only." in out.read_text(encoding="utf-8")
