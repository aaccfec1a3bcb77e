"""A small district for the dispatch, task and webhook tests: a grid, a hotspot, four people on duty, tips."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from db.models import (
    Account,
    Assignment,
    CheckIn,
    Checkpoint,
    District,
    Grid,
    LastPosition,
    Person,
    Place,
    Shift,
    Shop,
    Team,
    Tip,
)
from nightwatch.access import Actor
from nightwatch.geo import offset_point
from nightwatch.nights import duty_date_of, utc
from nightwatch.vocab import AccountRole, AssignmentStatus, BusinessKind, PlaceKind, RoleKind, TeamType, TipCategory

# 22:30 in Shanghai; the shift runs 19:00–02:00 (+1).
NOW = utc(2026, 6, 13, 14, 30)
SHIFT_START = utc(2026, 6, 13, 11)
CENTRE = (25.2800, 110.2900)
_phones = itertools.count(1)


@dataclass(frozen=True)
class DispatchWorld:
    """Ids of the district's things, and actors for its people."""

    district: int
    other_district: int
    grid: int
    near: int  # 80 m from the centre, fresh check-in, red vest
    mid: int  # 240 m, fresh, rapid response
    far: int  # 600 m, fresh, anti-fraud
    stale: int  # 40 m, but seen an hour ago
    stranger: int  # other district, off this grid
    reporter_account: int
    shop: int

    def actor(self, person_id: int) -> Actor:
        """A volunteer signed in as the person."""
        return Actor(account_id=None, login=f"p{person_id}", role=AccountRole.VOLUNTEER, person_id=person_id)

    @property
    def coordinator(self) -> Actor:
        """A coordinator of the district."""
        return Actor(login="coord", role=AccountRole.COORDINATOR, district_ids=frozenset({self.district}))

    @property
    def outsider(self) -> Actor:
        """A coordinator of the other district only."""
        return Actor(login="other", role=AccountRole.COORDINATOR, district_ids=frozenset({self.other_district}))


def _person(district_id: int, name: str, team_id: int | None, kind: RoleKind = RoleKind.VOLUNTEER) -> Person:
    return Person(district_id=district_id, name=name, phone=f"1391111{next(_phones):04d}", role_kind=kind,
                  team_id=team_id)


def on_shift(s: Session, world: DispatchWorld, **shift_values: object) -> tuple[Person, Shift]:
    """A new volunteer of the district holding a new shift running at NOW (in the open session `s`)."""
    person = _person(world.district, f"队员{next(_phones)}", None)
    shift = Shift(district_id=world.district, duty_date=duty_date_of(SHIFT_START), starts_at=SHIFT_START,
                  ends_at=SHIFT_START + timedelta(hours=7), **shift_values)
    s.add_all([person, shift])
    s.flush()
    s.add(Assignment(shift_id=shift.id, person_id=person.id, status=AssignmentStatus.CONFIRMED,
                     starts_at=shift.starts_at, ends_at=shift.ends_at))
    return person, shift


def build(factory: sessionmaker) -> DispatchWorld:
    """Two districts; in the first a grid, a night market, four people on duty with check-ins."""
    with factory.begin() as s:
        district = District(name="东西巷", city="桂林", center_lat=CENTRE[0], center_lon=CENTRE[1],
                            response_targets={"escalate_after_min": 3})
        other = District(name="襄城区", city="襄阳")
        s.add_all([district, other])
        s.flush()
        grid = Grid(district_id=district.id, name="一号网格", center_lat=CENTRE[0], center_lon=CENTRE[1])
        teams = {tt: Team(district_id=district.id, name=str(tt), team_type=tt)
                 for tt in (TeamType.RED_VEST, TeamType.RAPID_RESPONSE, TeamType.ANTI_FRAUD)}
        s.add_all([grid, *teams.values(), Place(district_id=district.id, name="东西巷夜市", kind=PlaceKind.NIGHT_MARKET,
                                                 lat=CENTRE[0], lon=CENTRE[1])])
        s.flush()
        people = [_person(district.id, "近", teams[TeamType.RED_VEST].id), _person(district.id, "中", teams[TeamType.RAPID_RESPONSE].id),
                  _person(district.id, "远", teams[TeamType.ANTI_FRAUD].id), _person(district.id, "旧", teams[TeamType.RED_VEST].id)]
        stranger = _person(other.id, "外区", None)
        shop = Shop(district_id=district.id, grid_id=None, name="桂花糕老店", business_kind=BusinessKind.SNACK_STALL,
                    owner_name="店主老李", owner_phone="13900001234")
        s.add_all([*people, stranger, shop])
        s.flush()
        reporter = Account(login="merchant-li", role=AccountRole.MERCHANT, shop_id=shop.id, display_name="老李")
        shift = Shift(district_id=district.id, grid_id=grid.id, duty_date=duty_date_of(SHIFT_START),
                      starts_at=SHIFT_START, ends_at=SHIFT_START + timedelta(hours=7), required={"volunteer": 4})
        s.add_all([reporter, shift])
        s.flush()
        for person, (north, age) in zip(people, ((80, 5), (240, 2), (600, 1), (40, 60))):
            lat, lon = offset_point(*CENTRE, north, 0)
            point = Checkpoint(district_id=district.id, grid_id=grid.id, name=f"点{person.name}", secret="x" * 16,
                               lat=lat, lon=lon)
            s.add_all([point, Assignment(shift_id=shift.id, person_id=person.id, role_kind="volunteer",
                                         status=AssignmentStatus.CONFIRMED, starts_at=shift.starts_at,
                                         ends_at=shift.ends_at)])
            s.flush()
            s.add(CheckIn(district_id=district.id, person_id=person.id, checkpoint_id=point.id, shift_id=shift.id,
                          at=NOW - timedelta(minutes=age), duty_date=shift.duty_date))
            # As the check-in service keeps it: the dispatch screen reads where people are from here.
            s.add(LastPosition(person_id=person.id, lat=lat, lon=lon, seen_at=NOW - timedelta(minutes=age),
                               source="checkin"))
        return DispatchWorld(district.id, other.id, grid.id, *(p.id for p in people), stranger.id, reporter.id, shop.id)


def add_tip(factory: sessionmaker, world: DispatchWorld, minutes_ago: float = 2, *, anonymous: bool = False,
            category: TipCategory = TipCategory.DISPUTE, received_at: datetime | None = None, **values: object) -> int:
    """A tip from the shop's merchant at the grid's centre; returns its id."""
    at = received_at or NOW - timedelta(minutes=minutes_ago)
    with factory.begin() as s:
        tip = Tip(district_id=world.district, grid_id=world.grid, shop_id=world.shop,
                  reporter_account_id=world.reporter_account, caller_name="王小姐", caller_phone="13712345678",
                  anonymous=anonymous, category=category, text="两桌客人争吵", location_note="东西巷12号门口",
                  lat=CENTRE[0], lon=CENTRE[1], duty_date=duty_date_of(at), received_at=at, **values)
        s.add(tip)
        s.flush()
        return tip.id
