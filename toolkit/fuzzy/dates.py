"""Fuzzy dates: the subset of EDTF (ISO 8601-2, level 0 and 1) a news desk needs.

    2024-03-22            a day                    2024-03-22/2024-03-24   an interval
    2025-09               a month                  ../2025-09              on or before ("by")
    2026                  a year                   2025-09/..              on or after
    2003~  2003?  2003%   approximate, uncertain, both

Parsed into `start` and `end` (the first and last day the value can mean; an open end is
null), `precision` (the coarsest of day, month, year), `approximate` and `uncertain` (on
either side), the same per side, and `ok` (null for a missing value, false when the text is
not in the subset or names no real day).

Per side: `start_approximate`, `start_uncertain` come from the qualifier of the interval's
first date, `end_approximate`, `end_uncertain` from its second (`2024-03-22~/2024-03-24?`:
the start is approximate, the end uncertain); a single date is both sides (`2003~`: both
approximate); an open side (`..`) has no date and so null flags, like its null day.
"""

from __future__ import annotations

import polars as pl

from toolkit.fuzzy.distinct import per_distinct

DATE_FIELDS = (
    "start",
    "end",
    "precision",
    "approximate",
    "uncertain",
    "start_approximate",
    "start_uncertain",
    "end_approximate",
    "end_uncertain",
    "ok",
)

_SIDE = r"(?:(\.\.)|(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%])?)"
_PATTERN = rf"^{_SIDE}(?:(/){_SIDE})?$"
_GROUPS = ("a_open", "a_y", "a_m", "a_d", "a_q", "slash", "b_open", "b_y", "b_m", "b_d", "b_q")

_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


def _side_start(y: pl.Expr, m: pl.Expr, d: pl.Expr) -> pl.Expr:
    text = pl.concat_str([y, m.fill_null("01"), d.fill_null("01")], separator="-")
    return text.str.to_date("%Y-%m-%d", strict=False)


def _side_end(y: pl.Expr, m: pl.Expr, d: pl.Expr) -> pl.Expr:
    start = _side_start(y, m.fill_null("12"), d)
    return pl.when(d.is_not_null()).then(start).otherwise(start.dt.month_end())


def _side_precision(m: pl.Expr, d: pl.Expr) -> pl.Expr:
    return pl.when(d.is_not_null()).then(0).when(m.is_not_null()).then(1).otherwise(2)


_DTYPE = pl.Struct(
    {
        "start": pl.Date,
        "end": pl.Date,
        "precision": pl.String,
        "approximate": pl.Boolean,
        "uncertain": pl.Boolean,
        "start_approximate": pl.Boolean,
        "start_uncertain": pl.Boolean,
        "end_approximate": pl.Boolean,
        "end_uncertain": pl.Boolean,
        "ok": pl.Boolean,
    }
)


def _parse(text: pl.Series) -> pl.Series:
    """Parse a whole column at once: the regex runs once, every field reads its captures."""
    groups = text.str.strip_chars().str.extract_groups(_PATTERN).struct.unnest()
    groups.columns = list(_GROUPS)
    f = {name: pl.col(name) for name in _GROUPS}
    matched = f["slash"].is_not_null() | f["a_y"].is_not_null()
    interval = f["slash"].is_not_null()
    a_date = f["a_y"].is_not_null()
    b_date = f["b_y"].is_not_null()
    sides = groups.with_columns(
        a_start=_side_start(f["a_y"], f["a_m"], f["a_d"]),
        a_end=_side_end(f["a_y"], f["a_m"], f["a_d"]),
        b_start=_side_start(f["b_y"], f["b_m"], f["b_d"]),
        b_end=_side_end(f["b_y"], f["b_m"], f["b_d"]),
        input_null=pl.Series(text.is_null()),
    )
    # each side that names a date must name a real one; an interval needs at least one date
    sides_ok = (a_date.not_() | pl.col("a_start").is_not_null()) & (
        b_date.not_() | pl.col("b_start").is_not_null()
    )
    shape_ok = pl.when(interval).then(a_date | b_date).otherwise(a_date)
    ok = (matched & shape_ok.fill_null(False) & sides_ok).fill_null(False)
    a_prec = pl.when(a_date).then(_side_precision(f["a_m"], f["a_d"]))
    b_prec = pl.when(b_date).then(_side_precision(f["b_m"], f["b_d"]))
    precision = pl.max_horizontal(a_prec, b_prec).replace_strict(
        {v: k for k, v in _PRECISION_RANK.items()}, default=None, return_dtype=pl.String
    )
    valid = pl.col("ok")
    # each side's flags, read once from its one-character qualifier
    flags = {
        f"{side}_{flag}": f[f"{side}_q"].is_in(marks).fill_null(False)
        for side in ("a", "b")
        for flag, marks in (("approximate", ["~", "%"]), ("uncertain", ["?", "%"]))
    }
    g = {name: pl.col(name) for name in flags}
    # the start is the first side's date; the end the second's, or the single date's own
    start_side = valid & a_date
    end_is_b = valid & interval & b_date
    end_is_a = valid & ~interval
    out = sides.with_columns(ok=ok, **flags).select(
        start=pl.when(start_side).then(pl.col("a_start")),
        end=pl.when(end_is_b).then(pl.col("b_end")).when(end_is_a).then(pl.col("a_end")),
        precision=pl.when(valid).then(precision),
        approximate=pl.when(valid).then(g["a_approximate"] | g["b_approximate"]),
        uncertain=pl.when(valid).then(g["a_uncertain"] | g["b_uncertain"]),
        start_approximate=pl.when(start_side).then(g["a_approximate"]),
        start_uncertain=pl.when(start_side).then(g["a_uncertain"]),
        end_approximate=pl.when(end_is_b)
        .then(g["b_approximate"])
        .when(end_is_a)
        .then(g["a_approximate"]),
        end_uncertain=pl.when(end_is_b)
        .then(g["b_uncertain"])
        .when(end_is_a)
        .then(g["a_uncertain"]),
        ok=pl.when(pl.col("input_null")).then(None).otherwise(valid),
    )
    return out.to_struct(text.name)


def parse_fuzzy_date(text: pl.Expr) -> pl.Expr:
    """Parse EDTF-subset text into a struct of DATE_FIELDS.

    Example:
        >>> pl.select(parse_fuzzy_date(pl.lit("../2025-09")).struct.field("end")).item()
        datetime.date(2025, 9, 30)
    """
    return text.map_batches(per_distinct(_parse), return_dtype=_DTYPE, is_elementwise=True)


def parse_iso_date(text: pl.Expr) -> pl.Expr:
    """Parse a plain ISO date (YYYY-MM-DD) into Date; null when missing or not a real day."""
    return text.str.strip_chars().str.to_date("%Y-%m-%d", strict=False)
