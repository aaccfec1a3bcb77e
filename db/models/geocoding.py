"""Addresses a geocoder has answered, kept so the same question never goes out twice."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base
from db.types import UTCDateTime, utcnow


class GeocodeCache(Base):
    """One answer of an online geocoder for a normalised query, stored as WGS-84."""

    __tablename__ = "geocode_cache"
    __table_args__ = (UniqueConstraint("provider", "query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(16))
    query: Mapped[str] = mapped_column(String(200))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    # The provider's display address, shown so people can tell whether it found the right place.
    label: Mapped[str] = mapped_column(String(200))
    found_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


__all__ = ["GeocodeCache"]
