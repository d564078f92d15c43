"""`kind: integer` — whole numbers (`-12`, `2500`; `2,500` with `thousands: ","`)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from toolkit.schema.kinds.base import RuleContext, matches, rows, through
from toolkit.schema.kinds.scalar import Numeric, grouped_digits
from toolkit.schema.profile import Detection, Profile
from toolkit.schema.rules import Rule


@dataclass(frozen=True, kw_only=True)
class IntegerColumn(Numeric):
    """A whole number; `thousands` names the separator the column may group digits with."""

    kind = "integer"
    summary = "a whole number: -12, 2500"

    detect_rank = 20

    @classmethod
    def detect(cls, profile: Profile) -> Detection | None:
        values = profile.values
        plain = matches(values, r"^[+-]?\d+$")
        grouped = matches(values, rf"^[+-]?{grouped_digits(',')}$")
        if profile.distinct == 0 or not (plain | grouped).all():
            return None
        if matches(values, r"^[+-]?0\d").any():
            return None  # leading zeros are an id's or a code's: text keeps them
        numbers = through(values, lambda v: v.str.replace_all(",", "").cast(pl.Int64, strict=False))
        if numbers.null_count():
            return None  # too large for a 64-bit integer: text keeps it
        options: dict[str, object] = {}
        if grouped.any():
            options["thousands"] = ","
        low, high = int(numbers.min()), int(numbers.max())  # type: ignore[arg-type]
        why = f"{rows(profile.present)}, all whole numbers, {low:,} to {high:,}"
        negative = numbers.filter(numbers < 0)
        if low == -1 and negative.n_unique() == 1 and profile.share(numbers == -1) > 1:
            options["missing_values"] = ["-1"]
            options["min"] = 0
            why += f"; -1 ({profile.share(numbers == -1):,} times) taken as 'missing'"
        elif low >= 0:
            options["min"] = 0
        if grouped.any():
            why += f"; {profile.share(grouped):,} with thousands separators (1,369)"
        return Detection(cls.kind, why, options)

    def parse(self) -> dict[str, pl.Expr]:
        v = self.value
        digits = r"\d+"
        if self.thousands:
            digits = rf"(?:{grouped_digits(self.thousands)}|\d+)"
            v = pl.when(v.str.contains(rf"^[+-]?{digits}$")).then(
                v.str.replace_all(self.thousands, "", literal=True)
            )
        return {
            "parsed": pl.when(v.str.contains(r"^[+-]?\d+$")).then(v.cast(pl.Int64, strict=False))
        }

    def kind_rules(self, context: RuleContext) -> list[Rule]:
        example = "2500" if not self.thousands else f"2500 or 2{self.thousands}500"
        return [
            self.parse_rule(
                "integer.invalid",
                self.parsed.is_not_null(),
                "a whole number",
                f"write a whole number such as {example}",
            ),
            *self.bounds_rules("value.range"),
        ]

    def canonical(self) -> pl.Expr:
        return self.parsed.cast(pl.String)
