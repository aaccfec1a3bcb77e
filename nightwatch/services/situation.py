"""The situation map's data: one district at one moment, cut down to what the actor may see."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from db.models import (
    Checkpoint,
    District,
    DutyPost,
    Grid,
    Hazard,
    OutreachEvent,
    Person,
    Place,
    Route,
    Shop,
    Team,
    Tip,
)
from nightwatch.access import Actor, covers_district
from nightwatch.hazards import is_overdue
from nightwatch.nights import duty_date_of, hour_of_night, window_of_night
from nightwatch.response import DEFAULT_TARGETS
from nightwatch.services.situation_duty import holdings_at, people_on_duty, staffed_by_grid
from nightwatch.services.situation_routes import route_lines
from nightwatch.situation import (
    Audience,
    GridArea,
    HazardMark,
    Layer,
    OutreachMark,
    Situation,
    Spot,
    SpotKind,
    TeamMark,
    TipMark,
    redact,
)
from nightwatch.vocab import OPEN_TIP_STATUSES, AccountRole, HazardStatus, TipStatus

# The map shows at most this many open hazards (most overdue first), whatever the backlog.
MAX_HAZARDS = 200


# What the map reads of a grid: the rows are drawn, so no ORM objects are built for them.
GRID_COLUMNS = select(Grid.id, Grid.name, Grid.polygon, Grid.center_lat, Grid.center_lon, Grid.staffing_template)


class DistrictMissing(LookupError):
    """No district has this id."""


def audience_of(actor: Actor, district_id: int) -> Audience:
    """How much of a district the actor may see on the map."""
    if actor.is_coordinator and covers_district(actor, district_id):
        return Audience.COORDINATOR
    if actor.role in (AccountRole.TEAM_LEADER, AccountRole.VOLUNTEER) and district_id in actor.district_ids:
        return Audience.PATROL
    if actor.role is AccountRole.MERCHANT and district_id in actor.district_ids:
        return Audience.MERCHANT
    return Audience.PUBLIC


def moment(*, tz: str, now: datetime, duty_date: date | None, hour: int | None) -> tuple[date, datetime]:
    """The night and instant to show: now by default; a chosen night opens at 22:00 unless an hour is given."""
    tonight = duty_date_of(now, tz)
    night = duty_date or tonight
    if hour is None:
        return night, now if night == tonight else hour_of_night(night, 22, tz)
    at = hour_of_night(night, hour, tz)
    # Tonight's current hour means now, not the top of the hour.
    return night, now if night == tonight and at <= now < at.replace(minute=59, second=59) else at


def situation(*, session_factory: sessionmaker, actor: Actor, district_id: int, now: datetime,
              duty_date: date | None = None, hour: int | None = None, grid_id: int | None = None,
              overview_cap: int | None = None) -> Situation:
    """The map's data for a district at a moment, redacted for the actor.

    With `grid_id`, checkpoints, posts, shops, tips, outreach, hazards and routes are read for that grid
    only. With `overview_cap`, a fixed layer (checkpoints, posts, shops, routes) holding more features than
    that is not read, and listed in `held_back` (with the cap it exceeds).
    """
    with session_factory() as session:
        district = session.get(District, district_id)
        if district is None:
            raise DistrictMissing(district_id)
        night, at = moment(tz=district.timezone, now=now, duty_date=duty_date, hour=hour)
        grid_rows = session.execute(GRID_COLUMNS.where(Grid.district_id == district_id).order_by(Grid.name)).all()
        grid_names = {g.id: g.name for g in grid_rows}
        centres = {g.id: _grid_centre(g) for g in grid_rows}
        held_back = _overcrowded(session, district_id, overview_cap) if grid_id is None and overview_cap else {}
        holdings = holdings_at(session, district, at)
        staffed, required = staffed_by_grid(holdings)
        full = Situation(
            district_id=district.id, district=district.name, timezone=district.timezone, duty_date=night, at=at,
            center=_centre(district, grid_rows), targets={**DEFAULT_TARGETS, **(district.response_targets or {})},
            grids=tuple(GridArea(g.id, g.name, g.polygon, _grid_centre(g),
                                 dict(g.staffing_template or {}) or required.get(g.id, {}), staffed.get(g.id, {}))
                        for g in grid_rows),
            teams=_teams(session, district_id),
            routes=() if Layer.ROUTES in held_back else route_lines(session, district_id, grid_id),
            spots=_spots(session, district_id, grid_names, grid_id, held_back),
            people=people_on_duty(session, district, at, holdings),
            tips=_tips(session, district_id, at, grid_names, centres, grid_id, live=at >= now),
            outreach=_outreach(session, district, night, grid_id),
            hazards=_hazards(session, district, at, grid_names, centres, grid_id),
            held_back=held_back,
        )
    return redact(full, audience_of(actor, district_id), actor.shop_id)


def grid_choices(*, session_factory: sessionmaker, district_id: int) -> list[tuple[int, str]]:
    """The district's grids as (id, name), by name, for the map's grid picker; grid names are public."""
    with session_factory() as session:
        return [(row.id, row.name) for row in session.execute(
            select(Grid.id, Grid.name).where(Grid.district_id == district_id).order_by(Grid.name))]


def _centre(district: District, grids) -> tuple[float, float]:
    if district.center_lat is not None and district.center_lon is not None:
        return district.center_lat, district.center_lon
    centres = [c for c in (_grid_centre(g) for g in grids) if c]
    if centres:
        return sum(c[0] for c in centres) / len(centres), sum(c[1] for c in centres) / len(centres)
    return 35.0, 105.0


def _grid_centre(grid: Grid) -> tuple[float, float] | None:
    return (grid.center_lat, grid.center_lon) if grid.center_lat is not None and grid.center_lon is not None else None


def _teams(session: Session, district_id: int) -> tuple[TeamMark, ...]:
    """Active teams with their active members counted per team (the person-by-team index, not a district scan)."""
    members = (select(func.count()).where(Person.team_id == Team.id, Person.active.is_(True))
               .correlate(Team).scalar_subquery())
    lead = aliased(Person)
    leader = select(lead.name).where(lead.id == Team.leader_id).correlate(Team).scalar_subquery()
    rows = session.execute(
        select(Team.id, Team.name, Team.team_type, Team.base_lat, Team.base_lon, Team.area, members, leader)
        .where(Team.district_id == district_id, Team.active.is_(True)).order_by(Team.name)
    ).all()
    return tuple(TeamMark(*row) for row in rows)


_SPOT_KIND = {Layer.CHECKPOINTS: SpotKind.CHECKPOINT, Layer.POSTS: SpotKind.POST, Layer.SHOPS: SpotKind.SHOP}


def _fixed_queries(district_id: int) -> dict[Layer, Select]:
    """The fixed point layers of a district, each as (id, name, lat, lon, grid_id[, subtype])."""
    return {
        Layer.CHECKPOINTS: select(Checkpoint.id, Checkpoint.name, Checkpoint.lat, Checkpoint.lon, Checkpoint.grid_id)
        .where(Checkpoint.active.is_(True), Checkpoint.district_id == district_id),
        Layer.POSTS: select(DutyPost.id, DutyPost.name, DutyPost.lat, DutyPost.lon, DutyPost.grid_id, DutyPost.kind)
        .where(DutyPost.active.is_(True), DutyPost.district_id == district_id),
        Layer.SHOPS: select(Shop.id, Shop.name, Shop.lat, Shop.lon, Shop.grid_id, Shop.business_kind)
        .where(Shop.is_codefender.is_(True), Shop.district_id == district_id),
    }


def _overcrowded(session: Session, district_id: int, cap: int) -> dict[Layer, int]:
    """The fixed layers holding more than `cap` features (mapped to `cap`), each read no further than `cap` + 1 rows."""
    probes = {layer: query.with_only_columns(query.selected_columns.id) for layer, query in
              _fixed_queries(district_id).items()}
    probes[Layer.ROUTES] = select(Route.id).where(Route.district_id == district_id, Route.active.is_(True))
    counts = {layer: select(func.count()).select_from(probe.limit(cap + 1).subquery()).scalar_subquery()
              for layer, probe in probes.items()}
    row = session.execute(select(*counts.values())).one()
    return {layer: cap for layer, n in zip(counts, row) if n > cap}


def _spots(session: Session, district_id: int, grid_names: dict[int, str], grid_id: int | None,
           held_back: dict[Layer, int]) -> tuple[Spot, ...]:
    spots: list[Spot] = []
    for layer, query in _fixed_queries(district_id).items():
        if layer in held_back:
            continue
        if grid_id is not None:
            query = query.where(query.selected_columns.grid_id == grid_id)
        for row in session.execute(query.order_by("name")):
            if row.lat is None or row.lon is None:
                continue
            subtype = str(row[5]) if len(row) > 5 else ""
            spots.append(Spot(_SPOT_KIND[layer], row.id, row.name, row.lat, row.lon, subtype,
                              grid_names.get(row.grid_id), row.grid_id))
    return tuple(spots)



def _tips(session: Session, district_id: int, at: datetime, grid_names: dict[int, str],
          grid_centres: dict[int, tuple[float, float] | None], grid_id: int | None, *, live: bool
          ) -> tuple[TipMark, ...]:
    """Tips received by `at` and not yet closed, referred or merged at `at`.

    `live` (`at` is now): nothing has closed after now, so the open statuses say it, read by the status index
    instead of every tip the district ever received (sorted here: an ORDER BY would steer SQLite to the other).
    """
    query = (select(Tip, Shop.name).outerjoin(Shop, Shop.id == Tip.shop_id)
             .where(Tip.district_id == district_id, Tip.received_at <= at, Tip.status != TipStatus.MERGED,
                    (Tip.closed_at.is_(None)) | (Tip.closed_at > at),
                    (Tip.referred_at.is_(None)) | (Tip.referred_at > at)))
    if live:
        query = query.where(Tip.status.in_(OPEN_TIP_STATUSES))
    if grid_id is not None:
        query = query.where(Tip.grid_id == grid_id)
    rows = sorted(session.execute(query).all(), key=lambda row: (row[0].received_at, row[0].id))
    marks = []
    for tip, shop in rows:
        lat, lon, rough = tip.lat, tip.lon, tip.approximate
        if lat is None or lon is None:
            if not grid_centres.get(tip.grid_id):
                continue
            (lat, lon), rough = grid_centres[tip.grid_id], True
        caller = None if tip.anonymous else tip.caller_name
        marks.append(TipMark(tip.id, tip.category, tip.urgency, _status_at(tip, at), tip.received_at, lat, lon, rough,
                             grid_names.get(tip.grid_id), tip.grid_id, tip.shop_id, shop, tip.text,
                             tip.location_note, caller))
    return tuple(marks)


def _status_at(tip: Tip, at: datetime) -> TipStatus:
    """Where an open tip stood at `at`, read from its timestamps (its status now may be later)."""
    for stamp, status in ((tip.on_scene_at, TipStatus.ON_SCENE), (tip.acknowledged_at, TipStatus.ACKNOWLEDGED),
                          (tip.dispatched_at, TipStatus.DISPATCHED)):
        if stamp is not None and stamp <= at:
            return status
    return TipStatus.RECEIVED


def _outreach(session: Session, district: District, night: date, grid_id: int | None) -> tuple[OutreachMark, ...]:
    """Outreach events starting during the night (by the district + start index), placed ones only."""
    window = window_of_night(night, district.timezone)
    query = (
        select(OutreachEvent, Team.name, Place.name, Shop.name)
        .outerjoin(Team, Team.id == OutreachEvent.team_id).outerjoin(Place, Place.id == OutreachEvent.place_id)
        .outerjoin(Shop, Shop.id == OutreachEvent.shop_id)
        .where(OutreachEvent.district_id == district.id, OutreachEvent.starts_at >= window.starts_at,
               OutreachEvent.starts_at < window.ends_at, OutreachEvent.lat.is_not(None),
               OutreachEvent.lon.is_not(None))
        .order_by(OutreachEvent.starts_at)
    )
    if grid_id is not None:
        query = query.where(OutreachEvent.grid_id == grid_id)
    rows = session.execute(query).all()
    return tuple(OutreachMark(e.id, e.kind, e.title, e.starts_at, e.ends_at, e.people_reached, e.app_installs, e.lat,
                              e.lon, place or shop or e.location_note, team, e.grid_id)
                 for e, team, place, shop in rows)


OPEN_HAZARD = tuple(status for status in HazardStatus if status is not HazardStatus.CLOSED)


def _hazards(session: Session, district: District, at: datetime, grid_names: dict[int, str],
             grid_centres: dict[int, tuple[float, float] | None], grid_id: int | None) -> tuple[HazardMark, ...]:
    """Hazards not closed and found by `at`, at their point, else their shop's, place's or grid's; capped."""
    today = at.astimezone(ZoneInfo(district.timezone)).date()
    query = (
        select(Hazard, Shop.name, Shop.lat, Shop.lon, Place.name, Place.lat, Place.lon)
        .outerjoin(Shop, Shop.id == Hazard.shop_id).outerjoin(Place, Place.id == Hazard.place_id)
        .where(Hazard.district_id == district.id, Hazard.status.in_(OPEN_HAZARD), Hazard.found_at <= at)
        .order_by(Hazard.due_on.is_(None), Hazard.due_on, Hazard.id).limit(MAX_HAZARDS)
    )
    if grid_id is not None:
        query = query.where(Hazard.grid_id == grid_id)
    rows = session.execute(query).all()
    marks = []
    for hazard, shop, shop_lat, shop_lon, place, place_lat, place_lon in rows:
        point, rough = _hazard_point(hazard, (shop_lat, shop_lon), (place_lat, place_lon), grid_centres)
        if point is None:
            continue
        status = HazardStatus(hazard.status)
        marks.append(HazardMark(hazard.id, hazard.category, status, is_overdue(status, hazard.due_on, today),
                                hazard.due_on, point[0], point[1], rough, shop or place or hazard.location_note,
                                grid_names.get(hazard.grid_id), hazard.grid_id))
    return tuple(marks)


def _hazard_point(hazard: Hazard, shop: tuple, place: tuple, grid_centres: dict[int, tuple[float, float] | None]
                  ) -> tuple[tuple[float, float] | None, bool]:
    """The hazard's own point, else its shop's or place's, else its grid's centre (marked approximate)."""
    for lat, lon in ((hazard.lat, hazard.lon), shop, place):
        if lat is not None and lon is not None:
            return (lat, lon), bool(hazard.approximate) and (lat, lon) == (hazard.lat, hazard.lon)
    centre = grid_centres.get(hazard.grid_id) if hazard.grid_id is not None else None
    return centre, True
