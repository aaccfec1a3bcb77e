"""How much of a big district the situation map draws at once: what a screen can use, most pressing first. Pure."""
from __future__ import annotations

from dataclasses import replace

from nightwatch.situation import Layer, Situation
from nightwatch.vocab import Urgency

# A layer with more features than this is cut (live layers) or left for the grid view (fixed ones).
OVERVIEW_CAP = 100
# More grids than this and their names overlap at the district's zoom: the tooltip and the grid picker name them.
LABELLED_GRIDS = 30

_URGENCY_RANK = {urgency: rank for rank, urgency in enumerate(reversed(list(Urgency)))}


def drawn(situation: Situation, cap: int = OVERVIEW_CAP) -> tuple[Situation, dict[Layer, int]]:
    """The situation cut to `cap` open tips (most urgent, then longest waiting), people (latest seen) and
    hazards (most overdue, as read), with the full count of each layer that was cut."""
    cut: dict[Layer, int] = {}
    tips, people, hazards = situation.tips, situation.people, situation.hazards
    if len(tips) > cap:
        cut[Layer.TIPS] = len(tips)
        tips = tuple(sorted(tips, key=lambda tip: (_URGENCY_RANK.get(tip.urgency, 99), tip.received_at))[:cap])
    if len(people) > cap:
        cut[Layer.PEOPLE] = len(people)
        people = tuple(sorted(people, key=lambda person: person.seen_at, reverse=True)[:cap])
    if len(hazards) > cap:
        cut[Layer.HAZARDS] = len(hazards)
        hazards = hazards[:cap]
    if not cut:
        return situation, cut
    return replace(situation, tips=tips, people=people, hazards=hazards), cut


def labels_grids(situation: Situation) -> bool:
    """Whether grid names are printed on the map: not when so many would overlap."""
    return len(situation.grids) <= LABELLED_GRIDS
