"""The heatmap rollups on real databases: counted on write, they equal a brute-force count of the raw rows."""
from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
from booking_ground import SHANGHAI, local
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from db.models import CheckIn, Checkpoint, District, IncidentHeat, PatrolHeat, Tip
from nightwatch.access import Actor
from nightwatch.geo import cell_of, offset_point
from nightwatch.nights import duty_date_of
from nightwatch.services import dispatch, heat_rollup
from nightwatch.services.tip_logging import log_tip
from nightwatch.services.tip_posting import Where
from nightwatch.vocab import AccountRole, TeamType, TipCategory, TipSource, Urgency

LANE = (25.2847, 110.2965)
TEAM_TYPES = [TeamType.RED_VEST.value, TeamType.POLICE_PATROL.value, None]
CATEGORIES = [TipCategory.DISPUTE, TipCategory.THEFT, TipCategory.DRUNK]
START = local("2026-11-14 18:00")


def _spot(rng: random.Random) -> tuple[float, float]:
    """A point within about 700 m of the lane: a handful of H3 cells."""
    return offset_point(*LANE, rng.uniform(-700, 700), rng.uniform(-700, 700))


def _moment(rng: random.Random):
    """Any minute of the week from 14 Nov, 18:00 Shanghai: evenings, small hours and daytime alike."""
    return START + timedelta(minutes=rng.randrange(7 * 24 * 60))


@pytest.fixture
def town(session_factory: sessionmaker) -> dict:
    """A district with eight checkpoints, 300 check-ins counted on write, 40 logged tips, 5 of them merged."""
    rng = random.Random(20261120)
    with session_factory.begin() as s:
        district = District(name="东西巷", city="桂林", timezone="Asia/Shanghai")
        s.add(district)
        s.flush()
        points = []
        for n in range(8):
            lat, lon = _spot(rng)
            point = Checkpoint(district_id=district.id, name=f"点{n}", secret="0" * 32, lat=lat, lon=lon,
                               cell=cell_of(lat, lon))
            s.add(point)
            points.append(point)
        s.flush()
        for _ in range(300):
            point = rng.choice(points)
            at = _moment(rng)
            check_in = CheckIn(district_id=district.id, checkpoint_id=point.id, at=at,
                               duty_date=duty_date_of(at, "Asia/Shanghai"), cell=point.cell,
                               team_type=rng.choice(TEAM_TYPES))
            s.add(check_in)
            s.flush()
            heat_rollup.count_check_in(s, check_in)
        district_id = district.id
    coordinator = Actor(login="coordinator", role=AccountRole.COORDINATOR, district_ids=frozenset({district_id}))
    tips = []
    for _ in range(40):
        lat, lon = _spot(rng)
        tips.append(log_tip(session_factory=session_factory, actor=coordinator, district_id=district_id,
                            category=rng.choice(CATEGORIES), text="巷口有人争吵", urgency=Urgency.NORMAL,
                            where=Where(lat=lat, lon=lon, source="map"), source=TipSource.PHONE,
                            now=_moment(rng)))
    for duplicate, original in zip(tips[:5], tips[5:10], strict=True):
        dispatch.merge(session_factory=session_factory, actor=coordinator, duplicate_id=duplicate,
                       original_id=original, now=START + timedelta(days=8))
    return {"district_id": district_id, "coordinator": coordinator}


def _rollups(session_factory: sessionmaker, district_id: int) -> tuple[Counter, Counter]:
    """What the two rollup tables hold, zero counters left out."""
    with session_factory() as s:
        patrol = Counter({(r.duty_date, r.hour, r.cell, r.team_type): r.n for r in s.scalars(
            select(PatrolHeat).where(PatrolHeat.district_id == district_id)) if r.n})
        incident = Counter({(r.duty_date, r.hour, r.cell, r.category): r.n for r in s.scalars(
            select(IncidentHeat).where(IncidentHeat.district_id == district_id)) if r.n})
    return patrol, incident


def _brute_force(session_factory: sessionmaker, district_id: int) -> tuple[Counter, Counter]:
    """The same counts, one raw row at a time in Python."""
    with session_factory() as s:
        patrol = Counter((c.duty_date, c.at.astimezone(SHANGHAI).hour, c.cell, c.team_type or "")
                         for c in s.scalars(select(CheckIn).where(CheckIn.district_id == district_id)))
        incident = Counter((t.duty_date, t.received_at.astimezone(SHANGHAI).hour, t.cell, str(t.category))
                           for t in s.scalars(select(Tip).where(Tip.district_id == district_id,
                                                                Tip.merged_into_id.is_(None))))
    return patrol, incident


def test_the_rollups_counted_on_write_equal_a_brute_force_count_and_a_rebuild(session_factory, town):
    counted = _rollups(session_factory, town["district_id"])
    expected = _brute_force(session_factory, town["district_id"])
    assert counted == expected
    assert sum(counted[0].values()) == 300 and sum(counted[1].values()) == 35  # five merged tips taken back
    assert {hour for _, hour, _, _ in counted[0]} - {18, 19, 20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 6}  # daytime too
    with session_factory.begin() as s:
        heat_rollup.rebuild(s, town["district_id"])
    assert _rollups(session_factory, town["district_id"]) == expected


def test_a_merged_duplicate_takes_its_one_back_from_its_cell(session_factory, town):
    with session_factory() as s:
        original = s.scalars(select(Tip).where(Tip.district_id == town["district_id"],
                                               Tip.merged_into_id.is_(None)).order_by(Tip.id.desc())).first()
        key = (original.duty_date, original.received_at.astimezone(SHANGHAI).hour, original.cell,
               str(original.category))
        twin = Tip(district_id=original.district_id, category=original.category, text="同一件事",
                   lat=original.lat, lon=original.lon, cell=original.cell, duty_date=original.duty_date,
                   received_at=original.received_at, source=TipSource.PHONE)
    with session_factory.begin() as s:
        s.add(twin)
        s.flush()
        heat_rollup.count_tip(s, twin)
    before = _rollups(session_factory, town["district_id"])[1][key]
    dispatch.merge(session_factory=session_factory, actor=town["coordinator"], duplicate_id=twin.id,
                   original_id=original.id, now=START + timedelta(days=9))
    assert _rollups(session_factory, town["district_id"])[1][key] == before - 1
