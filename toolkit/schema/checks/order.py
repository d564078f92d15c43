"""`check: order` — values in ascending order across columns (`low ≤ best ≤ high`,
`date_start ≤ date_end`), and `check: not_after`, the same for two columns.

Columns are compared by what their cells can mean: a fuzzy value is an interval (`100-999`,
`2025-09`), and the order is broken only where it certainly is — where an earlier column's
least value exceeds a later column's greatest. An open or missing value is not checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from toolkit.schema import options as opt
from toolkit.schema.checks.base import TableCheck, required
from toolkit.schema.kinds import Column, RuleContext
from toolkit.schema.options import OptionError
from toolkit.schema.rules import Rule

# orderings that compare with each other (a date-time is compared by its day with a date)
_FAMILY = {"number": "number", "date": "date", "datetime": "date", "time": "time"}


def check_comparable(names: tuple[str, ...], columns: Mapping[str, Column], check: str) -> None:
    """Each column can be ordered, and all of them in the same way (numbers, days, times)."""
    families: dict[str, str] = {}
    for name in names:
        column = columns[name]
        ordering = column.ordering()
        if ordering is None:
            raise OptionError(
                f"check {check} compares values, but column {name!r} is of kind {column.kind}, "
                "which has no order (use a number, count, date or time kind)"
            )
        families[name] = _FAMILY[ordering]
    if len(set(families.values())) > 1:
        kinds = ", ".join(f"{n} ({columns[n].kind})" for n in names)
        raise OptionError(f"check {check} cannot compare columns of different kinds: {kinds}")


def in_order(names: tuple[str, ...], columns: Mapping[str, Column]) -> pl.Expr:
    """True unless an earlier column's least value is above a later column's greatest."""
    bounds = {}
    day = any(columns[n].ordering() == "date" for n in names)
    for name in names:
        interval = columns[name].interval()
        assert interval is not None
        low, high = interval
        if day and columns[name].ordering() == "datetime":
            low, high = low.dt.date(), high.dt.date()
        bounds[name] = (low, high)
    ok = pl.lit(True)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            ok = ok & (bounds[a][0] <= bounds[b][1]).fill_null(True)
    return ok


@dataclass(frozen=True, kw_only=True)
class Order(TableCheck):
    """The listed columns are in ascending order in every row; reported on the first."""

    check = "order"

    columns: tuple[str, ...] = required(opt.column_names, ())

    def check_options(self) -> None:
        super().check_options()
        if len(self.columns) < 2:
            raise OptionError("check order needs at least two columns")

    def referenced(self) -> tuple[str, ...]:
        return self.columns + super().referenced()

    def check_references(self, columns: Mapping[str, Column]) -> None:
        super().check_references(columns)
        check_comparable(self.columns, columns, self.check)

    def rules(self, context: RuleContext) -> list[Rule]:
        values = ", ".join(f"{c} '{{arg{i}}}'" for i, c in enumerate(self.columns))
        return [
            self.rule(
                context,
                self.columns[0],
                in_order(self.columns, context.columns),
                f"{' ≤ '.join(self.columns)} does not hold: {values}",
                hint=f"check {', '.join(self.columns)}: each is at most the next",
                fields={f"arg{i}": pl.col(c) for i, c in enumerate(self.columns)},
            )
        ]

    def words(self) -> str:
        return " ≤ ".join(self.columns)


@dataclass(frozen=True, kw_only=True)
class NotAfter(TableCheck):
    """`column` is not after `other` (for fuzzy dates: does not certainly start after it)."""

    check = "not_after"

    column: str | None = required(opt.column_name)
    other: str | None = required(opt.column_name)

    def referenced(self) -> tuple[str, ...]:
        assert self.column and self.other
        return (self.column, self.other, *super().referenced())

    def check_references(self, columns: Mapping[str, Column]) -> None:
        super().check_references(columns)
        assert self.column and self.other
        check_comparable((self.column, self.other), columns, self.check)

    def rules(self, context: RuleContext) -> list[Rule]:
        assert self.column and self.other
        return [
            self.rule(
                context,
                self.column,
                in_order((self.column, self.other), context.columns),
                f"{self.column} is after {self.other} ({{{self.other}}})",
            )
        ]

    def words(self) -> str:
        return f"{self.column} is not after {self.other}"
