"""The phone's location for a check-in, only when its owner taps and allows it.

A Streamlit v2 component: its script runs in the app page itself (no iframe), so the browser's
geolocation permission is the page's own. It hands {lat, lon, accuracy} or {error} back to Python.
"""
from __future__ import annotations

import streamlit as st

from nightwatch.checkins import PhoneFix, phone_fix_from
from nightwatch.ui.lang import t

# What the person chose (a fix, or the reason there is none), kept across reruns of the page.
CHOSEN_KEY = "checkin_location_choice"

_HTML = """<div class="nw-where"><button type="button" class="nw-where-button"></button>
<span class="nw-where-status" aria-live="polite"></span></div>"""

_CSS = """
.nw-where { display: flex; flex-direction: column; gap: 0.4rem; font-family: var(--st-font, sans-serif); }
.nw-where-button {
  width: 100%; min-height: 2.75rem; padding: 0.5rem 1rem; font-size: 1rem; cursor: pointer;
  border-radius: var(--st-base-radius, 0.5rem); border: 1px solid var(--st-border-color, #ccc);
  background: var(--st-secondary-background-color, #f0f2f6); color: var(--st-text-color, inherit);
}
.nw-where-button:disabled { opacity: 0.6; cursor: wait; }
.nw-where-status { font-size: 0.875rem; color: var(--st-text-color, inherit); opacity: 0.75; }
"""

# Only textContent is ever set from data, so no markup can be injected through the labels.
_JS = """
export default function (component) {
  const { parentElement, data, setStateValue } = component;
  const button = parentElement.querySelector(".nw-where-button");
  const status = parentElement.querySelector(".nw-where-status");
  button.textContent = data.label;
  const give = (value) => { button.disabled = false; status.textContent = ""; setStateValue("fix", value); };
  button.onclick = () => {
    if (!window.isSecureContext) { give({ error: "insecure" }); return; }
    if (!navigator.geolocation) { give({ error: "unavailable" }); return; }
    button.disabled = true;
    status.textContent = data.waiting;
    navigator.geolocation.getCurrentPosition(
      (found) => give({ lat: found.coords.latitude, lon: found.coords.longitude, accuracy: found.coords.accuracy }),
      (failed) => give({ error: failed.code === 1 ? "denied" : "unavailable" }),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 },
    );
  };
}
"""

_locate = st.components.v2.component("nightwatch_checkin_location", html=_HTML, css=_CSS, js=_JS)
_ERRORS = {"denied": "checkin.location_denied", "insecure": "checkin.location_insecure"}


def _keep() -> None:
    """Remember the browser's latest answer under a plain key, which outlives the widget."""
    answer = st.session_state.get("checkin_location_widget", {})
    value = answer.get("fix") if isinstance(answer, dict) else getattr(answer, "fix", None)
    if value is not None:
        st.session_state[CHOSEN_KEY] = value


def location_choice() -> PhoneFix | None:
    """The optional phone location: a button, a short explanation, and what was chosen so far."""
    st.markdown(f"**{t('checkin.location_title')}**")
    st.caption(t("checkin.location_help"))
    result = _locate(key="checkin_location_widget", data={"label": t("checkin.location_button"),
                                                           "waiting": t("checkin.location_waiting")},
                     default={"fix": None}, on_fix_change=_keep)
    chosen = st.session_state.get(CHOSEN_KEY)
    if CHOSEN_KEY not in st.session_state and getattr(result, "fix", None) is not None:
        chosen = st.session_state[CHOSEN_KEY] = result.fix
    fix = phone_fix_from(chosen)
    if fix is not None:
        accuracy = round(fix.accuracy_m) if fix.accuracy_m is not None else None
        st.caption(t("checkin.location_attached", accuracy=accuracy) if accuracy is not None
                   else t("checkin.location_attached_plain"))
        if st.button(t("checkin.location_clear"), key="checkin_location_clear"):
            st.session_state[CHOSEN_KEY] = {"cleared": True}  # not None: the widget still holds the old fix
            st.rerun()
    elif isinstance(chosen, dict) and chosen.get("error"):
        st.caption(t(_ERRORS.get(chosen["error"], "checkin.location_failed")))
    return fix
