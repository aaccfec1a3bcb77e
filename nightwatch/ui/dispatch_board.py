"""/dispatch's live board: open tips, new and urgent first, with their 1-3-5 countdowns; refreshed every 10 s."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from nightwatch.access import Actor
from nightwatch.response_times import Countdown
from nightwatch.services.dispatch_board import Board, BoardTip, board
from nightwatch.ui.dispatch_common import clock, now_utc
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.store import store
from nightwatch.ui.table import show_table

TIP_KEY = "dispatch_tip_id"
SEEN_KEY = "dispatch_board_seen"
MEASURE_COLUMNS = {"react": "dispatch.col_react", "acknowledge": "dispatch.col_acknowledge",
                   "reach": "dispatch.col_reach"}
LATE = "●"  # the CJK font has it; the dataframe canvas draws no colour emoji


def load_board(actor: Actor, district_id: int, *, page: bool = True) -> Board:
    """The district's board at this moment; the page's own load is remembered as what it was drawn with."""
    view = board(session_factory=store().session_factory, actor=actor, district_id=district_id, now=now_utc())
    if page:
        st.session_state[SEEN_KEY] = _tips_of(district_id, view)
    return view


def _tips_of(district_id: int, view: Board) -> tuple[int, frozenset[int]]:
    return district_id, frozenset(tip.id for tip in view.tips)


def badge(countdown: Countdown | None) -> str:
    """A countdown as the board reads it; late ones start with a red dot."""
    if countdown is None:
        return "—"
    if countdown.done:
        return f"{LATE} {t('dispatch.done_late')}" if countdown.missed else f"✓ {t('dispatch.done_ok')}"
    if countdown.missed:
        return f"{LATE} {t('dispatch.late', clock=clock(countdown.remaining_s))}"
    return t("dispatch.left", clock=clock(countdown.remaining_s))


def _row(tip: BoardTip) -> dict[str, object]:
    shown = {c.measure: c for c in tip.countdowns}
    grid = (tip.grid or "—") + (f" · {t('dispatch.hotspot')}" if tip.hotspot else "")
    row: dict[str, object] = {
        t("dispatch.col_tip"): f"#{tip.id}", t("dispatch.col_urgency"): vocab_label(tip.urgency),
        t("dispatch.col_category"): vocab_label(tip.category), t("dispatch.col_grid"): grid,
        t("dispatch.col_status"): vocab_label(tip.status),
        t("dispatch.col_waited"): t("dispatch.minutes", n=tip.waited_min),
    }
    for measure, key in MEASURE_COLUMNS.items():
        row[t(key)] = badge(shown.get(measure))
    row[t("dispatch.col_sent")] = f"{tip.sent}/{tip.acknowledged}"
    return row


def _red(value: object) -> str:
    return "color: #c62828; font-weight: 600" if str(value).startswith(LATE) else ""


def _rerun_page_when_tips_change(district_id: int, view: Board) -> None:
    """When a tip arrives or leaves, redraw the whole page, so the tip picker and details offer it too.

    The page's own load records what it drew, so a full run (with its flash message) never reruns itself.
    """
    if st.session_state.get(SEEN_KEY) != _tips_of(district_id, view):
        st.rerun()


@st.fragment(run_every="10s")
def live_board(actor: Actor, district_id: int) -> None:
    """The board itself; reruns on its own every 10 seconds without redrawing the rest of the page."""
    view = load_board(actor, district_id, page=False)
    _rerun_page_when_tips_change(district_id, view)
    st.subheader(t("dispatch.board_title", district=view.district))
    tg = view.targets
    st.caption(t("dispatch.targets", react=f"{tg['react_min']:g}", ack=f"{tg['acknowledge_min']:g}",
                 hot=f"{tg['reach_hotspot_min']:g}", any=f"{tg['reach_anywhere_min']:g}") + " · "
               + t("dispatch.refreshed", time=now_utc().astimezone(ZoneInfo(view.timezone)).strftime("%H:%M:%S")))
    if not view.tips:
        st.info(t("dispatch.no_tips"))
        return
    frame = pd.DataFrame([_row(tip) for tip in view.tips])
    show_table(frame.style.map(_red), name="dispatch-board", key="dispatch_board")


def pick_tip(tips: list[BoardTip]) -> BoardTip | None:
    """A choice among the open tips (kept across reruns); returns the chosen one."""
    if not tips:
        return None
    by_id = {tip.id: tip for tip in tips}
    if st.session_state.get(TIP_KEY) not in by_id:
        st.session_state[TIP_KEY] = tips[0].id
    chosen = st.selectbox(t("dispatch.pick_tip"), list(by_id), key=TIP_KEY, format_func=lambda i: t(
        "dispatch.tip_label", id=i, category=vocab_label(by_id[i].category), grid=by_id[i].grid or "—",
        waited=by_id[i].waited_min))
    return by_id.get(chosen)
