"""Scenario 2: the patrol heatmap for a 7-night window, database to layer data, against DuckDB on the raw rows."""
from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd
from sqlalchemy import func, select

from benchmarks.ground import Ground
from benchmarks.measure import Figure, timed
from db.models import CheckIn, District, PatrolHeat
from nightwatch.basemap import Basemap, basemap_from
from nightwatch.config import Settings
from nightwatch.heatmap import NIGHT_HOURS
from nightwatch.nights import duty_date_of
from nightwatch.services import heatmap as heat_service
from nightwatch.ui.heatmap_layers import build_heat_deck, cell_records, view_of

WEEK = 7
WIDEST = 366  # the oldest night the page lets anyone pick
TARGET = "≤ 2× DuckDB; payload ≤ 1 MB"
CHUNK = 200_000
HOURS = frozenset(NIGHT_HOURS)  # the page's default: the whole night
# The same cells from the raw rows: the district's check-ins of the window in the night's local hours.
GROUPED = """
SELECT cell, count(*) AS n FROM check_in
WHERE district_id = $district AND duty_date BETWEEN $first AND $last AND cell IS NOT NULL
  AND hour(checked_at AT TIME ZONE $tz) IN (SELECT unnest($hours))
GROUP BY cell
"""


def busiest(ground: Ground) -> tuple[int, str]:
    """The district with the most check-ins, and its timezone."""
    with ground.session_factory() as session:
        district_id = session.execute(select(PatrolHeat.district_id).group_by(PatrolHeat.district_id)
                                      .order_by(func.sum(PatrolHeat.n).desc()).limit(1)).scalar_one()
        return district_id, session.get_one(District, district_id).timezone


def raw_rows(ground: Ground) -> duckdb.DuckDBPyConnection:
    """Every check-in's district, night, instant and cell, copied once into an in-memory DuckDB table."""
    duck = duckdb.connect()
    duck.execute("CREATE TABLE check_in (district_id INTEGER, duty_date DATE, checked_at TIMESTAMPTZ, cell VARCHAR)")
    query = select(CheckIn.district_id, CheckIn.duty_date, CheckIn.at, CheckIn.cell)
    with ground.session_factory.streaming() as session:
        result = session.execute(query, execution_options={"yield_per": CHUNK})
        for rows in result.partitions():
            chunk = pd.DataFrame(rows, columns=["district_id", "duty_date", "at", "cell"])
            chunk["duty_date"] = pd.to_datetime(chunk["duty_date"]).dt.date
            chunk["at"] = pd.to_datetime(chunk["at"], utc=True)
            duck.register("chunk", chunk)
            duck.execute("INSERT INTO check_in SELECT * FROM chunk")
            duck.unregister("chunk")
    return duck


def windows(ground: Ground, tonight: date) -> dict[str, tuple[date, date]]:
    """The last week, a week in the middle of the city's history, and its first week."""
    oldest = tonight - timedelta(days=ground.scale.nights - 1)
    middle = oldest + timedelta(days=(ground.scale.nights - WEEK) // 2)
    return {"last week": (tonight - timedelta(days=WEEK - 1), tonight),
            "mid-history week": (middle, middle + timedelta(days=WEEK - 1)),
            "first week": (oldest, oldest + timedelta(days=WEEK - 1))}


def payload_mb(ground: Ground, district_id: int, values: list[tuple[str, float]], basemap: Basemap) -> float:
    """The deck JSON the page would send for these cells, grids and lines, in MB."""
    frame = heat_service.backdrop(session_factory=ground.session_factory, district_id=district_id)
    with ground.session_factory() as session:
        district = session.get_one(District, district_id)
        centre = (district.center_lat, district.center_lon) if district.center_lat is not None else None
    view = view_of(values, centre, frame)
    if view is None:
        return 0.0
    deck = build_heat_deck(values, layer_id="heat_patrol", scheme="patrol", tooltip="{n}", basemap=basemap,
                           view=view, frame=frame)
    return len(deck.to_json().encode()) / 1_000_000


def run(ground: Ground, runs: int) -> list[Figure]:
    """One figure per window (ours, DuckDB, ratio), then the largest payload over those and the widest window."""
    actor = ground.coordinator()
    district_id, tz = busiest(ground)
    tonight = duty_date_of(ground.now, tz)
    basemap = basemap_from(Settings.from_env())
    duck = raw_rows(ground)
    at_city = ground.scale.name == "city"
    figures, payloads = [], []

    def layer_data(first: date, last: date) -> list[dict]:
        cells = heat_service.patrol_cells(session_factory=ground.session_factory, actor=actor,
                                          district_id=district_id, first=first, last=last, hours=HOURS,
                                          now=ground.now)
        return cell_records([(c.cell, c.n) for c in cells], "patrol", basemap)

    def reference(first: date, last: date) -> list[tuple[str, int]]:
        params = {"district": district_id, "first": first, "last": last, "tz": tz, "hours": sorted(HOURS)}
        return duck.execute(GROUPED, params).fetchall()

    try:
        for name, (first, last) in windows(ground, tonight).items():
            ours = heat_service.patrol_cells(session_factory=ground.session_factory, actor=actor,
                                             district_id=district_id, first=first, last=last, hours=HOURS,
                                             now=ground.now)
            theirs = dict(reference(first, last))
            if {c.cell: c.n for c in ours} != theirs:
                raise AssertionError(f"heatmap {name} ({first}…{last}, district {district_id}): the rollup's "
                                     f"{len(ours)} cells / {sum(c.n for c in ours)} check-ins differ from the "
                                     f"raw rows' {len(theirs)} cells / {sum(theirs.values())}")
            stats = timed(lambda: layer_data(first, last), runs=runs)
            duck_stats = timed(lambda: reference(first, last), runs=runs)
            payload = payload_mb(ground, district_id, [(c.cell, c.n) for c in ours], basemap)
            payloads.append(payload)
            ratio = stats.median / duck_stats.median
            figures.append(Figure(
                scenario="heatmap", backend=ground.backend,
                measure=f"patrol heatmap, {name} ({first}…{last}), district {district_id}",
                value=stats.median * 1000, unit="ms", target=TARGET,
                met=(ratio <= 2 and payload <= 1) if at_city else None, stats=stats,
                reference="DuckDB GROUP BY over the raw check-ins", reference_value=duck_stats.median * 1000,
                ratio=ratio, note=f"{len(ours)} cells, {sum(c.n for c in ours)} check-ins, payload {payload:.3f} MB"))
        widest = heat_service.patrol_cells(session_factory=ground.session_factory, actor=actor,
                                           district_id=district_id, first=tonight - timedelta(days=WIDEST),
                                           last=tonight, hours=HOURS, now=ground.now)
        payloads.append(payload_mb(ground, district_id, [(c.cell, c.n) for c in widest], basemap))
    finally:
        duck.close()
    largest = max(payloads)
    figures.append(Figure(
        scenario="heatmap", backend=ground.backend, measure="heatmap map payload, largest of any window",
        value=largest, unit="MB", target="≤ 1 MB", met=largest <= 1 if at_city else None,
        note=f"deck JSON incl. grids and lines; widest window ({WIDEST + 1} nights) {payloads[-1]:.3f} MB, "
             f"{len(widest)} cells"))
    return figures
