"""The demo seed: the articles' districts, places, teams and people, and weeks of patrol life around today.

Reference data (seeds/*.json) is loaded in one transaction; then each district's activity
(shifts, rosters, check-ins, tips, hazards, outreach) commits in a transaction of its own.
Every step inserts only what is missing, keyed by natural keys or by keys derived from the
night, so a run that stopped halfway is completed by the next, a second run on the same
`today` adds and changes nothing, and a run on a later `today` tops up the new nights and
settles the ones that have passed. Nothing here touches the network.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from db.models import (
    Account,
    Assignment,
    CheckIn,
    Checkpoint,
    Dispatch,
    District,
    DutyPost,
    Grid,
    Hazard,
    LastPosition,
    OutreachEvent,
    Person,
    Place,
    PointsEntry,
    Route,
    RouteStop,
    Shift,
    ShiftCampaign,
    Shop,
    Team,
    Tip,
)
from db.rollups import rebuild as recount_heat
from db.seed_accounts import seed_accounts
from db.seed_activity import seed_duty
from db.seed_dossiers import seed_dossiers
from db.seed_hazards import seed_hazards, seed_outreach
from db.seed_reference import seed_reference
from db.seed_support import WINDOW_AHEAD, WINDOW_BACK, seed_file
from db.seed_tips import seed_tips
from db.seed_world import load_world
from db.types import utcnow
from nightwatch.nights import DEFAULT_TIMEZONE, duty_date_of

# Every table the demo seed writes, in the order they fill.
SEEDED_TABLES = (
    District, Place, Grid, DutyPost, Team, Person, Shop, Checkpoint, Route, RouteStop, ShiftCampaign,
    Shift, Assignment, CheckIn, PointsEntry, LastPosition, Tip, Dispatch, Hazard, OutreachEvent, Account,
)


@dataclass(frozen=True)
class SeedReport:
    """Rows one run of the demo seed added to each table: all zero when there was nothing to add."""

    district: int
    place: int
    grid: int
    duty_post: int
    team: int
    person: int
    shop: int
    checkpoint: int
    route: int
    route_stop: int
    shift_campaign: int
    shift: int
    assignment: int
    check_in: int
    points_ledger: int
    last_position: int
    tip: int
    dispatch: int
    hazard: int
    outreach_event: int
    account: int

    @property
    def rows_added(self) -> int:
        """All rows this run added."""
        return sum(self.as_dict().values())

    def as_dict(self) -> dict[str, int]:
        """Rows added by table name."""
        return asdict(self)


def table_counts(session_factory: sessionmaker) -> dict[str, int]:
    """Rows in every table the demo seed writes, by table name."""
    with session_factory() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in SEEDED_TABLES
        }


def demo_nights(today: date) -> list[date]:
    """The nights the demo fills around today, oldest first."""
    return [today + timedelta(days=offset) for offset in range(-WINDOW_BACK, WINDOW_AHEAD + 1)]


def seed_demo(session_factory: sessionmaker, *, today: date | None = None, now: datetime | None = None) -> SeedReport:
    """Load the demo data and the activity of the nights around `today` (default: the current night).

    "Today" is a duty date (勤务日): at 03:00 it is still yesterday's night. Tonight is shown
    as it stands at 22:30 local time (db.seed_support.SNAPSHOT), or at `now` when that is earlier,
    so a live demo never holds tips or check-ins from the future.
    """
    today = today or duty_date_of(utcnow(), DEFAULT_TIMEZONE)
    before = table_counts(session_factory)
    with session_factory.begin() as session:
        seed_reference(session, today)
    nights = demo_nights(today)
    for spec in seed_file("districts")["districts"]:
        with session_factory.begin() as session:
            world = load_world(session, spec)
            duties = seed_duty(session, world, today, nights, now)
            seed_tips(session, world, duties, nights, today, now)
            seed_hazards(session, world, duties, nights, today, now)
            seed_outreach(session, world, nights, today, now)
            recount_heat(session, world.district.id)
    with session_factory.begin() as session:
        seed_dossiers(session, today, now)
    # Accounts last: the demo volunteer and leader are people on duty tonight.
    with session_factory.begin() as session:
        seed_accounts(session, today)
    after = table_counts(session_factory)
    return SeedReport(**{table: after[table] - before[table] for table in after})
