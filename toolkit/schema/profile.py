"""What a column's values look like, for inferring its kind (`toolkit init`).

A `Profile` holds a column's distinct trimmed values (every value, not a sample) with how often
each occurs, computed once with polars. Each kind's `detect` reads it and answers with a
`Detection` — the kind, its options, and the reason in words, which becomes the YAML comment
of the inferred column — or None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

# Cells that mean "no value" in tables from spreadsheets, databases and statistics tools.
MISSING_MARKERS = ("NULL", "null", "NA", "N/A", "n/a", "#N/A", "None", "NaN", "nan", "-")


@dataclass(frozen=True)
class Profile:
    """One column: its distinct non-missing trimmed values and their counts."""

    name: str
    rows: int  # rows of the table
    present: int  # rows with a value (not blank, not a missing marker)
    values: pl.Series  # distinct values (String), most frequent first
    counts: pl.Series  # how often each occurs (UInt32), aligned with values
    markers: tuple[str, ...] = ()  # missing markers found in the column
    multiline: bool = False  # a value holds a line break or tab
    # what other columns were found to be (for a kind that depends on another column)
    others: Mapping[str, Detection] = field(default_factory=dict)
    # the trimmed values of the whole table by column name, for checks across columns
    table: Callable[[list[str]], pl.DataFrame] | None = None
    country: str | None = None  # the one country of a single-country table, when known

    @property
    def distinct(self) -> int:
        return self.values.len()

    def share(self, mask: pl.Series) -> int:
        """How many present rows have a value for which `mask` (aligned with values) holds."""
        return int(self.counts.filter(mask).sum())

    def examples(self, mask: pl.Series | None = None, n: int = 1) -> list[str]:
        values = self.values if mask is None else self.values.filter(mask)
        return values.head(n).to_list()

    def lowered_name(self) -> str:
        return self.name.strip().lower()


@dataclass(frozen=True)
class Detection:
    """An inferred column: its kind, the options to write, and why (the YAML comment)."""

    kind: str
    why: str
    options: dict[str, Any] = field(default_factory=dict)
