"""The hostile-input totals over every hostile test of the run (runs after them: file order)."""
from __future__ import annotations

import pytest
from hostile_bench import TALLY

pytestmark = pytest.mark.reliability


def test_record_the_hostile_input_totals(scorecard):
    if not TALLY.checks:
        pytest.skip("no hostile-input test ran before this one")
    scorecard.record("hostile input", "fields covered (text, numbers, points, dates, import cells, file names)",
                     len(TALLY.fields), "every field")
    for backend, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        scorecard.record("hostile input", f"value×field checks run on {label}", TALLY.checks[backend], "")
    scorecard.record("hostile input", "stored as typed / refused (both databases)",
                     f"{TALLY.outcomes['stored']} / {TALLY.outcomes['refused']}", "")
    scorecard.record("hostile input", "decisions that differ between SQLite and PostgreSQL", TALLY.differing, "0")
    scorecard.record("hostile input", "uncaught exceptions", TALLY.crashes, "0")
    assert TALLY.checks["sqlite"] == TALLY.checks["postgresql"]
    assert TALLY.differing == 0 and TALLY.crashes == 0
