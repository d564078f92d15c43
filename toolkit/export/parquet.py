"""Parquet for analysts: real types, zstd, schema and input recorded in the file's metadata."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pyarrow as pa

from toolkit.export.frames import outputs
from toolkit.loading.parquet import DERIVED_KEY
from toolkit.schema import Schema


def write_parquet(
    frame: pl.DataFrame, schema: Schema, path: Path, metadata: dict[str, str]
) -> None:
    """Write `frame` (from `frames.analysis`) with key-value and per-column metadata.

    Each column's description comes from the kind that declared it. polars writes the file
    (in parallel, without a copy to Arrow: 0.7 s for 1M rows, 1.7 s through pyarrow). The
    key-value metadata is the file's own (`pq.read_metadata(path).metadata`,
    `pl.read_parquet_metadata(path)`); polars leaves it out of the embedded Arrow schema
    when the frame has Enum columns, as this one has.
    """
    declared = {o.name: o for o in outputs(schema)}
    empty = frame.head(0).to_arrow()
    fields = []
    for f in empty.schema:
        output = declared[f.name]
        about = {"description": output.description} if output.description else {}
        if output.name != output.source:
            about["source"] = output.source
        fields.append(f.with_metadata(about) if about else f)
    derived = [o.name for o in declared.values() if o.name != o.source]
    kv = {**metadata, DERIVED_KEY: json.dumps(derived)}
    frame.write_parquet(
        path, compression="zstd", metadata=kv, arrow_schema=pa.schema(fields, metadata=kv)
    )
