"""`check: requires` — where the condition holds, these columns need values."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from toolkit.schema import options as opt
from toolkit.schema.checks.base import TableCheck, required
from toolkit.schema.kinds import RuleContext
from toolkit.schema.options import OptionError
from toolkit.schema.rules import Rule


@dataclass(frozen=True, kw_only=True)
class Requires(TableCheck):
    """Rows matching `when` must have every listed column; reported on the first."""

    check = "requires"

    columns: tuple[str, ...] = required(opt.column_names, ())

    def check_options(self) -> None:
        super().check_options()
        if self.when is None:
            raise OptionError("check requires needs when")

    def referenced(self) -> tuple[str, ...]:
        return self.columns + super().referenced()

    def rules(self, context: RuleContext) -> list[Rule]:
        present = pl.all_horizontal([context.columns[c].value.is_not_null() for c in self.columns])
        return [
            self.rule(context, self.columns[0], present, f"{', '.join(self.columns)} required here")
        ]

    def words(self) -> str:
        return f"{', '.join(self.columns)} must be given"
