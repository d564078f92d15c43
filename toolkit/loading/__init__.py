"""Readers per format. Every cell arrives as text; every record keeps where it came from.

A loaded `Table` knows nothing of schemas: it is the typed-by-nobody view of a file, so a
malformed value becomes a finding later instead of a crash now.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import InputError
from toolkit.loading.table import (
    DATE_CELLS,
    DATE_CELLS_SEPARATOR,
    EXTRA,
    FIELDS,
    LINE,
    ROW,
    Table,
    number_text,
)

__all__ = [
    "DATE_CELLS",
    "DATE_CELLS_SEPARATOR",
    "EXTRA",
    "FIELDS",
    "LINE",
    "ROW",
    "Table",
    "detect_format",
    "load_table",
    "number_text",
]

_FORMATS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
    ".geojson": "geojson",
}


def detect_format(path: Path) -> str:
    """Name the format of `path` from its extension (csv, xlsx, parquet or geojson)."""
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"{path}: unknown table format {path.suffix or '(no extension)'!r}; "
            "expected .csv, .xlsx, .parquet or .geojson"
        )
    return fmt


def load_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Table:
    """Read a CSV, XLSX, Parquet or GeoJSON file into an all-text `Table` with record positions.

    The file (or FIFO) is read once, within the limits of `toolkit.loading.source`, and
    `Table.sha256` is the hash of exactly the bytes that were parsed.

    Example:
        >>> table = load_table("fixtures/events.csv")
        >>> table.frame.columns[:3]
        ['__row', '__line', 'event_id']
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a table")
    fmt = detect_format(path)
    if sheet is not None and fmt != "xlsx":
        raise InputError(f"{path}: --sheet applies to .xlsx workbooks only")
    try:
        if fmt == "csv":
            from toolkit.loading.csv import read_csv

            return read_csv(path, encoding=encoding, delimiter=delimiter)
        if fmt == "xlsx":
            from toolkit.loading.xlsx import read_xlsx

            return read_xlsx(path, sheet=sheet)
        if fmt == "geojson":
            from toolkit.loading.geojson import read_geojson

            return read_geojson(path)
        from toolkit.loading.parquet import read_parquet

        return read_parquet(path)
    except PermissionError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
