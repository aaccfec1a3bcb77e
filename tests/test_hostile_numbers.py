"""Hostile numbers, coordinates and dates through the services, on SQLite and PostgreSQL alike.

NaN, infinities, out-of-range values and text that is not a number must be refused with a catalog
key before anything is stored; a value that is stored reads back equal to what was given.
"""
from __future__ import annotations

import math
from datetime import date, datetime, time

import hostile_bench
import pytest
from hostile import HOSTILE_COORDINATES, HOSTILE_DATES, HOSTILE_NUMBERS
from hostile_bench import TALLY, Bench, check_field, report
from sqlalchemy import select
from test_hostile_services import NOW

from db.models import Checkpoint, Grid, OutreachEvent, RouteStop, Shop, Team, Tip
from nightwatch.services import grids, outreach, people_teams, points, routes, shop_edit
from nightwatch.services.tip_logging import log_tip
from nightwatch.services.tip_posting import Where
from nightwatch.vocab import (
    BusinessKind,
    OutreachKind,
    TeamType,
    TipCategory,
    TipSource,
    Urgency,
)

pytestmark = pytest.mark.reliability
benches = hostile_bench.benches  # the session's benches: one world per database
REFUSED = object()  # what a field must do with a value: never equal to anything read back


def _point(bench: Bench, model: type, row_id: int) -> tuple[float, float]:
    """A stored row's (lat, lon)."""
    with bench.factory() as session:
        row = session.get(model, row_id)
        return row.lat, row.lon


def _tip_at(bench: Bench, point: tuple[object, object], index: int) -> object:
    """A coordinator logs a tip at a typed point."""
    lat, lon = point
    tip = log_tip(session_factory=bench.factory, actor=bench.coordinator, district_id=bench.district,
                  category=TipCategory.DISPUTE, text="坐标测试", urgency=Urgency.LOW,
                  where=Where(lat, lon, "map", "地图选点"), source=TipSource.PHONE, now=NOW)
    return _point(bench, Tip, tip)


def _shop_at(bench: Bench, point: tuple[object, object], index: int) -> object:
    """A coordinator adds a shop at a typed point."""
    lat, lon = point
    shop = shop_edit.create_shop(session_factory=bench.factory, actor=bench.coordinator, district_id=bench.district,
                                 profile=shop_edit.ProfileFields(name=f"坐标店{index}", kind=BusinessKind.RESTAURANT),
                                 lat=lat, lon=lon, now=NOW)
    return _point(bench, Shop, shop)


def _checkpoint_at(bench: Bench, point: tuple[object, object], index: int) -> object:
    """A coordinator adds a checkpoint at a typed point (WGS-84)."""
    lat, lon = point
    checkpoint = points.add_point(session_factory=bench.factory, actor=bench.coordinator, district_id=bench.district,
                                  kind=points.PointKind.CHECKPOINT, name=f"坐标打卡点{index}", lat=lat, lon=lon)
    return _point(bench, Checkpoint, checkpoint)


def _team_base(bench: Bench, point: tuple[object, object], index: int) -> object:
    """A coordinator creates a team with a typed base point."""
    lat, lon = point
    team = people_teams.create_team(session_factory=bench.factory, actor=bench.coordinator,
                                    district_id=bench.district,
                                    fields=people_teams.TeamFields(name=f"坐标队{index}", team_type=TeamType.RED_VOLUNTEER,
                                                                   base_lat=lat, base_lon=lon))
    with bench.factory() as session:
        row = session.get(Team, team)
        return row.base_lat, row.base_lon


def _outreach(bench: Bench, **given: object) -> OutreachEvent:
    """A coordinator logs an outreach event at the shop; the row read back."""
    form = outreach.OutreachInput(kind=OutreachKind.ANTI_FRAUD_BOOTH, title="数字测试",
                                  day=given.get("day", date(2026, 11, 20)), start=time(19, 0), end=time(21, 0),
                                  shop_id=bench.world.a.shop, materials=given.get("materials", {}),
                                  people_reached=given.get("reached", 0), app_installs=given.get("installs", 0))
    logged = outreach.log_event(session_factory=bench.factory, actor=bench.coordinator, district_id=bench.district,
                                form=form)
    with bench.factory() as session:
        return session.get(OutreachEvent, logged.id)


def _staffing(bench: Bench, count: object, index: int) -> object:
    """A coordinator sets the grid's staffing for volunteers."""
    with bench.factory() as session:
        grid = session.scalar(select(Grid.id).where(Grid.district_id == bench.district).order_by(Grid.id))
    grids.edit_grid(session_factory=bench.factory, actor=bench.coordinator, grid_id=grid, name=f"网格{index}",
                    staffing={"volunteer": count})
    with bench.factory() as session:
        return session.get(Grid, grid).staffing_template.get("volunteer", 0)


def _leg_minutes(bench: Bench, minutes: object, index: int) -> object:
    """A coordinator saves a route whose second leg takes `minutes`."""
    first, second = bench.checkpoints
    route = routes.save_route(session_factory=bench.factory, actor=bench.coordinator, district_id=bench.district,
                              name=f"分钟巡线{index}", stops=[(first, 0), (second, minutes)])
    with bench.factory() as session:
        return session.scalar(select(RouteStop.minutes_from_previous).where(RouteStop.route_id == route,
                                                                            RouteStop.position == 1))


def _local_day(event: OutreachEvent) -> date:
    """The Shanghai day an event starts on."""
    from zoneinfo import ZoneInfo

    return event.starts_at.astimezone(ZoneInfo("Asia/Shanghai")).date()


def _as_typed(value: object) -> object:
    """A whole number in range reads back equal to itself; anything else must be refused."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return REFUSED
    return value


def _day_as_typed(value: object) -> object:
    """A calendar day of this century reads back as itself (a datetime as its date); anything else is refused."""
    day = value.date() if isinstance(value, datetime) else value
    return day if isinstance(day, date) and date(2000, 1, 1) <= day <= date(2099, 12, 31) else REFUSED


COORDINATE_FIELDS = {
    "tip point": _tip_at,
    "shop point": _shop_at,
    "checkpoint point": _checkpoint_at,
    "team base point": _team_base,
}
NUMBER_FIELDS = {
    "outreach people reached": lambda b, v, i: _outreach(b, reached=v).people_reached,
    "outreach app installs": lambda b, v, i: _outreach(b, reached=10**6 if _as_typed(v) is not REFUSED and v > 0
                                                       else 0, installs=v).app_installs,
    "outreach material count": lambda b, v, i: _outreach(b, materials={"leaflet": v}).materials.get("leaflet", 0),
    "grid staffing count": _staffing,
    "route leg minutes": _leg_minutes,
}


@pytest.mark.parametrize("name", list(COORDINATE_FIELDS))
def test_an_impossible_point_is_refused_alike_on_both_databases(benches, name):
    # (None, None) is "no point": only a team's base may be left out.
    failures = check_field(benches, name, HOSTILE_COORDINATES, COORDINATE_FIELDS[name],
                           lambda v: v if name == "team base point" and v == (None, None) else REFUSED,
                           must_store=False)
    assert not failures, report(failures)


@pytest.mark.parametrize("name", list(NUMBER_FIELDS))
def test_a_hostile_number_is_stored_as_given_or_refused_alike(benches, name):
    # 3 is an ordinary count: proof the field stores what it should, so its refusals mean something.
    failures = check_field(benches, name, (*HOSTILE_NUMBERS, 3), NUMBER_FIELDS[name], _as_typed)
    assert not failures, report(failures)


def test_a_hostile_date_is_stored_as_given_or_refused_alike(benches):
    failures = check_field(benches, "outreach day", HOSTILE_DATES, lambda b, v, i: _local_day(_outreach(b, day=v)),
                           _day_as_typed, must_store=False)
    assert not failures, report(failures)


def test_record_the_hostile_number_figures(benches, scorecard):
    scorecard.record("hostile input", "number, coordinate and date fields covered",
                     len(COORDINATE_FIELDS) + len(NUMBER_FIELDS) + 1, "every field")
    scorecard.record("hostile input", "hostile numbers / coordinates / dates tried",
                     f"{len(HOSTILE_NUMBERS)} / {len(HOSTILE_COORDINATES)} / {len(HOSTILE_DATES)}", "")
    assert TALLY.checks["sqlite"] == TALLY.checks["postgresql"] > 0
