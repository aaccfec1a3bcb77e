"""Put a demo account on a shift running now, whatever the hour, for tests that need someone on duty."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from db.models import Account, Assignment, Person, Shift
from db.session import make_engine, make_session_factory
from nightwatch.nights import duty_date_of
from nightwatch.vocab import HOLDING_STATUSES, AssignmentStatus


def put_on_duty_now(database_url: str, login: str = "demo-volunteer") -> str:
    """Make sure the account's person holds a shift running now (the demo's end by dawn); returns their name."""
    engine = make_engine(database_url)
    now = datetime.now(timezone.utc)
    starts, ends = now - timedelta(minutes=30), now + timedelta(hours=2)
    try:
        with make_session_factory(engine).begin() as session:
            person = session.get(Person, session.scalar(select(Account.person_id).where(Account.login == login)))
            held = session.scalars(select(Assignment).where(
                Assignment.person_id == person.id, Assignment.status.in_(HOLDING_STATUSES),
                Assignment.starts_at < ends, Assignment.ends_at > starts)).all()
            if not any(a.starts_at <= now < a.ends_at for a in held):
                for assignment in held:
                    assignment.status = AssignmentStatus.WITHDRAWN
                session.flush()
                shift = Shift(district_id=person.district_id, grid_id=person.home_grid_id,
                              duty_date=duty_date_of(now), starts_at=starts, ends_at=ends,
                              required={person.role_kind: 1})
                session.add(shift)
                session.flush()
                session.add(Assignment(shift_id=shift.id, person_id=person.id, status=AssignmentStatus.CONFIRMED,
                                       role_kind=person.role_kind, starts_at=starts, ends_at=ends))
            return person.name
    finally:
        engine.dispose()
