"""A module's own copy of the seeded demo, with the app pointed at it, for page tests that write."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from db.session import make_engine, make_session_factory


@contextmanager
def demo_copy(template: Path, folder: Path) -> Iterator[sessionmaker]:
    """Copy the seeded template into folder, point NIGHTWATCH_DATABASE_URL at it (no demo top-up, Chinese),
    and yield a session factory on it; the environment is restored afterwards."""
    path = folder / "demo.sqlite3"
    shutil.copyfile(template, path)
    url = f"sqlite:///{path}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NIGHTWATCH_DATABASE_URL", url)
        patch.setenv("NIGHTWATCH_DEMO", "0")
        patch.delenv("NIGHTWATCH_LANG", raising=False)
        engine = make_engine(url)
        try:
            yield make_session_factory(engine)
        finally:
            engine.dispose()
