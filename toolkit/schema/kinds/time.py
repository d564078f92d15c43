"""`kind: time` — a time of day (`15:18`, or `11:19 AM` with `format: "%I:%M %p"`)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from toolkit.fuzzy.formats import (
    covering_formats,
    described_forms,
    example,
    formats_option,
    parse_formatted,
)
from toolkit.schema import options as opt
from toolkit.schema.kinds.base import Column, Output, RuleContext, rows
from toolkit.schema.kinds.integer import check_bounds
from toolkit.schema.options import option
from toolkit.schema.profile import Detection, Profile
from toolkit.schema.rules import Rule

ISO_FORMATS = ("%H:%M:%S", "%H:%M")
DETECT_FORMATS = (*ISO_FORMATS, "%I:%M %p", "%I:%M:%S %p", "%I:%M%p", "%I %p")


@dataclass(frozen=True, kw_only=True)
class TimeColumn(Column):
    """A time of day, 24-hour HH:MM[:SS] unless a `format` (or a list) is declared."""

    kind = "time"
    summary = "a time of day, HH:MM or HH:MM:SS unless the column declares a format"
    text_cells = False

    format: tuple[str, ...] = option(opt.strftime_formats, ())
    min: object = option(opt.iso_time)
    max: object = option(opt.iso_time)

    detect_rank = 50

    @classmethod
    def detect(cls, profile: Profile) -> Detection | None:
        if profile.distinct == 0:
            return None
        chosen = covering_formats(profile.values, profile.counts, DETECT_FORMATS, "time")
        if chosen is None:
            return None
        formats = [f for f, _ in chosen]
        return Detection(
            cls.kind,
            f"{rows(profile.present)}, all times of day "
            + described_forms(profile.values, chosen, "time"),
            {} if set(formats) <= set(ISO_FORMATS) else {"format": formats_option(chosen)},
        )

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
