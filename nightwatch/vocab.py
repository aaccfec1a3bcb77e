"""The patrol vocabulary: every closed set of values the domain uses, named as the articles name them.

Values are stored as short English strings; people see them through the language catalog
(`nightwatch.i18n`, keys like ``team_type.red_volunteer``).
"""
from enum import StrEnum


class TeamType(StrEnum):
    """Kinds of patrol team (五队共建 and the mass patrol forces of the articles)."""

    RED_VOLUNTEER = "red_volunteer"  # 红色志愿队
    VOLUNTEER_POLICE = "volunteer_police"  # 义警巡逻队
    RAPID_RESPONSE = "rapid_response"  # 联合快反队
    BUILDING_GUARD = "building_guard"  # 楼宇守护队
    ANTI_FRAUD = "anti_fraud"  # 反诈宣讲队
    RED_VEST = "red_vest"  # 红马甲/红袖章
    MERCHANT_CODEFENSE = "merchant_codefense"  # 商户联防
    SAFETY_OUTREACH = "safety_outreach"  # 平安宣防团
    PATROL_186 = "patrol_186"  # 186巡防队
    PROPERTY = "property"  # 物业
    SECURITY = "security"  # 保安
    POLICE_PATROL = "police_patrol"  # 民警巡逻组/快警
    JOINT_DUTY = "joint_duty"  # 联勤小组 (1+5+N)
    COMMUNITY_CADRE = "community_cadre"  # 社区干部


class RoleKind(StrEnum):
    """What a person is on patrol; staffing templates count these."""

    OFFICER = "officer"  # 民警
    AUXILIARY = "auxiliary"  # 辅警
    GRID_WORKER = "grid_worker"  # 网格员
    VOLUNTEER = "volunteer"  # 志愿者
    MERCHANT = "merchant"  # 商户联防员
    SECURITY_GUARD = "security_guard"  # 保安
    PROPERTY_STAFF = "property_staff"  # 物业
    PARTY_MEMBER = "party_member"  # 党员
    CADRE = "cadre"  # 社区干部
    PATROL_186 = "patrol_186"  # 186巡防队员


class PlaceKind(StrEnum):
    """Kinds of hotspot and landmark."""

    NIGHT_MARKET = "night_market"
    BAR_STREET = "bar_street"
    LANE = "lane"  # old lane, historic street
    COMMERCIAL = "commercial"  # 商圈, shopping street
    FOOD_STREET = "food_street"
    SCENIC = "scenic"
    RESIDENTIAL = "residential"
    PARKING = "parking"
    POLICE_STATION = "police_station"  # 派出所


class DutyPostKind(StrEnum):
    """Kinds of fixed post where people stand duty."""

    PARTY_POST = "party_post"  # 党员值守点
    SECURITY_KIOSK = "security_kiosk"  # 治安宣防岗亭
    DUTY_POINT = "duty_point"  # 执勤点
    OUTPOST = "outpost"  # 平安前哨
    POLICE_OFFICE = "police_office"  # 警务室
    TRAFFIC_POST = "traffic_post"  # 驻点路口


class ShiftKind(StrEnum):
    """Why a shift exists."""

    REGULAR = "regular"
    TIDAL = "tidal"  # 潮汐: peak-hour reinforcement


class AssignmentStatus(StrEnum):
    """Where a person stands with a shift."""

    ASSIGNED = "assigned"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    WITHDRAWN = "withdrawn"
    SWAPPED = "swapped"  # given to someone else
    NO_SHOW = "no_show"
    DONE = "done"


# Statuses that hold the person's time: two of these may never overlap for one person.
HOLDING_STATUSES: tuple[AssignmentStatus, ...] = (
    AssignmentStatus.ASSIGNED,
    AssignmentStatus.CONFIRMED,
    AssignmentStatus.NO_SHOW,
    AssignmentStatus.DONE,
)


class SwapStatus(StrEnum):
    """Where an offered shift stands: offered, taken by a colleague, then approved (or not)."""

    OFFERED = "offered"
    ACCEPTED = "accepted"  # a colleague will take it; waiting for the coordinator where approval is on
    APPROVED = "approved"  # done: the shift changed hands
    DECLINED = "declined"  # the coordinator said no
    CANCELLED = "cancelled"  # the offer was taken back, or the shift passed


OPEN_SWAP_STATUSES: tuple[SwapStatus, ...] = (SwapStatus.OFFERED, SwapStatus.ACCEPTED)


class CheckInMethod(StrEnum):
    """How a check-in was made."""

    QR = "qr"
    LINK = "link"
    MANUAL = "manual"


class TipCategory(StrEnum):
    """What a tip-off (线索) is about."""

    DISPUTE = "dispute"  # 纠纷
    SUSPICIOUS = "suspicious"  # 可疑人员
    THEFT = "theft"  # 盗窃
    LOST_PERSON = "lost_person"  # 走失
    LOST_ITEM = "lost_item"  # 失物
    UNLOCKED_VEHICLE = "unlocked_vehicle"  # 车门未锁
    FIRE_HAZARD = "fire_hazard"  # 消防隐患
    FRAUD = "fraud"  # 诈骗
    DRUNK = "drunk"  # 醉酒滋事
    NOISE = "noise"  # 噪音
    MEDICAL = "medical"  # 急救
    OTHER = "other"


class TipSource(StrEnum):
    """How a tip reached us."""

    MERCHANT_APP = "merchant_app"
    PHONE = "phone"
    WALK_IN = "walk_in"
    PATROL = "patrol"
    VIDEO = "video"


class Urgency(StrEnum):
    """How fast a tip needs someone."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    CRITICAL = "critical"


class TipStatus(StrEnum):
    """A tip's place in its life cycle."""

    RECEIVED = "received"
    DISPATCHED = "dispatched"
    ACKNOWLEDGED = "acknowledged"
    ON_SCENE = "on_scene"
    CLOSED = "closed"
    MERGED = "merged"
    REFERRED = "referred"  # handed to 110


OPEN_TIP_STATUSES: tuple[TipStatus, ...] = (
    TipStatus.RECEIVED,
    TipStatus.DISPATCHED,
    TipStatus.ACKNOWLEDGED,
    TipStatus.ON_SCENE,
)


class DispatchStatus(StrEnum):
    """A responder's place in handling one dispatched tip."""

    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    ON_SCENE = "on_scene"
    CLOSED = "closed"
    ESCALATED = "escalated"
    CANCELLED = "cancelled"


# Dispatches still on a responder's hands: they weigh on their ranking for another tip.
OPEN_DISPATCH_STATUSES: tuple[DispatchStatus, ...] = (
    DispatchStatus.SENT,
    DispatchStatus.ESCALATED,
    DispatchStatus.ACKNOWLEDGED,
    DispatchStatus.ON_SCENE,
)


class Outcome(StrEnum):
    """How a tip ended."""

    MEDIATED = "mediated"
    FOUND = "found"
    RETURNED = "returned"
    REFERRED = "referred"
    FALSE_ALARM = "false_alarm"
    RESOLVED = "resolved"


class HazardCategory(StrEnum):
    """Kinds of hazard found on patrol (隐患)."""

    BLOCKED_FIRE_EXIT = "blocked_fire_exit"
    GREASE_DUCT = "grease_duct"
    UNSAFE_WIRING = "unsafe_wiring"
    UNLOCKED_VEHICLE = "unlocked_vehicle"
    UNLICENSED_VENUE = "unlicensed_venue"
    GAS_SAFETY = "gas_safety"
    MISSING_EXTINGUISHER = "missing_extinguisher"
    OTHER = "other"


class HazardStatus(StrEnum):
    """A hazard's place on the way to rectification."""

    REPORTED = "reported"
    VERIFIED = "verified"
    ASSIGNED = "assigned"
    RECTIFIED = "rectified"
    REINSPECTED = "reinspected"
    CLOSED = "closed"
    REOPENED = "reopened"


class OutreachKind(StrEnum):
    """Kinds of outreach (地摊警务, 反诈宣传)."""

    ANTI_FRAUD_BOOTH = "anti_fraud_booth"  # 反诈摊位
    SAFETY_OUTREACH = "safety_outreach"  # 平安宣防
    VENUE_VISIT = "venue_visit"  # 场所走访
    SCHOOL_GUARD = "school_guard"  # 护学岗


class BusinessKind(StrEnum):
    """What a shop does, as far as safety is concerned."""

    RESTAURANT = "restaurant"
    SNACK_STALL = "snack_stall"
    BAR = "bar"
    KTV = "ktv"
    RETAIL = "retail"
    HOTEL = "hotel"
    CHESS_CARD = "chess_card"
    TRAVEL_AGENCY = "travel_agency"
    CULTURAL = "cultural"
    OTHER = "other"


class RiskLevel(StrEnum):
    """A shop's assessed risk."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class AccountRole(StrEnum):
    """What a signed-in account may do; the public viewer needs no account."""

    ADMIN = "admin"
    COORDINATOR = "coordinator"
    TEAM_LEADER = "team_leader"
    VOLUNTEER = "volunteer"
    MERCHANT = "merchant"


class TokenKind(StrEnum):
    """What an account token is for."""

    SESSION = "session"  # the HttpOnly cookie of a signed-in browser
    LINK = "link"  # a personal sign-in link (QR) for phones, reusable until it expires or is revoked
    HANDOFF = "handoff"  # single-use, two-minute hand-over from the sign-in form to the cookie route
