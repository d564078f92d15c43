"""`check: sum` — one column is the sum of others (`casualties = killed + injured`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from toolkit.schema import options as opt
from toolkit.schema.checks.base import TableCheck, required
from toolkit.schema.kinds import Column, RuleContext
from toolkit.schema.options import OptionError, option
from toolkit.schema.rules import Rule


@dataclass(frozen=True, kw_only=True)
class Sum(TableCheck):
    """`total` equals the sum of `parts` (within `tolerance`); reported on `total`.

    A row where the total or a part is missing is not checked, unless `missing: zero`
    counts a missing part as 0.
    """

    check = "sum"

    total: str | None = required(opt.column_name)
    parts: tuple[str, ...] = required(opt.column_names, ())
    tolerance: float = option(opt.non_negative, 0.0)
    missing: str = option(opt.one_of("skip", "zero"), "skip")

    def referenced(self) -> tuple[str, ...]:
        assert self.total
        return (self.total, *self.parts, *super().referenced())

    def check_references(self, columns: Mapping[str, Column]) -> None:
        super().check_references(columns)
        for name in (self.total, *self.parts):
            column = columns[name or ""]
            if column.number() is None:
                raise OptionError(
                    f"check sum adds numbers, but column {name!r} is of kind {column.kind} "
                    "(use integer, number or fuzzy_count)"
                )

    def rules(self, context: RuleContext) -> list[Rule]:
        assert self.total
        columns = context.columns
        total = columns[self.total].number()
        parts: list[pl.Expr] = []
        for name in self.parts:
            part = columns[name].number()
            assert part is not None  # check_references refused columns that are not numbers
            parts.append(part.fill_null(0) if self.missing == "zero" else part)
        assert total is not None
        added = pl.sum_horizontal(parts)
        any_missing = pl.any_horizontal([p.is_null() for p in parts])
        ok = any_missing | total.is_null() | ((total - added).abs() <= self.tolerance)
        terms = pl.concat_str([pl.col(p).fill_null("") for p in self.parts], separator=" + ")
        return [
            self.rule(
                context,
                self.total,
                ok.fill_null(True),
                f"{self.total} '{{value}}' is not {' + '.join(self.parts)} ({{terms}} = {{sum}})",
                hint=f"check {self.total} and {', '.join(self.parts)}",
                fields={"terms": terms, "sum": _number_text(added)},
            )
        ]

    def words(self) -> str:
        return f"{self.total} = {' + '.join(self.parts)}"


def _number_text(value: pl.Expr) -> pl.Expr:
    from toolkit.loading import number_text

    return number_text(value.cast(pl.Float64))
