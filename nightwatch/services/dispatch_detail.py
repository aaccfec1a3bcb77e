"""One tip as its district's coordinator sees it: who reported it, its steps, and who was sent."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from db.models import Account, Dispatch, Grid, Person, Shop, Tip, TipFollower
from nightwatch.access import COORDINATING, Actor, require_district, require_role
from nightwatch.privacy import mask_phone
from nightwatch.tips import state_of, timeline
from nightwatch.vocab import DispatchStatus, Outcome, TipCategory, TipSource, TipStatus, Urgency


@dataclass(frozen=True)
class SentTo:
    """One responder sent to the tip, and how far they got."""

    dispatch_id: int
    name: str
    status: DispatchStatus
    distance_m: float | None
    sent_at: datetime
    acknowledged_at: datetime | None
    on_scene_at: datetime | None
    closed_at: datetime | None


@dataclass(frozen=True)
class TipDetail:
    """A tip in full for a coordinator; the caller's phone is masked, an anonymous reporter unnamed."""

    id: int
    district_id: int
    category: TipCategory
    urgency: Urgency
    status: TipStatus
    source: TipSource
    text: str
    grid: str | None
    location_note: str | None
    lat: float | None
    lon: float | None
    reporter: str | None  # shop, account or caller name; None when anonymous
    caller_phone: str  # masked
    anonymous: bool
    outcome: Outcome | None
    outcome_note: str | None
    steps: list[tuple[str, datetime]]
    sent: list[SentTo]
    followers: int


def _reporter(session, tip: Tip) -> str | None:
    """Who reported the tip, as a coordinator may read it."""
    if tip.anonymous:
        return None
    if tip.shop_id:
        return session.scalar(select(Shop.name).where(Shop.id == tip.shop_id))
    if tip.caller_name:
        return tip.caller_name
    if tip.reporter_person_id:
        return session.scalar(select(Person.name).where(Person.id == tip.reporter_person_id))
    if tip.reporter_account_id:
        row = session.execute(select(Account.display_name, Account.login)
                              .where(Account.id == tip.reporter_account_id)).first()
        return (row.display_name or row.login) if row else None
    return None


def tip_detail(*, session_factory: sessionmaker, actor: Actor, tip_id: int) -> TipDetail | None:
    """The tip with its steps and responders, for a coordinator of its district."""
    require_role(actor, COORDINATING)
    with session_factory() as session:
        tip = session.get(Tip, tip_id)
        if tip is None:
            return None
        require_district(actor, tip.district_id)
        grid = session.scalar(select(Grid.name).where(Grid.id == tip.grid_id)) if tip.grid_id else None
        sent = [SentTo(d.id, name, d.status, d.distance_m, d.sent_at, d.acknowledged_at, d.on_scene_at, d.closed_at)
                for d, name in session.execute(select(Dispatch, Person.name).join(Person, Person.id == Dispatch.person_id)
                                               .where(Dispatch.tip_id == tip.id).order_by(Dispatch.id))]
        followers = len(session.scalars(select(TipFollower.id).where(TipFollower.tip_id == tip.id)).all())
        return TipDetail(tip.id, tip.district_id, tip.category, tip.urgency, tip.status, tip.source, tip.text, grid,
                         tip.location_note, tip.lat, tip.lon, _reporter(session, tip),
                         "" if tip.anonymous else mask_phone(tip.caller_phone), tip.anonymous, tip.outcome,
                         tip.outcome_note, timeline(state_of(tip)), sent, followers)
