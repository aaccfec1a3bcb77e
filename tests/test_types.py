"""Aware instants survive the round trip on both databases; naive ones are refused."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from db.models import District


@pytest.mark.parametrize(
    "written",
    [
        datetime(2026, 6, 13, 21, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
        datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc),
        datetime(2026, 3, 29, 1, 30, tzinfo=ZoneInfo("Europe/Berlin")),
        datetime(2026, 6, 1, 2, 0, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_an_aware_instant_reads_back_as_the_same_instant_in_utc(session_factory, written):
    with session_factory.begin() as session:
        session.add(District(name="东西巷", city="桂林", created_at=written))
    with session_factory() as session:
        read = session.scalars(select(District.created_at)).one()
    assert read == written
    assert read.utcoffset() == timedelta(0)


def test_a_naive_datetime_is_refused_rather_than_stored_at_the_wrong_hour(session_factory):
    with pytest.raises(Exception, match="naive datetime refused"):
        with session_factory.begin() as session:
            session.add(District(name="东西巷", city="桂林", created_at=datetime(2026, 6, 13, 21, 0)))
