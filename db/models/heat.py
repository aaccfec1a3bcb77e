"""Heatmap rollups: check-ins and tips counted per district, night, local hour and H3 cell.

Kept current on write by nightwatch.services.heat (one upsert per check-in or tip), and rebuilt
from the raw rows by the same module, so a heatmap never scans history.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class PatrolHeat(Base):
    """Check-ins in one cell during one local hour of one night, by team type ("" for none)."""

    __tablename__ = "patrol_heat"

    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"), primary_key=True)
    duty_date: Mapped[date] = mapped_column(primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)  # local wall-clock hour, 0–23
    cell: Mapped[str] = mapped_column(String(16), primary_key=True)
    team_type: Mapped[str] = mapped_column(String(32), primary_key=True, default="")
    n: Mapped[int] = mapped_column(Integer, default=0)


class IncidentHeat(Base):
    """Tips (merged duplicates left out) in one cell during one local hour of one night, by category."""

    __tablename__ = "incident_heat"

    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"), primary_key=True)
    duty_date: Mapped[date] = mapped_column(primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)
    cell: Mapped[str] = mapped_column(String(16), primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)
