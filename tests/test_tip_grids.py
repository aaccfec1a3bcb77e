"""A merchant's tip lands in the micro-grid that holds its point now, however the grids were drawn before."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from db.models import Account, District, Grid, Shop, Tip
from nightwatch import geo
from nightwatch.access import Actor
from nightwatch.services import tips
from nightwatch.vocab import AccountRole, BusinessKind, TipCategory, Urgency

NOW = datetime(2026, 6, 13, 14, 0, tzinfo=UTC)
LAT, LON = 25.2800, 110.2960


def _street(session_factory, *, recorded_grid: str) -> tuple[Actor, dict[str, int]]:
    """A shop between two grids (one around it, one 2 km away), recorded as lying in `recorded_grid`."""
    with session_factory.begin() as session:
        district = District(name="东西巷", city="桂林", center_lat=LAT, center_lon=LON)
        session.add(district)
        session.flush()
        far_lat, far_lon = geo.offset_point(LAT, LON, 2000, 0)
        grids = {"here": Grid(district_id=district.id, name="一号网格", polygon=geo.rectangle(LAT, LON, 400, 400)),
                 "far": Grid(district_id=district.id, name="二号网格",
                             polygon=geo.rectangle(far_lat, far_lon, 400, 400))}
        session.add_all(grids.values())
        session.flush()
        shop = Shop(district_id=district.id, name="米粉店", business_kind=BusinessKind.RESTAURANT, lat=LAT, lon=LON,
                    grid_id=grids[recorded_grid].id)
        session.add(shop)
        session.flush()
        account = Account(login="m-one", role=AccountRole.MERCHANT, shop_id=shop.id)
        session.add(account)
        session.flush()
        actor = Actor(account.id, "m-one", AccountRole.MERCHANT, frozenset({district.id}), shop_id=shop.id)
        return actor, {name: grid.id for name, grid in grids.items()}


def _post(session_factory, actor: Actor, **changes) -> int:
    return tips.post_tip(session_factory=session_factory, actor=actor, category=TipCategory.THEFT, text="有人翻包",
                         urgency=Urgency.HIGH, now=NOW, **changes)


def _grid_of(session_factory, tip_id: int) -> int | None:
    with session_factory() as session:
        return session.scalar(select(Tip.grid_id).where(Tip.id == tip_id))


def test_a_tip_at_the_shop_lands_in_the_shops_grid(session_factory):
    actor, grids = _street(session_factory, recorded_grid="here")
    assert _grid_of(session_factory, _post(session_factory, actor)) == grids["here"]


def test_a_shop_recorded_in_a_grid_since_redrawn_still_sends_its_tip_to_the_grid_around_it(session_factory):
    actor, grids = _street(session_factory, recorded_grid="far")
    assert _grid_of(session_factory, _post(session_factory, actor)) == grids["here"]


def test_a_grid_redrawn_between_two_tips_takes_the_second_where_it_now_lies(session_factory):
    actor, grids = _street(session_factory, recorded_grid="here")
    first = _post(session_factory, actor)
    with session_factory.begin() as session:  # the two grids swap places
        here, far = session.get(Grid, grids["here"]), session.get(Grid, grids["far"])
        here.polygon, far.polygon = far.polygon, here.polygon
    second = _post(session_factory, actor)
    assert (_grid_of(session_factory, first), _grid_of(session_factory, second)) == (grids["here"], grids["far"])


def test_a_picked_point_outside_every_grid_has_no_grid(session_factory):
    actor, _ = _street(session_factory, recorded_grid="here")
    lat, lon = geo.offset_point(LAT, LON, 0, 1000)
    tip_id = _post(session_factory, actor, where=tips.Where(lat, lon, "map", "桥头"))
    assert _grid_of(session_factory, tip_id) is None
