"""`kind: time` — a time of day (`15:18`, or `11:19 AM` with `format: "%I:%M %p"`)."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.schema import options as opt
from toolkit.schema.kinds.base import RuleContext
from toolkit.schema.kinds.scalar import Formatted
from toolkit.schema.options import option
from toolkit.schema.rules import Rule

ISO_FORMATS = ("%H:%M:%S", "%H:%M")


@dataclass(frozen=True, kw_only=True)
class TimeColumn(Formatted):
    """A time of day, 24-hour HH:MM[:SS] unless a `format` (or a list) is declared."""

    kind = "time"
    summary = "a time of day, HH:MM or HH:MM:SS unless the column declares a format"
    family = "time"
    target = "time"
    words = "a time of day"
    iso = ISO_FORMATS
    candidates = (*ISO_FORMATS, "%I:%M %p", "%I:%M:%S %p", "%I:%M%p", "%I %p")
    canonical_format = "%H:%M:%S"
    detect_rank = 50

    min: object = option(opt.iso_time)
    max: object = option(opt.iso_time)

    @classmethod
    def plural(cls) -> str:
        return "times of day"

    def kind_rules(self, context: RuleContext) -> list[Rule]:
        return [self.invalid_rule(), *self.bounds_rules("time.range")]
