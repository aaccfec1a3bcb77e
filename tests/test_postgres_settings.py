"""PostgreSQL sessions: ending a read keeps the statements psycopg prepared; a failed write still rolls back.

psycopg prepares a statement after it has run a few times on a connection and forgets them all on
ROLLBACK. A read session ending in ROLLBACK made PostgreSQL plan every read again, every time; reads now
run without a transaction to end.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

from conftest import fresh_postgres_url
from db.models import District
from db.session import make_engine, make_session_factory


@pytest.fixture
def factory(postgres):
    """Sessions on a fresh PostgreSQL database, over one pooled connection so every session shares it."""
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
