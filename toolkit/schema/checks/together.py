"""`check: together` — all of these columns, or none (latitude and longitude)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from toolkit.schema import options as opt
from toolkit.schema.checks.base import TableCheck, required
from toolkit.schema.kinds import RuleContext
from toolkit.schema.rules import Rule


@dataclass(frozen=True, kw_only=True)
class Together(TableCheck):
    """Every listed column has a value, or none has; reported on the first."""

    check = "together"

    columns: tuple[str, ...] = required(opt.column_names, ())

    def referenced(self) -> tuple[str, ...]:
        return self.columns + super().referenced()

    def rules(self, context: RuleContext) -> list[Rule]:
        present = [context.columns[c].value.is_not_null() for c in self.columns]
        all_or_none = pl.all_horizontal(present) | ~pl.any_horizontal(present)
        return [
            self.rule(
                context,
                self.columns[0],
                all_or_none,
                f"{', '.join(self.columns)} must be given together",
            )
        ]

    def words(self) -> str:
        return f"{', '.join(self.columns)}: all or none"
