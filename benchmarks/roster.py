"""Nights of patrol: shifts per grid, crews that never overlap, check-ins along routes, last positions."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import numpy as np

from benchmarks import draw
from benchmarks.city import City
from benchmarks.scale import Scale
from nightwatch.nights import DEFAULT_TIMEZONE, night_slot, window_of_night
from nightwatch.vocab import AssignmentStatus, CheckInMethod, RoleKind, ShiftKind

# Local shift times a grid keeps night after night, and the share of grids keeping each. Every slot
# lies inside its night's window (06:00 to 06:00), so one shift a night per person never overlaps.
SLOTS: list[tuple[time, time, ShiftKind, float]] = [
    (time(19), time(23), ShiftKind.REGULAR, 0.30),
    (time(20), time(0), ShiftKind.REGULAR, 0.25),
    (time(21), time(2), ShiftKind.REGULAR, 0.20),
    (time(22), time(6), ShiftKind.REGULAR, 0.10),
    (time(20, 30), time(23, 30), ShiftKind.TIDAL, 0.15),
]
# Friday and Saturday nights are busier: more shifts, more tips.
WEEKDAY_WEIGHTS = (1.0, 1.0, 1.0, 1.0, 1.4, 1.4, 1.0)
NO_SHOW_SHARE = 0.04
PHONE_LOCATION_SHARE = 0.75
# A phone this far from the checkpoint it scanned gets the check-in flagged for review.
FLAG_DISTANCE_M = 100.0
MINUTE_US = 60_000_000
HOUR_US = 60 * MINUTE_US


def instant(moment: datetime) -> np.datetime64:
    """An aware datetime as a numpy instant: naive UTC, in microseconds."""
    return np.datetime64(moment.astimezone(timezone.utc).replace(tzinfo=None), "us")


@dataclass(frozen=True)
class Calendar:
    """The nights a city covers, with their windows and the instants of every slot on every night."""

    dates: np.ndarray  # datetime64[D], one per night, oldest first
    weights: np.ndarray  # how busy each night is
    window_start: np.ndarray  # datetime64[us], the night's 06:00 local
    window_end: np.ndarray
    slot_start: np.ndarray  # datetime64[us], shape (nights, slots)
    slot_end: np.ndarray

    @classmethod
    def ending(cls, last: date, nights: int, tz: str = DEFAULT_TIMEZONE) -> Calendar:
        """The given number of nights up to and including `last`."""
        days = [last - timedelta(days=nights - 1 - n) for n in range(nights)]
        windows = [window_of_night(day, tz) for day in days]
        slots = [[night_slot(day, start, end, tz) for start, end, _, _ in SLOTS] for day in days]
        for window, row in zip(windows, slots):
            if not all(window.starts_at <= slot.starts_at and slot.ends_at <= window.ends_at for slot in row):
                raise ValueError("a shift slot leaves its night, so one shift a night could overlap the next")
        return cls(
            dates=np.array(days, dtype="datetime64[D]"),
            weights=np.array([WEEKDAY_WEIGHTS[day.weekday()] for day in days]),
            window_start=np.array([instant(w.starts_at) for w in windows]),
            window_end=np.array([instant(w.ends_at) for w in windows]),
            slot_start=np.array([[instant(s.starts_at) for s in row] for row in slots]),
            slot_end=np.array([[instant(s.ends_at) for s in row] for row in slots]),
        )


@dataclass
class Roster:
    """Shifts, assignments and check-ins, with who was on duty when for tips to draw responders from."""

    tables: dict[str, draw.Table]
    # One row per attended assignment: night, district, grid and person (0-based), and its interval.
    on_duty: draw.Table


def build_roster(city: City, scale: Scale, seed: int, calendar: Calendar) -> Roster:
    """Shifts on busy grids each night, crews from the grid's own residents, check-ins on their routes."""
    rng = draw.stream(seed, "roster")
    shifts, night, crew = _shifts(city, scale, rng, calendar)
    assignments = _assignments(city, rng, shifts, *_crews(city, rng, night, shifts["grid_id"] - 1, crew))
    done = assignments["status"] == str(AssignmentStatus.DONE)
    attended = draw.take(assignments, done)
    check_ins, first_at, last_at, last_checkpoint = _check_ins(city, scale, rng, shifts, attended)
    assignments["attended_at"] = np.full(len(done), np.datetime64("NaT"), dtype="datetime64[us]")
    assignments["attended_at"][done] = first_at
    shift = assignments["shift_id"][done] - 1
    on_duty = draw.table(
        night=night[shift], district=shifts["district_id"][shift] - 1, grid=shifts["grid_id"][shift] - 1,
        person=assignments["person_id"][done] - 1, starts_at=shifts["starts_at"][shift],
        ends_at=shifts["ends_at"][shift],
    )
    tonight = on_duty["night"] == len(calendar.dates) - 1
    last_positions = _last_positions(city, on_duty["person"][tonight], last_at[tonight], last_checkpoint[tonight])
    tables = {"shift": shifts, "assignment": assignments, "check_in": check_ins, "last_position": last_positions}
    return Roster(tables=tables, on_duty=on_duty)


def _shifts(city: City, scale: Scale, rng: np.random.Generator,
            calendar: Calendar) -> tuple[draw.Table, np.ndarray, np.ndarray]:
    """Each night the busiest grids, with some luck, get a shift in the grid's own slot.

    Returns the shifts, night after night, with each one's night and crew size.
    """
    slot_of_grid = rng.choice(len(SLOTS), scale.grids, p=[share for *_, share in SLOTS])
    log_heat = np.log(city.grid_heat)
    chosen = []
    for count in draw.apportion(scale.shifts, calendar.weights).tolist():
        # Gumbel top-k: a weighted draw of `count` distinct grids, favouring busy ones.
        keys = log_heat - np.log(-np.log(rng.random(scale.grids)))
        chosen.append(np.sort(np.argpartition(-keys, count - 1)[:count]))
    night = np.repeat(np.arange(len(chosen)), [len(c) for c in chosen])
    grid = np.concatenate(chosen)
    slot = slot_of_grid[grid]
    first_route = draw.starts_of(city.routes_per_grid)[grid]
    route = first_route + (rng.random(len(grid)) * city.routes_per_grid[grid]).astype(np.int64)
    crew = rng.integers(scale.crew_min, scale.crew_max + 1, len(grid))
    starts_at = calendar.slot_start[night, slot]
    shifts = draw.table(
        id=np.arange(1, len(grid) + 1), district_id=city.grid_district[grid] + 1, grid_id=grid + 1,
        route_id=route + 1, duty_date=calendar.dates[night], starts_at=starts_at,
        ends_at=calendar.slot_end[night, slot],
        kind=np.array([str(kind) for _, _, kind, _ in SLOTS], dtype=object)[slot],
        required=[{"auxiliary": 1, "volunteer": c - 1} for c in crew.tolist()],
        created_at=starts_at - np.timedelta64(7 * 24, "h"),
    )
    return shifts, night, crew


def _crews(city: City, rng: np.random.Generator, night: np.ndarray, grid: np.ndarray,
           crew: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Crews drawn from the active, non-merchant residents of each shift's grid, one shift a night each.

    Returns the shift and person (0-based) of every crew member, by shift, then person.
    """
    people = city.people
    eligible = np.nonzero(people["active"] & (people["role_kind"] != str(RoleKind.MERCHANT)))[0]
    home = people["home_grid_id"][eligible] - 1
    wanted = np.zeros(len(city.grid_lat), dtype=np.int64)
    bounds = np.searchsorted(night, np.arange(night[-1] + 2))
    shift_parts, person_parts = [], []
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        wanted[:] = 0
        wanted[grid[lo:hi]] = crew[lo:hi]
        # Residents grouped by grid in random order; the first `wanted` of each grid go out tonight.
        order = np.lexsort((rng.random(len(eligible)), home))
        taken = order[draw.rank_within(home[order]) < wanted[home[order]]]
        shift_parts.append(lo + np.searchsorted(grid[lo:hi], home[taken]))
        person_parts.append(eligible[taken])
    shift, person = np.concatenate(shift_parts), np.concatenate(person_parts)
    order = np.lexsort((person, shift))
    return shift[order], person[order]


def _assignments(city: City, rng: np.random.Generator, shifts: draw.Table, shift: np.ndarray,
                 person: np.ndarray) -> draw.Table:
    """One assignment per crew member, carrying its shift's interval exactly; a few are no-shows."""
    n = len(shift)
    starts_at, ends_at = shifts["starts_at"][shift], shifts["ends_at"][shift]
    confirmed = starts_at - (HOUR_US + rng.random(n) * 47 * HOUR_US).astype("timedelta64[us]")
    confirmed[rng.random(n) >= 0.8] = np.datetime64("NaT")
    no_show = rng.random(n) < NO_SHOW_SHARE
    return draw.table(
        id=np.arange(1, n + 1), shift_id=shift + 1, person_id=person + 1,
        status=np.where(no_show, str(AssignmentStatus.NO_SHOW), str(AssignmentStatus.DONE)).astype(object),
        role_kind=city.people["role_kind"][person], starts_at=starts_at, ends_at=ends_at,
        created_at=starts_at - rng.integers(24, 14 * 24, n).astype("timedelta64[h]"),
        updated_at=ends_at + (rng.random(n) * 2 * HOUR_US).astype("timedelta64[us]"),
        confirmed_at=confirmed,
    )


def _check_ins(city: City, scale: Scale, rng: np.random.Generator, shifts: draw.Table,
               done: draw.Table) -> tuple[draw.Table, np.ndarray, np.ndarray, np.ndarray]:
    """Check-ins of attended assignments, stop after stop along the shift's route, ids in time order.

    Returns the check-ins and, per attended assignment, its first and last check-in instants and
    the checkpoint (0-based) of its last one.
    """
    shift = done["shift_id"] - 1
    starts = done["starts_at"].astype(np.int64)
    length = done["ends_at"].astype(np.int64) - starts
    # Every attended assignment checks in once; the rest fall to assignments by how long they are.
    extra = rng.choice(len(shift), scale.check_ins - len(shift), p=length / length.sum())
    per_assignment = 1 + np.bincount(extra, minlength=len(shift))
    owner = np.repeat(np.arange(len(shift)), per_assignment)
    offset = (rng.random(len(owner)) * length[owner]).astype(np.int64)
    # Each assignment's check-ins in time order, so they walk its route stop after stop.
    at = (starts[owner] + offset[np.lexsort((offset, owner))]).astype("datetime64[us]")
    step = draw.rank_within(owner)
    route = shifts["route_id"][shift] - 1
    phase = (rng.random(len(shift)) * city.stops_per_route[route]).astype(np.int64)
    stops = city.stops_per_route[route][owner]
    first_stop = draw.starts_of(city.stops_per_route)[route][owner]
    checkpoint = city.stop_checkpoint[first_stop + (phase[owner] + step) % stops]
    first = draw.starts_of(per_assignment)
    last = first + per_assignment - 1

    n = len(owner)
    cp = city.checkpoints
    cp_lat, cp_lon = cp["lat"][checkpoint], cp["lon"][checkpoint]
    spread = np.where(rng.random(n) < 0.01, 250.0, 12.0)
    phone_lat, phone_lon = draw.offset(cp_lat, cp_lon, rng.normal(0, 1, n) * spread, rng.normal(0, 1, n) * spread)
    located = rng.random(n) < PHONE_LOCATION_SHARE
    distance = np.where(located, draw.haversine(cp_lat, cp_lon, phone_lat, phone_lon), np.nan)
    check_ins = draw.table(
        district_id=cp["district_id"][checkpoint], person_id=done["person_id"][owner],
        checkpoint_id=checkpoint + 1, shift_id=shift[owner] + 1, at=at,
        duty_date=shifts["duty_date"][shift][owner],
        method=draw.choose(rng, list(CheckInMethod), [0.90, 0.08, 0.02], n), cell=cp["cell"][checkpoint],
        phone_lat=np.where(located, phone_lat, np.nan), phone_lon=np.where(located, phone_lon, np.nan),
        distance_m=distance, flagged=np.nan_to_num(distance) > FLAG_DISTANCE_M,
    )
    # Ids follow time, as they do when the app writes check-ins as they happen.
    check_ins = {"id": np.arange(1, n + 1)} | draw.take(check_ins, np.argsort(at, kind="stable"))
    return check_ins, at[first], at[last], checkpoint[last]


def _last_positions(city: City, person: np.ndarray, seen_at: np.ndarray, checkpoint: np.ndarray) -> draw.Table:
    """Where each person on duty on the last night last checked in."""
    order = np.argsort(person)
    checkpoint = checkpoint[order]
    return draw.table(
        person_id=person[order] + 1, lat=city.checkpoints["lat"][checkpoint],
        lon=city.checkpoints["lon"][checkpoint], cell=city.checkpoints["cell"][checkpoint],
        seen_at=seen_at[order], source="checkin",
    )
