"""Parquet reader: typed columns are turned back into their canonical text."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import polars as pl

from toolkit.errors import InputError
from toolkit.loading.source import read_source
from toolkit.loading.table import Table, make_table, number_text

# Parquet files exported by the toolkit list the columns they derived from the text columns
# (date_start, fatalities_low, ...): loading drops them again, so an export validates as is.
DERIVED_KEY = "toolkit.derived"


def _derived_columns(data: bytes) -> set[str]:
    metadata = pl.read_parquet_metadata(io.BytesIO(data))
    try:
        return set(json.loads(metadata.get(DERIVED_KEY, "[]")))
    except ValueError:
        return set()


def _as_text(column: pl.Series) -> pl.Series:
    dtype = column.dtype
    if dtype == pl.Date:
        return column.dt.to_string("%Y-%m-%d")
    if isinstance(dtype, pl.Datetime):
        return column.dt.to_string("%Y-%m-%dT%H:%M:%S")
    if dtype.is_float():
        return column.to_frame().select(number_text(pl.col(column.name))).to_series()
    if dtype.is_nested():
        raise InputError(
            f"column {column.name!r} holds nested values ({dtype}); expected a flat table"
        )
    return column.cast(pl.String)


def read_parquet(path: Path) -> Table:
    """Read a Parquet file; rows keep their order, positions are the row numbers."""
    source = read_source(path)
    try:
        frame = pl.read_parquet(io.BytesIO(source.data))
    except Exception as exc:  # polars raises several unrelated types for a broken file
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{path}: is not a readable Parquet file ({first})") from exc
    derived = _derived_columns(source.data)
    header = [c for c in frame.columns if c not in derived]
    text = pl.DataFrame([_as_text(frame[c]) for c in header]) if header else frame
    rows = np.arange(1, frame.height + 1)
    return make_table(
        path,
        "parquet",
        list(header),
        text,
        rows=pl.Series(rows),
        lines=pl.Series([None] * frame.height, dtype=pl.UInt32),
        header_line=None,
        digest=source.digest,
    )
