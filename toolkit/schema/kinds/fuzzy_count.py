"""`kind: fuzzy_count` — counts as reports give them (`143`, `~2500`, `143+`, `<=50`, `100-999`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from toolkit.fuzzy import COUNT_FORMS, COUNT_LIMIT, canonical_count, count_hint, parse_count
from toolkit.schema import options as opt
from toolkit.schema.kinds.base import Column, Output, RuleContext, per_value, rows, through
from toolkit.schema.options import option
from toolkit.schema.profile import Detection, Profile
from toolkit.schema.rules import Rule


def _fault(value: str) -> str:
    """What is wrong with a count that does not parse, in the words of its message."""
    digits = re.findall(r"\d+", value.replace(",", ""))
    if any(int(d) > COUNT_LIMIT for d in digits):
        return "too large to store as a count"
    return "not a count in the accepted forms"


@dataclass(frozen=True, kw_only=True)
class FuzzyCountColumn(Column):
    """An exact, approximate, at-least, at-most or range count.

    Exported as its canonical text, `<name>_low`, `<name>_best`, `<name>_high` (nullable
    integers; a bound the source does not give is null) and `<name>_qualifier`.
    """

    kind = "fuzzy_count"
    summary = COUNT_FORMS

    min: int | float | None = option(opt.number)
    max: int | float | None = option(opt.number)

    detect_rank = 70

    @classmethod
    def detect(cls, profile: Profile) -> Detection | None:
        if profile.distinct == 0:
            return None
        parsed = through(profile.values, parse_count)
        if not parsed.struct.field("ok").all():
            return None
        fuzzy = parsed.struct.field("qualifier") != "exact"
        if not fuzzy.any():
            return None  # plain whole numbers are kind integer
        if profile.values.str.contains(r"^\d{4}-\d{4}$").all():
            return None  # spans of years (2021-2022) are text with a pattern
        examples = ", ".join(profile.examples(fuzzy, 3))
        why = f"{rows(profile.present)}, all counts, some fuzzy ({examples})"
        return Detection(cls.kind, why)

    def parse(self) -> dict[str, pl.Expr]:
        return {"parsed": parse_count(self.value)}

    def _part(self, name: str) -> pl.Expr:
        return self.field("parsed").struct.field(name)

    def kind_rules(self, context: RuleContext) -> list[Rule]:
        low, best, high = (self._part(f) for f in ("low", "best", "high"))
        order = (
            (low <= best).fill_null(True)
            & (best <= high).fill_null(True)
            & (low <= high).fill_null(True)
        )
        return [
            Rule(
                "count.invalid",
                self.name,
                self.severity,
                (self.value.is_null() | self._part("ok")).fill_null(False),
                "'{value}' is {fault}",
                fields={"fault": per_value([self.value], _fault, pl.String)},
                suggest=count_hint,
            ),
            Rule(
                "count.order",
                self.name,
                self.severity,
                order,
                "'{value}': low, best and high are out of order",
                hint="write the smaller number first: LOW-HIGH",
            ),
            *self.range_rules(
                "count.range",
                pl.coalesce(low, best, high),
                pl.coalesce(high, best, low),
                self.min,
                self.max,
            ),
        ]

    def canonical(self) -> pl.Expr:
        return canonical_count(self.field("parsed"))

    def outputs(self) -> list[Output]:
        n = self.name
        words = {
            "low": f"Least number {n} can mean (null: no lower bound given).",
            "best": f"The single figure the source gives for {n} (null: none given).",
            "high": f"Greatest number {n} can mean (null: no upper bound given).",
        }
        return [
            Output(n, self.canonical(), self.description, n, canonical=True),
            *(Output(f"{n}_{f}", self._part(f), text, n) for f, text in words.items()),
            Output(
                f"{n}_qualifier",
                self._part("qualifier").cast(
                    pl.Enum(["exact", "approximate", "at_least", "at_most", "range"])
                ),
                f"How {n} is given: exact, approximate, at_least, at_most or range.",
                n,
            ),
        ]

    def interval(self) -> tuple[pl.Expr, pl.Expr]:
        low, best, high = (self._part(f) for f in ("low", "best", "high"))
        return pl.coalesce(low, best), pl.coalesce(high, best)

    def number(self) -> pl.Expr:
        return self._part("best")

    def typed(self) -> pl.Expr:
        return self._part("best")

    def ordering(self) -> str:
        return "number"
