"""`kind: date` — a calendar day, ISO (`2024-09-06`) or in a declared `format` (`%m/%d/%Y`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

import polars as pl

from toolkit.fuzzy import parse_iso_date
from toolkit.fuzzy.formats import (
    TIME_DIRECTIVES,
    covering_formats,
    described_forms,
    directives,
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

# the forms `toolkit init` recognises, in order of preference when a value fits several
DETECT_FORMATS = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
)


def _midnight(profile: Profile, fmt: str) -> bool:
    """Whether every value in the form `fmt` (with a time part) says 00:00:00."""
    moments = (
        profile.values.to_frame("v")
        .select(parse_formatted(pl.col("v"), (fmt,), "datetime"))
        .to_series()
        .drop_nulls()
    )
    return moments.len() > 0 and bool((moments.dt.time() == time(0)).all())


@dataclass(frozen=True, kw_only=True)
class DateColumn(Column):
    """A real day. `format` (one or a list, tried in order) when it is not YYYY-MM-DD; a
    format with a time part (`%Y-%m-%dT%H:%M:%S`) must say 00:00:00 there."""

    kind = "date"
    summary = "a calendar date, YYYY-MM-DD unless the column declares a format"
    text_cells = False

    format: tuple[str, ...] = option(opt.strftime_formats, ())
    min: object = option(opt.iso_date)
    max: object = option(opt.iso_date)
    not_future: bool = option(opt.flag, False)

    detect_rank = 40

    @classmethod
    def detect(cls, profile: Profile) -> Detection | None:
        if profile.distinct == 0:
            return None
        candidates = tuple(
            f for f in DETECT_FORMATS if not directives(f) & TIME_DIRECTIVES
        ) + tuple(
            f for f in DETECT_FORMATS if directives(f) & TIME_DIRECTIVES and _midnight(profile, f)
        )
        chosen = covering_formats(profile.values, profile.counts, candidates, "date")
        if chosen is None:
            return None
        return Detection(
            cls.kind,
            f"{rows(profile.present)}, all dates "
            + described_forms(profile.values, chosen, "date"),
            {} if [f for f, _ in chosen] == ["%Y-%m-%d"] else {"format": formats_option(chosen)},
        )

    def accepts(self) -> str:
        if not self.format:
            return self.summary
        return f"a calendar date in the form {' or '.join(self.format)}"

    def check_options(self) -> None:
        check_bounds(self, self.min, self.max)

    @property
    def _has_time(self) -> bool:
        return any(directives(f) & TIME_DIRECTIVES for f in self.format)

    def parse(self) -> dict[str, pl.Expr]:
        if not self.format:
            return {"date": parse_iso_date(self.value)}
        parsed = parse_formatted(self.value, self.format, "date")
        if self._has_time:
            return {"moment": parsed, "date": parsed.dt.date()}
        return {"date": parsed}

    @property
    def day(self) -> pl.Expr:
        return self.field("date")

    def kind_rules(self, context: RuleContext) -> list[Rule]:
        n, sev, d = self.name, self.severity, self.day
        if self.format:
            forms = " or ".join(self.format)
            rules = [
                self.parse_rule(
                    "date.invalid",
                    d.is_not_null(),
                    f"a date in the form {forms}",
                    f"write the date like {example(self.format[0], 'date')} ({self.format[0]})",
                )
            ]
        else:
            rules = [
                self.parse_rule(
                    "date.invalid",
                    d.is_not_null(),
                    "a date (YYYY-MM-DD)",
                    "write the date as YYYY-MM-DD, e.g. 2024-09-06",
                )
            ]
        if self._has_time:
            rules.append(
                Rule(
                    "date.time_of_day",
                    n,
                    sev,
                    (self.field("moment").dt.time() == time(0)).fill_null(True),
                    "'{value}' has a time of day; a date column keeps the day only",
                    hint=f"declare {n} `kind: datetime` to keep the time",
                )
            )
        if self.not_future:
            rules.append(
                Rule(
                    "date.future",
                    n,
                    sev,
                    (d <= context.today).fill_null(True),
                    f"'{{value}}' is in the future (today is {context.today.isoformat()})",
                    hint="a report cannot be dated after today; check the year",
                )
            )
        return rules + self.range_rules("date.range", d, d, self.min, self.max)

    def canonical(self) -> pl.Expr:
        return self.day.dt.to_string("%Y-%m-%d")

    def outputs(self) -> list[Output]:
        return [Output(self.name, self.day, self.description, self.name)]

    def cell(self) -> pl.Expr:
        return self.day

    def interval(self) -> tuple[pl.Expr, pl.Expr]:
        return self.day, self.day

    def typed(self) -> pl.Expr:
        return self.day

    def ordering(self) -> str:
        return "date"
