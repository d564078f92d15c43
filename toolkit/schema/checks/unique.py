"""`check: unique` — no two rows share the same combination of values."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from toolkit.schema import options as opt
from toolkit.schema.checks.base import TableCheck, required
from toolkit.schema.kinds import RuleContext
from toolkit.schema.kinds.base import ROW, duplicated
from toolkit.schema.rules import Rule


@dataclass(frozen=True, kw_only=True)
class Unique(TableCheck):
    """The combination of the listed columns' values (trimmed) is unique; rows where one
    of them is missing are not checked. Reported on the first column, every copy."""

    check = "unique"

    columns: tuple[str, ...] = required(opt.column_names, ())

    def referenced(self) -> tuple[str, ...]:
        return self.columns + super().referenced()

    def rules(self, context: RuleContext) -> list[Rule]:
        values = [context.columns[c].value for c in self.columns]
        key = pl.struct([v.alias(f"k{i}") for i, v in enumerate(values)])
        complete = pl.all_horizontal([v.is_not_null() for v in values])
        shown = ", ".join(f"{c} '{{arg{i}}}'" for i, c in enumerate(self.columns))
        return [
            self.rule(
                context,
                self.columns[0],
                (~complete | ~duplicated(key)).fill_null(True),
                f"the combination {shown} appears {{copies}} times (first in row {{first}})",
                hint=f"each combination of {', '.join(self.columns)} must be unique",
                fields={
                    "copies": pl.len().over(key),
                    "first": pl.col(ROW).min().over(key),
                    **{f"arg{i}": pl.col(c) for i, c in enumerate(self.columns)},
                },
            )
        ]

    def words(self) -> str:
        return f"unique combination of {', '.join(self.columns)}"
