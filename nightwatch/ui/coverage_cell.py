"""One cell of the coverage board: its shifts, what each is short of, and a form to fill one place."""
from __future__ import annotations

from datetime import UTC, date, datetime

import streamlit as st

from nightwatch.access import Actor, Forbidden
from nightwatch.i18n import CATALOGS, DEFAULT_LANGUAGE
from nightwatch.services import coverage, roster
from nightwatch.ui.coverage_board import night_label, role_label, short_text
from nightwatch.ui.lang import t
from nightwatch.ui.plain import plain_t
from nightwatch.ui.store import store

FLASH_KEY = "coverage_flash"


def said(key: str, values: dict | None = None) -> str:
    """A refusal's message; the key itself when the catalog does not hold it (never a crash)."""
    return t(key, **(values or {})) if key in CATALOGS[DEFAULT_LANGUAGE] else key


def show_cell(actor: Actor, view: coverage.CoverageBoard, grid_id: int, night: date, hour: int | None) -> None:
    """The picked cell's shifts and the fill form."""
    cell = view.board.cell(grid_id, night, hour)
    when = night_label(night) + ("" if hour is None else " " + t("coverage.hour_label", hour=hour))
    st.subheader(t("coverage.cell_title", grid=view.grids[grid_id], night=when))
    show_flash()
    lines = [view.shifts[s] for s in cell.shift_ids]
    if not lines:
        st.info(t("coverage.cell_empty"))
        return
    for line in lines:
        have = sum(min(line.staffed.get(r, 0), n) for r, n in line.required.items())
        st.markdown(plain_t("coverage.shift_line", where=line.where, when=line.when, have=have,
                      need=sum(line.required.values())) + " · " + short_text(line.short))
    # A shift that is over cannot take anyone (after midnight, most of tonight's shifts are).
    now = datetime.now(UTC)
    short = [line for line in lines if line.short and line.ends_at > now]
    if short:
        _fill_form(actor, short)
    elif any(line.short for line in lines):
        st.info(t("roster.ended"))


def _fill_form(actor: Actor, lines: list[coverage.ShiftLine]) -> None:
    by_id = {line.shift_id: line for line in lines}
    shift_id = st.selectbox(t("coverage.fill_shift"), list(by_id), key="coverage_fill_shift",
                            format_func=lambda s: f"{by_id[s].where} {by_id[s].when} · {short_text(by_id[s].short)}")
    people = coverage.candidates(session_factory=store().session_factory, actor=actor, shift_id=shift_id)
    if not people:
        st.info(t("coverage.no_candidates"))
        return
    # Options are labels (made unique), which keeps the widget state plain text.
    by_label: dict[str, coverage.CellCandidate] = {}
    for person in people:
        label = _candidate_label(person)
        by_label[label if label not in by_label else f"{label} #{person.person_id}"] = person
    with st.form("coverage_fill"):
        chosen = st.selectbox(t("coverage.fill_person"), list(by_label), index=None, placeholder=t("form.choose"))
        button, message = st.columns([1, 3], vertical_alignment="center")
        submitted = button.form_submit_button(t("coverage.fill"), type="primary")
    if submitted and chosen is not None:
        _assign(actor, shift_id, by_label[chosen], message)


def _candidate_label(person: coverage.CellCandidate) -> str:
    if person.distance_m == 0:
        home = t("coverage.home_here")
    elif person.home_grid and person.distance_m is not None:
        home = t("coverage.home_far", grid=person.home_grid, metres=round(person.distance_m))
    else:
        home = t("coverage.home_none")
    label = t("coverage.candidate", name=person.name, role=role_label(person.role_kind), home=home)
    return f"{label} · ⚠ {t(person.clash)}" if person.clash else label


def _assign(actor: Actor, shift_id: int, person: coverage.CellCandidate, where) -> None:
    try:
        outcome = roster.assign(session_factory=store().session_factory, actor=actor, shift_id=shift_id,
                                person_id=person.person_id, role_kind=person.role_kind)
    except (roster.RosterRefused, Forbidden) as refused:
        where.error(said(refused.key, getattr(refused, "values", {})))
        return
    st.session_state[FLASH_KEY] = [plain_t("coverage.filled", name=person.name), *(said(w) for w in outcome.warnings)]
    st.rerun()


def show_flash() -> None:
    """What the last fill did, once, after the rerun that redrew the board."""
    for index, text in enumerate(st.session_state.pop(FLASH_KEY, [])):
        (st.success if index == 0 else st.warning)(text)
