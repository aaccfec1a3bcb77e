"""The coverage board: a grids × nights (or hours) table coloured like the map, and a pick of one cell."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pandas as pd
import streamlit as st

from nightwatch import i18n
from nightwatch.access import Actor
from nightwatch.nights import duty_date_of
from nightwatch.palette import STAFFING_COLOURS
from nightwatch.services import coverage
from nightwatch.situation import Staffing
from nightwatch.ui.lang import current_language, t, vocab_label
from nightwatch.ui.store import store
from nightwatch.ui.table import show_table
from nightwatch.vocab import RoleKind

BOARD_KEY = "coverage_board"
PICK_KEY = "coverage_pick"
CELL_KEY = "coverage_cell"
SEARCH_KEY = "coverage_find_grid"
SHORT_KEY = "coverage_short_only"
SHOWN = 30  # grids drawn at once; the search and the toggle reach the rest
TEXT = "#1f1f1f"


def week_controls() -> tuple[date, bool, date | None]:
    """The first night of the week, whether to show hours, and (for hours) which night."""
    left, middle, right = st.columns([2, 2, 3])
    tonight = duty_date_of(datetime.now(timezone.utc))
    first = left.date_input(t("coverage.first_night"), value=tonight, key="coverage_first")
    by_hour = middle.segmented_control(
        t("coverage.view"), ["nights", "hours"], default="nights", key="coverage_view",
        format_func=lambda v: t(f"coverage.view_{v}")) == "hours"
    night = None
    if by_hour:
        nights = [first + timedelta(days=n) for n in range(7)]
        night = right.selectbox(t("coverage.night"), nights, format_func=night_label, key="coverage_hour_night")
    return first, by_hour, night


def night_label(night: date) -> str:
    """``11-23 周一``."""
    return t("coverage.night_label", date=f"{night:%m-%d}", weekday=t(f"weekday.{night.weekday()}"))


def role_label(role: str) -> str:
    """A role kind as words, or as stored when it is not in the vocabulary."""
    try:
        return vocab_label(RoleKind(role))
    except ValueError:
        return role


def short_text(short: dict[str, int]) -> str:
    """``缺:网格员 2、辅警 1``, or ``满编``."""
    if not short:
        return t("coverage.full")
    roles = t("list.separator").join(t("coverage.role_count", role=role_label(r), count=n) for r, n in short.items())
    return t("coverage.short_roles", roles=roles)


def load_board(actor: Actor, district_id: int, first: date, by_hour: bool,
               night: date | None) -> coverage.CoverageBoard:
    """The board from the service: a week by night, or one night by hour."""
    return coverage.board(session_factory=store().session_factory, actor=actor, district_id=district_id,
                          first_night=night if by_hour and night else first, nights=1 if by_hour else 7,
                          by_hour=by_hour)


def _columns(view: coverage.CoverageBoard) -> dict[str, tuple[date, int | None]]:
    board = view.board
    if board.hours:
        return {t("coverage.hour_label", hour=h): (board.nights[0], h) for h in board.hours}
    return {night_label(n): (n, None) for n in board.nights}


def _shade(staffing: Staffing) -> str:
    """The map's colour for a staffing, blended onto white as the map draws it over a light basemap."""
    r, g, b, a = STAFFING_COLOURS[staffing]
    mix = [round(c * a / 255 + 255 * (1 - a / 255)) for c in (r, g, b)]
    return "background-color: #{:02x}{:02x}{:02x}; color: {}".format(*mix, TEXT)


def shown_grids(view: coverage.CoverageBoard) -> list[int]:
    """The grids the board draws: those matching the search (and short, when asked), the first SHOWN by id."""
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    search = left.text_input(t("coverage.find_grid"), max_chars=40, key=SEARCH_KEY).strip().lower()
    short_only = right.toggle(t("coverage.short_only"), key=SHORT_KEY)
    columns = list(_columns(view).values())
    wanted = [g for g, name in view.grids.items() if search in name.lower()
              and (not short_only or any(view.board.cell(g, *column).short for column in columns))]
    if len(wanted) > SHOWN:
        st.caption(t("coverage.grids_cut", shown=SHOWN, total=len(wanted)))
    elif not wanted:
        st.info(t("coverage.no_grid_found"))
    return wanted[:SHOWN]


def show_board(view: coverage.CoverageBoard, grid_ids: list[int]) -> tuple[int, date, int | None] | None:
    """Draw these grids' coloured rows under the district's totals; returns the cell picked by a click or the list."""
    columns = _columns(view)
    cells = {(g, name): view.board.cell(g, *columns[name]) for g in grid_ids for name in columns}
    frame = pd.DataFrame({name: [cells[g, name].label for g in grid_ids] for name in columns},
                         index=[view.grids[g] for g in grid_ids])
    totals = {name: "{}/{}".format(*view.board.totals(*columns[name])) for name in columns}
    frame = pd.concat([frame, pd.DataFrame(totals, index=[t("coverage.total")])])
    frame.index.name = t("coverage.grid")
    colours = pd.DataFrame({name: [_shade(cells[g, name].staffing) for g in grid_ids] + [""] for name in columns},
                           index=frame.index)
    styled = frame.style.apply(lambda _: colours, axis=None)
    keys = {(row, name): (g, *columns[name]) for row, g in enumerate(grid_ids) for name in columns}
    # Options are the labels themselves (unique per cell), which keeps the widget state plain text.
    whens = {when: _when(*when) for when in {key[1:] for key in keys.values()}}
    lang = current_language()  # once, not once per cell
    by_label = {i18n.t("coverage.cell_option", lang, grid=view.grids[key[0]], night=whens[key[1:]],
                       label=view.board.cell(*key).label): key for key in keys.values()}

    def _clicked() -> None:
        picked = st.session_state[BOARD_KEY].selection.cells
        if picked and tuple(picked[0]) in keys:
            st.session_state[CELL_KEY] = keys[tuple(picked[0])]

    def _chosen() -> None:
        st.session_state[CELL_KEY] = by_label.get(st.session_state[PICK_KEY])

    helps = {name: st.column_config.TextColumn(name, help=short_text(_night_short(view, columns[name])))
             for name in columns}
    show_table(styled, name="coverage", key=BOARD_KEY, on_select=_clicked, selection_mode="single-cell",
               hide_index=False, column_config=helps)
    st.caption(t("coverage.legend"))
    # The picked cell lives in a plain key: its label changes as people are added.
    label_of = {key: label for label, key in by_label.items()}
    st.session_state[PICK_KEY] = label_of.get(st.session_state.get(CELL_KEY))
    ordered = sorted(by_label, key=lambda label: (view.board.cell(*by_label[label]).staffing is Staffing.FULL,
                                                  _order(by_label[label])))
    st.selectbox(t("coverage.pick_cell"), ordered, index=None, placeholder=t("form.choose"), key=PICK_KEY,
                 on_change=_chosen)
    return st.session_state.get(CELL_KEY) if st.session_state.get(CELL_KEY) in label_of else None


def _night_short(view: coverage.CoverageBoard, column: tuple[date, int | None]) -> dict[str, int]:
    """What the whole district is short of in a column, by role kind, like the totals row."""
    short: dict[str, int] = {}
    for g in view.grids:
        for role, n in view.board.cell(g, *column).short.items():
            short[role] = short.get(role, 0) + n
    return short


def _order(key: tuple[int, date, int | None]) -> tuple[date, int, int]:
    grid, night, hour = key
    return night, -1 if hour is None else (hour - 6) % 24, grid


def _when(night: date, hour: int | None) -> str:
    return night_label(night) + ("" if hour is None else " " + t("coverage.hour_label", hour=hour))
