"""The codebook of a schema: every column and rule in words, for people and for tools.

One description serves `toolkit describe` (Markdown, JSON) and the workbook's Codebook sheet,
so they state the same facts: each column's kind, what it accepts, whether it is required or
unique, its allowed values, range, pattern and missing-value markers, and its meaning; each
table rule in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toolkit.schema.kinds import Column
from toolkit.schema.model import Schema

HEADINGS = (
    "column",
    "kind",
    "required",
    "unique",
    "accepts",
    "allowed values",
    "range",
    "pattern",
    "missing values",
    "meaning",
)


@dataclass(frozen=True)
class ColumnEntry:
    """One column of the codebook, as text cells in HEADINGS order."""

    column: Column

    def cells(self) -> tuple[str, ...]:
        c = self.column
        return (
            c.name,
            c.kind,
            "expected" if c.required == "warning" else ("yes" if c.required else "no"),
            "yes" if c.unique else "no",
            c.accepts() + (f", at most {c.max_length:,} characters" if c.max_length else ""),
            ", ".join(c.choices() or getattr(c, "values", ())),
            value_range(c),
            c.pattern or "",
            ", ".join(repr(v) for v in c.missing_values),
            c.description,
        )


def value_range(column: Column) -> str:
    """`0 – 100`, `≥ 1900-01-01`, `≤ 5`, or empty."""  # noqa: RUF002
    low, high = (getattr(column, key, None) for key in ("min", "max"))
    low, high = (_text(v) for v in (low, high))
    if getattr(column, "not_future", False):
        high = f"{high} and today" if high else "today"
    if low and high:
        return f"{low} – {high}"
    if low:
        return f"≥ {low}"
    if high:
        return f"≤ {high}"
    return ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def column_entries(schema: Schema) -> list[ColumnEntry]:
    """The codebook's column entries, in schema order."""
    return [ColumnEntry(c) for c in schema.columns]


def rule_entries(schema: Schema) -> list[tuple[str, str]]:
    """`(rule id, the rule in words)` for every table rule."""
    return [(rule.id, rule.described()) for rule in schema.rules]


def codebook_dict(schema: Schema) -> dict[str, Any]:
    """The whole codebook as JSON-ready values (column facts in schema-file terms)."""
    return {
        "name": schema.name,
        "version": schema.version,
        "title": schema.title,
        "description": schema.description,
        "missing_values": list(schema.missing_values),
        "columns": [{**c.facts(), "range": value_range(c)} for c in schema.columns],
        "rules": [
            {"id": rule.id, "check": rule.check, "rule": rule.described()} for rule in schema.rules
        ],
    }
