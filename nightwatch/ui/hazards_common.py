"""What the hazards screens share: clocks, running a step's service call, photos, status badges."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import streamlit as st

from nightwatch.access import Forbidden
from nightwatch.hazards import HazardTransitionRefused
from nightwatch.nights import DEFAULT_TIMEZONE, duty_date_of
from nightwatch.services.hazard_photos import HazardRefused, photo_file
from nightwatch.ui.dispatch_common import refusal_text
from nightwatch.ui.lang import t, vocab_label
from nightwatch.vocab import HazardStatus

FLASH_KEY = "_hazards_flash"
REFUSALS = (HazardRefused, HazardTransitionRefused, Forbidden)
TZ = ZoneInfo(DEFAULT_TIMEZONE)
COLOURS = {HazardStatus.REPORTED: "orange", HazardStatus.VERIFIED: "orange", HazardStatus.ASSIGNED: "blue",
           HazardStatus.RECTIFIED: "violet", HazardStatus.REINSPECTED: "green", HazardStatus.CLOSED: "gray",
           HazardStatus.REOPENED: "red"}


def now_utc() -> datetime:
    """The server's clock: every step is stamped here."""
    return datetime.now(UTC)


def tonight() -> date:
    """The duty date of now (a 01:00 look still belongs to the night before)."""
    return duty_date_of(now_utc())


def local(instant: datetime | None, pattern: str = "%m-%d %H:%M") -> str:
    """An instant as local wall time, or a dash."""
    return instant.astimezone(TZ).strftime(pattern) if instant else "—"


def badge(status: HazardStatus) -> str:
    """A coloured status badge in Markdown."""
    return f":{COLOURS[status]}-badge[{vocab_label(status)}]"


def run(work: Callable[[], object], done: str, *, clear: tuple[str, ...] = ()) -> bool:
    """Run a step; keep its message for the next run; clear the form's keys only when it went through."""
    try:
        work()
    except REFUSALS as refused:
        st.session_state[FLASH_KEY] = ("error", refusal_text(refused.key, getattr(refused, "values", {}),
                                                             "hazards.refused"))
        return False
    st.session_state[FLASH_KEY] = ("success", t(done))
    for key in clear:
        st.session_state.pop(key, None)
    return True


def show_flash() -> None:
    """Show (once) what the last step did."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash is not None:
        (st.success if flash[0] == "success" else st.error)(flash[1])


def show_photo(path: str | None, caption_key: str) -> None:
    """A stored photo with its caption, or a quiet note that there is none."""
    stored = photo_file(path)
    if stored is None:
        st.caption(t("hazards.no_photo", what=t(caption_key)))
    else:
        st.image(str(stored), caption=t(caption_key), width="stretch")


def uploaded(key: str) -> bytes | None:
    """The bytes of a file the form holds, if any."""
    file = st.session_state.get(key)
    return file.getvalue() if file is not None else None
