"""The frames exports are made of: canonical text (CSV) and typed, expanded columns (Parquet)."""

from __future__ import annotations

import polars as pl

from toolkit.schema import Schema
from toolkit.schema.kinds import canonical, typed


def clean_text(frame: pl.DataFrame, schema: Schema) -> pl.DataFrame:
    """Schema columns in schema order, as canonical text."""
    return frame.select(canonical(spec) for spec in schema.columns)


def analysis(frame: pl.DataFrame, schema: Schema) -> pl.DataFrame:
    """Typed columns with fuzzy dates and counts expanded beside their text."""
    return frame.select(expr for spec in schema.columns for expr in typed(spec))
