"""Reading tips: a merchant's own and followed tips with their timelines, and one tip as each role may see it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Account, Dispatch, Grid, Shop, Tip, TipFollower
from nightwatch import tips
from nightwatch.access import Actor, Forbidden, covers_district, require_role
from nightwatch.privacy import mask_phone
from nightwatch.vocab import (
    AccountRole,
    Outcome,
    TipCategory,
    TipSource,
    TipStatus,
    Urgency,
)

# How many merges to follow from a duplicate to the tip it joined (a chain, never a loop).
MAX_MERGE_HOPS = 5


@dataclass(frozen=True)
class TipView:
    """One tip as the actor may see it; reporter and caller are None where they are held back."""

    id: int
    category: TipCategory
    urgency: Urgency
    source: TipSource
    status: TipStatus  # of the tip that carries on: the one a merged duplicate joined
    outcome: Outcome | None
    text: str
    received_at: datetime
    location_note: str | None
    grid: str | None
    anonymous: bool
    reporter: str | None
    caller_name: str | None
    caller_phone: str | None  # masked
    has_photo: bool
    steps: tuple[tuple[str, datetime], ...]
    merged_into_id: int | None
    following: bool  # the actor added to it rather than reported it


def my_tips(*, session_factory: sessionmaker, actor: Actor, limit: int = 30) -> list[TipView]:
    """The tips the merchant reported or follows, newest first, each with where it has got to."""
    require_role(actor, (AccountRole.MERCHANT,))
    with session_factory() as session:
        owned = session.scalars(select(Tip).where(_reported_by(actor)).order_by(Tip.received_at.desc()).limit(limit)).all()
        followed = session.scalars(
            select(Tip).where(Tip.id.in_(select(TipFollower.tip_id).where(_follows(actor))))
            .order_by(Tip.received_at.desc()).limit(limit)).all()
        shown = {_carrier(session, tip).id for tip in owned}
        views = [_view(session, actor, tip, following=False) for tip in owned]
        views += [_view(session, actor, tip, following=True) for tip in followed if tip.id not in shown]
    return sorted(views, key=lambda view: view.received_at, reverse=True)[:limit]


def tip_detail(*, session_factory: sessionmaker, actor: Actor, tip_id: int) -> TipView:
    """One tip, refused unless the actor coordinates its district, reported or follows it, or was sent to it."""
    with session_factory() as session:
        tip = session.get(Tip, tip_id)
        if tip is None:
            raise Forbidden("tips.not_yours")
        if actor.is_coordinator:
            if not covers_district(actor, tip.district_id):
                raise Forbidden("access.other_district")
        elif not (_is_reporter(actor, tip) or _is_follower(session, actor, tip.id) or _was_sent(session, actor, tip.id)):
            raise Forbidden("tips.not_yours")
        readable = actor.is_coordinator or _is_reporter(actor, tip) or _was_sent(session, actor, tip.id)
        return _view(session, actor, tip, following=not _is_reporter(actor, tip), readable=readable)


def _reported_by(actor: Actor):
    """Rows reported by the merchant's account or shop (never a match on a missing id)."""
    owned = []
    if actor.account_id is not None:
        owned.append(Tip.reporter_account_id == actor.account_id)
    if actor.shop_id is not None:
        owned.append(Tip.shop_id == actor.shop_id)
    return or_(*owned) if owned else Tip.id.is_(None)


def _follows(actor: Actor):
    """Follower rows of the merchant's account or shop."""
    owned = []
    if actor.account_id is not None:
        owned.append(TipFollower.account_id == actor.account_id)
    if actor.shop_id is not None:
        owned.append(TipFollower.shop_id == actor.shop_id)
    return or_(*owned) if owned else TipFollower.id.is_(None)


def _is_reporter(actor: Actor, tip: Tip) -> bool:
    """True when the actor's account (or, for merchants, shop) reported the tip."""
    by_account = actor.account_id is not None and tip.reporter_account_id == actor.account_id
    by_shop = actor.role is AccountRole.MERCHANT and actor.shop_id is not None and tip.shop_id == actor.shop_id
    return by_account or by_shop


def _is_follower(session: Session, actor: Actor, tip_id: int) -> bool:
    """True when the actor follows the tip (or a duplicate merged into it)."""
    if actor.role is not AccountRole.MERCHANT:
        return False
    return session.scalar(select(TipFollower.id).where(TipFollower.tip_id == tip_id, _follows(actor)).limit(1)) is not None


def _was_sent(session: Session, actor: Actor, tip_id: int) -> bool:
    """True when the tip was dispatched to the actor's person."""
    if actor.person_id is None:
        return False
    return session.scalar(select(Dispatch.id).where(
        Dispatch.tip_id == tip_id, Dispatch.person_id == actor.person_id).limit(1)) is not None


def _carrier(session: Session, tip: Tip) -> Tip:
    """The tip that carries a merged duplicate's story on (the tip itself when not merged)."""
    current = tip
    for _ in range(MAX_MERGE_HOPS):
        if current.status is not TipStatus.MERGED or current.merged_into_id is None:
            break
        target = session.get(Tip, current.merged_into_id)
        if target is None:
            break
        current = target
    return current


def _reporter(session: Session, tip: Tip) -> str | None:
    """Who reported the tip: the shop's name, else the account's display name or login."""
    if tip.shop_id is not None:
        return session.scalar(select(Shop.name).where(Shop.id == tip.shop_id))
    if tip.reporter_account_id is not None:
        row = session.execute(select(Account.display_name, Account.login)
                              .where(Account.id == tip.reporter_account_id)).first()
        return (row.display_name or row.login) if row else None
    return None


def _merged_step(session: Session, tip: Tip) -> list[tuple[str, datetime]]:
    """When a coordinator merged the duplicate into another tip, if that was recorded."""
    when = session.scalar(select(TipFollower.added_at).where(TipFollower.merged_tip_id == tip.id)
                          .order_by(TipFollower.added_at).limit(1))
    return [("tips.step.merged", when)] if when is not None else []


def _view(session: Session, actor: Actor, tip: Tip, *, following: bool, readable: bool | None = None) -> TipView:
    """The tip cut down to what the actor may see; its words only to those who act on it or wrote them."""
    carrier = _carrier(session, tip)
    state = tips.state_of(carrier)
    coordinator = actor.is_coordinator and covers_district(actor, tip.district_id)
    show_reporter = coordinator or _is_reporter(actor, tip) or not tip.anonymous
    steps = tips.timeline(state)
    if carrier.id != tip.id:
        steps = [("tips.step.received", tip.received_at), *_merged_step(session, tip), *steps[1:]]
        steps.sort(key=lambda step: step[1])
    if readable is None:
        readable = coordinator or _is_reporter(actor, tip)
    grid = session.scalar(select(Grid.name).where(Grid.id == tip.grid_id)) if tip.grid_id else None
    return TipView(
        id=tip.id, category=tip.category, urgency=tip.urgency, source=tip.source, status=state.status,
        outcome=state.outcome, text=tip.text if readable else "",
        received_at=tip.received_at, location_note=tip.location_note, grid=grid, anonymous=tip.anonymous,
        reporter=_reporter(session, tip) if show_reporter else None,
        caller_name=tip.caller_name if coordinator else None,
        caller_phone=mask_phone(tip.caller_phone) if coordinator and tip.caller_phone else None,
        has_photo=tip.photo_path is not None, steps=tuple(steps),
        merged_into_id=carrier.id if carrier.id != tip.id else None, following=following,
    )
