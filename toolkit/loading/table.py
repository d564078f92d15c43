"""The loaded table: every cell as text, plus the position of every record."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from toolkit.errors import InputError

if TYPE_CHECKING:
    from toolkit.loading.source import Digest

ROW = "__row"  # 1-based data row, in input order
LINE = "__line"  # physical line where the record starts (CSV) or its sheet row (XLSX)
FIELDS = "__fields"  # number of fields the record had (CSV), to report ragged rows
DATE_CELLS = "__date_cells"  # workbook: the columns whose cell was an Excel date (joined by \x1f)
DATE_CELLS_SEPARATOR = "\x1f"
EXTRA = "__extra"  # in `Table.extra`: the fields of a record past the header's, as a list

# An Excel sheet holds 16,384 columns (XFD); a header or record wider than that is a row
# pasted sideways or not a table, and each column costs polars a Series of its own.
MAX_COLUMNS = 16_384
# A cell is text a person typed (Excel holds at most 32,767 characters in one); checking a
# cell costs some twenty times its size in memory, so a 200 MB cell would need 4 GB.
MAX_CELL_BYTES = 16 << 20


def column_letter(index: int) -> str:
    """Excel column letters of a 1-based index (1 -> A, 28 -> AB).

    Written here rather than imported from openpyxl: importing openpyxl costs validation a
    quarter of a second, and this is the only thing loading needs from it.
    """
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """1-based index of Excel column letters (A -> 1, AB -> 28)."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def number_text(number: pl.Expr) -> pl.Expr:
    """Canonical text of a float: shortest form, whole numbers without `.0` (`44`, `33.3`)."""
    return number.cast(pl.String).str.replace(r"\.0$", "")


@dataclass(frozen=True)
class Table:
    """An input table read as text.

    `frame` holds `__row`, `__line`, `__fields` and then one String column per header
    entry. Columns are named after the header, trimmed; a blank or repeated header name gets
    a placeholder (`__column_3`) so that nothing is silently merged. `header` keeps the names
    exactly as typed.
    """

    path: Path
    format: str
    header: tuple[str, ...]
    frame: pl.DataFrame
    sheet: str | None = None
    columns: tuple[str, ...] = field(default=())
    first_column: int = 1  # workbook column (1 = A) holding the first header cell
    header_line: int | None = 1  # line (sheet row) of the header; None for Parquet
    digest: Digest | None = field(default=None, repr=False, compare=False)
    # CSV records with more fields than the header: `__row` and `__extra` (the fields past
    # the header's, as read); None when there are none
    extra: pl.DataFrame | None = field(default=None, repr=False, compare=False)

    def cell(self, column: str, line: int | None) -> str | None:
        """`Sheet!C17` for a column and sheet row of a workbook; None for other formats."""
        position = self._positions.get(column)
        if self.sheet is None or line is None or position is None:
            return None
        letter = column_letter(position + self.first_column)
        return f"{self.sheet}!{letter}{line}"

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.columns)}

    @cached_property
    def sha256(self) -> str:
        """SHA-256 of the bytes that were read and parsed (not of the file as it is now)."""
        if self.digest is not None:
            return self.digest.hexdigest()
        return file_sha256(self.path)  # a Table built by hand, without a loader

    @property
    def rows(self) -> int:
        """Number of data records (blank lines are not records)."""
        return self.frame.height


def column_names(header: list[str]) -> tuple[str, ...]:
    """Frame column names for a header: trimmed, placeholders for blank or repeated names."""
    names: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(header):
        name = raw.strip()
        if not name or name in seen or name.startswith("__"):
            name = f"__column_{i + 1}"
        seen.add(name)
        names.append(name)
    return tuple(names)


def make_table(
    path: Path,
    fmt: str,
    header: list[str],
    data: pl.DataFrame,
    *,
    rows: pl.Series,
    lines: pl.Series,
    fields: pl.Series | None = None,
    date_cells: pl.Series | None = None,
    sheet: str | None = None,
    first_column: int = 1,
    header_line: int | None = 1,
    digest: Digest | None = None,
    extra: pl.DataFrame | None = None,
) -> Table:
    """Assemble a `Table` from positional data columns and their record positions."""
    if len(header) > MAX_COLUMNS:
        raise too_wide(path, len(header))
    names = column_names(header)
    data = data.rename(dict(zip(data.columns, names, strict=True)))
    data = data.with_columns(pl.all().cast(pl.String))
    _refuse_huge_cells(path, data, lines, rows, sheet, first_column)
    if fields is None:
        fields = pl.Series(FIELDS, [len(header)] * data.height, dtype=pl.UInt32)
    frame = pl.concat(
        [
            pl.DataFrame(
                {
                    ROW: rows.cast(pl.UInt32),
                    LINE: lines.cast(pl.UInt32),
                    FIELDS: fields.cast(pl.UInt32),
                    DATE_CELLS: (
                        date_cells
                        if date_cells is not None
                        else pl.Series([None] * data.height, dtype=pl.String)
                    ),
                }
            ),
            data,
        ],
        how="horizontal",
    )
    return Table(
        path=path,
        format=fmt,
        header=tuple(header),
        frame=frame,
        sheet=sheet,
        columns=names,
        first_column=first_column,
        header_line=header_line,
        digest=digest,
        extra=extra,
    )


def too_wide(
    path: Path, count: int, where: str = "the header", unit: str = "columns"
) -> InputError:
    return InputError(
        f"{path}: refused: {where} has {count:,} {unit}; at most {MAX_COLUMNS:,} are read "
        "(an Excel sheet's width)"
    )


def shown_name(name: str, limit: int = 40) -> str:
    """A column name for a one-line message: escaped by repr, and cut when long."""
    return repr(name if len(name) <= limit else name[:limit] + "…")


def huge_cell(data: pl.DataFrame) -> tuple[int, str, int] | None:
    """The first cell over MAX_CELL_BYTES (row index, column, size), or None.

    A column whose buffers hold fewer bytes than the limit cannot hold such a cell, so a
    small table costs nothing; a large one costs one pass over the string lengths.
    """
    suspects = [
        column.name
        for column in data.iter_columns()
        if column.dtype == pl.String and column.estimated_size() > MAX_CELL_BYTES
    ]
    if not suspects or not data.height:
        return None
    lengths = pl.col(suspects).str.len_bytes()
    if (data.select(pl.max_horizontal(lengths.max())).item() or 0) <= MAX_CELL_BYTES:
        return None
    sizes = data.select(lengths).with_row_index("__index")
    over = sizes.filter(pl.any_horizontal(pl.col(suspects) > MAX_CELL_BYTES)).row(0, named=True)
    index = over.pop("__index")
    column, size = next((c, n) for c, n in over.items() if n is not None and n > MAX_CELL_BYTES)
    return index, column, size


def cell_too_large(path: Path, where: str, column: str, size: int) -> InputError:
    return InputError(
        f"{path}: refused: {where} holds a cell of {size:,} bytes in column "
        f"{shown_name(column)}; cells over {MAX_CELL_BYTES >> 20} MiB are not read"
    )


def _refuse_huge_cells(
    path: Path,
    data: pl.DataFrame,
    lines: pl.Series,
    rows: pl.Series,
    sheet: str | None,
    first_column: int,
) -> None:
    """Refuse a table holding a cell over MAX_CELL_BYTES, naming where the first one is."""
    found = huge_cell(data)
    if found is None:
        return
    index, column, size = found
    line = lines[index]
    if sheet is not None and line is not None:
        letter = column_letter(data.columns.index(column) + first_column)
        where = f"cell {sheet}!{letter}{line}"
    elif line is not None:
        where = f"line {line}"
    else:
        where = f"row {rows[index]}"
    raise cell_too_large(path, where, column, size)
