"""`kind: datetime` — a day and a time of day (`2009-02-20T10:30:00`, or a declared `format`)."""

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

ISO_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")
DETECT_FORMATS = (
    *ISO_FORMATS,
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%d/%m/%Y %H:%M",
)


@dataclass(frozen=True, kw_only=True)
class DateTimeColumn(Column):
    """A moment without a time zone, ISO (`T` or a space between day and time) unless a
    `format` is declared. Exported as a Datetime (microseconds)."""

    kind = "datetime"
    summary = "a date and time, YYYY-MM-DDTHH:MM:SS unless the column declares a format"
    text_cells = False

    format: tuple[str, ...] = option(opt.strftime_formats, ())
    min: object = option(opt.iso_datetime)
    max: object = option(opt.iso_datetime)
    not_future: bool = option(opt.flag, False)

    detect_rank = 45

    @classmethod
    def detect(cls, profile: Profile) -> Detection | None:
        if profile.distinct == 0:
            return None
        chosen = covering_formats(profile.values, profile.counts, DETECT_FORMATS, "datetime")
        if chosen is None:
            return None
        formats = [f for f, _ in chosen]
        return Detection(
            cls.kind,
            f"{rows(profile.present)}, all dates and times "
            + described_forms(profile.values, chosen, "datetime"),
            {} if set(formats) <= set(ISO_FORMATS) else {"format": formats_option(chosen)},
        )

    def accepts(self) -> str:
        if not self.format:
            return self.summary
        return f"a date and time in the form {' or '.join(self.format)}"

    def check_options(self) -> None:
        check_bounds(self, self.min, self.max)

    @property
    def formats(self) -> tuple[str, ...]:
        return self.format or ISO_FORMATS

    def parse(self) -> dict[str, pl.Expr]:
        return {"moment": parse_formatted(self.value, self.formats, "datetime")}

    @property
    def moment(self) -> pl.Expr:
        return self.field("moment")

    def kind_rules(self, context: RuleContext) -> list[Rule]:
        m = self.moment
        rules = [
            self.parse_rule(
                "datetime.invalid",
                m.is_not_null(),
                f"a date and time in the form {' or '.join(self.formats)}",
                f"write it like {example(self.formats[0], 'datetime')}",
            )
        ]
        if self.not_future:
            rules.append(
                Rule(
                    "datetime.future",
                    self.name,
                    self.severity,
                    (m.dt.date() <= context.today).fill_null(True),
                    f"'{{value}}' is in the future (today is {context.today.isoformat()})",
                    hint="check the year",
                )
            )
        return rules + self.range_rules("datetime.range", m, m, self.min, self.max)

    def canonical(self) -> pl.Expr:
        return self.moment.dt.to_string("%Y-%m-%dT%H:%M:%S")

    def outputs(self) -> list[Output]:
        return [Output(self.name, self.moment, self.description, self.name)]

    def cell(self) -> pl.Expr:
        return self.moment

    def interval(self) -> tuple[pl.Expr, pl.Expr]:
        return self.moment, self.moment

    def typed(self) -> pl.Expr:
        return self.moment

    def ordering(self) -> str:
        return "datetime"
