"""The declarative base: one metadata with named constraints, shared mixins."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from db.types import UTCDateTime, utcnow

# Named constraints, so migrations can find them again on both backends.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every NightWatch table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Created:
    """Adds when the row was created."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Located:
    """Adds a WGS-84 point, its H3 cell, and whether the point is only approximate."""

    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # H3 cell at nightwatch.geo.H3_RESOLUTION, kept with the point so heatmaps group by it.
    cell: Mapped[str | None] = mapped_column(String(16))
    approximate: Mapped[bool] = mapped_column(default=False)
