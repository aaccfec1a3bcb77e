"""Who patrols and who reports: teams, people, shops, accounts and their tokens."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, Created, Located
from db.types import JSONDoc, UTCDateTime, vocab
from nightwatch.vocab import (
    AccountRole,
    BusinessKind,
    RiskLevel,
    RoleKind,
    TeamType,
    TokenKind,
)


class Team(Created, Base):
    """A patrol team of one type, based somewhere in a district."""

    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    team_type: Mapped[TeamType] = mapped_column(vocab(TeamType), index=True)
    # Leader is a person of the team; the FK is created after both tables exist.
    leader_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL", use_alter=True), index=True
    )
    base_lat: Mapped[float | None]
    base_lon: Mapped[float | None]
    # GeoJSON geometry the team covers, when it differs from its grids.
    area: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    swap_needs_approval: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)

    members: Mapped[list[Person]] = relationship(back_populates="team", foreign_keys="Person.team_id")


class Person(Created, Base):
    """Someone who patrols: officer, auxiliary, grid worker, volunteer, merchant co-defender …"""

    __tablename__ = "person"
    __table_args__ = (
        UniqueConstraint("phone"),
        Index(None, "district_id", "active"),
        # A team's active members counted from the index alone (the map's teams, at city scale 70 a team).
        Index(None, "team_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    home_grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # Mainland mobile number, 11 digits; personal data: masked for everyone but coordinators.
    phone: Mapped[str] = mapped_column(String(20))
    role_kind: Mapped[RoleKind] = mapped_column(vocab(RoleKind))
    # Further role kinds the person can fill (a volunteer who is also a party member).
    skills: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    active: Mapped[bool] = mapped_column(default=True)

    team: Mapped[Team | None] = relationship(back_populates="members", foreign_keys=[team_id])


class Shop(Created, Located, Base):
    """A shop and its safety dossier (平安档案, 一店一档)."""

    __tablename__ = "shop"
    __table_args__ = (
        UniqueConstraint("district_id", "name"),
        # The map's co-defender shops of a district, by name, without reading its other shops (20 to 1 in a city).
        Index("ix_shop_codefender_district_id_name", "district_id", "name", sqlite_where=text("is_codefender"),
              postgresql_where=text("is_codefender")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    owner_name: Mapped[str | None] = mapped_column(String(80))
    owner_phone: Mapped[str | None] = mapped_column(String(20))
    # Further contacts: [{"name": "…", "phone": "…", "role": "店长"}] (personal data, masked like phones).
    contacts: Mapped[list[dict[str, str]]] = mapped_column(JSONDoc, default=list)
    business_kind: Mapped[BusinessKind] = mapped_column(vocab(BusinessKind))
    address: Mapped[str | None] = mapped_column(String(200))
    risk_level: Mapped[RiskLevel] = mapped_column(vocab(RiskLevel), default=RiskLevel.LOW)
    is_codefender: Mapped[bool] = mapped_column(default=False)
    # The merchant co-defender (商户联防员) who speaks for this shop.
    codefender_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    # Safety equipment checklist, e.g. {"extinguisher": true, "camera": true, "alarm_button": false}.
    safety_checklist: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    # When the dossier was last edited (by the merchant or a coordinator).
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LastPosition(Base):
    """Where a person was last known to be: their last check-in, or the post they stand at."""

    __tablename__ = "last_position"
    # Bounding-box prefilter for "nearest on-duty person".
    __table_args__ = (Index(None, "lat", "lon"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    cell: Mapped[str | None] = mapped_column(String(16))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(16))  # "checkin" or "post"


class Account(Created, Base):
    """A sign-in: a login, a hashed password and a role, linked to a person or a shop."""

    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("login"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[AccountRole] = mapped_column(vocab(AccountRole))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shop.id", ondelete="SET NULL"), index=True)
    display_name: Mapped[str | None] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(8), default="zh-CN")
    active: Mapped[bool] = mapped_column(default=True)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    districts: Mapped[list[AccountDistrict]] = relationship(cascade="all, delete-orphan")


class AccountDistrict(Base):
    """One district an account's scope covers (coordinators cover one or more)."""

    __tablename__ = "account_district"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"), primary_key=True)


class AccountToken(Created, Base):
    """A session cookie or personal sign-in link; only a hash of the token is kept."""

    __tablename__ = "account_token"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    kind: Mapped[TokenKind] = mapped_column(vocab(TokenKind))
    token_hash: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text)
