"""`kind: datetime` — a day and a time of day (`2009-02-20T10:30:00`, or a declared `format`)."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.schema import options as opt
from toolkit.schema.kinds.base import RuleContext
from toolkit.schema.kinds.scalar import Formatted
from toolkit.schema.options import option
from toolkit.schema.rules import Rule

ISO_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True, kw_only=True)
class DateTimeColumn(Formatted):
    """A moment without a time zone, ISO (`T` or a space between day and time) unless a
    `format` is declared. Exported as a Datetime (microseconds)."""

    kind = "datetime"
    summary = "a date and time, YYYY-MM-DDTHH:MM:SS unless the column declares a format"
    family = "datetime"
    target = "datetime"
    words = "a date and time"
    iso = ISO_FORMATS
    candidates = (
        *ISO_FORMATS,
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y %I:%M %p",
        "%d/%m/%Y %H:%M",
    )
    canonical_format = "%Y-%m-%dT%H:%M:%S"
    detect_rank = 45

    min: object = option(opt.iso_datetime)
    max: object = option(opt.iso_datetime)
    not_future: bool = option(opt.flag, False)

    @classmethod
    def plural(cls) -> str:
        return "dates and times"

    def kind_rules(self, context: RuleContext) -> list[Rule]:
        rules = [self.invalid_rule()]
        if self.not_future:
            rules.append(self.future_rule(context.today))
        return rules + self.bounds_rules("datetime.range")
