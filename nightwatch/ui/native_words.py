"""Streamlit's own widget words in the user's language: its frontend writes them in English, with no option.

"Press Enter to apply" under a field being typed in, and "Upload" and "5MB per file" on a file field, are
drawn by Streamlit's browser code. Style rules hide its words and put the catalog's in their place, so a
merchant's phone shows Chinese throughout. The words stay in the catalog like every other string.
"""
from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from nightwatch.photos import FILE_TYPES, MAX_MB
from nightwatch.ui.lang import t

INSTRUCTIONS = "[data-testid=InputInstructions]"
FIELDS = ("stTextInput", "stNumberInput", "stTextArea")  # the fields whose first instruction is about Enter
DROPZONE = "[data-testid=stFileUploaderDropzone]"
SMALL = "0.875rem"  # Streamlit's small type, which the uploader's button and limits use
SAME_AS = {"jpeg": "jpg"}  # Streamlit names the pair once, as JPG


def css_text(words: str) -> str:
    """Words as a CSS string literal, safe inside a <style> element."""
    escaped = words.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", "\\a ")
    return f'"{escaped}"'


def _instruction_rules() -> list[str]:
    """Each field's Enter hint, worded for a field on its own or in a form; the character count is kept."""
    rules = []
    for field in FIELDS:
        enter = "ctrl_enter" if field == "stTextArea" else "enter"
        where = f"[data-testid={field}] {INSTRUCTIONS}"
        rules.append(f"{where} > span:first-child {{ display: none; }}")
        rules.append(f"{where}::before {{ content: {css_text(t(f'widget.{enter}_apply'))}; }}")
        rules.append(f"[data-testid=stForm] {where}::before {{ content: {css_text(t(f'widget.{enter}_submit'))}; }}")
    return rules


def page_style() -> str:
    """The rules every page carries: the Enter hints and the uploader's button."""
    button = f"{DROPZONE} button [data-testid=stMarkdownContainer] p"
    rules = _instruction_rules() + [
        f"{button} {{ font-size: 0; }}",
        f"{button}::after {{ content: {css_text(t('widget.upload'))}; font-size: {SMALL}; }}",
    ]
    return "<style>" + "\n".join(rules) + "</style>"


def kinds_label(types: Sequence[str]) -> str:
    """File types as the user reads them: JPG、PNG、WEBP."""
    return t("list.separator").join(dict.fromkeys(_kind_name(kind) for kind in types))


def _kind_name(kind: str) -> str:
    """One file type's name: "jpeg" and ".JPG" are both JPG."""
    bare = kind.lower().lstrip(".")
    return SAME_AS.get(bare, bare).upper()


def limits_style(key: str, types: Sequence[str], max_mb: int) -> str:
    """One file field's rules, found by its key's class: its limits, and why a refused file was refused.

    Streamlit marks a file too large or of the wrong type (or cut off on the way) with a red chip whose
    reason only shows on hover, in English: on a phone nothing would say what went wrong.
    """
    field = f".st-key-{_class_safe(key)}"
    limits = f"{field} [data-testid=stFileUploaderDropzoneInstructions] span"
    refused = f"{field} [data-testid=stFileChip][aria-invalid=true]"
    kinds = kinds_label(types)
    return "<style>" + "\n".join([
        f"{limits} {{ font-size: 0; }}",
        f"{limits}::after {{ content: {css_text(t('widget.upload_limits', mb=max_mb, kinds=kinds))}; "
        f"font-size: {SMALL}; }}",
        f"{refused} {{ flex-wrap: wrap; }}",
        f"{refused}::after {{ content: {css_text(t('widget.upload_refused', mb=max_mb, kinds=kinds))}; "
        f"flex-basis: 100%; font-size: {SMALL}; padding: 0 0 0.25rem 2.5rem; }}",
    ]) + "</style>"


def _class_safe(key: str) -> str:
    """A widget key as Streamlit writes it into the class name: anything but letters, digits, _ and - is -."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "_-") else "-" for c in key.strip())


def upload_field(label: str, *, types: Sequence[str], key: str, max_mb: int | None = None, **options):
    """`st.file_uploader` with its limits in the user's language; returns what it returns."""
    shown_mb = max_mb if max_mb is not None else int(st.get_option("server.maxUploadSize"))
    st.html(limits_style(key, types, shown_mb))
    return st.file_uploader(label, type=list(types), key=key, max_upload_size=max_mb, **options)


def photo_field(label: str, *, key: str, **options):
    """A file field for one photo: the types and size that nightwatch.photos accepts."""
    return upload_field(label, types=FILE_TYPES, key=key, max_mb=MAX_MB, **options)
