"""Outreach events and open hazards on the situation map: their dots, tooltips and details. Pure.

Works on an already-redacted `Situation`: the public never has hazards in it to draw.
"""
from __future__ import annotations

from typing import Any

from nightwatch.basemap import Basemap
from nightwatch.i18n import label, t
from nightwatch.nights import duty_date_of, wall_clock
from nightwatch.situation import Situation
from nightwatch.situation_marks import HazardMark, OutreachMark

Record = dict[str, Any]
Row = tuple[str, str]
OUTREACH_COLOUR = [236, 64, 122, 240]
HAZARD_COLOUR = [121, 85, 72, 240]
HAZARD_OUTLINE = [255, 255, 255, 255]
OVERDUE_OUTLINE = [214, 39, 40, 255]


def event_time(event: OutreachMark, tz: str) -> str:
    """``19:30–21:00``, or ``23:00–00:30 (+1)`` for an event that runs past midnight."""
    night = duty_date_of(event.starts_at, tz)
    start = wall_clock(event.starts_at, tz, night)
    return f"{start}–{wall_clock(event.ends_at, tz, night)}" if event.ends_at else start


def outreach_records(situation: Situation, basemap: Basemap, lang: str) -> list[Record]:
    """The night's outreach events as dots, with kind, title, time and reach in the tooltip."""
    return [{"kind": "outreach", "id": event.id, "position": basemap.project(event.lat, event.lon),
             "colour": OUTREACH_COLOUR,
             "tooltip": f"{event.title}\n{label(event.kind, lang)} · {event_time(event, situation.timezone)}\n"
                        + t("map.outreach_reach", lang, reached=event.reached, installs=event.installs)}
            for event in situation.outreach]


def _hazard_state(hazard: HazardMark, lang: str) -> str:
    """The hazard's status, with "overdue" after it when it is."""
    state = label(hazard.status, lang)
    return f"{state} · {t('map.hazard_overdue', lang)}" if hazard.overdue else state


def hazard_records(situation: Situation, basemap: Basemap, lang: str) -> list[Record]:
    """Open hazards as dots, outlined red when overdue."""
    return [{"kind": "hazard", "id": hazard.id, "position": basemap.project(hazard.lat, hazard.lon),
             "colour": HAZARD_COLOUR, "outline": OVERDUE_OUTLINE if hazard.overdue else HAZARD_OUTLINE,
             "tooltip": f"{label(hazard.category, lang)}\n{_hazard_state(hazard, lang)}"
                        + (f" · {hazard.where}" if hazard.where else "")}
            for hazard in situation.hazards]


def outreach_details(situation: Situation, event_id: int, lang: str) -> tuple[str, tuple[Row, ...], tuple] | None:
    """Title, rows and point of an outreach event of the night."""
    event = next((e for e in situation.outreach if e.id == event_id), None)
    if event is None:
        return None
    rows: list[Row] = [(t("map.detail.kind", lang), label(event.kind, lang)),
                       (t("map.detail.time", lang), event_time(event, situation.timezone)),
                       (t("map.detail.reached", lang), str(event.reached)),
                       (t("map.detail.installs", lang), str(event.installs))]
    for key, value in (("where", event.where), ("team", event.team)):
        if value:
            rows.append((t(f"map.detail.{key}", lang), value))
    return event.title, tuple(rows), (event.lat, event.lon)


def hazard_details(situation: Situation, hazard_id: int, lang: str) -> tuple[str, tuple[Row, ...], tuple] | None:
    """Title, rows and point of an open hazard."""
    hazard = next((h for h in situation.hazards if h.id == hazard_id), None)
    if hazard is None:
        return None
    rows: list[Row] = [(t("map.detail.status", lang), _hazard_state(hazard, lang)),
                       (t("map.detail.due", lang), hazard.due_on.isoformat() if hazard.due_on else "—"),
                       (t("map.detail.grid", lang), hazard.grid or "—")]
    if hazard.where:
        rows.insert(0, (t("map.detail.where", lang), hazard.where))
    if hazard.approximate:
        rows.append((t("map.detail.position", lang), t("map.approximate", lang)))
    return f"#{hazard.id} {label(hazard.category, lang)}", tuple(rows), (hazard.lat, hazard.lon)


def activity_choices(situation: Situation, lang: str) -> list[tuple[str, int, str]]:
    """Outreach events and hazards as (kind, id, label) for the pick list."""
    choices = [("hazard", h.id, f"△ #{h.id} {label(h.category, lang)}"
                + (f" · {t('map.hazard_overdue', lang)}" if h.overdue else "")) for h in situation.hazards]
    choices += [("outreach", e.id, f"📣 {e.title}") for e in situation.outreach]
    return choices
