"""Scenario 4: the dispatch board of the busiest district, with the ranked responders of the tip it opens on."""
from __future__ import annotations

from sqlalchemy import func, select

from benchmarks.ground import Ground
from benchmarks.measure import Figure, timed
from db.models import Tip
from nightwatch.services.dispatch_board import board, candidates
from nightwatch.vocab import OPEN_TIP_STATUSES

MEASURE = "dispatch board: open tips with their ranked responders"
TARGET = "≤ 100 ms"


def run(ground: Ground, runs: int) -> list[Figure]:
    """Time the board as the dispatch page loads it: the open tips, then the responders of the first."""
    actor = ground.coordinator()
    with ground.session_factory() as session:
        district_id = session.execute(
            select(Tip.district_id).where(Tip.status.in_(OPEN_TIP_STATUSES)).group_by(Tip.district_id)
            .order_by(func.count().desc(), Tip.district_id).limit(1)).scalar()
    if district_id is None:
        raise AssertionError("no open tips anywhere: the board has nothing to show")
    seen = {}

    def load() -> None:
        view = board(session_factory=ground.session_factory, actor=actor, district_id=district_id, now=ground.now)
        ranked = candidates(session_factory=ground.session_factory, actor=actor, tip_id=view.tips[0].id,
                            now=ground.now) if view.tips else []
        seen.update(tips=len(view.tips), ranked=len(ranked))

    stats = timed(load, runs=runs)
    with ground.session_factory() as session:
        expected = session.scalar(select(func.count()).select_from(Tip).where(
            Tip.district_id == district_id, Tip.status.in_(OPEN_TIP_STATUSES)))
    if seen["tips"] != expected:
        raise AssertionError(f"district {district_id}: the board shows {seen['tips']} open tips, "
                             f"the tip table holds {expected}")
    value = stats.median * 1000
    met = value <= 100 if ground.scale.name == "city" else None
    return [Figure("dispatch", ground.backend, MEASURE, value, "ms", TARGET, met, stats,
                   note=f"district {district_id}: {seen['tips']} open tips, {seen['ranked']} on duty ranked "
                        f"for the first")]
