"""Alembic environment: runs on the engine handed over in config.attributes."""
from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run migrations on the engine db.migrate passed in."""
    engine: Engine = config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("NightWatch migrations run online only: use `python -m nightwatch upgrade`.")
run_migrations_online()
