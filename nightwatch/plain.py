"""Typed text kept as text wherever it is shown: in Markdown, and in the JSON a pydeck map sends. Pure.

Markdown (st.markdown, st.caption, alerts, labels) would turn `[x](https://…)`, `# title`, `:red[…]`,
`$…$` or `![](…)` into links, headings, colours, formulas and remote images. CommonMark shows ASCII
punctuation preceded by a backslash as itself. Escaped are the characters that open markup anywhere
(brackets, emphasis, code, HTML, tables, formulas, entities, headings), a colon before a letter
(Streamlit's `:red[…]`, `:material/…:` and emoji codes), and list or heading markers at the start of a
line (`- `, `+ `, `= `, `1. `); "22:00–06:00 (+1)" and "4.0" stay as they are. That leaves nothing live
except GFM's bare links: `https://…`, `www.…` and `name@host` become links even when escaped (seen
in Chromium). An invisible word joiner inside each (`h⁠ttps://`, `w⁠ww.`, `name⁠@host`) keeps them
text. Text holding right-to-left or other direction controls is isolated (FSI … PDI), so an override
typed into a name cannot reverse the app's own words around it.

deck.gl's JSON converter, which Streamlit runs over the whole pydeck spec (data rows included), turns a
string starting with "@@=" into a function and looks up "@@#…" as a constant (an unknown one breaks
the map). A word joiner after the first "@" keeps such text as the same visible characters.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MARKDOWN_SPECIAL = frozenset("\\`*_[]<>#$|~&{}!")
COLON_DIRECTIVE = re.compile(r":(?=[A-Za-z])")
LINE_MARKER = re.compile(r"(?m)^([ \t]*)([-+]|\d+[.)])(?=[ \t]|$)|^([ \t]*)([-=])(?=[-= \t]*$)")
DECK_PREFIX = "@@"
WORD_JOINER = "\u2060"
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
FIRST_STRONG_ISOLATE, POP_ISOLATE = "\u2068", "\u2069"
BARE_LINK = re.compile(r"(?i)(?<=h)(?=ttps?:)|(?<=w)(?=ww\.)|(?=@)")


def plain(text: object) -> str:
    """Typed text for Markdown: markup characters escaped, bare links broken invisibly, line breaks kept."""
    value = "" if text is None else str(text).replace("\r\n", "\n").replace("\r", "\n")
    value = BARE_LINK.sub(WORD_JOINER, value)
    escaped = "".join("\\" + c if c in MARKDOWN_SPECIAL else c for c in value)
    escaped = COLON_DIRECTIVE.sub(r"\\:", escaped)
    escaped = LINE_MARKER.sub(_escape_marker, escaped)
    if BIDI_CONTROLS.search(escaped):
        escaped = FIRST_STRONG_ISOLATE + escaped + POP_ISOLATE
    return escaped.replace("\n", "  \n")


def _escape_marker(found: re.Match[str]) -> str:
    """A list, heading-underline or rule marker at a line's start, with its last character escaped."""
    indent, marker = (found.group(1), found.group(2)) if found.group(2) else (found.group(3), found.group(4))
    return indent + marker[:-1] + "\\" + marker[-1]


def deck_text(value: Any) -> Any:
    """A value for a pydeck data row: strings deck.gl would convert are kept as text; others unchanged."""
    if isinstance(value, str) and value.startswith(DECK_PREFIX):
        return "@" + WORD_JOINER + value[1:]
    return value


def deck_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Data rows for a pydeck layer with every top-level string made inert for deck.gl's JSON converter."""
    return [{key: deck_text(value) for key, value in row.items()} if isinstance(row, dict) else row
            for row in rows]
