"""The situation map's colours, one place for the map and its legend. Pure."""
from __future__ import annotations

from nightwatch.situation import Staffing
from nightwatch.vocab import TeamType, Urgency

RGBA = list[int]

STAFFING_COLOURS: dict[Staffing, RGBA] = {
    Staffing.FULL: [46, 160, 67, 90],
    Staffing.SHORT: [245, 166, 35, 110],
    Staffing.EMPTY: [214, 39, 40, 120],
    Staffing.UNPLANNED: [150, 150, 150, 60],
    Staffing.HIDDEN: [66, 120, 200, 50],
}

# Red-family for the red teams of the articles, blues for police-led ones, the rest apart.
TEAM_COLOURS: dict[TeamType, RGBA] = {
    TeamType.RED_VOLUNTEER: [200, 16, 46, 255],
    TeamType.RED_VEST: [239, 83, 80, 255],
    TeamType.VOLUNTEER_POLICE: [21, 101, 192, 255],
    TeamType.RAPID_RESPONSE: [106, 27, 154, 255],
    TeamType.BUILDING_GUARD: [0, 137, 123, 255],
    TeamType.ANTI_FRAUD: [255, 143, 0, 255],
    TeamType.MERCHANT_CODEFENSE: [124, 179, 66, 255],
    TeamType.SAFETY_OUTREACH: [216, 27, 96, 255],
    TeamType.PATROL_186: [93, 64, 55, 255],
    TeamType.PROPERTY: [120, 144, 156, 255],
    TeamType.SECURITY: [55, 71, 79, 255],
    TeamType.POLICE_PATROL: [13, 71, 161, 255],
    TeamType.JOINT_DUTY: [0, 96, 100, 255],
    TeamType.COMMUNITY_CADRE: [158, 157, 36, 255],
}
NO_TEAM: RGBA = [97, 97, 97, 255]

URGENCY_COLOURS: dict[Urgency, RGBA] = {
    Urgency.CRITICAL: [183, 28, 28, 255],
    Urgency.HIGH: [244, 81, 30, 255],
    Urgency.NORMAL: [253, 216, 53, 255],
    Urgency.LOW: [100, 181, 246, 255],
}

# A tip's outline darkens with its wait: fresh, waiting past the 5-minute reach, overdue past 15.
AGE_BANDS: tuple[tuple[int, str, RGBA], ...] = (
    (5, "fresh", [255, 255, 255, 255]),
    (15, "waiting", [255, 111, 0, 255]),
    (10**9, "overdue", [0, 0, 0, 255]),
)

CHECKPOINT: RGBA = [123, 31, 162, 230]
POST: RGBA = [25, 118, 210, 240]
SHOP: RGBA = [0, 150, 136, 220]
RING: RGBA = [211, 47, 47, 200]
LABEL: RGBA = [33, 33, 33, 255]
HALO: RGBA = [255, 255, 255, 230]


def team_colour(team_type: TeamType | None) -> RGBA:
    """A team type's colour."""
    return list(TEAM_COLOURS.get(team_type, NO_TEAM)) if team_type else list(NO_TEAM)


def age_band(minutes: float) -> tuple[str, RGBA]:
    """The band and outline colour of a tip that has waited this many minutes."""
    for limit, name, colour in AGE_BANDS:
        if minutes <= limit:
            return name, list(colour)
    return AGE_BANDS[-1][1], list(AGE_BANDS[-1][2])


def faded(colour: RGBA, minutes_old: float) -> RGBA:
    """A person's colour, paler the older their last known position."""
    alpha = 255 if minutes_old <= 15 else 170 if minutes_old <= 60 else 90
    return [*colour[:3], alpha]


def hex_of(colour: RGBA) -> str:
    """#rrggbb of a colour, for the legend."""
    return "#{:02x}{:02x}{:02x}".format(*colour[:3])
