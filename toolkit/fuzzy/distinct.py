"""Parse each distinct value once: event tables repeat dates and counts a lot."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

_KEY = "__text"


def per_distinct(parse: Callable[[pl.Series], pl.Series]) -> Callable[[pl.Series], pl.Series]:
    """Wrap a whole-column parser so it runs on the distinct values and joins back."""

    def run(text: pl.Series) -> pl.Series:
        distinct = text.unique()
        if distinct.len() * 2 > text.len():
            return parse(text)
        parsed = parse(distinct.rename(_KEY))
        table = pl.DataFrame([distinct.rename(_KEY), parsed.rename("__parsed")])
        joined = (
            text.rename(_KEY)
            .to_frame()
            .join(table, on=_KEY, how="left", nulls_equal=True, maintain_order="left")
        )
        return joined.get_column("__parsed").rename(text.name)

    return run
