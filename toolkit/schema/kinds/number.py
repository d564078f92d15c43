"""`kind: number` — decimal numbers (`33.3152`, `-1e3`; `1,369.5` with `thousands: ","`)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from toolkit.loading import number_text
from toolkit.schema.kinds.base import RuleContext, matches, rows, through
from toolkit.schema.kinds.scalar import Numeric, grouped_digits
from toolkit.schema.profile import Detection, Profile
from toolkit.schema.rules import Rule

_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"


def parse_number(v: pl.Expr, thousands: str | None = None) -> pl.Expr:
    """A decimal number from its text (null when it is not one)."""
    if thousands:
        grouped = rf"^[+-]?{grouped_digits(thousands)}(?:\.\d+)?$"
        v = (
            pl.when(v.str.contains(grouped))
            .then(v.str.replace_all(thousands, "", literal=True))
            .otherwise(v)
        )
    return pl.when(v.str.contains(_NUMBER)).then(v.cast(pl.Float64, strict=False))


@dataclass(frozen=True, kw_only=True)
class NumberColumn(Numeric):
    """A decimal number; `thousands` names the separator the column may group digits with."""

    kind = "number"
    summary = "a decimal number: 33.3152, -1e3"

    detect_rank = 30

    @classmethod
    def detect(cls, profile: Profile) -> Detection | None:
        values = profile.values
        numbers = through(values, lambda v: parse_number(v, ","))
        if profile.distinct == 0 or numbers.null_count():
            return None
        if matches(values, r"^[+-]?0\d").any():
            return None  # leading zeros are an id's or a code's: text keeps them
        options: dict[str, object] = {}
        grouped = matches(values, rf"^[+-]?{grouped_digits(',')}")
        if grouped.any():
            options["thousands"] = ","
        low, high = float(numbers.min()), float(numbers.max())  # type: ignore[arg-type]
        if low >= 0:
            options["min"] = 0
        why = f"{rows(profile.present)}, all numbers, {low:g} to {high:g}"
        return Detection(cls.kind, why, options)

    def parse(self) -> dict[str, pl.Expr]:
        return {"parsed": parse_number(self.value, self.thousands)}

    def kind_rules(self, context: RuleContext) -> list[Rule]:
        return [
            self.parse_rule(
                "number.invalid",
                self.parsed.is_not_null(),
                "a number",
                "write a plain number such as 33.3152",
            ),
            *self.bounds_rules("value.range"),
        ]

    def canonical(self) -> pl.Expr:
        return number_text(self.parsed)
