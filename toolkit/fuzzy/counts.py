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

from toolkit.fuzzy.distinct import per_distinct

COUNT_FIELDS = ("low", "best", "high", "qualifier", "ok")

_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)"
_PATTERN = (
    rf"^(?:(~)\s*{_NUMBER}|{_NUMBER}\s*(\+)|(<=)\s*{_NUMBER}|{_NUMBER}\s*-\s*{_NUMBER}|{_NUMBER})$"
)


def _number(group: pl.Expr) -> pl.Expr:
    return group.str.replace_all(",", "", literal=True).cast(pl.Int64, strict=False)


_DTYPE = pl.Struct(
    {"low": pl.Int64, "best": pl.Int64, "high": pl.Int64, "qualifier": pl.String, "ok": pl.Boolean}
)


def _parse(text: pl.Series) -> pl.Series:
    """Parse a whole column at once: the regex runs once, every field reads its captures."""
    groups = text.str.strip_chars().str.extract_groups(_PATTERN).struct.unnest()
    groups.columns = [f"g{i + 1}" for i in range(groups.width)]
    numbers = groups.select(
        approx=_number(pl.col("g2")),
        at_least=_number(pl.col("g3")),
        at_most=_number(pl.col("g6")),
        range_low=_number(pl.col("g7")),
        range_high=_number(pl.col("g8")),
        exact=_number(pl.col("g9")),
        missing=pl.Series(text.is_null()),
    )
    c = {name: pl.col(name) for name in numbers.columns}
    qualifier = (
        pl.when(c["exact"].is_not_null())
        .then(pl.lit("exact"))
        .when(c["approx"].is_not_null())
        .then(pl.lit("approximate"))
        .when(c["at_least"].is_not_null())
        .then(pl.lit("at_least"))
        .when(c["at_most"].is_not_null())
        .then(pl.lit("at_most"))
        .when(c["range_low"].is_not_null() & c["range_high"].is_not_null())
        .then(pl.lit("range"))
    )
    out = numbers.select(
        low=pl.coalesce(c["exact"], c["at_least"], c["range_low"]),
        best=pl.coalesce(c["exact"], c["approx"]),
        high=pl.coalesce(c["exact"], c["at_most"], c["range_high"]),
        qualifier=qualifier,
        ok=pl.when(c["missing"]).then(None).otherwise(qualifier.is_not_null()),
    )
    return out.to_struct(text.name)


def parse_count(text: pl.Expr) -> pl.Expr:
    """Parse fuzzy-count text into a struct of COUNT_FIELDS (`ok` null when missing).

    Example:
        >>> pl.select(parse_count(pl.lit("2,500+")).struct.field("low")).item()
        2500
    """
    return text.map_batches(per_distinct(_parse), return_dtype=_DTYPE, is_elementwise=True)


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
