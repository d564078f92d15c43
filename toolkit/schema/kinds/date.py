"""`kind: date` — a calendar day, ISO (`2024-09-06`) or in a declared `format` (`%m/%d/%Y`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

import polars as pl

from toolkit.fuzzy import parse_iso_date
from toolkit.fuzzy.formats import TIME_DIRECTIVES, directives, example, parse_formatted
from toolkit.schema import options as opt
from toolkit.schema.kinds.base import RuleContext
from toolkit.schema.kinds.scalar import Formatted
from toolkit.schema.options import option
from toolkit.schema.profile import Profile
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
class DateColumn(Formatted):
    """A real day. `format` (one or a list, tried in order) when it is not YYYY-MM-DD; a
    format with a time part (`%Y-%m-%dT%H:%M:%S`) must say 00:00:00 there."""

    kind = "date"
    summary = "a calendar date, YYYY-MM-DD unless the column declares a format"
    family = "date"
    target = "date"
    words = "a calendar date"
    iso = ("%Y-%m-%d",)
    candidates = DETECT_FORMATS
    canonical_format = "%Y-%m-%d"
    detect_rank = 40

    min: object = option(opt.iso_date)
    max: object = option(opt.iso_date)
    not_future: bool = option(opt.flag, False)

    @classmethod
    def candidates_for(cls, profile: Profile) -> tuple[str, ...]:
        # a format with a time part describes days only when every time is midnight
        return tuple(
            f
            for f in DETECT_FORMATS
            if not directives(f) & TIME_DIRECTIVES or _midnight(profile, f)
        )

    @classmethod
    def plural(cls) -> str:
        return "dates"

    @property
    def _has_time(self) -> bool:
        return any(directives(f) & TIME_DIRECTIVES for f in self.format)

    def parse(self) -> dict[str, pl.Expr]:
        if not self.format:
            return {"parsed": parse_iso_date(self.value)}
        parsed = parse_formatted(self.value, self.format, "date")
        if self._has_time:
            return {"moment": parsed, "parsed": parsed.dt.date()}
        return {"parsed": parsed}

    def kind_rules(self, context: RuleContext) -> list[Rule]:
        if self.format:
            first = self.format[0]
            invalid = self.parse_rule(
                "date.invalid",
                self.parsed.is_not_null(),
                f"a date in the form {' or '.join(self.format)}",
                f"write the date like {example(first, 'date')} ({first})",
            )
        else:
            invalid = self.parse_rule(
                "date.invalid",
                self.parsed.is_not_null(),
                "a date (YYYY-MM-DD)",
                "write the date as YYYY-MM-DD, e.g. 2024-09-06",
            )
        rules = [invalid]
        if self._has_time:
            rules.append(
                Rule(
                    "date.time_of_day",
                    self.name,
                    self.severity,
                    (self.field("moment").dt.time() == time(0)).fill_null(True),
                    "'{value}' has a time of day; a date column keeps the day only",
                    hint=f"declare {self.name} `kind: datetime` to keep the time",
                )
            )
        if self.not_future:
            rules.append(self.future_rule(context.today))
        return rules + self.bounds_rules("date.range")
