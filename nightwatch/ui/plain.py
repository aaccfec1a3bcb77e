"""Catalog messages that carry typed values, for Markdown elements: the values stay text."""
from __future__ import annotations

from nightwatch.plain import plain
from nightwatch.ui.lang import t

__all__ = ["plain", "plain_t"]


def plain_t(key: str, **values: object) -> str:
    """A catalog message in the viewer's language with every string value escaped for Markdown."""
    return t(key, **{name: plain(value) if isinstance(value, str) else value for name, value in values.items()})
