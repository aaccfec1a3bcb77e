"""The dashboard's figures as rows and the weekly brief (周报) as sentences, in either language. Pure."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nightwatch import i18n
from nightwatch.figures import Dashboard, Figures
from nightwatch.kpi import (
    Change,
    Period,
    change_text,
    compare,
    percent_text,
    round_percent,
)

# Outcomes that helped someone (a false alarm or a hand-over to 110 did not, here).
HELPED_OUTCOMES = ("mediated", "found", "returned", "resolved")
RATES = ("rectification", "react_rate", "reach_rate")


def helped(figures: Figures) -> int:
    """People helped: tips that ended mediated, found, returned or resolved."""
    return sum(figures.helped_by_outcome.get(outcome, 0) for outcome in HELPED_OUTCOMES)


def _rate(figures: Figures, measure: str) -> float | None:
    return figures.response.met_rate.get(measure) if figures.response else None


# Each KPI: its key, and how to read it from one period's figures.
MEASURES: dict[str, Callable[[Figures], float | None]] = {
    "tips": lambda f: f.tips,
    "react_rate": lambda f: _rate(f, "react"),
    "reach_rate": lambda f: _rate(f, "reach"),
    "hazards_found": lambda f: f.hazards_found,
    "hazards_rectified": lambda f: f.hazards_rectified,
    "rectification": lambda f: f.rectification,
    "turnout": lambda f: f.turnout,
    "hours": lambda f: f.hours,
    "helped": helped,
    "outreach_events": lambda f: f.outreach_events,
    "people_reached": lambda f: f.people_reached,
    "app_installs": lambda f: f.app_installs,
}


@dataclass(frozen=True)
class KpiRow:
    """One KPI of a period with its 环比 and 同比 changes; rates change in percentage points."""

    key: str
    value: float | None
    previous: Change
    last_year: Change


def _change(key: str, now: float | None, base: Figures) -> Change:
    before = MEASURES[key](base)
    if key not in RATES or not base.active or now is None or before is None:
        return compare(now, before, base.active)
    points = round_percent((now - before) * 100)
    if points == 0:
        return Change("flat")
    return Change("up" if points > 0 else "down", abs(points))


def kpi_rows(board: Dashboard) -> list[KpiRow]:
    """Every KPI of the dashboard's period against the period before and the same dates last year."""
    rows = []
    for key, read in MEASURES.items():
        value = read(board.current)
        rows.append(KpiRow(key, value, _change(key, value, board.previous), _change(key, value, board.last_year)))
    return rows


def value_text(row: KpiRow, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A KPI's value as shown: counts with thousands separators, rates as percentages, none as a dash."""
    if row.value is None:
        return i18n.t("kpi.none", lang)
    if row.key in RATES:
        return percent_text(row.value) or ""
    return number_text(row.value)


def number_text(value: float) -> str:
    """A count or an amount of hours with thousands separators: ``1,223`` or ``1,223.5``."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def row_change_text(row: KpiRow, which: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A row's 环比 (``previous``) or 同比 (``last_year``) as words; rates move in percentage points."""
    change: Change = getattr(row, which)
    if row.key in RATES and change.kind in ("up", "down"):
        return i18n.t(f"kpi.points.{change.kind}", lang, pct=f"{change.pct:g}")
    return change_text(change, lang)


def _list(counts: dict[str, int], vocabulary: str, lang: str, top: int = 3) -> str:
    """The largest few counts as ``纠纷 12 起、盗窃 8 起``."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    items = [i18n.t("brief.item", lang, name=i18n.t(f"{vocabulary}.{key}", lang), n=n) for key, n in ranked if n]
    return i18n.t("brief.list_sep", lang).join(items)


def period_text(period: Period, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A period's dates as ``2026-11-16 – 2026-11-22``."""
    return i18n.t("brief.dates", lang, first=period.first.isoformat(), last=period.last.isoformat())


def sentences(board: Dashboard, lang: str = i18n.DEFAULT_LANGUAGE) -> list[str]:
    """The weekly brief in sentences: tips, 1-3-5, hazards, turnout, people helped, outreach."""
    rows = {row.key: row for row in kpi_rows(board)}
    now = board.current

    def changes(key: str) -> dict[str, str]:
        return {"previous": row_change_text(rows[key], "previous", lang),
                "last_year": row_change_text(rows[key], "last_year", lang)}

    said = [i18n.t("brief.tips", lang, district=board.district_name, n=now.tips, **changes("tips"))]
    top = _list(now.tips_by_category, "tip_category", lang)
    said[-1] += i18n.t("brief.tips_top", lang, items=top) if top else i18n.t("brief.end", lang)
    react, reach = rows["react_rate"].value, rows["reach_rate"].value
    if react is None and reach is None:
        said.append(i18n.t("brief.response_few", lang))
    else:
        said.append(i18n.t("brief.response", lang, react=percent_text(react) or i18n.t("kpi.none", lang),
                           reach=percent_text(reach) or i18n.t("kpi.none", lang)))
    if now.hazards_found:
        said.append(i18n.t("brief.hazards", lang, found=now.hazards_found, rectified=now.hazards_rectified,
                           rate=percent_text(now.rectification), overdue=board.overdue_now))
    else:
        said.append(i18n.t("brief.hazards_none", lang, overdue=board.overdue_now))
    said.append(i18n.t("brief.turnout", lang, n=f"{now.turnout:,}", late=now.late, hours=number_text(now.hours),
                       **changes("turnout")))
    helped_items = _list({k: v for k, v in now.helped_by_outcome.items() if k in HELPED_OUTCOMES}, "outcome", lang, 4)
    said.append(i18n.t("brief.helped", lang, items=helped_items) if helped_items
                else i18n.t("brief.helped_none", lang))
    said.append(i18n.t("brief.outreach", lang, events=now.outreach_events, people=f"{now.people_reached:,}",
                       installs=f"{now.app_installs:,}") if now.outreach_events
                else i18n.t("brief.outreach_none", lang))
    return said
