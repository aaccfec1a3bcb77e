"""What an AppTest run sends to the browser, checked for typed text that became markup.

Shared by the hostile page tests. Markdown-bearing fields (element bodies, labels, help) must show a
typed string escaped; map JSON must keep it as data: never in the tooltip template, never as a string
deck.gl's JSON converter would turn into code ("@@="/"@@#"), never expanded by the tooltip's `{field}`
substitution, which Streamlit performs one placeholder at a time (`template.replace(token, value)`,
first occurrence), so braces typed into an earlier field would capture a later placeholder.
"""
from __future__ import annotations

import io
import json
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
from google.protobuf.json_format import MessageToDict

from nightwatch.plain import plain

MARKDOWN_FIELDS = ("body", "label", "help")
ACTIVE = frozenset(string.punctuation)
ESCAPED_PAIR = re.compile(r"\\[!-/:-@\[-`{-~]")
# Whatever the app writes itself never holds these; found unescaped in Markdown, a payload went live
# (bare links are checked apart: GFM links them even when escaped).
SIGNATURES = ("<script", "<svg", "javascript:", "# 标题注入", ":red[", "](", "![",
              "<iframe", "<img")
PLACEHOLDER = re.compile(r"{(.*?)}")
# GFM turns these into links even when every character around them is escaped.
BARE_LINK = re.compile(r"(?i)(?:https?://|www\.)[^\s<>()\[\]]+|[\w.+-]+@[\w-]+\.[\w.]+")
UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


@dataclass
class Scan:
    """What one or more page runs sent, and every place typed text went live."""

    elements: int = 0
    pages: int = 0
    live: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)


def markdown_fields(node_dict: dict) -> Iterable[str]:
    """Every Markdown-rendered string in one element's proto (as a dict), nested ones included."""
    for key, value in node_dict.items():
        if key in MARKDOWN_FIELDS and isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            yield from markdown_fields(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    yield from markdown_fields(item)


def live_in_markdown(body: str, typed: Iterable[str]) -> list[str]:
    """The typed strings (and payload signatures) that appear unescaped in one Markdown body."""
    found = []
    for text in typed:
        # Pure punctuation ("---", "=", "_") is in the app's own dividers and labels: it cannot be told
        # apart here; plain() escaping every one of them is tested on the whole corpus on its own.
        if not text or not ACTIVE.intersection(text) or not any(char.isalnum() for char in text):
            continue
        rest = body.replace(plain(text), "\0")
        if text in rest:
            found.append(text)
    unescaped = UNESCAPE.sub(r"\1", body)
    found += [f"bare link {link!r}" for text in typed for link in links_in(text) if link in unescaped]
    bare = ESCAPED_PAIR.sub("", body)
    found += [f"signature {s!r}" for s in SIGNATURES if s in bare]
    return found


@lru_cache(maxsize=4096)
def links_in(text: str) -> tuple[str, ...]:
    """The bare links GFM would find in a typed string (looked for only where one could be)."""
    folded = text.lower()
    if "@" not in text and "http" not in folded and "www." not in folded:
        return ()
    return tuple(BARE_LINK.findall(text))


def interpolate_like_streamlit(template: str, row: dict) -> str:
    """Streamlit's deck tooltip substitution: each `{name}` token in turn, replacing its first occurrence."""
    result = template
    for token in PLACEHOLDER.findall(template):
        if token in row:
            result = result.replace("{" + token + "}", str(row[token]), 1)
    return result


def interpolate_honestly(template: str, row: dict) -> str:
    """What the tooltip should read: every placeholder filled once, values never re-read."""
    return PLACEHOLDER.sub(lambda m: str(row[m.group(1)]) if m.group(1) in row else m.group(0), template)


def live_in_deck(spec: dict, tooltip: dict, typed: Iterable[str]) -> list[str]:
    """Typed text in a map spec that deck.gl or the tooltip would treat as more than data."""
    found = []
    typed = [t for t in typed if t]
    template_text = json.dumps(tooltip, ensure_ascii=False)
    found += [f"tooltip template holds typed text {t[:40]!r}" for t in typed if len(t) > 3 and t in template_text]
    if "html" in tooltip:
        found.append("tooltip renders HTML")
    template = tooltip.get("text") or tooltip.get("html") or ""
    for layer in spec.get("layers", []):
        for row in layer.get("data") or []:
            if not isinstance(row, dict):
                continue
            for value in row.values():
                if isinstance(value, str) and value.startswith("@@"):
                    found.append(f"deck.gl would convert {value[:40]!r}")
            if template and interpolate_like_streamlit(template, row) != interpolate_honestly(template, row):
                found.append(f"tooltip expands typed braces in {layer.get('id')}")
    return found


def frame_text(data: bytes) -> str:
    """An Arrow table sent to st.dataframe, as text."""
    import pyarrow as pa

    return pa.ipc.open_stream(io.BytesIO(data)).read_all().to_pandas().to_csv(index=False)


def scan_run(at, typed: Iterable[str], scan: Scan, where: str = "") -> None:
    """Walk every element one AppTest run produced and add what went live (and which typed text was seen)."""
    typed = [t for t in typed if t]
    scan.pages += 1

    def visit(node) -> None:
        """Check one element, then its children."""
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is not None:
            scan.elements += 1
            as_dict = MessageToDict(proto)
            if kind in ("arrow_data_frame", "dataframe", "table") and getattr(proto, "data", b""):
                shown = frame_text(proto.data)
                scan.seen.update(t for t in typed if t in shown)
                as_dict.pop("data", None)
            elif kind == "deck_gl_json_chart":
                spec = json.loads(proto.json)
                tooltip = json.loads(proto.tooltip) if proto.tooltip else {}
                scan.live += [f"{where} {kind}: {w}" for w in live_in_deck(spec, tooltip, typed)]
                values = json.dumps(spec, ensure_ascii=False)
                scan.seen.update(t for t in typed if json.dumps(t, ensure_ascii=False)[1:-1] in values)
                as_dict = {}
            for body in markdown_fields(as_dict):
                scan.live += [f"{where} {kind}: {w[:60]!r} in {body[:80]!r}" for w in live_in_markdown(body, typed)]
                scan.seen.update(t for t in typed if t in body or plain(t) in body)
        for child in getattr(node, "children", {}).values():
            visit(child)

    visit(at._tree)


def shown_frames(at) -> list[pd.DataFrame]:
    """Every dataframe the run drew, decoded."""
    return [element.value for element in at.dataframe]
