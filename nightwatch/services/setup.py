"""Opening the store: the engine, migrations, and the demo data on the embedded database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from db import migrate
from db.models import District
from db.seed import SeedReport, seed_demo
from db.session import (
    database_url,
    is_default_database,
    make_engine,
    make_session_factory,
)
from nightwatch.config import Settings
from nightwatch.services import heat_rollup, shop_risk

# The migration that added the heatmap rollups (revisions are zero-padded, so they compare as text).
HEAT_ROLLUPS_REVISION = "0006"


@dataclass(frozen=True)
class Store:
    """A database the app talks to: where it is, its engine and its session factory."""

    url: str
    engine: Engine
    session_factory: sessionmaker

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @property
    def safe_url(self) -> str:
        """The URL with any password hidden, for messages and logs."""
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def wants_demo(self) -> bool:
        """True when demo data belongs here: the embedded SQLite, unless NIGHTWATCH_DEMO says otherwise."""
        demo = Settings.from_env().demo
        return is_default_database(self.url) if demo is None else demo


def open_store(url: str | None = None) -> Store:
    """A store on the given URL, else the configured one, else the embedded SQLite file."""
    url = url or database_url()
    engine = make_engine(url)
    return Store(url=url, engine=engine, session_factory=make_session_factory(engine))


def upgrade_database(store: Store) -> str | None:
    """Migrate the database to the newest schema; returns the revision it is at."""
    if migrate.needs_upgrade(store.engine):
        before = migrate.current_revision(store.engine)
        migrate.upgrade(store.engine)
        if before is not None and before < HEAT_ROLLUPS_REVISION:
            heat_rollup.rebuild_all(store.session_factory)  # count the history the rollups were born without
    return migrate.current_revision(store.engine)


def district_ids(store: Store) -> list[int]:
    """Every district's id, in order."""
    with store.session_factory() as session:
        return list(session.scalars(select(District.id).order_by(District.id)))


def has_districts(store: Store) -> bool:
    """True when the database already holds at least one district."""
    with store.session_factory() as session:
        return bool(session.scalar(select(func.count()).select_from(District)))


def seed_demo_data(store: Store, *, if_empty: bool = False, today: date | None = None,
                   now: datetime | None = None) -> SeedReport | None:
    """Load the demo data (idempotent); with if_empty, only into a database without districts."""
    if if_empty and has_districts(store):
        return None
    report = seed_demo(store.session_factory, today=today, now=now)
    # Seeded tips, hazards and inspections change shops' risk; the stored level follows them.
    shop_risk.refresh_all(session_factory=store.session_factory, now=now or datetime.now(timezone.utc))
    return report


def prepare(store: Store, *, today: date | None = None) -> SeedReport | None:
    """Migrate when needed; where demo data belongs, top it up to this moment so tonight always has some."""
    upgrade_database(store)
    if store.wants_demo:
        live = datetime.now(timezone.utc) if today is None else None
        return seed_demo_data(store, today=today, now=live)
    return None


def configured_url() -> str:
    """The database URL this process is configured for."""
    return database_url()
