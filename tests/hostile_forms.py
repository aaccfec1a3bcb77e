"""The real forms of the pages, driven under AppTest with hostile strings: what to type, where, and where it lands.

Each `Form` opens its page as the role that uses it, types one string into its free-text fields, submits,
and reads back the newest stored row of what it writes (None when nothing new was stored).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from db.models import (
    Checkpoint,
    Hazard,
    OutreachEvent,
    Person,
    Place,
    ShiftCampaign,
    Team,
    Tip,
)
from nightwatch.i18n import t as translate
from nightwatch.outreach import MAX_TITLE
from nightwatch.services import setup
from nightwatch.services.tips import MAX_TEXT
from nightwatch.vocab import TipCategory

COORDS = "25.2795, 110.2953"  # inside 东西巷


def zh(key: str, **values: object) -> str:
    """A catalog message as the pages show it by default."""
    return translate(key, "zh-CN", **values)


def by_label(widgets, label: str):
    """The one widget of a kind with this label."""
    return next(w for w in widgets if w.label == label)


def as_sent(text: str) -> str:
    """What a browser can send for typed text: UTF-8 holds no lone surrogate, so TextEncoder sends U+FFFD."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def type_into(widget, text: str) -> None:
    """Type as a browser does: a field with a character limit takes no more than that many characters."""
    limit = widget.proto.max_chars
    widget.input(text[:limit] if limit else text)


def click(at, label: str) -> None:
    """Click the button (or form submit button) with this label and run."""
    next(b for b in at.button if b.label == label).click().run()


@dataclass(frozen=True)
class Form:
    """One form of one page: how to type a string into it and submit, and where its stored copy is."""

    name: str
    login: str
    page: str
    model: type
    columns: dict[str, int | None]  # stored column → the character limit of the field it is typed into
    submit: Callable[[object, str], None]
    typed_back: Callable[[object], str]


def newest(form: Form, after_id: int) -> tuple[int, dict[str, object]] | None:
    """The newest row the form's table got since `after_id`, with the form's columns; None if none."""
    store = setup.open_store()
    try:
        with store.session_factory() as session:
            row = session.scalars(select(form.model).where(form.model.id > after_id)
                                  .order_by(form.model.id.desc()).limit(1)).first()
            found = None if row is None else (row.id, {c: getattr(row, c) for c in form.columns})
    finally:
        store.engine.dispose()
    return found


def last_id(model: type) -> int:
    """The highest id in a table now."""
    store = setup.open_store()
    try:
        with store.session_factory() as session:
            return session.scalar(select(func.max(model.id))) or 0
    finally:
        store.engine.dispose()


def _merchant_tip(at, text: str) -> None:
    """The merchant's /tip form: a category, the words, the shop as place, send."""
    at.session_state["tip.category"] = TipCategory.OTHER
    type_into(at.text_area(key="tip.text"), text)
    at.button(key="tip.send").click().run()


def _logged_tip(at, text: str) -> None:
    """The coordinator's tip log on /dispatch: the words and the caller's name, pasted coordinates."""
    type_into(at.text_area(key="tip_log.text"), text)
    at.text_input(key="tip_log.where").input(COORDS)
    type_into(at.text_input(key="tip_log.caller_name"), text)
    at.button(key="FormSubmitter:tip_log-" + zh("tips.log_send")).click().run()


def _logged_where(at, text: str) -> None:
    """The tip log with a hostile place: looked up, it is found nowhere."""
    at.text_area(key="tip_log.text").input("路口有人吵架")
    type_into(at.text_input(key="tip_log.where"), text)
    at.button(key="FormSubmitter:tip_log-" + zh("tips.log_send")).click().run()


def _hazard(at, text: str) -> None:
    """The hazard report on /hazards: where and what."""
    type_into(by_label(at.text_input, zh("hazards.location_note")), text)
    type_into(by_label(at.text_area, zh("hazards.description")), text)
    click(at, zh("hazards.send_report"))


def _person(at, text: str) -> None:
    """A new person on /people, by name only."""
    type_into(by_label(at.text_input, zh("people.col.name")), text)
    click(at, zh("people.add"))


def _team(at, text: str) -> None:
    """A new team on /people."""
    type_into(by_label(at.text_input, zh("people.team.name")), text)
    click(at, zh("people.team.create"))


def _campaign(at, text: str) -> None:
    """A new shift campaign on /roster, named with the string."""
    type_into(by_label(at.text_input, zh("roster.campaign.name")), text)
    click(at, zh("roster.campaign.save"))


def _outreach(at, text: str) -> None:
    """An outreach event on /outreach: title, typed place and note."""
    type_into(at.text_input(key="outreach_new.title"), text)
    at.radio(key="outreach_new.where_mode").set_value("typed").run()
    type_into(at.text_input(key="outreach_new.where"), text)
    type_into(at.text_area(key="outreach_new.note"), text)
    at.button(key="outreach_new.save").click().run()


def _place(at, text: str) -> None:
    """A new place on /geography: name and note, pasted coordinates."""
    type_into(at.text_input(key="place_add_name"), text)
    at.text_input(key="place_add_coords").input(COORDS)
    type_into(at.text_input(key="place_add_note"), text)
    at.button(key="place_add_save").click().run()


def _checkpoint(at, text: str) -> None:
    """A new checkpoint on /geography, named with the string: the map shows it with its name."""
    type_into(at.text_input(key="checkpoint_add_name"), text)
    type_into(at.text_input(key="checkpoint_add_coords"), COORDS)
    at.button(key="checkpoint_add_save").click().run()


CHECKPOINT = Form("checkpoint name (geography)", "demo-coordinator", "pages/20_geography.py", Checkpoint,
                  {"name": 120}, _checkpoint, lambda at: at.text_input(key="checkpoint_add_name").value)

FORMS = (
    Form("tip text (merchant)", "demo-merchant", "pages/60_tip.py", Tip, {"text": MAX_TEXT}, _merchant_tip,
         lambda at: at.text_area(key="tip.text").value),
    Form("tip log text and caller (dispatch)", "demo-coordinator", "pages/65_dispatch.py", Tip,
         {"text": MAX_TEXT, "caller_name": 80}, _logged_tip, lambda at: at.text_area(key="tip_log.text").value),
    # A typed place is looked up (pasted coordinates aside): stored is what was found, not what was typed.
    Form("tip log place (dispatch)", "demo-coordinator", "pages/65_dispatch.py", Tip, {}, _logged_where,
         lambda at: at.text_input(key="tip_log.where").value),
    Form("hazard report", "demo-volunteer", "pages/75_hazards.py", Hazard,
         {"location_note": 200, "description": 1000}, _hazard,
         lambda at: by_label(at.text_area, zh("hazards.description")).value),
    Form("person name (people)", "demo-coordinator", "pages/30_people.py", Person, {"name": 80}, _person,
         lambda at: by_label(at.text_input, zh("people.col.name")).value),
    Form("team name (people)", "demo-coordinator", "pages/30_people.py", Team, {"name": 120}, _team,
         lambda at: by_label(at.text_input, zh("people.team.name")).value),
    Form("campaign name (roster)", "demo-coordinator", "pages/40_roster.py", ShiftCampaign, {"name": 120},
         _campaign, lambda at: by_label(at.text_input, zh("roster.campaign.name")).value),
    Form("outreach title, place and note", "demo-coordinator", "pages/77_outreach.py", OutreachEvent,
         {"title": MAX_TITLE, "location_note": 200, "note": 1000}, _outreach,
         lambda at: at.text_input(key="outreach_new.title").value),
    Form("place name and note (geography)", "demo-coordinator", "pages/20_geography.py", Place,
         {"name": 120, "note": 200}, _place, lambda at: at.text_input(key="place_add_name").value),
)
