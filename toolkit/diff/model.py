"""A diff is a value: what changed between two versions of a table, and what it broke or fixed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toolkit.report import Finding

Key = tuple[str, ...]  # a row's key: one canonical value per key column


@dataclass(frozen=True)
class CellChange:
    """One cell whose canonical value differs: the values as typed in each version."""

    column: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class ChangedRow:
    """A row present in both versions with at least one changed cell; `row`/`line` in NEW."""

    key: Key
    row: int
    line: int | None
    cells: tuple[CellChange, ...]


@dataclass(frozen=True)
class Position:
    """Where a record is: its 1-based data row and physical line (None for Parquet)."""

    row: int
    line: int | None


@dataclass(frozen=True)
class DuplicateKey:
    """A key held by more than one row of one version: those rows are not matched."""

    key: Key
    positions: tuple[Position, ...]


@dataclass(frozen=True)
class Tally:
    """Exact numbers of error and warning findings."""

    errors: int = 0
    warnings: int = 0

    @property
    def total(self) -> int:
        """Errors and warnings together."""
        return self.errors + self.warnings

    def to_dict(self) -> dict[str, int]:
        """`{"errors": n, "warnings": m}`."""
        return {"errors": self.errors, "warnings": self.warnings}


@dataclass(frozen=True)
class TableDiff:
    """The difference between an OLD and a NEW version of a table, matched on a key.

    Rows are matched on `key` (canonical values). A row is *changed* when a cell's
    canonical value differs, *reformatted* when only how it is typed differs. Rows whose key
    is blank or held by several rows of either version are listed in `missing_keys_*` and
    `duplicate_keys_*` and not matched. A finding is *introduced* when NEW has it and OLD
    did not (same rule, column and key), *fixed* the other way round, *remaining* in both.
    `introduced` and `fixed` list at most `max_findings` findings each; the tallies are
    exact. Introduced findings locate NEW's rows, fixed ones OLD's.
    """

    old: str
    new: str
    schema: str
    key: tuple[str, ...]
    rows_old: int
    rows_new: int
    added: tuple[Key, ...]
    removed: tuple[Key, ...]
    changed: tuple[ChangedRow, ...]
    reformatted: tuple[Key, ...]
    unchanged: int
    duplicate_keys_old: tuple[DuplicateKey, ...]
    duplicate_keys_new: tuple[DuplicateKey, ...]
    missing_keys_old: tuple[Position, ...]
    missing_keys_new: tuple[Position, ...]
    introduced: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    introduced_count: Tally
    fixed_count: Tally
    remaining_count: Tally
    strict: bool = False
    old_sheet: str | None = None
    new_sheet: str | None = None
    max_findings: int | None = None

    @property
    def passed(self) -> bool:
        """The merge gate: the change introduces no error (nor, when strict, a warning)."""
        introduced = self.introduced_count
        return introduced.errors == 0 and (not self.strict or introduced.warnings == 0)

    @property
    def truncated(self) -> bool:
        """Whether more introduced or fixed findings exist than are listed."""
        return (
            len(self.introduced) < self.introduced_count.total
            or len(self.fixed) < self.fixed_count.total
        )

    def key_value(self, key: Key) -> str | list[str]:
        """A key as JSON shows it: the value for a one-column key, else the list of values."""
        return key[0] if len(self.key) == 1 else list(key)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape of a diff."""
        kv = self.key_value

        def duplicates(found: tuple[DuplicateKey, ...]) -> list[dict[str, Any]]:
            return [
                {
                    "key": kv(d.key),
                    "rows": [p.row for p in d.positions],
                    "lines": [p.line for p in d.positions],
                }
                for d in found
            ]

        def positions(found: tuple[Position, ...]) -> list[dict[str, Any]]:
            return [{"row": p.row, "line": p.line} for p in found]

        return {
            "passed": self.passed,
            "old": self.old,
            "new": self.new,
            "schema": self.schema,
            "key": list(self.key),
            "rows": {"old": self.rows_old, "new": self.rows_new},
            "added": [kv(k) for k in self.added],
            "removed": [kv(k) for k in self.removed],
            "changed": [
                {
                    "key": kv(c.key),
                    "row": c.row,
                    "line": c.line,
                    "cells": {cell.column: {"old": cell.old, "new": cell.new} for cell in c.cells},
                }
                for c in self.changed
            ],
            "reformatted": [kv(k) for k in self.reformatted],
            "unchanged": self.unchanged,
            "duplicate_keys": {
                "old": duplicates(self.duplicate_keys_old),
                "new": duplicates(self.duplicate_keys_new),
            },
            "missing_keys": {
                "old": positions(self.missing_keys_old),
                "new": positions(self.missing_keys_new),
            },
            "findings": {
                "introduced": [f.to_dict() for f in self.introduced],
                "fixed": [f.to_dict() for f in self.fixed],
                "remaining": self.remaining_count.total,
                "counts": {
                    "introduced": self.introduced_count.to_dict(),
                    "fixed": self.fixed_count.to_dict(),
                    "remaining": self.remaining_count.to_dict(),
                },
                "truncated": self.truncated,
            },
        }
