"""The NightWatch schema: SQLAlchemy 2 typed ORM models, one module per part of the domain."""
from db.models.audit import AuditEvent
from db.models.base import Base
from db.models.duty import (
    Assignment,
    Availability,
    CheckIn,
    PointsEntry,
    Shift,
    ShiftCampaign,
    SwapOffer,
)
from db.models.geocoding import GeocodeCache
from db.models.geography import (
    Checkpoint,
    District,
    DutyPost,
    Grid,
    Place,
    Route,
    RouteStop,
)
from db.models.heat import IncidentHeat, PatrolHeat
from db.models.incidents import (
    Dispatch,
    Hazard,
    HazardInspection,
    OutboundNotice,
    OutreachEvent,
    ShopInspection,
    Tip,
    TipFollower,
)
from db.models.people import (
    Account,
    AccountDistrict,
    AccountToken,
    LastPosition,
    Person,
    Shop,
    Team,
)

__all__ = [
    "Account",
    "AccountDistrict",
    "AccountToken",
    "Assignment",
    "AuditEvent",
    "Availability",
    "Base",
    "CheckIn",
    "Checkpoint",
    "Dispatch",
    "District",
    "DutyPost",
    "GeocodeCache",
    "Grid",
    "Hazard",
    "HazardInspection",
    "IncidentHeat",
    "LastPosition",
    "OutboundNotice",
    "OutreachEvent",
    "PatrolHeat",
    "Person",
    "Place",
    "PointsEntry",
    "Route",
    "RouteStop",
    "Shift",
    "ShiftCampaign",
    "Shop",
    "ShopInspection",
    "SwapOffer",
    "Team",
    "Tip",
    "TipFollower",
]
