"""Workbook reader (calamine through fastexcel): cached cell values as canonical text.

Numbers come back as their shortest text (`33.3152`, `2500`), dates as ISO (`2024-09-06`).
Formulas are never evaluated: a formula cell contributes the value Excel cached for it.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import fastexcel
import numpy as np
import polars as pl

from toolkit.errors import InputError
from toolkit.loading.table import Table, make_table

# A real event workbook compresses ~5-10x; refuse archives that expand far beyond that
# before calamine allocates them.
MAX_EXPANSION_RATIO = 200
MAX_UNCOMPRESSED_BYTES = 4 * 1024**3


def _check_archive(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{path}: is not a valid .xlsx workbook (not a zip archive)") from exc
    packed = sum(i.compress_size for i in infos) or 1
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNCOMPRESSED_BYTES or unpacked / packed > MAX_EXPANSION_RATIO:
        raise InputError(
            f"{path}: refused: the workbook expands from {packed:,} to {unpacked:,} bytes "
            "(a zip bomb?)"
        )


def _midnight_to_date(column: pl.Series) -> pl.Series:
    """calamine renders a date cell as `YYYY-MM-DD 00:00:00`; keep the date only."""
    return column.str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", "${1}")


def read_xlsx(path: Path, *, sheet: str | None = None) -> Table:
    """Read one sheet (the first unless named) as text; the header is sheet row 1."""
    _check_archive(path)
    try:
        reader = fastexcel.read_excel(path)
    except Exception as exc:  # fastexcel raises its own error types per failure
        raise InputError(f"{path}: is not a readable .xlsx workbook ({exc})") from exc
    names = reader.sheet_names
    if sheet is not None and sheet not in names:
        raise InputError(f"{path}: no sheet named {sheet!r} (sheets: {', '.join(names)})")
    name = sheet if sheet is not None else names[0]
    try:
        loaded = reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0)
        frame = loaded.to_polars()
    except Exception as exc:
        raise InputError(f"{path}: sheet {name!r} cannot be read ({exc})") from exc
    if frame.height == 0:
        raise InputError(f"{path}: no header: sheet {name!r} is empty")
    header = [v if v is not None else "" for v in frame.row(0)]
    body = frame.slice(1).with_columns(_midnight_to_date(frame[c].slice(1)) for c in frame.columns)
    sheet_rows = np.arange(2, body.height + 2)
    blank = body.select(pl.all_horizontal(pl.all().is_null())).to_series()
    if blank.any():
        body = body.filter(~blank)
        sheet_rows = sheet_rows[~blank.to_numpy()]
    return make_table(
        path,
        "xlsx",
        [str(h) for h in header],
        body,
        rows=pl.Series(np.arange(1, body.height + 1)),
        lines=pl.Series(sheet_rows),
        sheet=name,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
    )
