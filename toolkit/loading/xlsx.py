"""Workbook reader (calamine through fastexcel): cached cell values as canonical text.

Numbers come back as their shortest text (`33.3152`, `2500`), dates as ISO (`2024-09-06`).
Formulas are never evaluated: a formula cell contributes the value Excel cached for it.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO

import fastexcel
import numpy as np
import polars as pl

from toolkit.errors import InputError
from toolkit.loading.source import read_source
from toolkit.loading.table import (
    DATE_CELLS_SEPARATOR,
    MAX_COLUMNS,
    Table,
    column_index,
    column_names,
    make_table,
)

# A real event workbook compresses ~5-10x; refuse archives that expand far beyond that
# before calamine allocates them.
MAX_EXPANSION_RATIO = 200
MAX_UNCOMPRESSED_BYTES = 4 * 1024**3


# A sheet whose cells span more than this many (rows x columns, counted from A1) is refused:
# calamine allocates the whole rectangle at 32 bytes a cell, so one far-away cell (ZZ1048576)
# would ask for 23.5 GB; 50 million cells (1.6 GB) hold a full 1,048,576-row sheet 47 columns
# wide.
MAX_SHEET_CELLS = 50_000_000
_REF_WINDOW = 12  # a reference's letters and digits: `XFD1048576` and a byte to spare
_PAST_XFD = 1 << 40  # a column of four or more letters: calamine would size its range by it


def _refuse(path: Path, why: str) -> InputError:
    return InputError(f"{path}: refused: {why}")


def _reach(block: bytes) -> tuple[int, int]:
    """The highest row and column that the `r="…"` references in `block` name.

    Every cell (`<c r="ZZ9">`) and row (`<row r="9">`) is looked at, wherever the attribute
    stands in its element, in either quotes, and in whatever order rows come, in a few numpy
    passes over the block rather than a regex match per cell. (Spaces around the `=`, which
    XML allows and no spreadsheet writer produces, are not looked for.) A reference that
    starts in the last bytes of the block is skipped: `_seams` reads it whole.
    """
    buf = np.frombuffer(block, dtype=np.uint8)
    end = buf.size - 3
    if end <= 0:
        return 0, 0
    # a blank, r, =, and a quote (0x22 or 0x27: "|5" maps both, and only # and &, to 0x27)
    hit = (buf[3:] | 5) == 0x27
    hit &= buf[2 : end + 2] == ord("=")
    hit &= buf[1 : end + 1] == ord("r")
    hit &= buf[:end] <= ord(" ")
    starts = np.flatnonzero(hit) + 4
    starts = starts[starts <= buf.size - _REF_WINDOW]
    if not starts.size:
        return 0, 0
    window = buf[starts[:, None] + np.arange(_REF_WINDOW)].astype(np.int64)
    letter = (window >= ord("A")) & (window <= ord("Z"))
    digit = (window >= ord("0")) & (window <= ord("9"))
    letters = np.where(letter.all(axis=1), _REF_WINDOW, np.argmin(letter, axis=1))
    column = np.zeros(starts.size, dtype=np.int64)
    row = np.zeros(starts.size, dtype=np.int64)
    counting = np.ones(starts.size, dtype=bool)
    for k in range(_REF_WINDOW):
        is_letter = k < letters
        column = np.where(is_letter, column * 26 + window[:, k] - 64, column)
        counting &= is_letter | digit[:, k]
        row = np.where(counting & ~is_letter, row * 10 + window[:, k] - 48, row)
    column[letters > 3] = _PAST_XFD
    return int(row.max()), int(column.max())


_SEAM = _REF_WINDOW + 4  # a blank, `r="` and the reference


def _sheet_reach(member: IO[bytes], count: Callable[[int], None]) -> tuple[int, int]:
    """The highest row and column a sheet's references name, inflating it block by block;
    `count(n)` is told each block's size (the zip bomb budget)."""
    rows, columns = 0, 0
    previous = b""
    while block := member.read(1 << 22):
        count(len(block))
        for part in (previous[-_SEAM:] + block[:_SEAM], block):  # the seam, then the block
            found = _reach(part)
            rows, columns = max(rows, found[0]), max(columns, found[1])
        previous = block
    found = _reach(previous[-_SEAM:] + b"\0" * _SEAM)  # the references at the very end
    return max(rows, found[0]), max(columns, found[1])


def _check_archive(path: Path, data: bytes) -> None:
    """Inflate the archive once, counting: refuse a zip bomb (whatever sizes the directory
    claims) or a sheet whose used range is absurdly large, before calamine allocates it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            packed = sum(i.compress_size for i in infos) or 1
            budget = min(MAX_UNCOMPRESSED_BYTES, MAX_EXPANSION_RATIO * max(packed, 1 << 16))
            unpacked = 0

            def count(size: int) -> None:
                nonlocal unpacked
                unpacked += size
                if unpacked > budget:
                    raise _refuse(
                        path,
                        f"the workbook expands from {packed:,} bytes to more than {budget:,} "
                        "(a zip bomb?)",
                    )

            for info in infos:
                with archive.open(info) as member:
                    if not info.filename.startswith("xl/worksheets/"):
                        while block := member.read(1 << 22):
                            count(len(block))
                        continue
                    last_row, widest = _sheet_reach(member, count)
                if last_row * max(widest, 1) > MAX_SHEET_CELLS:
                    shown = f"{widest:,}" if widest <= MAX_COLUMNS else f"more than {MAX_COLUMNS:,}"
                    raise _refuse(
                        path,
                        f"{info.filename} spans {last_row:,} rows and {shown} columns "
                        "(a stray cell far from the table?); delete it and save again",
                    )
    except zipfile.BadZipFile as exc:
        raise InputError(f"{path}: is not a valid .xlsx workbook (not a zip archive)") from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{path}: is not a valid .xlsx workbook ({_first_line(exc)})") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?name="([^"]*)"[^>]*?(?:\w+:)?id="([^"]+)"')
_REL = re.compile(
    rb'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"|<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"'
)
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="\$?([A-Z]+)')
_CELL = re.compile(rb'<(?:\w+:)?c r="([A-Z]+)\d+"')


def _first_column(data: bytes, sheet: str) -> int:
    """1-based column where the sheet's used range starts (calamine drops empty leading columns)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = {
                html.unescape(n.decode()): rid
                for n, rid in _SHEET.findall(archive.read("xl/workbook.xml"))
            }
            rels = archive.read("xl/_rels/workbook.xml.rels")
            targets = {m[0] or m[3]: m[1] or m[2] for m in _REL.findall(rels)}
            target = targets[names[sheet]].decode().lstrip("/")
            member = target if target.startswith("xl/") else f"xl/{target}"
            with archive.open(member) as fh:
                head = fh.read(1 << 16)
    except (KeyError, OSError, zipfile.BadZipFile):
        return 1
    found = _DIMENSION.search(head)
    letters = [found.group(1)] if found else _CELL.findall(head)
    if not letters:
        return 1
    return min(column_index(x.decode()) for x in letters)


_DATE_CELL = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"  # how calamine renders a date cell as text


def _midnight_to_date(column: pl.Series) -> pl.Series:
    """A date cell becomes its ISO date (`2024-09-06`), not `2024-09-06 00:00:00`."""
    return column.str.replace(_DATE_CELL, "${1}")


def _date_cells(body: pl.DataFrame, names: tuple[str, ...]) -> pl.Series:
    """Per row, the columns whose cell was an Excel date: a fuzzy date typed into Excel as
    `2025-09` becomes the day 2025-09-01, and validation warns about it."""
    marks = [
        pl.when(pl.col(c).str.contains(_DATE_CELL)).then(pl.lit(name))
        for c, name in zip(body.columns, names, strict=True)
    ]
    return (
        body.select(
            pl.concat_str(marks, separator=DATE_CELLS_SEPARATOR, ignore_nulls=True).alias("dates")
        )
        .to_series()
        .replace("", None)
    )


def read_xlsx(path: Path, *, sheet: str | None = None) -> Table:
    """Read one sheet (the first unless named) as text; the header is sheet row 1."""
    source = read_source(path)
    _check_archive(path, source.data)
    try:
        reader = fastexcel.read_excel(source.data)
    except Exception as exc:  # fastexcel raises its own error types per failure
        raise InputError(f"{path}: is not a readable .xlsx workbook ({_first_line(exc)})") from exc
    names = reader.sheet_names
    if sheet is not None and sheet not in names:
        raise InputError(f"{path}: no sheet named {sheet!r} (sheets: {', '.join(names)})")
    name = sheet if sheet is not None else names[0]
    try:
        loaded = reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0)
        frame = loaded.to_polars()
    except Exception as exc:
        raise InputError(f"{path}: sheet {name!r} cannot be read ({_first_line(exc)})") from exc
    filled = ~frame.select(pl.all_horizontal(pl.all().is_null())).to_series()
    if not filled.any():
        raise InputError(f"{path}: no header: sheet {name!r} is empty")
    top = int(filled.arg_true()[0])  # blank rows above the header carry no data
    header = [v if v is not None else "" for v in frame.row(top)]
    raw_body = frame.slice(top + 1)
    date_cells = _date_cells(raw_body, column_names([str(h) for h in header]))
    body = raw_body.with_columns(_midnight_to_date(frame[c].slice(top + 1)) for c in frame.columns)
    sheet_rows = np.arange(top + 2, body.height + top + 2)
    blank = body.select(pl.all_horizontal(pl.all().is_null())).to_series()
    if blank.any():
        body = body.filter(~blank)
        date_cells = date_cells.filter(~blank)
        sheet_rows = sheet_rows[~blank.to_numpy()]
    return make_table(
        path,
        "xlsx",
        [str(h) for h in header],
        body,
        rows=pl.Series(np.arange(1, body.height + 1)),
        lines=pl.Series(sheet_rows),
        date_cells=date_cells,
        sheet=name,
        first_column=_first_column(source.data, name),
        header_line=top + 1,
        digest=source.digest,
    )
