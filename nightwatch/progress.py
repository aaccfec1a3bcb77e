"""Route progress (巡线进度): which stops of a patrol line were visited on a night, when, and in what order.

Pure rules. How a night's taps become progress, in the words a coordinator would use:
- Taps at one point less than SAME_VISIT_GAP apart are one visit: a group walking together taps
  a few seconds apart, and a double scan is not a second lap.
- Visits go to stops in time order. A point that is on the route twice (a loop back to the start)
  gives each visit to its least-visited stop, the next one along the route first.
- A stop counts as visited once: its first visit is judged against the plan, the expected time
  being the walk's start plus the minutes of every leg up to it; more than LATE_TOLERANCE after
  that is late. Laps walked = how often the least-visited stop was visited.
- A stop never visited is missed once the walk has ended or a later stop was visited; due when its
  expected time has passed and the walk goes on; pending otherwise.
- Out of order: within each lap, the fewest visits that, left out, leave the rest in route order.
Times are aware instants and nothing reads a local date, so a walk across midnight needs no care.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from nightwatch.attendance import ON_TIME_GRACE

LATE_TOLERANCE = timedelta(minutes=10)
SAME_VISIT_GAP = timedelta(minutes=10)


class StopStatus(StrEnum):
    """Where a stop stands on the night."""

    VISITED_ON_TIME = "visited_on_time"
    VISITED_LATE = "visited_late"
    MISSED = "missed"
    DUE = "due"
    PENDING = "pending"


VISITED = frozenset({StopStatus.VISITED_ON_TIME, StopStatus.VISITED_LATE})


@dataclass(frozen=True)
class Stop:
    """A stop of the route: its position, checkpoint, name and the minutes of the leg before it."""

    position: int
    checkpoint_id: int
    name: str
    minutes_from_previous: int = 0


@dataclass(frozen=True)
class Tap:
    """A check-in at a checkpoint: when, and by whom (a label, or None when not to be shown)."""

    checkpoint_id: int
    at: datetime
    person: str | None = None


@dataclass(frozen=True)
class Visit:
    """One visit to a stop as walked: its first tap, the people who tapped, its lap and order."""

    position: int
    name: str
    at: datetime
    people: tuple[str, ...]
    lap: int
    out_of_order: bool = False


@dataclass(frozen=True)
class StopProgress:
    """A stop's state on the night."""

    stop: Stop
    expected_at: datetime | None
    status: StopStatus
    first_at: datetime | None
    first_by: tuple[str, ...]
    visits: int


@dataclass(frozen=True)
class NextPoint:
    """The stop a walker should go to next; `behind` is now minus its expected time (negative: ahead)."""

    stop: Stop
    lap: int
    expected_at: datetime | None
    behind: timedelta | None


@dataclass(frozen=True)
class Progress:
    """A route's progress on a night."""

    stops: tuple[StopProgress, ...]
    visits: tuple[Visit, ...]
    laps: int
    next_point: NextPoint | None
    started_at: datetime | None

    def count(self, status: StopStatus) -> int:
        """How many stops stand at the status."""
        return sum(1 for stop in self.stops if stop.status is status)

    @property
    def visited(self) -> int:
        """Stops visited at least once."""
        return sum(1 for stop in self.stops if stop.status in VISITED)

    @property
    def percent(self) -> int:
        """Visited stops as a whole percentage of all stops (0 for a route without stops)."""
        return round(100 * self.visited / len(self.stops)) if self.stops else 0

    @property
    def last_at(self) -> datetime | None:
        """The latest visit of the night."""
        return max((visit.at for visit in self.visits), default=None)


def walk_start(shift_start: datetime | None, taps: list[Tap], stops: list[Stop]) -> datetime | None:
    """When the plan's clock starts: the first stop's first tap within the briefing grace, else the shift's start.

    People gather and are briefed before they walk (attendance.ON_TIME_GRACE), so a walk that
    begins within that grace is timed from its first tap; later than that, the shift's start
    stands and the stops show late. Without a route shift, the first tap on the route starts it.
    """
    on_route = sorted(tap.at for tap in taps if tap.checkpoint_id in {stop.checkpoint_id for stop in stops})
    if shift_start is None:
        return on_route[0] if on_route else None
    first_stop = min(stops, key=lambda stop: stop.position).checkpoint_id if stops else None
    began = min((tap.at for tap in taps if tap.checkpoint_id == first_stop and tap.at >= shift_start), default=None)
    if began is not None and began <= shift_start + ON_TIME_GRACE:
        return began
    return shift_start


def progress_of(stops: list[Stop], taps: list[Tap], *, start: datetime | None, end: datetime | None,
                now: datetime) -> Progress:
    """The progress of a walk over the route's stops, from the night's taps on its checkpoints."""
    stops = sorted(stops, key=lambda stop: stop.position)
    if not stops:
        return Progress((), (), 0, None, start)
    expected = _expected_times(stops, start)
    visits = _assign(stops, _group(taps, {stop.checkpoint_id for stop in stops}))
    counts = [sum(1 for visit in visits if visit.position == index) for index in range(len(stops))]
    firsts = {visit.position: visit for visit in visits if visit.lap == 1}
    furthest = max((index for index, count in enumerate(counts) if count), default=-1)
    ended = end is not None and now >= end
    states = []
    for index, stop in enumerate(stops):
        first = firsts.get(index)
        if first is not None:
            late = expected[index] is not None and first.at > expected[index] + LATE_TOLERANCE
            status = StopStatus.VISITED_LATE if late else StopStatus.VISITED_ON_TIME
        elif ended or index < furthest:
            status = StopStatus.MISSED
        elif expected[index] is not None and now > expected[index]:
            status = StopStatus.DUE
        else:
            status = StopStatus.PENDING
        states.append(StopProgress(stop, expected[index], status, first.at if first else None,
                                   first.people if first else (), counts[index]))
    laps = min(counts)
    shown = tuple(Visit(stops[v.position].position, v.name, v.at, v.people, v.lap, v.out_of_order) for v in visits)
    after = None if ended else _next_point(stops, visits, counts, laps, expected, now)
    return Progress(tuple(states), shown, laps, after, start)


def _expected_times(stops: list[Stop], start: datetime | None) -> list[datetime | None]:
    """The planned time at each stop: the start plus every leg up to it."""
    if start is None:
        return [None] * len(stops)
    times, at = [], start
    for index, stop in enumerate(stops):
        if index:
            at += timedelta(minutes=stop.minutes_from_previous)
        times.append(at)
    return times


def _group(taps: list[Tap], checkpoint_ids: set[int]) -> list[tuple[int, datetime, tuple[str, ...]]]:
    """The taps on the route's points as visits (checkpoint, first tap, people), in time order."""
    open_visits: dict[int, list] = {}
    visits: list[list] = []
    for tap in sorted((t for t in taps if t.checkpoint_id in checkpoint_ids), key=lambda t: (t.at, t.checkpoint_id)):
        current = open_visits.get(tap.checkpoint_id)
        if current is None or tap.at - current[3] > SAME_VISIT_GAP:
            current = [tap.checkpoint_id, tap.at, [], tap.at]
            open_visits[tap.checkpoint_id] = current
            visits.append(current)
        current[3] = tap.at
        if tap.person is not None and tap.person not in current[2]:
            current[2].append(tap.person)
    return [(checkpoint, first, tuple(people)) for checkpoint, first, people, _ in visits]


def _assign(stops: list[Stop], visits: list[tuple[int, datetime, tuple[str, ...]]]) -> list[Visit]:
    """Each visit to its stop (index into stops) and lap, then out-of-order flags within each lap."""
    counts = [0] * len(stops)
    last, assigned = -1, []
    for checkpoint_id, at, people in visits:
        places = [index for index, stop in enumerate(stops) if stop.checkpoint_id == checkpoint_id]
        fewest = min(counts[index] for index in places)
        tied = [index for index in places if counts[index] == fewest]
        index = next((i for i in tied if i > last), tied[0])
        counts[index] += 1
        last = index
        assigned.append(Visit(index, stops[index].name, at, people, counts[index]))
    flagged: set[int] = set()
    for lap in {visit.lap for visit in assigned}:
        members = [number for number, visit in enumerate(assigned) if visit.lap == lap]
        kept = _longest_in_order([assigned[number].position for number in members])
        flagged |= {number for slot, number in enumerate(members) if slot not in kept}
    return [Visit(v.position, v.name, v.at, v.people, v.lap, number in flagged) for number, v in enumerate(assigned)]


def _longest_in_order(positions: list[int]) -> set[int]:
    """Indexes of a longest rising run (not necessarily adjacent) of positions; the earliest-ending on ties."""
    if not positions:
        return set()
    length, before = [1] * len(positions), [-1] * len(positions)
    for i, position in enumerate(positions):
        for j in range(i):
            if positions[j] < position and length[j] + 1 > length[i]:
                length[i], before[i] = length[j] + 1, j
    i, kept = length.index(max(length)), set()
    while i != -1:
        kept.add(i)
        i = before[i]
    return kept


def _next_point(stops: list[Stop], visits: list[Visit], counts: list[int], laps: int,
                expected: list[datetime | None], now: datetime) -> NextPoint:
    """The first stop not yet visited this lap after the furthest one visited this lap, else the first one."""
    open_stops = [index for index, count in enumerate(counts) if count == laps]
    furthest = max((visit.position for visit in visits if visit.lap == laps + 1), default=-1)
    index = next((i for i in open_stops if i > furthest), open_stops[0])
    # Only the first lap has a plan; later laps go at the walkers' own pace.
    at = expected[index] if laps == 0 else None
    return NextPoint(stops[index], laps + 1, at, None if at is None else now - at)
