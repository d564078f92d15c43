"""What kinds with one typed value per cell share: numbers, days, moments, times of day.

A scalar kind parses its text into one field, `parsed`; that value is its Parquet column,
its workbook cell, its interval for ordering checks and its typed value for expressions.
Bounds (`min`, `max`) are checked against it, and `min` above `max` is refused. A formatted
kind (date, datetime, time) also reads its text in declared strftime formats and recognises
them when a schema is inferred.

Not a kind itself: the kinds are in the modules beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl

from toolkit.fuzzy.formats import (
    Target,
    covering_formats,
    described_forms,
    example,
    formats_option,
    parse_formatted,
)
from toolkit.schema import options as opt
from toolkit.schema.kinds.base import Column, Output, rows
from toolkit.schema.options import OptionError, option
from toolkit.schema.profile import Detection, Profile
from toolkit.schema.rules import Rule


@dataclass(frozen=True, kw_only=True)
class Scalar(Column):
    """A kind whose cells hold one typed value each."""

    family: ClassVar[str] = ""  # what it compares with: number, date, datetime, time
    text_cells = False

    @property
    def parsed(self) -> pl.Expr:
        """The cell's typed value (null when missing or not of the kind)."""
        return self.field("parsed")

    def bounds_rules(self, rule_id: str) -> list[Rule]:
        return self.range_rules(
            rule_id,
            self.parsed,
            self.parsed,
            getattr(self, "min", None),
            getattr(self, "max", None),
        )

    def outputs(self) -> list[Output]:
        return [Output(self.name, self.parsed, self.description, self.name)]

    def cell(self) -> pl.Expr:
        return self.parsed

    def interval(self) -> tuple[pl.Expr, pl.Expr]:
        return self.parsed, self.parsed

    def number(self) -> pl.Expr | None:
        return self.parsed if self.family == "number" else None

    def typed(self) -> pl.Expr:
        return self.parsed

    def ordering(self) -> str:
        return self.family


def thousands_separator(value: object) -> str:
    if value not in (",", ".", " ", "'", "\u00a0", "\u202f", "_"):
        raise OptionError(
            f"must be one of ',', '.', ' ', \"'\", '_' (or a no-break space); got {value!r}"
        )
    return value  # type: ignore[return-value]


def grouped_digits(separator: str) -> str:
    """A regex for digits grouped in threes by `separator` (`1,369`, `12,500,000`)."""
    return rf"\d{{1,3}}(?:{re.escape(separator)}\d{{3}})+"


@dataclass(frozen=True, kw_only=True)
class Numeric(Scalar):
    """A number kind: bounds, and the separator digits may be grouped with (`1,369`)."""

    family = "number"

    min: int | float | None = option(opt.number)
    max: int | float | None = option(opt.number)
    thousands: str | None = option(thousands_separator)

    def accepts(self) -> str:
        grouped = f"; digits may be grouped with {self.thousands!r}" if self.thousands else ""
        return self.summary + grouped


@dataclass(frozen=True, kw_only=True)
class Formatted(Scalar):
    """A day, moment or time read in strftime formats: ISO unless `format` declares others
    (one, or a list tried in order)."""

    target: ClassVar[Target] = "date"
    words: ClassVar[str] = ""  # "a date and time": how messages name a value of the kind
    iso: ClassVar[tuple[str, ...]] = ()  # the formats read when none is declared
    candidates: ClassVar[tuple[str, ...]] = ()  # the formats `toolkit init` recognises
    canonical_format: ClassVar[str] = ""  # how the clean CSV writes a value

    format: tuple[str, ...] = option(opt.strftime_formats, ())

    @property
    def formats(self) -> tuple[str, ...]:
        return self.format or self.iso

    @classmethod
    def detect(cls, profile: Profile) -> Detection | None:
        if profile.distinct == 0:
            return None
        chosen = covering_formats(
            profile.values, profile.counts, cls.candidates_for(profile), cls.target
        )
        if chosen is None:
            return None
        found = [f for f, _ in chosen]
        return Detection(
            cls.kind,
            f"{rows(profile.present)}, all {cls.plural()} "
            + described_forms(profile.values, chosen, cls.target),
            {} if set(found) <= set(cls.iso) else {"format": formats_option(chosen)},
        )

    @classmethod
    def candidates_for(cls, profile: Profile) -> tuple[str, ...]:
        return cls.candidates

    @classmethod
    def plural(cls) -> str:
        return cls.words.removeprefix("a ").removeprefix("an ") + "s"

    def accepts(self) -> str:
        if not self.format:
            return self.summary
        return f"{self.words} in the form {' or '.join(self.format)}"

    def parse(self) -> dict[str, pl.Expr]:
        return {"parsed": parse_formatted(self.value, self.formats, self.target)}

    def invalid_rule(self) -> Rule:
        return self.parse_rule(
            f"{self.kind}.invalid",
            self.parsed.is_not_null(),
            f"{self.words} in the form {' or '.join(self.formats)}",
            f"write it like {example(self.formats[0], self.target)}",
        )

    def future_rule(self, today: Any) -> Rule:
        day = self.parsed if self.target == "date" else self.parsed.dt.date()
        return Rule(
            f"{self.kind}.future",
            self.name,
            self.severity,
            (day <= today).fill_null(True),
            f"'{{value}}' is in the future (today is {today.isoformat()})",
            hint="a report cannot be dated after today; check the year",
        )

    def canonical(self) -> pl.Expr:
        return self.parsed.dt.to_string(self.canonical_format)
