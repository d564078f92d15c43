"""Parquet for analysts: real types, zstd, schema and input recorded in the file's metadata."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pyarrow as pa

from toolkit.loading.parquet import DERIVED_KEY
from toolkit.schema import Schema


def write_parquet(
    frame: pl.DataFrame, schema: Schema, path: Path, metadata: dict[str, str]
) -> None:
    """Write `frame` (from `frames.analysis`) with key-value and per-column metadata.

    polars writes the file (in parallel, without a copy to Arrow: 0.7 s for 1M rows, 1.7 s
    through pyarrow). The key-value metadata is the file's own (`pq.read_metadata(path)
    .metadata`, `pl.read_parquet_metadata(path)`); polars leaves it out of the embedded
    Arrow schema when the frame has Enum columns, as this one has.
    """
    empty = frame.head(0).to_arrow()
    descriptions = {spec.name: spec.description for spec in schema.columns}
    fields = []
    for f in empty.schema:
        base = f.name
        for suffix in (
            "_start",
            "_end",
            "_precision",
            "_approximate",
            "_uncertain",
            "_low",
            "_best",
            "_high",
            "_qualifier",
        ):
            if base not in descriptions and base.endswith(suffix):
                base = base[: -len(suffix)]
        text = descriptions.get(base, "")
        fields.append(f.with_metadata({"description": text}) if text else f)
    text_columns = set(schema.names)
    kv = {
        **metadata,
        DERIVED_KEY: json.dumps([f.name for f in fields if f.name not in text_columns]),
    }
    frame.write_parquet(
        path, compression="zstd", metadata=kv, arrow_schema=pa.schema(fields, metadata=kv)
    )
