"""Where patrols happen: districts, micro-grids, places, duty posts, checkpoints and routes."""
from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, Created, Located
from db.types import JSONDoc, vocab
from nightwatch.vocab import DutyPostKind, PlaceKind


class District(Created, Base):
    """A 片区/辖区: the unit a coordinator is responsible for, with its own timezone."""

    __tablename__ = "district"
    __table_args__ = (UniqueConstraint("city", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    city: Mapped[str] = mapped_column(String(80))
    province: Mapped[str | None] = mapped_column(String(40))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    center_lat: Mapped[float | None]
    center_lon: Mapped[float | None]
    # GeoJSON Polygon or MultiPolygon geometry (WGS-84).
    boundary: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    # 1-3-5 response targets in minutes, when they differ from the defaults.
    response_targets: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    note: Mapped[str | None] = mapped_column(Text)

    grids: Mapped[list[Grid]] = relationship(back_populates="district", order_by="Grid.id")


class Grid(Created, Base):
    """A 微网格 with its standing staffing template (role kind → count)."""

    __tablename__ = "grid"
    __table_args__ = (UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # GeoJSON Polygon geometry (WGS-84).
    polygon: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    center_lat: Mapped[float | None]
    center_lon: Mapped[float | None]
    # e.g. {"officer": 1, "auxiliary": 2, "grid_worker": 3, "merchant": 6}: 一警+两辅+三网格员+N商户
    staffing_template: Mapped[dict[str, int]] = mapped_column(JSONDoc, default=dict)
    area_m2: Mapped[float | None]

    district: Mapped[District] = relationship(back_populates="grids")


class Place(Created, Located, Base):
    """A named hotspot or landmark: night market, bar street, old lane, police station."""

    __tablename__ = "place"
    __table_args__ = (UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[PlaceKind] = mapped_column(vocab(PlaceKind))
    address: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class DutyPost(Created, Located, Base):
    """A 值守点: a kiosk, party-member post or outpost where people stand duty."""

    __tablename__ = "duty_post"
    __table_args__ = (UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[DutyPostKind] = mapped_column(vocab(DutyPostKind))
    active: Mapped[bool] = mapped_column(default=True)


class Checkpoint(Created, Located, Base):
    """A 打卡点 with a per-point secret that signs its QR link."""

    __tablename__ = "checkpoint"
    __table_args__ = (UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # Hex secret for HMAC-signed QR links; rotating it invalidates printed posters.
    secret: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)


class Route(Created, Base):
    """A 巡线: an ordered walk through checkpoints."""

    __tablename__ = "route"
    __table_args__ = (UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id", ondelete="SET NULL"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(default=True)

    stops: Mapped[list[RouteStop]] = relationship(
        back_populates="route", order_by="RouteStop.position", cascade="all, delete-orphan"
    )


class RouteStop(Base):
    """One checkpoint on a route, in order, with the expected minutes from the previous stop."""

    __tablename__ = "route_stop"

    route_id: Mapped[int] = mapped_column(ForeignKey("route.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    checkpoint_id: Mapped[int] = mapped_column(ForeignKey("checkpoint.id", ondelete="CASCADE"), index=True)
    minutes_from_previous: Mapped[int] = mapped_column(default=0)

    route: Mapped[Route] = relationship(back_populates="stops")


__all__ = ["District", "Grid", "Place", "DutyPost", "Checkpoint", "Route", "RouteStop"]
