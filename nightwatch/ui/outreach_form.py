"""The outreach log form (phone-first): its fields, and saving a new or changed event.

Fields keep their values in session state under a prefix, so a refused form shows what was typed;
only a saved new event clears it.
"""
from __future__ import annotations

from datetime import date, time, timedelta

import streamlit as st

from nightwatch.access import Actor, Forbidden
from nightwatch.outreach import MATERIALS, MAX_MATERIAL, MAX_REACHED, MAX_TITLE, OutreachRefused
from nightwatch.services import outreach, outreach_list
from nightwatch.services.outreach import OutreachInput
from nightwatch.services.outreach_list import FormChoices
from nightwatch.ui.lang import t, vocab_label
from nightwatch.ui.plain import plain_t
from nightwatch.ui.store import store
from nightwatch.vocab import OutreachKind

NEW = "outreach_new"
EDIT = "outreach_edit"
FLASH_KEY = "outreach.flash"
WHERE_MODES = ("place", "shop", "typed")


def _key(prefix: str, name: str) -> str:
    """The session key of one field of one form."""
    return f"{prefix}.{name}"


def fill(prefix: str, form: OutreachInput) -> None:
    """Put an event's values into the form's fields (before they are drawn)."""
    mode = "place" if form.place_id is not None else "shop" if form.shop_id is not None else "typed"
    values = {"kind": OutreachKind(form.kind), "title": form.title, "where_mode": mode, "place": form.place_id,
              "shop": form.shop_id, "where": form.location_note or "", "day": form.day, "start": form.start,
              "end": form.end, "team": form.team_id, "reached": form.people_reached,
              "installs": form.app_installs, "note": form.note or ""}
    values |= {f"m.{item}": int(form.materials.get(item, 0)) for item in MATERIALS}
    for name, value in values.items():
        st.session_state[_key(prefix, name)] = value


def _defaults(prefix: str, today: date, choices: FormChoices) -> None:
    """First values of an empty form: a booth tonight 19:00–21:00 for the actor's own team."""
    team = choices.own_team_id if any(c.id == choices.own_team_id for c in choices.teams) else None
    if team is None and len(choices.teams) == 1:
        team = choices.teams[0].id
    first = {"kind": OutreachKind.ANTI_FRAUD_BOOTH, "title": "", "where_mode": "place" if choices.places else "typed",
             "place": None, "shop": None, "where": "", "day": today, "start": time(19, 0), "end": time(21, 0),
             "team": team, "reached": 0, "installs": 0, "note": ""}
    first |= {f"m.{item}": 0 for item in MATERIALS}
    for name, value in first.items():
        st.session_state.setdefault(_key(prefix, name), value)


def clear(prefix: str) -> None:
    """Forget what the form holds, so it opens empty again."""
    for name in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix + ".")]:
        del st.session_state[name]


def read(prefix: str) -> OutreachInput:
    """The form's current values as the service takes them."""
    def value(name: str, default: object = None) -> object:
        """One field's value, or its default when the field was not drawn this run."""
        return st.session_state.get(_key(prefix, name), default)

    mode = value("where_mode", "typed")
    return OutreachInput(
        kind=value("kind", OutreachKind.ANTI_FRAUD_BOOTH), title=value("title", ""), day=value("day"),
        start=value("start") or time(19, 0), end=value("end"), team_id=value("team"),
        place_id=value("place") if mode == "place" else None, shop_id=value("shop") if mode == "shop" else None,
        location_note=value("where", "") if mode == "typed" else None,
        materials={item: value(f"m.{item}", 0) for item in MATERIALS},
        people_reached=value("reached", 0), app_installs=value("installs", 0), note=value("note", ""))


def fields(prefix: str, choices: FormChoices, today: date, *, actor: Actor, district_id: int) -> None:
    """Draw the fields, one column on a phone; values live in session state under the prefix.

    Coordinators may leave the team open; patrols log for their own team only.
    """
    coordinating = actor.is_coordinator
    _defaults(prefix, today, choices)
    key = lambda name: _key(prefix, name)  # noqa: E731
    st.selectbox(t("outreach.kind"), list(OutreachKind), format_func=vocab_label, key=key("kind"))
    st.text_input(t("outreach.title"), max_chars=MAX_TITLE, placeholder=t("outreach.title_placeholder"),
                  key=key("title"))
    mode = st.radio(t("outreach.where_mode"), WHERE_MODES, horizontal=True, key=key("where_mode"),
                    format_func=lambda m: t(f"outreach.where.{m}"))
    names = {"place": {c.id: c.name for c in choices.places}}
    if mode == "shop":
        names["shop"] = {c.id: c.name for c in _shops(prefix, actor, district_id)}
    if mode in names:
        options = list(names[mode])
        if st.session_state.get(key(mode)) not in options:
            st.session_state[key(mode)] = options[0] if options else None
        if options:
            st.selectbox(t(f"outreach.{mode}"), options, format_func=names[mode].get, key=key(mode),
                         placeholder=t("form.choose"))
        else:
            st.caption(t("outreach.no_shop_match" if mode == "shop" else "outreach.no_places"))
    else:
        st.text_input(t("outreach.location_note"), max_chars=200, key=key("where"), help=t("outreach.location_help"))
    day_col, start_col, end_col = st.columns([2, 1, 1])
    day_col.date_input(t("outreach.day"), key=key("day"), max_value=today + timedelta(days=60))
    start_col.time_input(t("outreach.start"), key=key("start"), step=timedelta(minutes=5))
    end_col.time_input(t("outreach.end"), key=key("end"), step=timedelta(minutes=5), help=t("outreach.end_help"))
    teams = {c.id: c.name for c in choices.teams}
    team_options: list[int | None] = [None, *teams] if coordinating else list(teams)
    if st.session_state.get(key("team")) not in team_options:
        st.session_state[key("team")] = team_options[0] if team_options else None
    # "No team" is the value None, which Streamlit draws as the placeholder: so the placeholder says it.
    st.selectbox(t("outreach.team"), team_options, key=key("team"), placeholder=t("outreach.no_team"),
                 format_func=lambda team: t("outreach.no_team") if team is None else teams[team])
    reached_col, installs_col = st.columns(2)
    reached_col.number_input(t("outreach.reached"), min_value=0, max_value=MAX_REACHED, step=10, key=key("reached"))
    installs_col.number_input(t("outreach.installs"), min_value=0, max_value=MAX_REACHED, step=1,
                              key=key("installs"))
    st.markdown(f"**{t('outreach.materials')}**")
    columns = st.columns(3)
    for index, item in enumerate(MATERIALS):
        columns[index % 3].number_input(t(f"outreach.material.{item}"), min_value=0, max_value=MAX_MATERIAL, step=10,
                                        key=key(f"m.{item}"))
    st.text_area(t("outreach.note"), max_chars=1000, key=key("note"), height=80)


def _shops(prefix: str, actor: Actor, district_id: int) -> tuple[outreach_list.Choice, ...]:
    """A search box and the shops it finds; with nothing typed, the chosen shop (an edited event's) is kept."""
    text = st.text_input(t("accounts.find_shop"), max_chars=40, key=_key(prefix, "shop_find"),
                         help=t("accounts.find_help", count=outreach_list.CHOICES))
    chosen = st.session_state.get(_key(prefix, "shop"))
    return outreach_list.shop_choices(session_factory=store().session_factory, actor=actor, district_id=district_id,
                                      text=text, limit=outreach_list.CHOICES, keep=None if text.strip() else chosen)


def _refusal_text(refused: OutreachRefused | Forbidden) -> str:
    """A refusal in the reader's words."""
    return plain_t(refused.key, **getattr(refused, "values", {}))


def save_new(actor: Actor, district_id: int) -> None:
    """Button callback: log the event; clear the form on success, keep it with the reason when refused."""
    form = read(NEW)
    try:
        logged = outreach.log_event(session_factory=store().session_factory, actor=actor, district_id=district_id,
                                    form=form)
    except (OutreachRefused, Forbidden) as refused:
        st.session_state[_key(NEW, "error")] = _refusal_text(refused)
        return
    placed = logged.placed or form.location_note is None
    st.session_state[FLASH_KEY] = (plain_t("outreach.saved", title=form.title.strip()) if placed else
                                   plain_t("outreach.saved_unplaced", title=form.title.strip(), where=form.location_note))
    clear(NEW)


def save_edit(actor: Actor, event_id: int) -> None:
    """Button callback: save changes to an event, or keep the form with the reason."""
    form = read(EDIT)
    try:
        outreach.edit_event(session_factory=store().session_factory, actor=actor, event_id=event_id, form=form)
    except (OutreachRefused, Forbidden) as refused:
        st.session_state[_key(EDIT, "error")] = _refusal_text(refused)
        return
    st.session_state[FLASH_KEY] = plain_t("outreach.changed", title=form.title.strip())


def delete(actor: Actor, event_id: int, title: str) -> None:
    """Button callback: delete an event (coordinators), then forget the edit form."""
    try:
        outreach.delete_event(session_factory=store().session_factory, actor=actor, event_id=event_id)
    except (OutreachRefused, Forbidden) as refused:
        st.session_state[_key(EDIT, "error")] = _refusal_text(refused)
        return
    st.session_state[FLASH_KEY] = plain_t("outreach.deleted", title=title)
    clear(EDIT)


def show_error(prefix: str) -> None:
    """The reason the last save of this form was refused, shown once."""
    message = st.session_state.pop(_key(prefix, "error"), None)
    if message:
        st.error(message, icon=":material/error:")
