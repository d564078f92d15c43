"""Fuzzy counts, as news reports give them.

    143        exact            low = best = high = 143
    ~2500      approximate      best = 2500
    143+       at least         low = 143
    <=50       at most          high = 50
    100-999    a range          low = 100, high = 999 ("hundreds")

Thousands separators (`2,500`) are accepted. `best` stays null where the source gives no
single figure; a bound the source does not give stays null too.
"""

from __future__ import annotations

import polars as pl

COUNT_FIELDS = ("low", "best", "high", "qualifier", "ok")

_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)"
_PATTERN = (
    rf"^(?:(~)\s*{_NUMBER}|{_NUMBER}\s*(\+)|(<=)\s*{_NUMBER}|{_NUMBER}\s*-\s*{_NUMBER}|{_NUMBER})$"
)


def _number(group: pl.Expr) -> pl.Expr:
    return group.str.replace_all(",", "", literal=True).cast(pl.Int64, strict=False)


def parse_count(text: pl.Expr) -> pl.Expr:
    """Parse fuzzy-count text into a struct of COUNT_FIELDS (`ok` null when missing)."""
    g = text.str.strip_chars().str.extract_groups(_PATTERN)
    approx = _number(g.struct.field("2"))
    at_least = _number(g.struct.field("3"))
    at_most = _number(g.struct.field("6"))
    range_low = _number(g.struct.field("7"))
    range_high = _number(g.struct.field("8"))
    exact = _number(g.struct.field("9"))
    qualifier = (
        pl.when(exact.is_not_null())
        .then(pl.lit("exact"))
        .when(approx.is_not_null())
        .then(pl.lit("approximate"))
        .when(at_least.is_not_null())
        .then(pl.lit("at_least"))
        .when(at_most.is_not_null())
        .then(pl.lit("at_most"))
        .when(range_low.is_not_null() & range_high.is_not_null())
        .then(pl.lit("range"))
    )
    ok = pl.when(text.is_null()).then(None).otherwise(qualifier.is_not_null())
    return pl.struct(
        low=pl.coalesce(exact, at_least, range_low),
        best=pl.coalesce(exact, approx),
        high=pl.coalesce(exact, at_most, range_high),
        qualifier=qualifier,
        ok=ok,
    )


def canonical_count(parsed: pl.Expr) -> pl.Expr:
    """The canonical text of a parsed count: no separators, no spaces (`~2500`, `100-999`)."""
    low, best, high = (parsed.struct.field(n).cast(pl.String) for n in ("low", "best", "high"))
    q = parsed.struct.field("qualifier")
    return (
        pl.when(q == "exact")
        .then(best)
        .when(q == "approximate")
        .then(pl.concat_str([pl.lit("~"), best]))
        .when(q == "at_least")
        .then(pl.concat_str([low, pl.lit("+")]))
        .when(q == "at_most")
        .then(pl.concat_str([pl.lit("<="), high]))
        .when(q == "range")
        .then(pl.concat_str([low, pl.lit("-"), high]))
    )
