"""Scenario 7: the app's resident memory after a coordinator visits every page, in a fresh process.

`python -m benchmarks.scenario_memory URL LOGIN PASSWORD` is the fresh process: it renders every page
under AppTest (one browser session walking the menu) and prints its resident and peak memory in MB.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

from benchmarks.ground import BENCH_PASSWORD, Ground
from benchmarks.measure import Figure

ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 400.0
TIMEOUT_S = 1800


def resident_mb() -> tuple[float, float]:
    """This process's resident memory now and at its peak, in MB (peak only where /proc is missing)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return peak, peak
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def visit_every_page(url: str, login: str, password: str) -> dict[str, float]:
    """Walk the menu as `login` in this process; the memory afterwards."""
    from streamlit.testing.v1 import AppTest

    from benchmarks.scenario_pages import PAGES, check, pointed_at, quiet_streamlit, session_token

    quiet_streamlit()
    with pointed_at(url):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S)
        at.session_state["_nw_token"] = session_token(url, login, password)
        at.run()
        check(at, "app.py", url)
        for page in PAGES:
            at.switch_page(page).run()
            check(at, page, url)
    rss, peak = resident_mb()
    return {"rss_mb": rss, "peak_mb": peak}


def measured(url: str, login: str, password: str) -> dict[str, float]:
    """The memory figures of a fresh interpreter that visited every page."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.scenario_memory", url, login, password], cwd=ROOT,
                          capture_output=True, text=True, timeout=TIMEOUT_S)
    if done.returncode != 0:
        raise AssertionError(f"visiting every page on {url} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(ground: Ground, runs: int) -> list[Figure]:
    """One figure: resident MB on the city against the demo database (one fresh process each)."""
    from benchmarks.scenario_pages import DEMO_LOGIN, DEMO_PASSWORD

    city = measured(ground.url, ground.coordinator_login, BENCH_PASSWORD)
    demo = measured(ground.demo_url, DEMO_LOGIN, DEMO_PASSWORD)
    met = city["rss_mb"] <= TARGET_MB if ground.scale.name == "city" else None
    return [Figure(
        scenario="memory", backend=ground.backend, measure="resident memory after every page (coordinator)",
        value=city["rss_mb"], unit="MB", target=f"≤ {TARGET_MB:g} MB", met=met,
        reference="same walk on the demo database", reference_value=demo["rss_mb"],
        ratio=city["rss_mb"] / demo["rss_mb"],
        note=(f"fresh process per database, {len(_pages())} pages rendered once in one session; "
              f"peak {city['peak_mb']:.0f} MB (demo {demo['peak_mb']:.0f} MB); one walk, `runs` unused"),
    )]


def _pages() -> tuple[str, ...]:
    from benchmarks.scenario_pages import PAGES

    return PAGES


if __name__ == "__main__":
    print(json.dumps(visit_every_page(*sys.argv[1:4])))
