"""The frames exports are made of: canonical text (CSV) and typed, expanded columns (Parquet).

Selections run lazily: on a wide prepared frame, polars' eager select costs twice as much.
"""

from __future__ import annotations

import polars as pl

from toolkit.schema import Schema
from toolkit.schema.kinds import canonical, typed


def clean_text(frame: pl.DataFrame, schema: Schema) -> pl.DataFrame:
    """Schema columns in schema order, as canonical text."""
    return frame.lazy().select(canonical(spec) for spec in schema.columns).collect()


def analysis(frame: pl.DataFrame, schema: Schema) -> pl.DataFrame:
    """Typed columns with fuzzy dates and counts expanded beside their text."""
    return frame.lazy().select(expr for spec in schema.columns for expr in typed(spec)).collect()
