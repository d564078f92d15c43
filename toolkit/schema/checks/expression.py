"""`check: expression` — a row rule written as an expression over typed columns.

The expression is polars' SQL dialect (`killed + injured <= casualties`,
`date_start <= date_end OR date_prec = 5`), evaluated vectorised over each column's typed
value (numbers, Dates, a count's best figure, trimmed text). A row where it is false fails;
where it is null (a missing value) it passes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from toolkit.schema import options as opt
from toolkit.schema.checks.base import (
    TableCheck,
    check_expression,
    over_typed,
    required,
    sql_columns,
)
from toolkit.schema.kinds import Column, RuleContext
from toolkit.schema.options import OptionError, option
from toolkit.schema.rules import Rule


def _expression(value: object) -> str:
    text = " ".join(opt.text(value).split())  # a folded YAML block ends in a line break
    sql_columns(text)
    return text


@dataclass(frozen=True, kw_only=True)
class Expression(TableCheck):
    """`expression` holds in every row; reported on `column` (default: the first it names)."""

    check = "expression"

    expression: str | None = required(_expression)
    column: str | None = option(opt.column_name)

    def check_options(self) -> None:
        super().check_options()
        assert self.expression is not None
        if not sql_columns(self.expression):
            raise OptionError("expression names no column")

    def names(self) -> list[str]:
        assert self.expression is not None
        return sql_columns(self.expression)

    def referenced(self) -> tuple[str, ...]:
        return (*((self.column,) if self.column else ()), *self.names(), *super().referenced())

    def check_references(self, columns: Mapping[str, Column]) -> None:
        super().check_references(columns)
        assert self.expression is not None
        check_expression(self.expression, columns, "expression")

    def rules(self, context: RuleContext) -> list[Rule]:
        assert self.expression is not None
        names = self.names()
        shown = ", ".join(f"{c} '{{arg{i}}}'" for i, c in enumerate(names))
        return [
            self.rule(
                context,
                self.column or names[0],
                over_typed(self.expression, context.columns).fill_null(True),
                f"{self.expression} does not hold: {shown}",
                fields={f"arg{i}": pl.col(c) for i, c in enumerate(names)},
            )
        ]

    def words(self) -> str:
        return str(self.expression)
