"""Processes that import one people file each through the real service, for tests/test_import_crash.py to kill.

Run as `python tests/import_victim.py`: it loads the app once, then for every line `URL<TAB>CSV<TAB>DISTRICT`
on stdin forks a victim (so a victim starts in milliseconds, not seconds) and prints `pid <pid>`. The victim
prints `start <t>` (monotonic seconds) just before the import, `commit <t>` when the transaction starts to
commit and `done <t> <added>` when the import returned, each line flushed at once so the parent can aim a
SIGKILL at them. After the next line on stdin this process reaps the victim and prints
`exit <pid> <wait status>`.
"""
from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event

from db.session import make_engine, make_session_factory
from nightwatch.access import Actor
from nightwatch.services.people_import import import_people
from nightwatch.vocab import AccountRole


def say(word: str, *values: object) -> None:
    """One line to the parent, flushed so it arrives before the next thing this process does."""
    print(word, *values, flush=True)


def import_file(url: str, csv_path: str, district_id: int) -> None:
    """Import the file as a coordinator of the district, announcing each moment the parent may aim at."""
    engine = make_engine(url)
    event.listen(engine, "commit", lambda _connection: say("commit", f"{time.monotonic():.6f}"))
    factory = make_session_factory(engine)
    coordinator = Actor(login="crash-coordinator", role=AccountRole.COORDINATOR, district_ids=frozenset({district_id}))
    data = Path(csv_path).read_bytes()
    # Open the pool's first connection now, so the import's timing does not include connecting.
    with engine.connect():
        pass
    say("start", f"{time.monotonic():.6f}")
    added = import_people(session_factory=factory, actor=coordinator, district_id=district_id, data=data,
                          filename=Path(csv_path).name)
    say("done", f"{time.monotonic():.6f}", added)
    engine.dispose()


def victim(url: str, csv_path: str, district_id: int) -> None:
    """The forked child: import, then leave without running the parent's clean-up."""
    code = 0
    try:
        import_file(url, csv_path, district_id)
    except BaseException:  # noqa: BLE001 - the parent reads the traceback; the child must not live on
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main() -> None:
    """Fork one victim per command line and report its pid and, later, how it ended."""
    for line in sys.stdin:
        url, csv_path, district = line.rstrip("\n").split("\t")
        child = os.fork()
        if child == 0:
            victim(url, csv_path, int(district))
        say("pid", child)
        # Reap only when told: until then a finished victim stays a zombie, so the parent's SIGKILL
        # can never reach another process that was handed the same pid.
        sys.stdin.readline()
        _, status = os.waitpid(child, 0)
        say("exit", child, status)


if __name__ == "__main__":
    main()
