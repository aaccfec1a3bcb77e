"""Hostile strings typed into the real forms of the pages, then every page that shows them scanned for live markup.

One seeded demo per module. Each form (tests/hostile_forms.py) takes every chosen corpus string as the role
that uses it: no exception; either stored as typed after `nightwatch.text.clean_text`, or refused with a
visible message while the field keeps what was typed. Then the pages that show those values are rendered
as each role that reads them and everything sent is walked (tests/hostile_markup.py).
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from demo_copy import demo_copy
from hostile import CORPUS, sample
from hostile_forms import CHECKPOINT, FORMS, Form, as_sent, last_id, newest
from hostile_markup import (
    ESCAPED_PAIR,
    Scan,
    interpolate_honestly,
    interpolate_like_streamlit,
    live_in_markdown,
    scan_run,
)
from streamlit.testing.v1 import AppTest

from db.models import ShiftCampaign, Tip
from nightwatch.plain import MARKDOWN_SPECIAL, deck_rows, plain
from nightwatch.services import auth
from nightwatch.text import clean_text

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(1800)]

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "nightwatch-demo"
MAP_PICK = "查看要素"
QUICK_EVERY = 40  # quick runs: every 40th corpus string plus the first of each category
# Pages that show what the forms stored, and who reads them there.
SHOWN_ON = (
    ("demo-coordinator", "app.py"), ("demo-coordinator", "pages/10_map.py"), ("demo-volunteer", "pages/10_map.py"),
    ("demo-merchant", "pages/60_tip.py"), ("demo-coordinator", "pages/75_hazards.py"),
    ("demo-volunteer", "pages/75_hazards.py"), ("demo-coordinator", "pages/30_people.py"),
    ("demo-coordinator", "pages/40_roster.py"), ("demo-coordinator", "pages/77_outreach.py"),
    ("demo-volunteer", "pages/77_outreach.py"), ("demo-coordinator", "pages/20_geography.py"),
    ("demo-coordinator", "pages/15_dashboard.py"), ("demo-volunteer", "pages/70_my_tasks.py"),
)


@dataclass
class Outcome:
    """What one string did to one form."""

    form: str
    text: str
    result: str  # accepted, refused, or a failure: exception / changed / refused-silently / lost-typing
    detail: str = ""


@dataclass
class Submissions:
    """Every submission of the module, the tips it stored, and how long it took."""

    outcomes: list[Outcome] = field(default_factory=list)
    scan: Scan = field(default_factory=Scan)  # the runs that answered each submission
    tip_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0


@pytest.fixture(scope="module")
def world(seeded_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """A seeded demo for the module, the app pointed at it, a session token per account."""
    with demo_copy(seeded_sqlite_template, tmp_path_factory.mktemp("hostile-pages")) as factory:
        logins = {login for form in FORMS for login in [form.login]} | {login for login, _ in SHOWN_ON}
        tokens = {login: auth.sign_in(session_factory=factory, login=login, password=DEMO_PASSWORD).session.token
                  for login in logins}
        yield tokens


def strings(scorecard, form_index: int) -> tuple[str, ...]:
    """The corpus strings one form takes, rotating between forms: at full scale the forms together take the
    whole corpus, every string through at least one form (every string × every field is the service layer's
    test: ~2,000 page runs would take over half an hour); in quick runs a third of a sample holding every category."""
    if scorecard.full:
        return tuple(entry.text for index, entry in enumerate(CORPUS) if (index + form_index) % len(FORMS) == 0)
    return tuple(entry.text for index, entry in enumerate(sample(QUICK_EVERY)) if (index + form_index) % 3 == 0)


def open_page(tokens: dict[str, str], login: str, page: str, state: dict | None = None) -> AppTest:
    """Open a page as a demo account, with some session state set first."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["_nw_token"] = tokens[login]
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    if page != "app.py":
        at.switch_page(page).run()
    return at


def deck_of(at) -> dict:
    """The map's pydeck spec as sent."""
    [chart] = at.get("deck_gl_json_chart")
    return json.loads(chart.proto.json)


def messages(at) -> list[str]:
    """The error and warning messages on screen."""
    return [m.value for m in [*at.error, *at.warning]]


def submit_one(at, form: Form, text: str) -> Outcome:
    """Type one string into the form, submit, and judge what happened."""
    before_id = last_id(form.model)
    form.submit(at, text)
    if at.exception:
        return Outcome(form.name, text, "exception", at.exception[0].value[:200])
    stored = newest(form, before_id)
    if stored is not None:
        changed = {column: value for column, value in stored[1].items()
                   if (value or "") != clean_text(text[:form.columns[column]] if form.columns[column] else text)}
        return Outcome(form.name, text, "changed" if changed else "accepted", repr(changed)[:200])
    if not messages(at):
        return Outcome(form.name, text, "refused-silently")
    typed = form.typed_back(at)
    if typed != text[:len(typed)] or not typed and text:
        return Outcome(form.name, text, "lost-typing", repr(typed)[:80])
    return Outcome(form.name, text, "refused", messages(at)[-1][:120])


@pytest.fixture(scope="module")
def submissions(world, scorecard) -> Submissions:
    """Every chosen string through every form, each form opened once as its role."""
    done = Submissions()
    started = time.perf_counter()
    first_tip = last_id(Tip)
    for form in FORMS:
        at = open_page(world, form.login, form.page)
        for text in map(as_sent, strings(scorecard, FORMS.index(form))):
            try:
                done.outcomes.append(submit_one(at, form, text))
                scan_run(at, [clean_text(text)], done.scan, f"{form.name} answering")
            except (StopIteration, KeyError, ValueError) as missing:  # the form was not drawn at all
                done.outcomes.append(Outcome(form.name, text, "exception", f"form not drawn: {missing!r} "
                                             + " ".join(e.value[:200] for e in at.exception)))
            if done.outcomes[-1].result == "exception":
                at = open_page(world, form.login, form.page)
    done.tip_ids = [tip_id for tip_id in range(first_tip + 1, last_id(Tip) + 1)]
    done.seconds = time.perf_counter() - started
    return done


def test_every_form_stores_a_hostile_string_as_typed_or_refuses_it_visibly(submissions, scorecard):
    outcomes = submissions.outcomes
    failed = [o for o in outcomes if o.result not in ("accepted", "refused")]
    scorecard.record("hostile input", "strings × forms submitted through pages (AppTest)",
                     f"{len(outcomes)} ({len({o.text for o in outcomes})} strings over {len(FORMS)} forms, "
                     f"{submissions.seconds:.0f} s)")
    scorecard.record("hostile input", "exceptions on pages while submitting",
                     sum(o.result == "exception" for o in outcomes), 0)
    scorecard.record("hostile input", "page submissions neither stored as typed nor refused with a message",
                     len(failed), 0)
    assert not failed, "\n".join(f"{o.form}: {o.result} {o.text[:40]!r} {o.detail}" for o in failed[:20])
    assert any(o.result == "accepted" for o in outcomes) and any(o.result == "refused" for o in outcomes)


def test_pages_showing_hostile_strings_never_turn_them_into_markup(world, submissions, scorecard):
    typed = sorted({clean_text(o.text) for o in submissions.outcomes if o.result == "accepted"} - {""})
    scan, errors = submissions.scan, []
    runs = [(login, page, {}) for login, page in SHOWN_ON]
    runs.append(("demo-coordinator", "pages/40_roster.py", {"roster_campaign_pick": last_id(ShiftCampaign)}))
    shown_tips = submissions.tip_ids if scorecard.full else submissions.tip_ids[::4]
    runs += [("demo-coordinator", "pages/65_dispatch.py", {"dispatch_tip_id": tip_id}) for tip_id in shown_tips]
    for login, page, state in runs:
        at = open_page(world, login, page, state)
        errors += [f"{login} {page}: {e.value[:160]}" for e in at.exception]
        scan_run(at, typed, scan, f"{login} {page} {state}")
    mapped = open_page(world, "demo-coordinator", "pages/10_map.py")
    picker = next(s for s in mapped.selectbox if s.label == MAP_PICK)
    for tip_id in shown_tips:
        picker.set_value(("tip", tip_id)).run()
        errors += [f"map tip {tip_id}: {e.value[:160]}" for e in mapped.exception]
        scan_run(mapped, typed, scan, f"map tip {tip_id}")
        picker = next(s for s in mapped.selectbox if s.label == MAP_PICK)
    scorecard.record("hostile input", "pages rendered and elements scanned after hostile input",
                     f"{scan.pages} page runs, {scan.elements} elements")
    scorecard.record("hostile input", "user strings found as live markup (Markdown, map JSON, tooltips)",
                     len(scan.live), 0)
    scorecard.record("hostile input", "exceptions on pages showing hostile input", len(errors), 0)
    assert not errors, "\n".join(errors[:10])
    assert not scan.live, "\n".join(sorted(set(scan.live))[:30])
    assert len(scan.seen) >= len(typed) // 2, "the scan must find the stored strings where pages show them"


# deck.gl's JSON converter reads strings starting "@@=" as code and "@@#" as a constant (an unknown one
# breaks the map); the corpus's `{…}` strings test the tooltip. Typed as checkpoint names, shown on the map.
DECK_STRINGS = ("@@=1+1", "@@#Evil.x", "{tooltip}\n{name}")


def test_the_map_sends_deck_gl_code_prefixes_and_braces_as_plain_data(world, scorecard):
    at = open_page(world, CHECKPOINT.login, CHECKPOINT.page)
    outcomes = [submit_one(at, CHECKPOINT, text) for text in DECK_STRINGS]
    assert [o.result for o in outcomes] == ["accepted"] * len(DECK_STRINGS), outcomes
    scan = Scan()
    for login in ("demo-coordinator", "demo-volunteer"):
        scan_run(open_page(world, login, "pages/10_map.py"), DECK_STRINGS, scan, f"{login} map")
    scorecard.record("hostile input", "map JSON: typed strings deck.gl would run as code or expand in a tooltip",
                     len(scan.live), 0)
    assert not scan.live, "\n".join(scan.live)
    names = json.dumps(deck_of(open_page(world, "demo-volunteer", "pages/10_map.py")), ensure_ascii=False)
    assert all(f"@\u2060{text[1:]}" in names for text in DECK_STRINGS[:2]), "shown as typed, with a word joiner"


def test_the_tooltip_check_catches_braces_that_capture_a_later_placeholder():
    template = "{label}\n期限 {due}"
    row = {"label": "#1 消防隐患 {due}", "due": "2026-11-23"}
    assert interpolate_like_streamlit(template, row) != interpolate_honestly(template, row)
    assert interpolate_like_streamlit("{tooltip}", {"tooltip": "{name}", "name": "x"}) == "{name}"


def test_plain_leaves_no_markup_character_unescaped_and_no_bare_link():
    for entry in CORPUS:
        shown = plain(entry.text)
        assert not set(ESCAPED_PAIR.sub("", shown)) & MARKDOWN_SPECIAL, entry.note
        assert not live_in_markdown(shown, [entry.text]), entry.note
    assert plain("见 https://evil.example 或 www.evil.example") == "见 h\u2060ttps://evil.example 或 w\u2060ww.evil.example"
    assert plain("- 第一\n1. 第二\n===") == "\\- 第一  \n1\\. 第二  \n\\==="
    assert plain("东西巷一网格 01-21 22:00–06:00 (+1) 4.0") == "东西巷一网格 01-21 22:00–06:00 (+1) 4.0"
    assert plain(":red[红] :material/warning:") == "\\:red\\[红\\] \\:material/warning:"
    assert plain("名字\u202e反转") == "\u2068名字\u202e反转\u2069"
    assert deck_rows([{"name": "@@=1+1", "n": 3}]) == [{"name": "@\u2060@=1+1", "n": 3}]
