"""Dates, date-times and times in a declared strftime format (`%m/%d/%Y`, `%I:%M %p`).

polars (chrono) parses formats leniently: `%Y` takes `20` as the year 20, `%M` takes `5`, and
a space in the format matches none. Each format is therefore also turned into a regular
expression of its exact shape (`%Y` four digits, `%m` one or two, `%M` two, `%p` AM/PM), and a
value must match the shape *and* parse to a real day or time (no 30 February, no 25:00).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

import polars as pl

Target = Literal["date", "datetime", "time"]

_SHAPES = {
    "Y": r"\d{4}",
    "y": r"\d{2}",
    "m": r"\d{1,2}",
    "d": r"\d{1,2}",
    "e": r" ?\d{1,2}",
    "j": r"\d{1,3}",
    "H": r"\d{1,2}",
    "I": r"\d{1,2}",
    "M": r"\d{2}",
    "S": r"\d{2}",
    "f": r"\d{1,9}",
    "p": r"(?:[AaPp][Mm])",
    "b": r"[A-Za-z]{3}",
    "h": r"[A-Za-z]{3}",
    "B": r"[A-Za-z]+",
    "a": r"[A-Za-z]{3}",
    "A": r"[A-Za-z]+",
    "z": r"[+-]\d{2}:?\d{2}",
    "%": "%",
}
_DIRECTIVE = re.compile(r"%[-_0^#]?([A-Za-z%])")
TIME_DIRECTIVES = frozenset("HIMSfpz")


def directives(fmt: str) -> set[str]:
    """The directive letters of a format (`%m/%d/%Y` -> {m, d, Y})."""
    return {m.group(1) for m in _DIRECTIVE.finditer(fmt)}


def shape(fmt: str) -> str:
    """An anchored regex of the exact shape of `fmt`."""
    out, pos = [], 0
    for m in _DIRECTIVE.finditer(fmt):
        out.append(re.escape(fmt[pos : m.start()]))
        out.append(_SHAPES.get(m.group(1), ".+?"))
        pos = m.end()
    out.append(re.escape(fmt[pos:]))
    return "^" + "".join(out) + "$"


def example(fmt: str, target: Target) -> str:
    """`fmt` applied to a sample moment (`%m/%d/%Y` -> `09/06/2024`), for hints."""
    moment = datetime(2024, 9, 6, 14, 30, 0)
    if target == "time":
        return moment.time().strftime(fmt)
    return moment.strftime(fmt)


def _parse_one(text: pl.Expr, fmt: str, target: Target) -> pl.Expr:
    ok_shape = text.str.contains(shape(fmt))
    if target == "time":
        parsed = text.str.to_time(fmt, strict=False)
    elif target == "date" and not directives(fmt) & TIME_DIRECTIVES:
        parsed = text.str.to_date(fmt, strict=False)
    else:
        parsed = text.str.to_datetime(fmt, strict=False, time_unit="us")
    return pl.when(ok_shape).then(parsed)


def parse_formatted(text: pl.Expr, formats: tuple[str, ...], target: Target) -> pl.Expr:
    """Parse `text` with the first of `formats` it fits; null when none does.

    A `date` whose format has a time part parses to a Datetime: the caller decides what a
    time of day means for it.
    """
    parsed = [_parse_one(text, fmt, target) for fmt in formats]
    if target == "date" and any(directives(f) & TIME_DIRECTIVES for f in formats):
        parsed = [p.cast(pl.Datetime("us")) for p in parsed]
    return parsed[0] if len(parsed) == 1 else pl.coalesce(parsed)


def parses(values: pl.Series, fmt: str, target: Target) -> pl.Series:
    """Which of `values` are in the form `fmt` (shape and calendar)."""
    return (
        values.to_frame("v").select(_parse_one(pl.col("v"), fmt, target).is_not_null()).to_series()
    )


def covering_formats(
    values: pl.Series, counts: pl.Series, candidates: tuple[str, ...], target: Target
) -> list[tuple[str, int]] | None:
    """The fewest of `candidates` that together parse every value, most rows first, with the
    rows each takes; None when some value fits none of them."""
    fits = {fmt: parses(values, fmt, target) for fmt in candidates}
    left = pl.Series([True] * values.len())
    chosen: list[tuple[str, int]] = []
    while left.any():
        best, rows = None, 0
        for fmt, mask in fits.items():
            taken = int(counts.filter(mask & left).sum())
            if taken > rows:
                best, rows = fmt, taken
        if best is None:
            return None
        chosen.append((best, rows))
        left = left & ~fits.pop(best)
    return chosen


def formats_option(chosen: list[tuple[str, int]]) -> str | list[str]:
    """The `format` option for the chosen forms: one format, or the list of them."""
    formats = [f for f, _ in chosen]
    return formats[0] if len(formats) == 1 else formats


def described_forms(values: pl.Series, chosen: list[tuple[str, int]], target: Target) -> str:
    """`like 2009-02-20T00:00:00`, or the forms with a value of each and their counts when
    there are several (`values`: the column's distinct values, most frequent first)."""
    left = pl.Series([True] * values.len())
    seen = []
    for fmt, n in chosen:
        mask = parses(values, fmt, target) & left
        seen.append((values.filter(mask)[0] if mask.any() else example(fmt, target), n))
        left = left & ~mask
    if len(chosen) == 1:
        return f"like {seen[0][0]}"
    forms = ", ".join(f"{value} ({n:,})" for value, n in seen)
    return f"in {len(chosen)} forms: {forms} — a table usually keeps one form"
