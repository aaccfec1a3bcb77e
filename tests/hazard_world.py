"""A small hazards world: a district with two grids, a route, people, shops and a way to add patrols."""
from __future__ import annotations

import io
from dataclasses import dataclass

from booking_ground import local
from PIL import Image
from sqlalchemy.orm import sessionmaker

from db.models import (
    Account,
    Assignment,
    Checkpoint,
    District,
    Grid,
    Hazard,
    Person,
    Route,
    RouteStop,
    Shift,
    Shop,
)
from nightwatch.access import Actor
from nightwatch.nights import duty_date_of
from nightwatch.vocab import (
    AccountRole,
    AssignmentStatus,
    BusinessKind,
    HazardCategory,
    HazardStatus,
    RoleKind,
)


def png() -> bytes:
    """A tiny real photo."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(out, "PNG")
    return out.getvalue()


@dataclass(frozen=True)
class HazardWorld:
    """Ids of everything in the world."""

    district: int
    other: int
    grid: int
    side_grid: int
    route: int
    stop_route: int
    walker: int
    other_walker: int
    shop: int
    neighbour_shop: int
    accounts: dict[str, int]

    def coordinator(self) -> Actor:
        """A coordinator of the district."""
        return Actor(account_id=self.accounts["coord"], login="coord", role=AccountRole.COORDINATOR, district_ids=frozenset({self.district}))

    def volunteer(self, person: int | None = None) -> Actor:
        """A volunteer of the district (the walker by default)."""
        key = "vol" if (person or self.walker) == self.walker else "vol2"
        return Actor(account_id=self.accounts[key], login=key, role=AccountRole.VOLUNTEER, district_ids=frozenset({self.district}),
                     person_id=person or self.walker)

    def merchant(self, shop: int | None = None) -> Actor:
        """The merchant of a shop (the main one by default)."""
        key = "shop" if (shop or self.shop) == self.shop else "shop2"
        return Actor(account_id=self.accounts[key], login=key, role=AccountRole.MERCHANT, district_ids=frozenset({self.district}),
                     shop_id=shop or self.shop)


def build(factory: sessionmaker) -> HazardWorld:
    """东西巷 with 一号网格 (a route walks it) and 二号网格 (a route with a stop in it), and 万达金街 elsewhere."""
    with factory.begin() as s:
        district, other = District(name="东西巷", city="桂林"), District(name="万达金街", city="襄阳")
        s.add_all([district, other])
        s.flush()
        grid, side = Grid(district_id=district.id, name="一号网格"), Grid(district_id=district.id, name="二号网格")
        s.add_all([grid, side])
        s.flush()
        corner = Checkpoint(district_id=district.id, grid_id=side.id, name="巷口", secret="ab" * 16)
        route = Route(district_id=district.id, grid_id=grid.id, name="一号巡线")
        stop_route = Route(district_id=district.id, name="环巷巡线")
        s.add_all([corner, route, stop_route])
        s.flush()
        s.add(RouteStop(route_id=stop_route.id, position=0, checkpoint_id=corner.id))
        walker = Person(district_id=district.id, name="李巡", phone="13900000001", role_kind=RoleKind.VOLUNTEER)
        other_walker = Person(district_id=district.id, name="王守", phone="13900000002", role_kind=RoleKind.VOLUNTEER)
        shop = Shop(district_id=district.id, grid_id=grid.id, name="三花酒坊", business_kind=BusinessKind.RESTAURANT,
                    lat=25.28, lon=110.29)
        neighbour = Shop(district_id=district.id, grid_id=grid.id, name="米粉店", business_kind=BusinessKind.RESTAURANT)
        s.add_all([walker, other_walker, shop, neighbour])
        s.flush()
        accounts = {"coord": Account(login="coord", role=AccountRole.COORDINATOR),
                    "vol": Account(login="vol", role=AccountRole.VOLUNTEER, person_id=walker.id),
                    "vol2": Account(login="vol2", role=AccountRole.VOLUNTEER, person_id=other_walker.id),
                    "shop": Account(login="shop", role=AccountRole.MERCHANT, shop_id=shop.id),
                    "shop2": Account(login="shop2", role=AccountRole.MERCHANT, shop_id=neighbour.id)}
        s.add_all(accounts.values())
        s.flush()
        return HazardWorld(district.id, other.id, grid.id, side.id, route.id, stop_route.id, walker.id,
                           other_walker.id, shop.id, neighbour.id, {k: a.id for k, a in accounts.items()})


def patrol(factory: sessionmaker, world: HazardWorld, starts: str, ends: str, *, grid: int | None = None,
           route: int | None = None, person: int | None = None,
           status: AssignmentStatus = AssignmentStatus.CONFIRMED) -> int:
    """A shift (Shanghai wall times) held by a person (the walker by default); its id."""
    with factory.begin() as s:
        shift = Shift(district_id=world.district, grid_id=grid, route_id=route, duty_date=duty_date_of(local(starts)),
                      starts_at=local(starts), ends_at=local(ends))
        s.add(shift)
        s.flush()
        s.add(Assignment(shift_id=shift.id, person_id=person or world.walker, status=status,
                         starts_at=shift.starts_at, ends_at=shift.ends_at))
        return shift.id


def hazard(factory: sessionmaker, world: HazardWorld, *, grid: int | None = None,
           status: HazardStatus = HazardStatus.ASSIGNED, found: str = "2026-11-18 21:00",
           shop: int | None = None) -> int:
    """A hazard waiting for its fix; its id."""
    with factory.begin() as s:
        row = Hazard(district_id=world.district, grid_id=grid or world.grid, category=HazardCategory.UNSAFE_WIRING,
                     description="电线私拉", status=status, found_at=local(found), shop_id=shop,
                     due_on=duty_date_of(local(found)))
        s.add(row)
        s.flush()
        return row.id
