"""Outreach (地摊警务, 反诈宣传) rules: what may be handed out, sane counts, the event's times, totals.

Pure: no database, no Streamlit. Refusals carry catalog keys; the page turns them into words.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from nightwatch.access import Actor, covers_district
from nightwatch.nights import wall_instant, window_of_night
from nightwatch.text import InputRefused, checked_day, clean_text
from nightwatch.vocab import AccountRole

# What booths hand out, in the order the form asks for them.
MATERIALS: tuple[str, ...] = ("leaflet", "fan", "bag", "napkin", "booklet", "gift")
# One booth hands out hundreds, not millions: a bigger figure is a typing slip.
MAX_MATERIAL = 100_000
MAX_REACHED = 100_000
MAX_TITLE = 120
MAX_NOTE = 1000
MAX_LOCATION_NOTE = 200
# A booth or a visit lasts an evening; longer is a wrong date or time.
MAX_DURATION = timedelta(hours=16)
PATROLLING = frozenset({AccountRole.TEAM_LEADER, AccountRole.VOLUNTEER})


class OutreachRefused(Exception):
    """An outreach event could not be logged, changed or read; `key` is a catalog key, `values` fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def checked_title(title: str | None) -> str:
    """The title trimmed; refuses an empty or too long one."""
    text = clean_text(title)
    if not text:
        raise OutreachRefused("outreach.title_missing")
    if len(text) > MAX_TITLE:
        raise OutreachRefused("outreach.title_too_long", limit=MAX_TITLE)
    return text


def checked_text(text: str | None, limit: int, key: str) -> str | None:
    """Optional free text trimmed (None when blank); refuses one longer than `limit`."""
    value = clean_text(text)
    if len(value) > limit:
        raise OutreachRefused(key, limit=limit)
    return value or None


def _whole(value: object, key: str, limit: int, **values: object) -> int:
    """A count as a non-negative whole number up to `limit`."""
    if isinstance(value, bool) or value is None:
        raise OutreachRefused(key, limit=limit, **values)
    if isinstance(value, float):
        if not value.is_integer():
            raise OutreachRefused(key, limit=limit, **values)
        value = int(value)
    if not isinstance(value, int) or value < 0 or value > limit:
        raise OutreachRefused(key, limit=limit, **values)
    return value


def checked_materials(materials: Mapping[str, object] | None) -> dict[str, int]:
    """Materials handed out by kind, zeros dropped; refuses unknown kinds and counts out of range."""
    checked: dict[str, int] = {}
    for item, count in (materials or {}).items():
        if item not in MATERIALS:
            raise OutreachRefused("outreach.material_unknown", item=item)
        number = _whole(count, "outreach.material_out_of_range", MAX_MATERIAL, item=item)
        if number:
            checked[item] = number
    return checked


def checked_counts(reached: object, installs: object) -> tuple[int, int]:
    """People reached and app installs promoted; installs cannot exceed the people reached."""
    people = _whole(reached, "outreach.reached_out_of_range", MAX_REACHED)
    apps = _whole(installs, "outreach.installs_out_of_range", MAX_REACHED)
    if apps > people:
        raise OutreachRefused("outreach.installs_above_reached")
    return people, apps


def event_times(day: date, start: time, end: time | None, tz: str) -> tuple[datetime, datetime | None]:
    """The event's aware UTC start and end from local wall times; an end at or before the start is next day."""
    try:
        day = checked_day(day)
    except InputRefused as refused:
        raise OutreachRefused(refused.key, **refused.values) from None
    zone = ZoneInfo(tz)
    starts_at = wall_instant(day, start, zone)
    if end is None:
        return starts_at, None
    end_day = day + timedelta(days=1) if end <= start else day
    ends_at = wall_instant(end_day, end, zone)
    if ends_at - starts_at > MAX_DURATION:
        raise OutreachRefused("outreach.too_long", hours=int(MAX_DURATION.total_seconds() // 3600))
    return starts_at, ends_at


def may_log_for(actor: Actor, district_id: int, team_id: int | None, own_team_id: int | None) -> bool:
    """Coordinators log for any team of their districts; patrols only for their own team."""
    if actor.is_coordinator:
        return covers_district(actor, district_id)
    if actor.role in PATROLLING and district_id in actor.district_ids:
        return own_team_id is not None and team_id == own_team_id
    return False


def may_edit(actor: Actor, district_id: int, created_by: int | None, team_id: int | None,
             own_team_id: int | None) -> bool:
    """Coordinators edit any event of their districts; leaders their team's; volunteers what they logged."""
    if actor.is_coordinator:
        return covers_district(actor, district_id)
    if actor.role not in PATROLLING or district_id not in actor.district_ids:
        return False
    if actor.role is AccountRole.TEAM_LEADER and own_team_id is not None and team_id == own_team_id:
        return True
    return actor.account_id is not None and created_by == actor.account_id


def may_delete(actor: Actor, district_id: int) -> bool:
    """Only coordinators of the district delete an event."""
    return actor.is_coordinator and covers_district(actor, district_id)


@dataclass(frozen=True)
class OutreachTotals:
    """What outreach in a period added up to: events, people reached, app installs, materials by kind."""

    events: int = 0
    reached: int = 0
    installs: int = 0
    materials: dict[str, int] = field(default_factory=dict)

    @property
    def handed_out(self) -> int:
        """Every item handed out, all kinds together."""
        return sum(self.materials.values())


def totals_of(events: Iterable[tuple[int, int, Mapping[str, object] | None]]) -> OutreachTotals:
    """Add up (people reached, installs, materials) of events; stored materials of unknown kinds still count."""
    count = reached = installs = 0
    materials: dict[str, int] = {}
    for people, apps, handed in events:
        count += 1
        reached += people or 0
        installs += apps or 0
        for item, number in (handed or {}).items():
            if isinstance(number, int) and not isinstance(number, bool) and number > 0:
                materials[item] = materials.get(item, 0) + number
    ordered = {item: materials[item] for item in (*MATERIALS, *sorted(set(materials) - set(MATERIALS)))
               if item in materials}
    return OutreachTotals(count, reached, installs, ordered)


def period_window(first: date, last: date, tz: str) -> tuple[datetime, datetime]:
    """The UTC span of the nights `first` to `last`: an event at 01:00 belongs to the night before."""
    if last < first:
        first, last = last, first
    return window_of_night(first, tz).starts_at, window_of_night(last, tz).ends_at
