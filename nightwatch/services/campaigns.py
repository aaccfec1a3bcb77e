"""Shift campaigns: "every night 19:00–02:00 from 1 June for 100 days" makes the shifts; edits touch the future only."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from db.errors import is_overlap
from db.models import Assignment, District, DutyPost, Grid, Route, Shift, ShiftCampaign
from db.types import utcnow
from nightwatch.access import COORDINATING, Actor, require_district, require_role
from nightwatch.nights import format_slot
from nightwatch.services.audit import record
from nightwatch.services.roster import RosterRefused, rebalance_in
from nightwatch.shifts import Night, campaign_nights, required_from_template
from nightwatch.text import clean_text
from nightwatch.vocab import AssignmentStatus, ShiftKind


@dataclass(frozen=True)
class CampaignPlan:
    """What a campaign is: where, which nights, what hours, whom it needs."""

    name: str
    first_night: date
    last_night: date
    start_time: time
    end_time: time
    grid_id: int | None = None
    route_id: int | None = None
    duty_post_id: int | None = None
    weekdays: tuple[int, ...] | None = None  # 0 = Monday; None = every night
    kind: ShiftKind = ShiftKind.REGULAR
    required: dict[str, int] | None = None  # None = the grid's staffing template


@dataclass(frozen=True)
class CampaignChange:
    """What saving a campaign did to its shifts."""

    campaign_id: int
    added: int
    changed: int
    removed: int
    kept: int  # past or attended shifts left exactly as they were


@dataclass(frozen=True)
class CampaignRow:
    """A campaign as the roster page lists it."""

    id: int
    name: str
    where: str
    first_night: date
    last_night: date
    hours: str  # 19:00–02:00 (+1)
    weekdays: tuple[int, ...] | None
    kind: ShiftKind
    required: dict[str, int]
    shifts: int
    plan: CampaignPlan


def create_campaign(*, session_factory: sessionmaker, actor: Actor, district_id: int, plan: CampaignPlan,
                    now: datetime | None = None) -> CampaignChange:
    """Save a campaign and make its coming shifts in one transaction."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    now = now or utcnow()
    with session_factory.begin() as session:
        required = _required(session, district_id, plan)
        campaign = ShiftCampaign(district_id=district_id)
        _apply(campaign, plan, required)
        session.add(campaign)
        session.flush()
        nights = _nights(session, campaign)
        for night in nights:
            if night.slot.starts_at > now:
                session.add(_new_shift(campaign, night))
        session.flush()
        added = sum(1 for night in nights if night.slot.starts_at > now)
        record(session, actor, "campaign.create", "shift_campaign", campaign.id, district_id=district_id,
               after=_snapshot(campaign) | {"shifts_added": added})
        return CampaignChange(campaign.id, added, 0, 0, 0)


def update_campaign(*, session_factory: sessionmaker, actor: Actor, campaign_id: int, plan: CampaignPlan,
                    now: datetime | None = None) -> CampaignChange:
    """Change a campaign; only its shifts still to start with nobody attended move, appear or go."""
    require_role(actor, COORDINATING)
    now = now or utcnow()
    with session_factory.begin() as session:
        campaign = session.get(ShiftCampaign, campaign_id)
        if campaign is None:
            raise RosterRefused("roster.campaign_unknown")
        require_district(actor, campaign.district_id)
        before = _snapshot(campaign)
        _apply(campaign, plan, _required(session, campaign.district_id, plan))
        wanted = {night.duty_date: night for night in _nights(session, campaign)}
        existing = session.scalars(select(Shift).where(Shift.campaign_id == campaign.id)).all()
        frozen = _frozen(session, existing, now)
        added = removed = 0
        gone: list[int] = []
        reshaped: list[Shift] = []
        for shift in existing:
            night = wanted.pop(shift.duty_date, None)
            if shift.id in frozen:
                continue
            if night is None:
                gone.append(shift.id)
            elif _reshape(shift, campaign, night):
                reshaped.append(shift)
        if gone:
            session.execute(delete(Shift).where(Shift.id.in_(gone)))
            removed = len(gone)
        for night in wanted.values():
            if night.slot.starts_at > now:
                session.add(_new_shift(campaign, night))
                added += 1
        _flush(session)
        for shift in reshaped:
            rebalance_in(session, shift=shift, actor=actor)
        changed = len(reshaped)
        outcome = CampaignChange(campaign.id, added, changed, removed, len(frozen))
        record(session, actor, "campaign.update", "shift_campaign", campaign.id, district_id=campaign.district_id,
               before=before, after=_snapshot(campaign) | {"added": added, "changed": changed, "removed": removed})
        return outcome


def list_campaigns(*, session_factory: sessionmaker, actor: Actor, district_id: int) -> list[CampaignRow]:
    """A district's campaigns, newest first night first, for its coordinators."""
    require_role(actor, COORDINATING)
    require_district(actor, district_id)
    with session_factory() as session:
        tz = session.get_one(District, district_id).timezone
        campaigns = session.scalars(select(ShiftCampaign).where(ShiftCampaign.district_id == district_id)
                                    .order_by(ShiftCampaign.first_night.desc(), ShiftCampaign.id.desc())).all()
        counts = {c.id: len(session.scalars(select(Shift.id).where(Shift.campaign_id == c.id)).all())
                  for c in campaigns}
        names = _place_names(session, campaigns)
    return [_row(c, names, counts[c.id], tz) for c in campaigns]


def _row(c: ShiftCampaign, names: dict[tuple[str, int], str], shifts: int, tz: str) -> CampaignRow:
    where = next((names.get((key, value), "?") for key, value in
                  (("post", c.duty_post_id), ("route", c.route_id), ("grid", c.grid_id)) if value), "?")
    nights = campaign_nights(c.first_night, c.first_night, c.start_time, c.end_time, tz)
    hours = format_slot(nights[0].slot, tz, c.first_night)
    weekdays = tuple(c.weekdays) if c.weekdays is not None else None
    plan = CampaignPlan(c.name, c.first_night, c.last_night, c.start_time, c.end_time, c.grid_id, c.route_id,
                        c.duty_post_id, weekdays, ShiftKind(c.kind), dict(c.required or {}))
    return CampaignRow(c.id, c.name, where, c.first_night, c.last_night, hours, weekdays, ShiftKind(c.kind),
                       dict(c.required or {}), shifts, plan)


def _place_names(session: Session, campaigns: Iterable[ShiftCampaign]) -> dict[tuple[str, int], str]:
    names: dict[tuple[str, int], str] = {}
    for key, model, attr in (("grid", Grid, "grid_id"), ("route", Route, "route_id"), ("post", DutyPost, "duty_post_id")):
        ids = {getattr(c, attr) for c in campaigns if getattr(c, attr)}
        for row_id, name in session.execute(select(model.id, model.name).where(model.id.in_(ids))) if ids else ():
            names[(key, row_id)] = name
    return names


def _required(session: Session, district_id: int, plan: CampaignPlan) -> dict[str, int]:
    """The plan's staffing, or its grid's template; checks the place belongs to the district."""
    if not clean_text(plan.name):
        raise RosterRefused("roster.campaign_needs_name")
    places = [(Grid, plan.grid_id), (Route, plan.route_id), (DutyPost, plan.duty_post_id)]
    if all(row_id is None for _, row_id in places):
        raise RosterRefused("roster.campaign_needs_place")
    for model, row_id in places:
        row = session.get(model, row_id) if row_id is not None else None
        if row_id is not None and (row is None or row.district_id != district_id):
            raise RosterRefused("roster.campaign_needs_place")
    if plan.weekdays is not None and not plan.weekdays:
        raise RosterRefused("roster.campaign_needs_weekday")
    if plan.required is not None:
        return required_from_template(plan.required)
    grid = session.get(Grid, plan.grid_id) if plan.grid_id is not None else None
    return required_from_template(grid.staffing_template if grid else {})


def _apply(campaign: ShiftCampaign, plan: CampaignPlan, required: dict[str, int]) -> None:
    campaign.name, campaign.kind, campaign.required = clean_text(plan.name), plan.kind, required
    campaign.grid_id, campaign.route_id, campaign.duty_post_id = plan.grid_id, plan.route_id, plan.duty_post_id
    campaign.first_night, campaign.last_night = plan.first_night, plan.last_night
    campaign.start_time, campaign.end_time = plan.start_time, plan.end_time
    campaign.weekdays = sorted(set(plan.weekdays)) if plan.weekdays is not None else None


def _nights(session: Session, campaign: ShiftCampaign) -> list[Night]:
    tz = session.get_one(District, campaign.district_id).timezone
    try:
        return campaign_nights(campaign.first_night, campaign.last_night, campaign.start_time, campaign.end_time,
                               tz, campaign.weekdays)
    except ValueError as error:
        raise RosterRefused("roster.campaign_bad_nights") from error


def _frozen(session: Session, shifts: list[Shift], now: datetime) -> set[int]:
    """Shifts an edit must not touch: begun already, or with anyone's attendance recorded."""
    attended = select(Assignment.shift_id).where(
        Assignment.shift_id.in_([s.id for s in shifts]),
        or_(Assignment.attended_at.is_not(None), Assignment.status.in_((AssignmentStatus.DONE, AssignmentStatus.NO_SHOW))))
    marked = set(session.scalars(attended).all()) if shifts else set()
    return {s.id for s in shifts if s.starts_at <= now or s.id in marked}


def _reshape(shift: Shift, campaign: ShiftCampaign, night: Night) -> bool:
    """Bring a coming shift in line with the campaign; True when anything changed."""
    new = {"starts_at": night.slot.starts_at, "ends_at": night.slot.ends_at, "required": dict(campaign.required),
           "kind": campaign.kind, "grid_id": campaign.grid_id, "route_id": campaign.route_id,
           "duty_post_id": campaign.duty_post_id}
    differs = {k: v for k, v in new.items() if getattr(shift, k) != v}
    for key, value in differs.items():
        setattr(shift, key, value)
    return bool(differs)


def _new_shift(campaign: ShiftCampaign, night: Night) -> Shift:
    return Shift(district_id=campaign.district_id, grid_id=campaign.grid_id, route_id=campaign.route_id,
                 duty_post_id=campaign.duty_post_id, campaign_id=campaign.id, duty_date=night.duty_date,
                 starts_at=night.slot.starts_at, ends_at=night.slot.ends_at, kind=campaign.kind,
                 required=dict(campaign.required))


def _flush(session: Session) -> None:
    """Write the edit; moving shifts onto someone's other shift is refused as a whole."""
    try:
        session.flush()
    except IntegrityError as error:
        if is_overlap(error):
            raise RosterRefused("roster.campaign_moves_into_clash") from error
        raise



def _snapshot(campaign: ShiftCampaign) -> dict[str, object]:
    """A campaign's settings for the audit log."""
    return {"name": campaign.name, "first_night": campaign.first_night.isoformat(),
            "last_night": campaign.last_night.isoformat(), "start_time": campaign.start_time.strftime("%H:%M"),
            "end_time": campaign.end_time.strftime("%H:%M"), "weekdays": campaign.weekdays,
            "kind": ShiftKind(campaign.kind).value, "required": dict(campaign.required or {}),
            "grid_id": campaign.grid_id, "route_id": campaign.route_id, "duty_post_id": campaign.duty_post_id}
