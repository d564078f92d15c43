"""`kind: fuzzy_date` — the EDTF subset a news desk needs (`2025-09`, `../2025-09`, `2003~`)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from toolkit.fuzzy import parse_fuzzy_date
from toolkit.loading import DATE_CELLS, DATE_CELLS_SEPARATOR
from toolkit.schema import options as opt
from toolkit.schema.kinds.base import Column, Output, RuleContext, matches, rows, through
from toolkit.schema.options import option
from toolkit.schema.profile import Detection, Profile
from toolkit.schema.rules import Rule

DATE_FORMS = "2024-03-22, 2025-09, 2026, 2024-03-22/2024-03-24, ../2025-09, 2025-09/.., with ~ ? %"


@dataclass(frozen=True, kw_only=True)
class FuzzyDateColumn(Column):
    """A day, month, year or interval, open-ended or not, approximate or uncertain.

    Exported as `<name>_start`, `<name>_end` (Date; an open end is null), `<name>_precision`
    (day, month, year) and `<name>_approximate`, `<name>_uncertain`.
    """

    kind = "fuzzy_date"
    summary = DATE_FORMS

    min: object = option(opt.iso_date)
    max: object = option(opt.iso_date)

    detect_rank = 60

    @classmethod
    def detect(cls, profile: Profile) -> Detection | None:
        if profile.distinct == 0:
            return None
        parsed = through(profile.values, parse_fuzzy_date).struct.field("ok")
        day = matches(profile.values, r"^\d{4}-\d{2}-\d{2}$")
        if not parsed.all() or day.all():
            return None  # plain days are kind date
        fuzzy = profile.examples(~day, 3)
        why = f"{rows(profile.present)}, all EDTF dates, some fuzzy ({', '.join(fuzzy)})"
        return Detection(cls.kind, why)

    def parse(self) -> dict[str, pl.Expr]:
        return {"parsed": parse_fuzzy_date(self.value)}

    def _part(self, name: str) -> pl.Expr:
        return self.field("parsed").struct.field(name)

    def kind_rules(self, context: RuleContext) -> list[Rule]:
        start, end = self._part("start"), self._part("end")
        return [
            self.parse_rule(
                "date.invalid",
                self._part("ok"),
                "a date in the accepted forms",
                f"accepted forms: {DATE_FORMS}",
            ),
            Rule(
                "date.order",
                self.name,
                self.severity,
                (start <= end).fill_null(True),
                "'{value}' ends before it starts",
                hint="write the earlier date first: START/END",
            ),
            # an open end is checked through the other one: ../1850 is before a 1900 minimum
            *self.range_rules(
                "date.range",
                pl.coalesce(start, end),
                pl.coalesce(end, start),
                self.min,
                self.max,
            ),
            Rule(
                "date.excel_date_cell",
                self.name,
                "warning",
                ~pl.col(DATE_CELLS)
                .str.split(DATE_CELLS_SEPARATOR)
                .list.contains(pl.lit(self.name))
                .fill_null(False),
                "the cell is an Excel date, read as the day '{value}'",
                hint="if the source gives a month (2025-09) or a year, format the cell as text and type it again",
            ),
        ]

    def outputs(self) -> list[Output]:
        n = self.name
        marks = {"approximate": "approximate (~ or %)", "uncertain": "uncertain (? or %)"}
        return [
            Output(n, self.canonical(), self.description, n, canonical=True),
            Output(f"{n}_start", self._part("start"), f"First day {n} can mean (null: open).", n),
            Output(f"{n}_end", self._part("end"), f"Last day {n} can mean (null: open).", n),
            Output(
                f"{n}_precision",
                self._part("precision").cast(pl.Enum(["day", "month", "year"])),
                f"Coarsest precision of {n}: day, month or year.",
                n,
            ),
            *(
                Output(f"{n}_{flag}", self._part(flag), f"{n} is {words} on either side.", n)
                for flag, words in marks.items()
            ),
            *(
                Output(
                    f"{n}_{side}_{flag}",
                    self._part(f"{side}_{flag}"),
                    f"The {side} of {n} is {words} (null: open).",
                    n,
                )
                for side in ("start", "end")
                for flag, words in marks.items()
            ),
        ]

    def interval(self) -> tuple[pl.Expr, pl.Expr]:
        return self._part("start"), self._part("end")

    def typed(self) -> pl.Expr:
        return self._part("start")

    def ordering(self) -> str:
        return "date"
