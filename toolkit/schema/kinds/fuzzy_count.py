"""`kind: fuzzy_count` — counts as reports give them (`143`, `~2500`, `143+`, `<=50`, `100-999`)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from toolkit.fuzzy import canonical_count, parse_count
from toolkit.schema import options as opt
from toolkit.schema.kinds.base import Column, Output, RuleContext
from toolkit.schema.kinds.integer import check_bounds
from toolkit.schema.options import option
from toolkit.schema.rules import Rule

COUNT_FORMS = "143, ~2500, 143+, <=50, 100-999 (2,500 is fine)"


@dataclass(frozen=True, kw_only=True)
class FuzzyCountColumn(Column):
    """An exact, approximate, at-least, at-most or range count.

    Exported as its canonical text, `<name>_low`, `<name>_best`, `<name>_high` (nullable
    integers; a bound the source does not give is null) and `<name>_qualifier`.
    """

    kind = "fuzzy_count"
    summary = COUNT_FORMS

    min: int | float | None = option(opt.number)
    max: int | float | None = option(opt.number)

    def check_options(self) -> None:
        check_bounds(self, self.min, self.max)

    def parse(self) -> dict[str, pl.Expr]:
        return {"parsed": parse_count(self.value)}

    def _part(self, name: str) -> pl.Expr:
        return self.field("parsed").struct.field(name)

    def kind_rules(self, context: RuleContext) -> list[Rule]:
        low, best, high = (self._part(f) for f in ("low", "best", "high"))
        order = (
            (low <= best).fill_null(True)
            & (best <= high).fill_null(True)
            & (low <= high).fill_null(True)
        )
        return [
            self.parse_rule(
                "count.invalid",
                self._part("ok"),
                "a count in the accepted forms",
                f"accepted forms: {COUNT_FORMS}; counts cannot be negative",
            ),
            Rule(
                "count.order",
                self.name,
                self.severity,
                order,
                "'{value}': low, best and high are out of order",
                hint="write the smaller number first: LOW-HIGH",
            ),
            *self.range_rules(
                "count.range",
                pl.coalesce(low, best, high),
                pl.coalesce(high, best, low),
                self.min,
                self.max,
            ),
        ]

    def canonical(self) -> pl.Expr:
        return canonical_count(self.field("parsed"))

    def outputs(self) -> list[Output]:
        n, d = self.name, self.description
        return [
            Output(n, self.canonical(), d, n, canonical=True),
            *(Output(f"{n}_{f}", self._part(f), d, n) for f in ("low", "best", "high")),
            Output(
                f"{n}_qualifier",
                self._part("qualifier").cast(
                    pl.Enum(["exact", "approximate", "at_least", "at_most", "range"])
                ),
                d,
                n,
            ),
        ]

    def interval(self) -> tuple[pl.Expr, pl.Expr]:
        low, best, high = (self._part(f) for f in ("low", "best", "high"))
        return pl.coalesce(low, best), pl.coalesce(high, best)

    def number(self) -> pl.Expr:
        return self._part("best")

    def typed(self) -> pl.Expr:
        return self._part("best")

    def ordering(self) -> str:
        return "number"
