"""The hot-path statements store and read exactly what SQLAlchemy's ordinary path does, and fail the same way."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import bindparam, func, insert, literal_column, select, text
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from db.models import AuditEvent, District, Tip
from db.prepared import Prepared, PreparedSelect
from nightwatch.vocab import TipCategory, TipSource, TipStatus, Urgency

BEIJING = timezone(timedelta(hours=8))
AT = datetime(2026, 11, 22, 23, 15, 30, 123456, tzinfo=BEIJING)


def _district(engine) -> int:
    with engine.begin() as connection:
        return connection.execute(insert(District.__table__).values(name="东西巷", city="桂林")).inserted_primary_key[0]


def _tip(district_id: int, key: str) -> dict:
    return dict(district_id=district_id, reporter_account_id=None, anonymous=True, approximate=False,
                source=TipSource.MERCHANT_APP, category=TipCategory.SUSPICIOUS, urgency=Urgency.HIGH,
                text="门口有人徘徊,电话 13912345678", status=TipStatus.RECEIVED, idempotency_key=key,
                received_at=AT, duty_date=AT.date(), lat=25.28, lon=110.296, cell="8a40b0c1a2b7fff")


def _stored(engine, table: str, row_id: int) -> dict:
    """The row as the database holds it, by plain SQL: text, numbers and dates as stored, id left out."""
    with engine.connect() as connection:
        row = connection.execute(text(f"SELECT * FROM {table} WHERE id = :id"), {"id": row_id}).mappings().one()
    return {name: value for name, value in row.items() if name != "id"}


def test_a_tip_and_its_audit_event_are_stored_as_the_ordinary_insert_stores_them(engine):
    district_id = _district(engine)
    event = {"at": AT, "account_id": None, "actor": "writer-0", "action": "tip.post", "entity": "tip",
             "entity_id": 7, "district_id": district_id, "before": None, "after": {"类别": "可疑", "photo": False}}
    with engine.begin() as connection:
        tips = [Prepared(insert(Tip.__table__)).execute(connection, _tip(district_id, "prepared-key-1")),
                connection.execute(insert(Tip.__table__), _tip(district_id, "ordinary-key-1")).inserted_primary_key[0]]
        events = [Prepared(insert(AuditEvent.__table__)).execute(connection, event),
                  connection.execute(insert(AuditEvent.__table__), event).inserted_primary_key[0]]
    fast, ordinary = (_stored(engine, "tip", tip_id) for tip_id in tips)
    assert fast == ordinary | {"idempotency_key": "prepared-key-1"}
    assert _stored(engine, "audit_event", events[0]) == _stored(engine, "audit_event", events[1])
    with engine.connect() as connection:
        tip = connection.execute(select(Tip.__table__).where(Tip.id == tips[0])).one()
    assert (tip.category, tip.received_at, tip.anonymous) == (TipCategory.SUSPICIOUS, AT, True)


def test_a_column_the_ordinary_path_would_default_must_be_named(engine):
    values = _tip(_district(engine), "no-approximate")
    del values["approximate"]
    with engine.begin() as connection, pytest.raises(KeyError, match="approximate"):
        Prepared(insert(Tip.__table__)).execute(connection, values)


def test_a_duplicate_key_is_refused_as_sqlalchemy_refuses_it_without_the_row_s_words(engine):
    district_id = _district(engine)
    statement = Prepared(insert(Tip.__table__))
    with engine.begin() as connection:
        statement.execute(connection, _tip(district_id, "twice-key-1"))
    with pytest.raises(IntegrityError) as refused, engine.begin() as connection:
        statement.execute(connection, _tip(district_id, "twice-key-1"))
    assert "13912345678" not in str(refused.value) and "徘徊" not in str(refused.value)
    with engine.connect() as connection:
        assert connection.scalar(select(Tip.id).where(Tip.idempotency_key == "twice-key-1")) is not None


@pytest.mark.parametrize("binary", [False, True])
def test_a_select_on_the_cursor_reads_what_the_ordinary_path_reads(engine, binary):
    district_id = _district(engine)
    with engine.begin() as connection:
        for key in ("read-key-1", "read-key-2"):
            Prepared(insert(Tip.__table__)).execute(connection, _tip(district_id, key))
    statement = (select(Tip.id, Tip.category, Tip.received_at, Tip.anonymous, Tip.lat, Tip.duty_date,
                        func.count().over().label("tips"), literal_column("'夜巡'").label("word"))
                 .where(Tip.district_id == bindparam("district"), Tip.received_at <= bindparam("at"))
                 .order_by(Tip.id).limit(5))
    values = {"district": district_id, "at": AT + timedelta(minutes=1)}
    with engine.connect() as connection:
        fast = PreparedSelect(statement, binary=binary).rows(connection, values)
        ordinary = [tuple(row) for row in connection.execute(statement, values)]
    assert fast == ordinary and len(fast) == 2
    assert fast[0][1:5] == (TipCategory.SUSPICIOUS, AT, True, 25.28) and fast[0][2].tzinfo is not None


def test_a_select_the_database_refuses_or_missing_a_value_fails_loudly(engine):
    statement = PreparedSelect(select(literal_column("no_such_column")).select_from(Tip.__table__))
    with engine.connect() as connection, pytest.raises((ProgrammingError, OperationalError)):
        statement.rows(connection, {})
    with engine.connect() as connection, pytest.raises(KeyError, match="district"):
        PreparedSelect(select(Tip.id).where(Tip.district_id == bindparam("district"))).rows(connection, {})


def test_statements_sharing_a_connection_read_their_own_rows_even_after_one_was_refused(engine):
    district_id = _district(engine)
    with engine.begin() as connection:
        Prepared(insert(Tip.__table__)).execute(connection, _tip(district_id, "shared-key-1"))
    names = PreparedSelect(select(District.name).where(District.id == bindparam("district")))
    keys = PreparedSelect(select(Tip.idempotency_key).where(Tip.district_id == bindparam("district")))
    refused = PreparedSelect(select(literal_column("no_such_column")).select_from(Tip.__table__))
    for _ in range(2):  # the pool hands back the same connection, with the cursor kept from the last turn
        with engine.connect() as connection:
            assert names.rows(connection, {"district": district_id}) == [("东西巷",)]
            assert keys.rows(connection, {"district": district_id}) == [("shared-key-1",)]
            with pytest.raises((ProgrammingError, OperationalError)):
                refused.rows(connection, {})
