"""The first rows of a long list, and how long the list is: what a page shows of a big district."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

Row = TypeVar("Row")


@dataclass(frozen=True)
class Shown(Generic[Row]):
    """The rows a page shows and how many match in all."""

    rows: list[Row]
    total: int

    @property
    def cut(self) -> bool:
        """True when more match than are shown."""
        return self.total > len(self.rows)
