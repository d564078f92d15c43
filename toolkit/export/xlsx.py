"""The editors' workbook: the whole table, to fix problems where they are and send it back.

openpyxl (write-only mode) writes the workbook, its styles, comments and links; the data rows
are rendered by polars (`sheet_xml`) and spliced into the data sheet
(`openpyxl_internals.splice_rows`), about 15 times faster than openpyxl's per-cell path and
with bounded memory.

Data sheet: every input row in input order, rows with errors included. Bold frozen header,
filter, fitted widths; each column formatted as its kind declares (`Column.text_cells`): a
text-like column is Text for the whole column, empty rows below the data included, so what an
editor types stays what they typed (`007`, `2025-09`, `=1+1`); numbers are numbers and full
dates real dates. A value that does not parse is shown as typed, as text. Dropdowns on
vocabulary columns; rows with line breaks tall enough to show every line; every cell with a
finding highlighted, and the listed findings attached as comments, each cell linking to its
row on the Issues sheet. A Codebook sheet explains every column; an Issues sheet lists the
findings, each linking to its cell. No cell is ever a formula: text that starts like one is
stored as text with Excel's quote prefix.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from toolkit.errors import ExportError
from toolkit.export import openpyxl_internals as internals
from toolkit.export.sheet_xml import render_rows, xml_size_bound
from toolkit.loading.table import column_letter
from toolkit.safe import MESSAGE_LIMIT, VALUE_LIMIT, visible
from toolkit.schema import Schema

MAX_ROWS = 1_048_576  # Excel's limit, header included
MAX_CELL_CHARS = 32_767
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START = r"^[=+\-@\t\r]"  # text Excel could take for a formula when it is retyped
TEXT_FORMAT = "@"
# the number formats openpyxl gives a date, a date and time, a time of day
_MOMENT_FORMATS: dict[type[pl.DataType], str] = {
    pl.Date: "yyyy-mm-dd",
    pl.Datetime: "yyyy-mm-dd h:mm:ss",
    pl.Time: "h:mm:ss",
}
LINE_HEIGHT = 15.0  # points: one line of the default font (Calibri 11)
MAX_ROW_HEIGHT = 409.0  # points: Excel's limit
WARNING, ERROR = 1, 2  # highlight levels

_BOLD = Font(bold=True)
_LINK = Font(color="0563C1", underline="single")
_WRAP = Alignment(wrap_text=True, vertical="top")
_FILLS = {
    WARNING: PatternFill("solid", fgColor="FFEB9C"),
    ERROR: PatternFill("solid", fgColor="FFC7CE"),
}


@dataclass(frozen=True)
class Issue:
    """One finding as the workbook shows it."""

    severity: str
    rule: str
    column: str | None
    row: int | None
    line: int | None
    message: str
    hint: str | None
    where: str  # the cell of the data sheet (`events!Q12`), or where else the finding is
    cell: str | None = None  # its coordinate in the data sheet (`Q12`), to link to
    position: int | None = None  # 0-based row of the data sheet (None: the header)


def _text_name(name: str) -> str:
    """The column holding what a typed column's cell shows as text (a value that did not parse)."""
    return f"__text.{name}"


def _level_name(name: str) -> str:
    return f"__level.{name}"


def _style_name(name: str) -> str:
    return f"__style.{name}"


def cell_values(frame: pl.DataFrame, schema: Schema) -> pl.DataFrame:
    """What each data cell holds, as each column's kind says: text, or a number, date or time.

    A value the kind cannot turn into its cell (a date that does not parse, `2,5OO` in a
    count) is shown as typed, as text: for a text cell in place of the cell, for a typed
    column in `__text.<name>` beside it (only when the column has such a value).
    """
    lazy = frame.lazy()
    typed = lazy.select(c.cell().alias(c.name) for c in schema.columns).collect_schema()
    unparsed = (
        lazy.select(
            (c.cell().is_null() & c.value.is_not_null()).any().alias(c.name) for c in schema.columns
        )
        .collect()
        .row(0, named=True)
    )
    exprs: list[pl.Expr] = []
    for c in schema.columns:
        if not unparsed[c.name]:
            exprs.append(c.cell().alias(c.name))  # the column as it is: often no copy at all
        elif typed[c.name] == pl.String:
            exprs.append(pl.coalesce(c.cell(), c.value).alias(c.name))
        else:
            exprs.append(c.cell().alias(c.name))
            exprs.append(pl.when(c.cell().is_null()).then(c.value).alias(_text_name(c.name)))
    return lazy.select(exprs).collect()


def _text_columns(values: pl.DataFrame) -> list[str]:
    return [name for name, dtype in values.schema.items() if dtype == pl.String]


def check_limits(values: pl.DataFrame, rows: pl.Series, rejected: pl.Series | None = None) -> None:
    """Refuse what Excel cannot hold, naming the row, before anything is written.

    Rows in `rejected` are not refused for a long cell: `fit_cells` cuts it."""
    if values.height + 1 > MAX_ROWS:
        raise ExportError(
            f"the table has {values.height:,} rows; an Excel sheet holds {MAX_ROWS - 1:,} data rows "
            f"(row {MAX_ROWS} and later would be lost); export csv or parquet instead"
        )
    for name in _text_columns(values):
        too_long = values.get_column(name).str.len_chars() > MAX_CELL_CHARS
        if rejected is not None:
            too_long = too_long & ~rejected
        if too_long.any():
            first = int(rows.filter(too_long)[0])
            length = int(values.get_column(name).filter(too_long).str.len_chars()[0])
            raise ExportError(
                f"row {first}, column {name.removeprefix('__text.')}: {length:,} "
                f"characters; an Excel cell holds at most {MAX_CELL_CHARS:,}"
            )


# Ends a cell cut to fit. Its control character keeps the cut value from passing validation
# when the workbook comes back: the editor must put the whole value back or shorten it.
CUT_MARK = "\x1a[cut: {length} characters do not fit in a cell; the whole value is in {where}]"


def fit_cells(values: pl.DataFrame, where: str) -> pl.DataFrame:
    """Cut text longer than a cell holds (only rows with errors can have it: `check_limits`)."""
    room = MAX_CELL_CHARS - len(CUT_MARK.format(length="9" * 12, where=where))
    before, after = CUT_MARK.format(length="\x00", where=where).split("\x00")
    return values.with_columns(
        pl.when(pl.col(name).str.len_chars() > MAX_CELL_CHARS)
        .then(
            pl.concat_str(
                [
                    pl.col(name).str.slice(0, room),
                    pl.lit(before),
                    pl.col(name).str.len_chars().cast(pl.String),
                    pl.lit(after),
                ]
            )
        )
        .otherwise(pl.col(name))
        .alias(name)
        for name in _text_columns(values)
        if (values.get_column(name).str.len_chars() > MAX_CELL_CHARS).any()
    )


# OOXML stores some characters as `_xHHHH_`; a literal `_xHHHH_` must itself be escaped as
# `_x005F_xHHHH_`, and a carriage return as `_x000D_` (XML would turn it into a line feed).
_OOXML_ESCAPE = r"_(x[0-9A-Fa-f]{4}_)"


def excel_text(column: pl.Expr) -> pl.Expr:
    """Text as it must be stored in a workbook to read back unchanged."""
    return column.str.replace_all(_OOXML_ESCAPE, "_x005F_$1").str.replace_all(
        "\r", "_x000D_", literal=True
    )


def _stored(values: pl.DataFrame) -> pl.DataFrame:
    """`values` with its text as stored (`excel_text`); columns that need no escape are kept
    as they are, not copied (a million rows of text are hundreds of megabytes)."""
    texts = _text_columns(values)
    if not texts:
        return values
    needs = values.select(pl.col(n).str.contains(r"_x[0-9A-Fa-f]{4}_|\r").any() for n in texts)
    return values.with_columns(
        excel_text(pl.col(n)) for n, escape in needs.row(0, named=True).items() if escape
    )


def _ooxml(value: str) -> str:
    return re.sub(_OOXML_ESCAPE, r"_x005F_\1", value).replace("\r", "_x000D_")


def _display_text(value: str) -> str:
    """Schema text for the Codebook: characters XML cannot hold shown as \\xHH."""
    return _ooxml(ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value))


def _shown(value: str, limit: int = MESSAGE_LIMIT) -> str:
    """A message, hint or name on the Issues sheet or in a comment: on one line, control
    characters escaped, bounded (as everywhere the toolkit shows them)."""
    return _ooxml(visible(value, limit))


def _sheet_ref(title: str, cell: str) -> str:
    """An internal link's location: `'events'!Q12` (quotes in the title doubled)."""
    return "'" + title.replace("'", "''") + "'!" + cell


def _text_cell(ws: Worksheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    cell.quotePrefix = True
    return cell


def _header(ws: Worksheet, names: Iterable[str]) -> list[WriteOnlyCell]:
    cells = []
    for name in names:
        cell = _text_cell(ws, name)
        cell.font = _BOLD
        cells.append(cell)
    return cells


def _moment_format(dtype: pl.DataType) -> str | None:
    return next((f for t, f in _MOMENT_FORMATS.items() if isinstance(dtype, t)), None)


def _width(values: pl.DataFrame, name: str) -> float:
    column = values.get_column(name)
    moment = _moment_format(column.dtype)
    if column.dtype == pl.String and column.str.contains("\n", literal=True).any():
        longest = column.str.split("\n").list.eval(pl.element().str.len_chars()).list.max().max()
    elif column.dtype == pl.String:
        longest = column.str.len_chars().max()
    elif moment:
        longest = len(moment)
    else:
        longest = column.cast(pl.String).str.len_chars().max()
    if _text_name(name) in values.columns:  # values shown as typed
        shown = values.get_column(_text_name(name)).str.len_chars().max()
        longest = max(int(longest or 0), int(shown or 0))  # type: ignore[arg-type]
    longest = max(int(longest or 0), len(name))  # type: ignore[arg-type]
    return float(min(max(longest + 2, 8), 60))


def _heights(values: pl.DataFrame, widths: Mapping[str, float]) -> pl.Series | None:
    """Row heights in points for rows with line breaks (null: the default height): each
    multi-line cell wraps, and needs a line per line break plus the lines its column's
    width folds long lines into."""
    texts = _text_columns(values)
    breaks = values.select(
        pl.any_horizontal(pl.col(n).str.contains("\n", literal=True) for n in texts)
        if texts
        else pl.lit(False)
    ).to_series()
    at = breaks.fill_null(False).arg_true()
    if at.is_empty():
        return None
    tall = values.select(texts)[at]
    lines = [
        pl.col(n)
        .str.split("\n")
        .list.eval(
            (pl.element().str.len_chars() / max(widths[n.removeprefix("__text.")] - 1, 1))
            .ceil()
            .clip(1)
        )
        .list.sum()
        .fill_null(1)
        for n in texts
    ]
    height = tall.select((pl.max_horizontal(lines) * LINE_HEIGHT).clip(upper_bound=MAX_ROW_HEIGHT))
    empty = pl.Series("__height", [None] * values.height, dtype=pl.Float64)
    return empty.scatter(at, height.to_series().cast(pl.Float64))


def _dropdown(
    spec_values: tuple[str, ...], column: str, letter: str, required: bool
) -> DataValidation:
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(spec_values) + '"',
        allow_blank=not required,
        showErrorMessage=True,
        errorTitle=f"Not an allowed {column}",
        error=f"Choose one of: {', '.join(spec_values)}",
    )
    dv.add(f"{letter}2:{letter}{MAX_ROWS}")
    return dv


class _Styles:
    """Style indexes of the data cells, registered with the workbook as openpyxl would."""

    def __init__(self, ws: Worksheet) -> None:
        self._ws = ws
        self._ids: dict[tuple[str | None, bool, bool, int], int] = {}

    def id(
        self, number_format: str | None, *, quote: bool = False, wrap: bool = False, level: int = 0
    ) -> int:
        key = (number_format, quote, wrap, level)
        if key not in self._ids:
            cell = WriteOnlyCell(self._ws)
            if number_format:
                cell.number_format = number_format
            cell.quotePrefix = quote
            if wrap:
                cell.alignment = _WRAP
            if level:
                cell.fill = _FILLS[level]
            self._ids[key] = internals.style_index(cell)
        return self._ids[key]


# What a cell holds, for its style: nothing, text (plain, formula-looking, on several lines),
# or a typed value.
_EMPTY, _PLAIN, _FORMULA_LIKE, _LINES, _TYPED = range(5)


def _content(text: pl.Expr) -> pl.Expr:
    return (
        pl.when(text.is_null() | (text == ""))
        .then(pl.lit(_EMPTY))
        .when(text.str.contains("\n", literal=True))
        .then(pl.lit(_LINES))
        .when(text.str.contains(_FORMULA_START))
        .then(pl.lit(_FORMULA_LIKE))
        .otherwise(pl.lit(_PLAIN))
    )


def _cell_style(
    values: pl.DataFrame, name: str, text_like: bool, styles: _Styles, levels: bool
) -> pl.Expr:
    """The style of each cell of a column: its number format (Text for a text-like column
    and for values shown as typed, a date format for dates), the quote prefix on text Excel
    could take for a formula, wrapping for several lines, the fill of its findings."""
    dtype = values.schema[name]
    if dtype == pl.String:
        content = _content(pl.col(name))
        text_format = TEXT_FORMAT if text_like else None
    else:
        content = pl.when(pl.col(name).is_not_null()).then(pl.lit(_TYPED))
        if _text_name(name) in values.columns:
            content = content.otherwise(_content(pl.col(_text_name(name))))
        else:
            content = content.otherwise(pl.lit(_EMPTY))
        text_format = TEXT_FORMAT
    typed_format = _moment_format(dtype)
    # an empty cell keeps its column's format, so what is typed into it is read the same way
    column_format = (TEXT_FORMAT if text_like else None) if dtype == pl.String else typed_format
    level = pl.col(_level_name(name)) if levels else pl.lit(0)
    mapping: dict[int, int] = {}
    for kind in range(5):
        for lvl in (0, WARNING, ERROR) if levels else (0,):
            if kind == _EMPTY:
                if not lvl:
                    continue  # no element: the column's format applies
                fmt, quote, wrap = column_format, False, False
            elif kind == _TYPED:
                fmt, quote, wrap = typed_format, False, False
            else:
                fmt, quote, wrap = text_format, kind != _PLAIN, kind == _LINES
            if fmt is None and not quote and not wrap and not lvl:
                continue  # the default style
            mapping[kind * 3 + lvl] = styles.id(fmt, quote=quote, wrap=wrap, level=lvl)
    code = content.cast(pl.Int32) * 3 + level.cast(pl.Int32)
    return code.replace_strict(mapping, default=None, return_dtype=pl.UInt32)


def _marks(issues: list[Issue], names: list[str]) -> dict[tuple[int, str], list[int]]:
    """The listed issues of each data cell (row position, column), as indexes into `issues`."""
    marks: dict[tuple[int, str], list[int]] = {}
    for i, x in enumerate(issues):
        if x.position is not None:
            marks.setdefault((x.position, x.column if x.column in names else names[0]), []).append(
                i
            )
    return marks


def _filled(values: pl.DataFrame, name: str, rows: list[int]) -> list[bool]:
    """Whether each of the cells (0-based `rows` of column `name`) holds a value."""
    at = pl.Series(rows, dtype=pl.UInt32)
    filled = values.get_column(name).gather(at).is_not_null()
    if values.schema[name] == pl.String:
        filled = filled & (values.get_column(name).gather(at) != "").fill_null(False)
    if _text_name(name) in values.columns:
        filled = filled | values.get_column(_text_name(name)).gather(at).is_not_null()
    return filled.to_list()


def _comments_and_links(
    ws: Worksheet, values: pl.DataFrame, names: list[str], issues: list[Issue], issues_title: str
) -> None:
    """Each marked cell gets its findings as a comment and, when it holds a value, a link to
    its first row on the Issues sheet (an empty cell with a link reads back as the link in
    some programs). The rows are not openpyxl cells, so both are handed to the sheet's
    writer."""
    column = {name: i for i, name in enumerate(names, start=1)}
    marks = _marks(issues, names)
    cells = sorted(marks, key=lambda k: (k[0], column[k[1]]))
    filled: dict[tuple[int, str], bool] = {}
    for name in names:
        rows = [r for r, n in cells if n == name]
        if rows:
            filled.update(zip(((r, name) for r in rows), _filled(values, name, rows), strict=True))
    for r, name in cells:
        listed = [issues[i] for i in marks[(r, name)]]
        text = "\n".join(f"{x.severity}: {_shown(x.message)} [{x.rule}]" for x in listed)
        internals.add_comment(ws, r + 2, column[name], text[:MAX_CELL_CHARS], "toolkit")
        if filled[(r, name)]:
            internals.add_link(
                ws,
                f"{column_letter(column[name])}{r + 2}",
                _sheet_ref(issues_title, f"F{marks[(r, name)][0] + 2}"),
                tooltip=_shown(f"{listed[0].severity}: {listed[0].message}", VALUE_LIMIT),
            )


def _data_sheet(
    wb: Workbook,
    title: str,
    values: pl.DataFrame,
    schema: Schema,
    levels: Mapping[str, pl.Series],
    issues: list[Issue],
) -> tuple[Worksheet, Iterator[bytes]]:
    """The data sheet with its header; its rows come back rendered, to splice in on save."""
    ws = wb.create_sheet(title)
    names = list(schema.names)
    values = _stored(values)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{column_letter(len(names))}{values.height + 1}"
    widths = {name: _width(values, name) for name in names}
    styles = _Styles(ws)
    for i, column in enumerate(schema.columns, start=1):
        dim = ws.column_dimensions[column_letter(i)]
        dim.width = widths[column.name]
        # the whole column, empty rows below the data included: what an editor types there
        # is taken as the column's kind would have it
        fmt = TEXT_FORMAT if column.text_cells else _moment_format(values.schema[column.name])
        if fmt:
            dim.number_format = fmt
        choices = column.choices()
        if choices and len(",".join(choices)) <= 250:
            ws.data_validations.append(
                _dropdown(choices, column.name, column_letter(i), bool(column.required))
            )
    ws.append(_header(ws, names))
    if issues:
        _comments_and_links(ws, values, names, issues, "Issues")
    values = values.with_columns(
        level.alias(_level_name(name)) for name, level in levels.items() if name in names
    )
    # computed once over the whole column: inside each block's render it costs 2.5 times
    # the rest of the render
    values = values.with_columns(
        _cell_style(values, c.name, c.text_cells, styles, c.name in levels).alias(
            _style_name(c.name)
        )
        for c in schema.columns
    )
    cell_styles = {name: pl.col(_style_name(name)) for name in names}
    heights = _heights(values, widths)
    texts = {n: _text_name(n) for n in names if _text_name(n) in values.columns}
    if heights is not None:
        values = values.with_columns(heights)
    rows = render_rows(
        values,
        cell_styles,
        columns=names,
        texts=texts,
        height="__height" if heights is not None else None,
    )
    return ws, rows


def _codebook(wb: Workbook, schema: Schema) -> None:
    """The codebook: the facts `toolkit describe` prints, one row per column, then the rules."""
    from toolkit.schema.codebook import HEADINGS, column_entries, rule_entries

    ws = wb.create_sheet("Codebook")
    ws.freeze_panes = "A2"
    widths = (18, 12, 9, 7, 40, 30, 16, 20, 14, 80)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[column_letter(i)].width = width
    ws.append(_header(ws, HEADINGS))
    for entry in column_entries(schema):
        ws.append([_text_cell(ws, _display_text(v)) for v in entry.cells()])
    ws.append([])
    rules = rule_entries(schema)
    if rules:
        ws.append(_header(ws, ["rule", "across columns"]))
        for rule_id, words in rules:
            ws.append([_text_cell(ws, rule_id), _text_cell(ws, _display_text(words))])
        ws.append([])
    ws.append([_text_cell(ws, f"Schema {schema.name} {schema.version}: {schema.description}")])


def _issues_sheet(wb: Workbook, issues: list[Issue], data_title: str) -> None:
    """One row per listed finding; its `where` cell links to the cell in the data sheet."""
    ws = wb.create_sheet("Issues")
    ws.freeze_panes = "A2"
    headers = ["severity", "rule", "column", "row", "line", "where", "message", "hint"]
    for letter, width in zip("ABCDEFGH", (9, 26, 14, 7, 7, 28, 70, 50), strict=True):
        ws.column_dimensions[letter].width = width
    ws.auto_filter.ref = f"A1:H{len(issues) + 1}"
    ws.append(_header(ws, headers))
    for x in issues:
        where = _text_cell(ws, _shown(x.where))
        if x.cell is not None:
            where.hyperlink = Hyperlink(ref="", location=_sheet_ref(data_title, x.cell))
            where.font = _LINK
        ws.append(
            [
                _text_cell(ws, x.severity),
                _text_cell(ws, x.rule),
                _text_cell(ws, _shown(x.column or "", VALUE_LIMIT)),
                x.row,
                x.line,
                where,
                _text_cell(ws, _shown(x.message)),
                _text_cell(ws, _shown(x.hint or "")),
            ]
        )


def write_xlsx(
    values: pl.DataFrame,
    schema: Schema,
    path: Path,
    *,
    issues: list[Issue],
    levels: Mapping[str, pl.Series] | None = None,
) -> None:
    """Write the workbook from `cell_values`.

    `levels` gives, per column, each row's highlight (0 none, 1 warning, 2 error); issues
    with a `position` are commented on their cell and listed on the Issues sheet.
    """
    internals.check_supported()
    wb = Workbook(write_only=True)
    title = schema.name[:31]
    try:
        ws, rows = _data_sheet(wb, title, values, schema, levels or {}, issues)
        _codebook(wb, schema)
        if issues:
            _issues_sheet(wb, issues, title)
        book = io.BytesIO()
        wb.save(book)
        dimension = f"A1:{column_letter(len(schema.names))}{values.height + 1}"
        with path.open("wb") as out:
            internals.splice_rows(
                book.getvalue(),
                ws,
                rows,
                out,
                dimension=dimension,
                size_bound=xml_size_bound(values),
            )
    except BaseException as exc:
        _abandon(wb, exc)
        interrupt = _interrupt(exc)
        if interrupt is not None and interrupt is not exc:
            raise interrupt from None  # Ctrl-C, not the zip error it caused on the way out
        raise


def _abandon(wb: Workbook, exc: BaseException) -> None:
    """Close what a failed write left open: the write-only sheets' temporary files, and the
    zip archives (openpyxl's, the spliced copy's) that an interrupt left with a member half
    written. zipfile would refuse to close those later, when they are collected, and print
    `Exception ignored … Can't close the ZIP file` tracebacks; the file is discarded anyway."""
    for ws in wb.worksheets:
        with contextlib.suppress(Exception):
            ws.close()
    for archive in _open_archives(exc):
        archive._writing = False  # type: ignore[attr-defined]  # the member is abandoned
        with contextlib.suppress(Exception):
            archive.close()


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and the exceptions it was raised while handling."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__context__


def _interrupt(exc: BaseException) -> KeyboardInterrupt | None:
    """The interrupt (Ctrl-C, or a signal the command turns into one) behind `exc`, if any."""
    return next((e for e in _chain(exc) if isinstance(e, KeyboardInterrupt)), None)


def _open_archives(exc: BaseException) -> list[zipfile.ZipFile]:
    """The zip archives still open for writing in the frames `exc` and its causes unwound."""
    found: dict[int, zipfile.ZipFile] = {}
    for e in _chain(exc):
        tb = e.__traceback__
        while tb is not None:
            for value in tb.tb_frame.f_locals.values():
                if (
                    isinstance(value, zipfile.ZipFile)
                    and value.fp is not None
                    and value.mode != "r"
                ):
                    found[id(value)] = value
            tb = tb.tb_next
    return list(found.values())
