"""`kind: time` — a time of day (`15:18`, or `11:19 AM` with `format: "%I:%M %p"`)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from toolkit.fuzzy.formats import example, parse_formatted
from toolkit.schema import options as opt
from toolkit.schema.kinds.base import Column, Output, RuleContext
from toolkit.schema.kinds.integer import check_bounds
from toolkit.schema.options import option
from toolkit.schema.rules import Rule

ISO_FORMATS = ("%H:%M:%S", "%H:%M")


@dataclass(frozen=True, kw_only=True)
class TimeColumn(Column):
    """A time of day, 24-hour HH:MM[:SS] unless a `format` (or a list) is declared."""

    kind = "time"
    summary = "a time of day, HH:MM or HH:MM:SS unless the column declares a format"
    text_cells = False

    format: tuple[str, ...] = option(opt.strftime_formats, ())
    min: object = option(opt.iso_time)
    max: object = option(opt.iso_time)

    def accepts(self) -> str:
        if not self.format:
            return self.summary
        return f"a time of day in the form {' or '.join(self.format)}"

    def check_options(self) -> None:
        check_bounds(self, self.min, self.max)

    @property
    def formats(self) -> tuple[str, ...]:
        return self.format or ISO_FORMATS

    def parse(self) -> dict[str, pl.Expr]:
        return {"time": parse_formatted(self.value, self.formats, "time")}

    @property
    def clock(self) -> pl.Expr:
        return self.field("time")

    def kind_rules(self, context: RuleContext) -> list[Rule]:
        t = self.clock
        return [
            self.parse_rule(
                "time.invalid",
                t.is_not_null(),
                f"a time in the form {' or '.join(self.formats)}",
                f"write it like {example(self.formats[0], 'time')}",
            ),
            *self.range_rules("time.range", t, t, self.min, self.max),
        ]

    def canonical(self) -> pl.Expr:
        return self.clock.dt.to_string("%H:%M:%S")

    def outputs(self) -> list[Output]:
        return [Output(self.name, self.clock, self.description, self.name)]

    def cell(self) -> pl.Expr:
        return self.clock

    def interval(self) -> tuple[pl.Expr, pl.Expr]:
        return self.clock, self.clock

    def typed(self) -> pl.Expr:
        return self.clock

    def ordering(self) -> str:
        return "time"
