"""The bench the hostile-input tests run on: one small world per database, and the rule each field is held to.

For every (field, value) a test calls the real service and reads the row back. The outcome is either
("stored", what was read back) or ("refused", the catalog key); anything else raised is a crash.
`check_field` tries every value on both databases and returns one message per failure:
a crash, a refusal whose key is missing from a catalog, a value stored differently from what was
typed (after nightwatch.text's normalisation), or a different decision on SQLite and PostgreSQL.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from authz_world import World, actor_of, build_world
from conftest import fresh_postgres_url, fresh_sqlite_url
from hostile import CORPUS, Hostile, sample
from sqlalchemy.orm import sessionmaker

from db.models import Checkpoint, Shop
from db.session import make_engine, make_session_factory
from nightwatch import i18n
from nightwatch.access import Actor, Forbidden
from nightwatch.outreach import OutreachRefused
from nightwatch.people_rows import RowsRefused
from nightwatch.photos import PhotoRefused
from nightwatch.services.accounts import AccountRefused
from nightwatch.services.geography import GeographyRefused
from nightwatch.services.hazard_photos import HazardRefused
from nightwatch.services.people import PeopleRefused
from nightwatch.services.roster_checks import RosterRefused
from nightwatch.services.shops import ShopRefused
from nightwatch.services.tip_posting import TipRefused
from nightwatch.text import InputRefused

BACKENDS = ("sqlite", "postgresql")
# The refusals services raise on purpose; each carries a catalog key.
REFUSALS = (AccountRefused, TipRefused, PeopleRefused, ShopRefused, HazardRefused, OutreachRefused, GeographyRefused,
            RosterRefused, RowsRefused, PhotoRefused, InputRefused, Forbidden)
# The shop of side a stands here (桂林 东西巷); tips and shops are placed around it.
SHOP_LAT, SHOP_LON = 25.2830, 110.2900
Outcome = tuple[str, Any]


@dataclass
class Bench:
    """One backend's world: its sessions, the actors, and the ids fields refer to."""

    backend: str
    factory: sessionmaker
    world: World
    coordinator: Actor
    merchant: Actor
    admin: Actor
    checkpoints: tuple[int, int]

    @property
    def district(self) -> int:
        """The district every field writes into."""
        return self.world.a.district


@dataclass
class Tally:
    """What a module checked: fields, checks per database, outcomes and failures."""

    fields: set[str] = field(default_factory=set)
    checks: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    differing: int = 0
    crashes: int = 0


TALLY = Tally()


def strings(scorecard: Any) -> tuple[Hostile, ...]:
    """The corpus at full scale, else a subset holding every category."""
    wanted = scorecard.scale(full=len(CORPUS), quick=12)
    return sample(max(1, len(CORPUS) // wanted))


def _build(backend: str, url: str) -> tuple[Bench, Any]:
    """The authorisation world on a fresh database, with a located shop and two checkpoints."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    world = build_world(factory)
    with factory.begin() as session:
        shop = session.get(Shop, world.a.shop)
        shop.lat, shop.lon = SHOP_LAT, SHOP_LON
        points = [Checkpoint(district_id=world.a.district, name=f"打卡点{n}", lat=SHOP_LAT, lon=SHOP_LON + n / 1000,
                             secret=f"hostile-secret-{n}") for n in (1, 2)]
        session.add_all(points)
        session.flush()
        ids = (points[0].id, points[1].id)
    bench = Bench(backend, factory, world, actor_of(factory, world.a.coordinator),
                  actor_of(factory, world.a.merchant), actor_of(factory, world.admin), ids)
    return bench, engine


@pytest.fixture(scope="session")
def benches(request: pytest.FixtureRequest, sqlite_template: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Bench]]:
    """One bench per backend, shared by every hostile test (fields write distinct names and phones)."""
    urls = {"sqlite": fresh_sqlite_url(sqlite_template, tmp_path_factory.mktemp("hostile")),
            "postgresql": fresh_postgres_url(request.getfixturevalue("postgres"))}
    built = {backend: _build(backend, url) for backend, url in urls.items()}
    yield {backend: bench for backend, (bench, _) in built.items()}
    for _, engine in built.values():
        engine.dispose()


def _known_key(key: str) -> bool:
    """True when both languages of the catalog hold the key."""
    return all(key in i18n.CATALOGS[lang] for lang in i18n.LANGUAGES)


def attempt(call: Callable[[], Any]) -> Outcome:
    """Run one service call: ("stored", value read back), ("refused", key) or ("crash", what was raised)."""
    try:
        return "stored", call()
    except REFUSALS as refused:
        return "refused", refused.key
    except Exception as error:  # noqa: BLE001 (the point: anything else is a defect to report)
        return "crash", f"{type(error).__name__}: {str(error)[:160]}"


def check_field(benches: dict[str, Bench], name: str, values: Iterable[Any],
                store: Callable[[Bench, Any, int], Any], expected: Callable[[Any], Any] | None, *,
                must_store: bool = True) -> list[str]:
    """Try every value through `store` on both databases; one message per failure.

    `expected(value)` is what the field must read back when it is stored (None: any stored value is
    checked by `store` itself). With `must_store`, a field that refused every value was never really
    exercised, which is a failure too.
    """
    failures: list[str] = []
    stored = 0
    TALLY.fields.add(name)
    for index, value in enumerate(values):
        decisions: dict[str, Outcome] = {}
        for backend, bench in benches.items():
            outcome = attempt(lambda: store(bench, value, index))  # noqa: B023 (called at once)
            decisions[backend] = outcome
            TALLY.checks[backend] += 1
            TALLY.outcomes[outcome[0]] += 1
            stored += outcome[0] == "stored"
            shown = _shown(value)
            if outcome[0] == "crash":
                TALLY.crashes += 1
                failures.append(f"{name} [{backend}] {shown}: uncaught {outcome[1]}")
            elif outcome[0] == "refused" and not _known_key(outcome[1]):
                failures.append(f"{name} [{backend}] {shown}: refused with unknown key {outcome[1]!r}")
            elif outcome[0] == "stored" and expected is not None and outcome[1] != expected(value):
                failures.append(f"{name} [{backend}] {shown}: stored {_shown(outcome[1])}, "
                                f"expected {_shown(expected(value))}")
        kinds = {backend: outcome[0] for backend, outcome in decisions.items()}
        if len(set(kinds.values())) > 1 or len({str(o) for o in decisions.values()}) > 1:
            TALLY.differing += 1
            failures.append(f"{name} {_shown(value)}: SQLite and PostgreSQL differ: {decisions}")
    if must_store and not stored:
        failures.append(f"{name}: every value was refused, so the field was never exercised")
    return failures


def _shown(value: Any) -> str:
    """A value short enough for a failure message."""
    text = repr(value)
    return text if len(text) <= 70 else f"{text[:60]}…({len(text)} chars)"


def report(failures: list[str]) -> str:
    """Failures as one assertion message, the first fifty in full."""
    head = "\n".join(failures[:50])
    return f"{len(failures)} failures:\n{head}" + ("\n…" if len(failures) > 50 else "")
