"""What the map shows under itself for a selected feature: phones have no hover. Pure.

Looks the feature up by kind and id in the (already redacted) situation; a selection coming
back from the browser is only ever used as a key, never as data.
"""
from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from nightwatch.i18n import label, t
from nightwatch.situation import Situation, SpotKind
from nightwatch.situation_activity import activity_choices, hazard_details, outreach_details
from nightwatch.situation_layers import role_label
from nightwatch.viewport import minutes_between
from nightwatch.vocab import BusinessKind, DutyPostKind

Row = tuple[str, str]


@dataclass(frozen=True)
class Details:
    """A selected feature: a title, label–value rows, and the point the response circles centre on."""

    kind: str
    id: int
    title: str
    rows: tuple[Row, ...]
    point: tuple[float, float] | None


def _roles(counts: dict[str, int], lang: str) -> str:
    sep = t("list.separator", lang)
    return sep.join(f"{role_label(role, lang)} {n}" for role, n in sorted(counts.items())) or "—"


def _grid(situation: Situation, grid_id: int, lang: str) -> Details | None:
    grid = next((g for g in situation.grids if g.id == grid_id), None)
    if grid is None:
        return None
    rows: list[Row] = [(t("map.detail.staffing", lang), t(f"map.staffing.{grid.staffing.value}", lang))]
    if grid.staffing_visible:
        rows += [(t("map.detail.required", lang), _roles(grid.required, lang)),
                 (t("map.detail.on_duty", lang), _roles(grid.staffed, lang))]
        short = {r: n - grid.staffed.get(r, 0) for r, n in grid.required.items() if grid.staffed.get(r, 0) < n}
        if short:
            rows.append((t("map.detail.short", lang), _roles(short, lang)))
    return Details("grid", grid.id, grid.name, tuple(rows), grid.center)


def _team(situation: Situation, team_id: int, lang: str) -> Details | None:
    team = next((x for x in situation.teams if x.id == team_id), None)
    if team is None:
        return None
    rows = [(t("map.detail.team_type", lang), label(team.team_type, lang)),
            (t("map.detail.members", lang), str(team.members))]
    if team.leader:
        rows.append((t("map.detail.leader", lang), team.leader))
    point = (team.lat, team.lon) if team.lat is not None and team.lon is not None else None
    return Details("team", team.id, team.name, tuple(rows), point)


def _route(situation: Situation, route_id: int, lang: str) -> Details | None:
    route = next((r for r in situation.routes if r.id == route_id), None)
    if route is None:
        return None
    rows = [(t("map.detail.stops", lang), " → ".join(route.stops)),
            (t("map.detail.lap_minutes", lang), str(route.minutes))]
    if route.team:
        rows.insert(0, (t("map.detail.team", lang), route.team))
    return Details("route", route.id, route.name, tuple(rows), route.path[0] if route.path else None)


def _spot(situation: Situation, kind: SpotKind, spot_id: int, lang: str) -> Details | None:
    spot = next((s for s in situation.spots if s.kind is kind and s.id == spot_id), None)
    if spot is None:
        return None
    what = t(f"map.spot.{kind.value}", lang)
    subtypes = {SpotKind.POST: DutyPostKind, SpotKind.SHOP: BusinessKind}
    if spot.subtype and kind in subtypes:
        what = label(subtypes[kind](spot.subtype), lang)
    rows = [(t("map.detail.kind", lang), what), (t("map.detail.grid", lang), spot.grid or "—")]
    return Details(kind.value, spot.id, spot.name, tuple(rows), (spot.lat, spot.lon))


def _person(situation: Situation, person_id: int, lang: str) -> Details | None:
    person = next((p for p in situation.people if p.person_id == person_id), None)
    if person is None:
        return None
    age = minutes_between(situation.at, person.seen_at)
    rows = [(t("map.detail.role", lang), role_label(person.role_kind, lang)),
            (t("map.detail.team", lang), person.team or "—"),
            (t("map.detail.shift", lang), person.shift),
            (t("map.detail.position", lang), t(f"map.seen.{person.source}", lang, minutes=age))]
    if person.phone:
        rows.append((t("map.detail.phone", lang), person.phone))
    return Details("person", person.person_id, person.name, tuple(rows), (person.lat, person.lon))


def _tip(situation: Situation, tip_id: int, lang: str) -> Details | None:
    tip = next((x for x in situation.tips if x.id == tip_id), None)
    if tip is None:
        return None
    local = tip.received_at.astimezone(ZoneInfo(situation.timezone))
    rows = [(t("map.detail.urgency", lang), label(tip.urgency, lang)),
            (t("map.detail.status", lang), label(tip.status, lang)),
            (t("map.detail.received", lang), local.strftime("%H:%M") + " · "
             + t("map.waited", lang, minutes=minutes_between(situation.at, tip.received_at))),
            (t("map.detail.grid", lang), tip.grid or "—")]
    if tip.approximate:
        rows.append((t("map.detail.position", lang), t("map.approximate", lang)))
    for key, value in (("shop", tip.shop), ("where", tip.location_note), ("text", tip.text), ("caller", tip.caller)):
        if value:
            rows.append((t(f"map.detail.{key}", lang), value))
    return Details("tip", tip.id, f"#{tip.id} {label(tip.category, lang)}", tuple(rows), (tip.lat, tip.lon))


def describe(situation: Situation, kind: str, feature_id: int, lang: str) -> Details | None:
    """The details of a feature the audience can see, or None when it is not theirs to see."""
    if kind in {member.value for member in SpotKind}:
        return _spot(situation, SpotKind(kind), feature_id, lang)
    finders = {"grid": _grid, "team": _team, "route": _route, "person": _person, "tip": _tip}
    finder = finders.get(kind)
    if finder:
        return finder(situation, feature_id, lang)
    activity = {"outreach": outreach_details, "hazard": hazard_details}.get(kind)
    found = activity(situation, feature_id, lang) if activity else None
    return Details(kind, feature_id, *found) if found else None


def feature_choices(situation: Situation, lang: str) -> list[tuple[str, int, str]]:
    """Every selectable feature as (kind, id, label), for picking from a list instead of tapping the map."""
    choices = [("tip", x.id, f"⚠ #{x.id} {label(x.category, lang)} · {label(x.urgency, lang)}") for x in situation.tips]
    choices += activity_choices(situation, lang)
    choices += [("grid", g.id, f"▦ {g.name}") for g in situation.grids]
    choices += [("team", x.id, f"◉ {x.name}") for x in situation.teams]
    choices += [("post", s.id, f"⌂ {s.name}") for s in situation.spots if s.kind is SpotKind.POST]
    choices += [("person", p.person_id, f"• {p.name} · {role_label(p.role_kind, lang)}") for p in situation.people]
    choices += [("route", r.id, f"〰 {r.name}") for r in situation.routes]
    choices += [("checkpoint", s.id, f"▪ {s.name}") for s in situation.spots if s.kind is SpotKind.CHECKPOINT]
    choices += [("shop", s.id, f"🏪 {s.name}") for s in situation.spots if s.kind is SpotKind.SHOP]
    return choices
