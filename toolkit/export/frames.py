"""The frames exports are made of: canonical text (CSV) and typed, expanded columns (Parquet).

Both come from what each column's kind declares (`Column.canonical`, `Column.outputs`).
Selections run lazily: on a wide prepared frame, polars' eager select costs twice as much.
"""

from __future__ import annotations

import polars as pl

from toolkit.schema import Output, Schema


def clean_text(frame: pl.DataFrame, schema: Schema) -> pl.DataFrame:
    """Schema columns in schema order, as canonical text."""
    return frame.lazy().select(c.canonical().alias(c.name) for c in schema.columns).collect()


def outputs(schema: Schema) -> list[Output]:
    """Every Parquet column of the schema, in order."""
    return [output for column in schema.columns for output in column.outputs()]


def analysis(
    frame: pl.DataFrame, schema: Schema, clean: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Typed columns with fuzzy values expanded beside their text.

    With `clean` (from `clean_text`), outputs that are a column's canonical text are taken
    from it instead of being composed again (0.1 s per count column at 1M rows).
    """
    declared = outputs(schema)
    reused = {
        o.name: f"__canonical.{o.source}"
        for o in declared
        if o.canonical and clean is not None and o.source in clean.columns
    }
    texts = (
        [clean.get_column(o.source).alias(reused[o.name]) for o in declared if o.name in reused]
        if clean is not None
        else []
    )
    exprs = [
        (pl.col(reused[o.name]) if o.name in reused else o.values).alias(o.name) for o in declared
    ]
    return frame.with_columns(texts).lazy().select(exprs).collect()
