"""What happens on the street: tips and their dispatches, hazards, and outreach events."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, Located
from db.types import JSONDoc, UTCDateTime, utcnow, vocab
from nightwatch.vocab import (
    OPEN_DISPATCH_STATUSES,
    DispatchStatus,
    HazardCategory,
    HazardStatus,
    Outcome,
    OutreachKind,
    TipCategory,
    TipSource,
    TipStatus,
    Urgency,
)


class Tip(Located, Base):
    """A 线索: something a merchant, caller or patrol reported, and every step it took."""

    __tablename__ = "tip"
    __table_args__ = (
        UniqueConstraint("idempotency_key"),
        Index(None, "district_id", "status", "received_at"),
        Index(None, "district_id", "received_at", "cell"),
        Index(None, "shop_id", "received_at"),
        Index(None, "reporter_account_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id", ondelete="SET NULL"), index=True)
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shop.id", ondelete="SET NULL"))
    reporter_account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    reporter_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    # A caller's own words about who they are, for tips logged on someone's behalf (personal data).
    caller_name: Mapped[str | None] = mapped_column(String(80))
    caller_phone: Mapped[str | None] = mapped_column(String(20))
    anonymous: Mapped[bool] = mapped_column(default=False)
    source: Mapped[TipSource] = mapped_column(vocab(TipSource), default=TipSource.MERCHANT_APP)
    category: Mapped[TipCategory] = mapped_column(vocab(TipCategory))
    urgency: Mapped[Urgency] = mapped_column(vocab(Urgency), default=Urgency.NORMAL)
    text: Mapped[str] = mapped_column(Text, default="")
    location_note: Mapped[str | None] = mapped_column(String(200))
    photo_path: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[TipStatus] = mapped_column(vocab(TipStatus), default=TipStatus.RECEIVED)
    outcome: Mapped[Outcome | None] = mapped_column(vocab(Outcome))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("tip.id", ondelete="SET NULL"), index=True)
    # A key the posting form carries, so a double submit on a flaky connection makes one tip.
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    duty_date: Mapped[date]
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    on_scene_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    referred_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    dispatches: Mapped[list[Dispatch]] = relationship(back_populates="tip", order_by="Dispatch.id")


# The responders query writes these statuses into its SQL, so PostgreSQL's prepared plan can prove the partial
# index below covers them.
OPEN_DISPATCH = text("status IN (" + ", ".join(f"'{status.value}'" for status in OPEN_DISPATCH_STATUSES) + ")")
# The same on PostgreSQL, spelt as PostgreSQL prints it back: the bulk loader recreates indexes from their
# printed definitions, and PostgreSQL prints the IN spelling differently once it reads its own print.
OPEN_DISPATCH_PG = text("(status)::text = ANY (ARRAY[" + ", ".join(
    f"('{status.value}'::character varying)::text" for status in OPEN_DISPATCH_STATUSES) + "])")


class Dispatch(Base):
    """A tip pushed point-to-point to one responder (情指行), and how they answered."""

    __tablename__ = "dispatch"
    __table_args__ = (
        UniqueConstraint("tip_id", "person_id"),
        Index(None, "person_id", "status"),
        # The load each responder carries, counted whenever a tip is ranked: PostgreSQL reads only the few open
        # dispatches here (2 pages a person, not 12); SQLite's planner keeps (person, status), as quick there.
        Index("ix_dispatch_open_person_id", "person_id", sqlite_where=OPEN_DISPATCH, postgresql_where=OPEN_DISPATCH_PG),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tip_id: Mapped[int] = mapped_column(ForeignKey("tip.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    sent_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    status: Mapped[DispatchStatus] = mapped_column(vocab(DispatchStatus), default=DispatchStatus.SENT)
    # Distance from the responder's last known position when sent, in metres.
    distance_m: Mapped[float | None] = mapped_column(Float)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    on_scene_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[Outcome | None] = mapped_column(vocab(Outcome))
    note: Mapped[str | None] = mapped_column(Text)

    tip: Mapped[Tip] = relationship(back_populates="dispatches")


class TipFollower(Base):
    """Someone else who reported the same thing: added to an open tip, or merged into it; kept informed."""

    __tablename__ = "tip_follower"
    __table_args__ = (Index(None, "account_id", "added_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tip_id: Mapped[int] = mapped_column(ForeignKey("tip.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shop.id", ondelete="SET NULL"), index=True)
    # The duplicate this reporter first posted, when a coordinator merged it in.
    merged_tip_id: Mapped[int | None] = mapped_column(ForeignKey("tip.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OutboundNotice(Base):
    """A message posted to the configured group-robot webhook (WeCom, DingTalk, Feishu), and how it went."""

    __tablename__ = "outbound_notice"
    __table_args__ = (Index(None, "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # "dispatch", "escalation", "reminder" …
    # What it is about, e.g. "dispatch:17" or "reminder:42:2h"; one notice per key is ever sent.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    payload: Mapped[dict] = mapped_column(JSONDoc)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, sending, sent, failed
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # While "sending": when the sender took it. A claim older than notices.CLAIM_EXPIRES is a dead sender's.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Hazard(Located, Base):
    """A 隐患 found on patrol or reported, tracked until rectified and re-inspected."""

    __tablename__ = "hazard"
    __table_args__ = (
        Index(None, "district_id", "status", "due_on"),
        Index(None, "shop_id", "found_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id", ondelete="SET NULL"), index=True)
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shop.id", ondelete="SET NULL"))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id", ondelete="SET NULL"), index=True)
    tip_id: Mapped[int | None] = mapped_column(ForeignKey("tip.id", ondelete="SET NULL"), index=True)
    found_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    reported_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    # Who follows the rectification up on the night side (a grid worker, officer or team leader).
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    category: Mapped[HazardCategory] = mapped_column(vocab(HazardCategory))
    description: Mapped[str] = mapped_column(Text, default="")
    responsible_party: Mapped[str | None] = mapped_column(String(120))
    location_note: Mapped[str | None] = mapped_column(String(200))
    rectify_note: Mapped[str | None] = mapped_column(Text)
    # How many re-inspections have failed and sent it back.
    reopen_count: Mapped[int] = mapped_column(default=0)
    status: Mapped[HazardStatus] = mapped_column(vocab(HazardStatus), default=HazardStatus.REPORTED)
    photo_path: Mapped[str | None] = mapped_column(String(255))
    after_photo_path: Mapped[str | None] = mapped_column(String(255))
    found_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_on: Mapped[date | None]
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rectified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reinspect_on: Mapped[date | None]
    reinspected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class HazardInspection(Base):
    """A 复查 of a rectified hazard, booked onto the next patrol of its grid's route, and what it found."""

    __tablename__ = "hazard_inspection"
    __table_args__ = (Index(None, "district_id", "duty_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazard.id", ondelete="CASCADE"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"))
    # The patrol it rides on; None until a patrol of that grid is on the roster.
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shift.id", ondelete="SET NULL"), index=True)
    # The night it is due (the booked shift's duty date, or the earliest night it may be done).
    duty_date: Mapped[date]
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    done_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    passed: Mapped[bool | None]
    note: Mapped[str | None] = mapped_column(Text)
    photo_path: Mapped[str | None] = mapped_column(String(255))


class ShopInspection(Base):
    """A safety inspection (安全检查) of a shop: who looked, what its checklist showed, what they noted."""

    __tablename__ = "shop_inspection"
    __table_args__ = (Index(None, "shop_id", "inspected_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id", ondelete="CASCADE"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"), index=True)
    inspected_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    # The checklist as found, e.g. {"extinguisher": true, "camera": false}.
    checklist: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    note: Mapped[str | None] = mapped_column(Text)


class OutreachEvent(Located, Base):
    """An anti-fraud booth or safety outreach (地摊警务, 反诈宣传) and what it reached."""

    __tablename__ = "outreach_event"
    __table_args__ = (Index(None, "district_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id", ondelete="SET NULL"), index=True)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id", ondelete="SET NULL"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"), index=True)
    # A venue visit's shop, when the outreach was at one.
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shop.id", ondelete="SET NULL"), index=True)
    created_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    location_note: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[OutreachKind] = mapped_column(vocab(OutreachKind))
    title: Mapped[str] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Materials handed out, e.g. {"fan": 200, "bag": 80, "napkin": 500}.
    materials: Mapped[dict[str, int]] = mapped_column(JSONDoc, default=dict)
    people_reached: Mapped[int] = mapped_column(default=0)
    app_installs: Mapped[int] = mapped_column(default=0)
    note: Mapped[str | None] = mapped_column(Text)


__all__ = ["Tip", "Dispatch", "TipFollower", "OutboundNotice", "Hazard", "HazardInspection", "ShopInspection",
           "OutreachEvent"]
