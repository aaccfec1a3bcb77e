"""PostgreSQL sessions: reads keep the statements psycopg prepared; writes roll back; dropped connections are replaced.

psycopg prepares a statement after it has run a few times on a connection and forgets them all on
ROLLBACK. A read session ending in ROLLBACK made PostgreSQL plan every read again, every time; reads now
run without a transaction to end, on a pool of connections of their own.
"""
from __future__ import annotations

import time

import pytest
from sqlalchemy import make_url, select, text

from conftest import fresh_postgres_url
from db import session as session_module
from db.models import District
from db.session import make_engine, make_session_factory


@pytest.fixture
def factory(postgres):
    """Sessions on a fresh PostgreSQL database; one after another, read sessions share one pooled connection."""
    engine = make_engine(fresh_postgres_url(postgres), pool_size=1, max_overflow=0)
    yield make_session_factory(engine)
    engine.dispose()


def prepared(factory) -> int:
    """How many statements the shared connection holds prepared."""
    with factory.reading() as connection:
        return connection.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar_one()


def test_a_statement_read_again_and_again_stays_prepared_across_read_sessions(factory):
    with factory.begin() as session:
        session.add(District(name="东西巷", city="桂林"))
    for _ in range(8):  # psycopg prepares a statement on its fifth run on a connection
        with factory() as session:
            assert session.scalars(select(District.name)).all() == ["东西巷"]
    assert prepared(factory) >= 1


def test_a_failed_write_still_rolls_back(factory):
    with pytest.raises(RuntimeError), factory.begin() as session:
        session.add(District(name="半途", city="桂林"))
        session.flush()
        raise RuntimeError("the service refused after writing")
    with factory() as session:
        assert session.scalars(select(District.name)).all() == []


def test_rows_streamed_in_chunks_come_from_one_read_only_transaction(factory):
    with factory.begin() as session:
        session.add_all(District(name=f"区{n}", city="桂林") for n in range(7))
    with factory.streaming() as session:
        result = session.execute(select(District.name).order_by(District.id), execution_options={"yield_per": 3})
        assert [len(chunk) for chunk in result.partitions()] == [3, 3, 1]
    with pytest.raises(Exception, match="read-only transaction"), factory.streaming() as session:
        session.add(District(name="不该写入", city="桂林"))
        session.flush()
    with factory() as session:
        assert len(session.scalars(select(District.name)).all()) == 7


def test_after_the_server_drops_its_connections_the_next_read_still_answers(postgres, monkeypatch):
    monkeypatch.setattr(session_module, "PING_AFTER_IDLE_S", 0.05)
    url = fresh_postgres_url(postgres)
    factory = make_session_factory(make_engine(url))
    with factory.begin() as session:
        session.add(District(name="东西巷", city="桂林"))
    with factory() as first, factory() as second:  # two pooled connections, both about to go stale
        assert first.scalars(select(District.name)).all() == second.scalars(select(District.name)).all()
    admin = make_engine(postgres.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:  # what a server restart does to every client
        dropped = connection.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                          "WHERE datname = :name"), {"name": make_url(url).database}).scalar_one()
    admin.dispose()
    assert dropped >= 2
    time.sleep(0.1)  # idle longer than the ping threshold
    for _ in range(3):
        with factory() as session:
            assert session.scalars(select(District.name)).all() == ["东西巷"]
    factory.writer.dispose()
