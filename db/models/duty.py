"""Who is on duty when: campaigns, shifts, assignments, check-ins and the points ledger."""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, Created
from db.types import JSONDoc, UTCDateTime, utcnow, vocab
from nightwatch.vocab import AssignmentStatus, CheckInMethod, ShiftKind, SwapStatus


class ShiftCampaign(Created, Base):
    """A repeating pattern that makes shifts: "every night 19:00–02:00 from 1 June for 100 days"."""

    __tablename__ = "shift_campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id", ondelete="SET NULL"))
    route_id: Mapped[int | None] = mapped_column(ForeignKey("route.id", ondelete="SET NULL"))
    duty_post_id: Mapped[int | None] = mapped_column(ForeignKey("duty_post.id", ondelete="SET NULL"))
    first_night: Mapped[date]
    last_night: Mapped[date]
    # Local wall-clock times in the district's timezone; an end before the start means the next morning.
    start_time: Mapped[time]
    end_time: Mapped[time]
    required: Mapped[dict[str, int]] = mapped_column(JSONDoc, default=dict)
    kind: Mapped[ShiftKind] = mapped_column(vocab(ShiftKind), default=ShiftKind.REGULAR)
    # Nights of the week it runs on (0 = Monday … 6 = Sunday, by duty date); None = every night.
    weekdays: Mapped[list[int] | None] = mapped_column(JSONDoc)


class Shift(Created, Base):
    """One stretch of duty at a grid, on a route or at a post, stored as aware UTC instants."""

    __tablename__ = "shift"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(
            "grid_id IS NOT NULL OR route_id IS NOT NULL OR duty_post_id IS NOT NULL", name="has_place"
        ),
        Index(None, "district_id", "starts_at"),
        # A district's week on the coverage board, without walking the district's history.
        Index(None, "district_id", "duty_date"),
        Index(None, "grid_id", "duty_date"),
        Index(None, "duty_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id", ondelete="SET NULL"))
    route_id: Mapped[int | None] = mapped_column(ForeignKey("route.id", ondelete="SET NULL"), index=True)
    duty_post_id: Mapped[int | None] = mapped_column(ForeignKey("duty_post.id", ondelete="SET NULL"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("shift_campaign.id", ondelete="SET NULL"), index=True
    )
    # 勤务日: the local date the night begins (a 00:00–06:00 shift belongs to the night before).
    duty_date: Mapped[date]
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[ShiftKind] = mapped_column(vocab(ShiftKind), default=ShiftKind.REGULAR)
    # Required staffing by role kind, e.g. {"officer": 1, "auxiliary": 2, "grid_worker": 3}.
    required: Mapped[dict[str, int]] = mapped_column(JSONDoc, default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    # Where its holders are before their first check-in: its post, else its route's first stop with a point,
    # else its grid's centre; "post", "route" or "grid" says which. Written by the database alone (triggers
    # of migration 0011, on this table and on posts, routes' stops, checkpoints and grids), so the dispatch
    # screen reads one row per running shift, not four.
    start_lat: Mapped[float | None] = mapped_column(Float)
    start_lon: Mapped[float | None] = mapped_column(Float)
    start_source: Mapped[str | None] = mapped_column(String(8))

    assignments: Mapped[list[Assignment]] = relationship(back_populates="shift")


class Assignment(Base):
    """A person on a shift. Carries the shift's interval so the database can refuse overlaps.

    The interval is kept in step with the shift by a database trigger; a SQLite trigger
    or a PostgreSQL exclusion constraint (both made by the migrations) refuses two holding
    assignments of one person that share any instant.
    """

    __tablename__ = "assignment"
    __table_args__ = (
        UniqueConstraint("shift_id", "person_id"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index(None, "person_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    status: Mapped[AssignmentStatus] = mapped_column(vocab(AssignmentStatus), default=AssignmentStatus.ASSIGNED)
    # The role kind this person fills on the shift's required staffing.
    role_kind: Mapped[str | None] = mapped_column(String(32))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Why a coordinator overrode a warning such as too little rest between nights.
    override_reason: Mapped[str | None] = mapped_column(Text)

    shift: Mapped[Shift] = relationship(back_populates="assignments")


class SwapOffer(Base):
    """A shift offered to colleagues (换班/让班): taken by one, then approved where the team asks for it."""

    __tablename__ = "swap_offer"
    __table_args__ = (Index(None, "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    offered_by_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    # Offered to one colleague only, or to anyone who fits when empty.
    offered_to_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    status: Mapped[SwapStatus] = mapped_column(vocab(SwapStatus), default=SwapStatus.OFFERED)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))


class Availability(Base):
    """A night of the week a person can or cannot patrol; a person with no rows can any night."""

    __tablename__ = "availability"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    weekday: Mapped[int] = mapped_column(primary_key=True)  # of the duty date, 0 = Monday
    available: Mapped[bool] = mapped_column(default=True)


class CheckIn(Base):
    """A person checked in at a checkpoint, at the server's time."""

    __tablename__ = "check_in"
    __table_args__ = (
        # Covering index for the patrol heatmap: by district and time, then the cell.
        Index(None, "district_id", "at", "cell"),
        Index(None, "person_id", "at"),
        Index(None, "checkpoint_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    checkpoint_id: Mapped[int] = mapped_column(ForeignKey("checkpoint.id", ondelete="CASCADE"))
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shift.id", ondelete="SET NULL"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    duty_date: Mapped[date]
    method: Mapped[CheckInMethod] = mapped_column(vocab(CheckInMethod), default=CheckInMethod.QR)
    # The checkpoint's H3 cell, copied so aggregation never joins.
    cell: Mapped[str | None] = mapped_column(String(16))
    # The person's team type when they checked in, copied so the heatmap's team filter never joins.
    team_type: Mapped[str | None] = mapped_column(String(32))
    # The phone's own location, when the person allowed it, and its distance from the point.
    phone_lat: Mapped[float | None] = mapped_column(Float)
    phone_lon: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    flagged: Mapped[bool] = mapped_column(default=False)


class PointsEntry(Base):
    """One line of the points ledger (积分): hours and points earned for attended time."""

    __tablename__ = "points_ledger"
    __table_args__ = (Index(None, "person_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id", ondelete="SET NULL"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    hours: Mapped[float] = mapped_column(Numeric(6, 2, asdecimal=False), default=0)
    points: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
