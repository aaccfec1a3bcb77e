"""The coverage board: grids × nights (or hours of a night), staffed against required by role kind. Pure.

A cell adds up the shifts of one grid that night (or running in that hour). Staffed counts
each shift's people up to what that shift asks for, so a spare officer on one shift never
hides a missing one on another; role kinds a shift does not ask for still count as someone
on duty. The colour is `situation.staffing_of`, the same rule the map uses.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from nightwatch.nights import DEFAULT_TIMEZONE, hour_of_night, night_hours
from nightwatch.situation import Staffing, staffing_of


@dataclass(frozen=True)
class ShiftRow:
    """A shift of the district in the week: its grid, night, interval and required staffing."""

    shift_id: int
    grid_id: int
    duty_date: date
    starts_at: datetime
    ends_at: datetime
    required: Mapping[str, int]


@dataclass(frozen=True)
class Cell:
    """One grid on one night (or in one hour of it)."""

    grid_id: int
    duty_date: date
    hour: int | None
    required: dict[str, int]
    staffed: dict[str, int]
    shift_ids: tuple[int, ...]

    @property
    def staffing(self) -> Staffing:
        """Green, amber, red or grey, by the map's rule."""
        return staffing_of(self.required, self.staffed)

    @property
    def short(self) -> dict[str, int]:
        """Role kinds still missing and how many of each."""
        return {role: n - self.staffed.get(role, 0) for role, n in self.required.items()
                if self.staffed.get(role, 0) < n}

    @property
    def need(self) -> int:
        """People required in all."""
        return sum(self.required.values())

    @property
    def have(self) -> int:
        """People filling required places."""
        return sum(min(self.staffed.get(role, 0), n) for role, n in self.required.items())

    @property
    def label(self) -> str:
        """``5/8``: filling required places, of required; ``–`` when nothing is planned."""
        return f"{self.have}/{self.need}" if self.need else ("–" if not self.shift_ids else str(sum(self.staffed.values())))


@dataclass(frozen=True)
class Board:
    """Every cell of the board, with its rows (grids) and columns (nights, or hours of one night)."""

    grid_ids: tuple[int, ...]
    nights: tuple[date, ...]
    hours: tuple[int, ...]  # empty for the nightly board
    cells: dict[tuple[int, date, int | None], Cell]

    def cell(self, grid_id: int, night: date, hour: int | None = None) -> Cell:
        """The cell of a grid, night and (in hours mode) hour."""
        return self.cells[grid_id, night, hour]

    def totals(self, night: date, hour: int | None = None) -> tuple[int, int]:
        """(filling, required) over every grid of a night (or one hour of it)."""
        cells = [self.cells[g, night, hour] for g in self.grid_ids]
        return sum(c.have for c in cells), sum(c.need for c in cells)


def shift_staffed(required: Mapping[str, int], holding: Iterable[str]) -> Counter[str]:
    """A shift's people by role kind, capped at what it asks for (uncapped for roles it does not ask for)."""
    counts = Counter(holding)
    return Counter({role: min(n, required[role]) if required.get(role) else n for role, n in counts.items()})


def build_board(grid_ids: Sequence[int], nights: Sequence[date], shifts: Sequence[ShiftRow],
                holding: Mapping[int, Sequence[str]], *, by_hour: bool = False,
                tz: str = DEFAULT_TIMEZONE) -> Board:
    """The board from shifts and, per shift id, the role kinds of its holding assignments."""
    hours = _hours_used(shifts, tz) if by_hour else ()
    slots = hours or (None,)
    keys = [(g, n, h) for g in grid_ids for n in nights for h in slots]
    # Counted only where a shift is: most cells of a big district's week are empty.
    grids, dates = set(grid_ids), set(nights)
    required: dict[tuple, Counter[str]] = {}
    staffed: dict[tuple, Counter[str]] = {}
    members: dict[tuple, list[int]] = {}
    for shift in shifts:
        if shift.grid_id not in grids or shift.duty_date not in dates:
            continue
        counted = shift_staffed(shift.required, holding.get(shift.shift_id, ()))
        for hour in slots:
            if hour is not None and not _runs_in(shift, hour, tz):
                continue
            key = (shift.grid_id, shift.duty_date, hour)
            required.setdefault(key, Counter()).update({r: n for r, n in shift.required.items() if n > 0})
            staffed.setdefault(key, Counter()).update(counted)
            members.setdefault(key, []).append(shift.shift_id)
    cells = {key: Cell(*key, dict(required.get(key, ())), dict(staffed.get(key, ())), tuple(members.get(key, ())))
             for key in keys}
    return Board(tuple(grid_ids), tuple(nights), tuple(hours), cells)


def _runs_in(shift: ShiftRow, hour: int, tz: str) -> bool:
    start = hour_of_night(shift.duty_date, hour, tz)
    return shift.starts_at < start + timedelta(hours=1) and start < shift.ends_at


def _hours_used(shifts: Sequence[ShiftRow], tz: str) -> tuple[int, ...]:
    """The hours of the night, in night order, in which any shift runs."""
    return tuple(h for h in night_hours() if any(_runs_in(s, h, tz) for s in shifts))


def week_of(first_night: date, nights: int = 7) -> tuple[date, ...]:
    """The duty dates from the first night on."""
    return tuple(first_night + timedelta(days=n) for n in range(nights))
