"""Findings are values: one per problem, collected in a Report."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Finding:
    """One problem: which rule broke where, the value as typed, and how to fix it.

    `row` is the 1-based data row; `line` the physical CSV line where the record starts
    (header = line 1) or the sheet row; `cell` like `events!C17` for a workbook.
    """

    severity: str
    rule: str
    column: str | None
    row: int | None
    line: int | None
    cell: str | None
    value: str | None
    message: str
    hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The finding as a JSON-ready dict (the documented field order)."""
        return asdict(self)


@dataclass(frozen=True)
class RuleCount:
    """How many rows broke one rule on one column (exact, even when listing is capped)."""

    rule: str
    column: str | None
    severity: str
    count: int


@dataclass(frozen=True)
class Report:
    """The outcome of validating one table."""

    table: str
    rows: int
    schema: str
    findings: tuple[Finding, ...]
    counts: tuple[RuleCount, ...]
    strict: bool = False
    sheet: str | None = None
    max_findings: int | None = None

    @property
    def errors(self) -> int:
        """Exact number of error findings."""
        return sum(c.count for c in self.counts if c.severity == "error")

    @property
    def warnings(self) -> int:
        """Exact number of warning findings."""
        return sum(c.count for c in self.counts if c.severity == "warning")

    @property
    def valid(self) -> bool:
        """No errors (and, in strict mode, no warnings either)."""
        return self.errors == 0 and (not self.strict or self.warnings == 0)

    @property
    def truncated(self) -> bool:
        """Whether more findings exist than are listed."""
        return len(self.findings) < self.errors + self.warnings

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape of a report."""
        return {
            "valid": self.valid,
            "table": self.table,
            "schema": self.schema,
            "rows": self.rows,
            "errors": self.errors,
            "warnings": self.warnings,
            "truncated": self.truncated,
            "counts": [asdict(c) for c in self.counts],
            "findings": [f.to_dict() for f in self.findings],
        }
