"""The data sheet's rows as SpreadsheetML, rendered column by column with polars.

openpyxl builds an object and an XML element for every cell: about 8 µs a cell, so 100,000
events (1.9M cells) take 15 s. The rows of the data sheet are plain: inline text, numbers,
dates as serial numbers, and a style index on the few cells that need one. Rendering them
with polars string expressions takes well under a second; openpyxl still writes everything
else in the workbook (header, widths, filter, dropdowns, comments, styles, other sheets),
and `splice_rows` puts the rendered rows into the sheet openpyxl wrote.

The cells are what openpyxl itself writes for the same values (`t="inlineStr"` text with
`xml:space="preserve"` where whitespace would be lost, `t="n"` numbers, dates as serial
numbers with a date style). Checked cell by cell against openpyxl's own writer on 100,000
rows (values, types, number formats, fills, quote prefixes, wraps); openpyxl, calamine and
LibreOffice read the files back the same.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Mapping
from datetime import date

import polars as pl

_EPOCH = date(1899, 12, 30)  # Excel's day 0 (Windows epoch)
# characters XML 1.0 cannot hold; OOXML stores them as _xHHHH_ (as Excel does)
_XML_ILLEGAL = [c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)]
_XML_ILLEGAL_RE = "[" + "".join(f"\\x{c:02x}" for c in _XML_ILLEGAL) + "]"
BLOCK_ROWS = 5_000  # rows rendered at a time: 5,000 rows of XML need about 60 MB while built


def _xml_text(text: pl.Expr, has_illegal: bool) -> pl.Expr:
    out = (
        text.str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
    )
    if has_illegal:
        for c in _XML_ILLEGAL:
            out = out.str.replace_all(chr(c), f"_x{c:04X}_", literal=True)
    return out


def _serial(day: pl.Expr) -> pl.Expr:
    """Excel's serial day number, with openpyxl's shift for its phantom 29 February 1900."""
    days = (day - pl.lit(_EPOCH)).dt.total_days()
    return pl.when((days > 0) & (days <= 60)).then(days - 1).otherwise(days)


_DAY_US = 86_400_000_000


def _serial_moment(moment: pl.Expr) -> pl.Expr:
    """Excel's serial number of a date and time: the day's serial plus the fraction of a day."""
    day = _serial(moment.dt.date())
    since_midnight = (moment - moment.dt.truncate("1d")).dt.total_microseconds()
    return day.cast(pl.Float64) + since_midnight / _DAY_US


def _day_fraction(clock: pl.Expr) -> pl.Expr:
    """Excel's number for a time of day: the fraction of the day gone."""
    return clock.cast(pl.Int64) / (_DAY_US * 1000)


def _number(value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.Date:
        return _serial(value)
    if isinstance(dtype, pl.Datetime):
        return _serial_moment(value)
    if dtype == pl.Time:
        return _day_fraction(value)
    return value


def _cell(letter: str, row: pl.Expr, value: pl.Expr, style: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """One column's `<c>` elements; null where the cell is empty and unstyled."""
    attrs = pl.concat_str(
        [
            pl.lit(f'<c r="{letter}'),
            row,
            pl.lit('"'),
            pl.concat_str([pl.lit(' s="'), style.cast(pl.String), pl.lit('"')]).fill_null(""),
        ]
    )
    if dtype == pl.String:
        preserve = (
            pl.when(value.str.strip_chars() != value)
            .then(pl.lit(' xml:space="preserve"'))
            .otherwise(pl.lit(""))
        )
        body = pl.concat_str(
            [pl.lit(' t="inlineStr"><is><t'), preserve, pl.lit(">"), value, pl.lit("</t></is></c>")]
        )
        present = value.is_not_null() & (value != "")
    else:
        number = _number(value, dtype)
        body = pl.concat_str([pl.lit(' t="n"><v>'), number.cast(pl.String), pl.lit("</v></c>")])
        present = value.is_not_null()
    return (
        pl.when(present)
        .then(pl.concat_str([attrs, body]))
        .when(style.is_not_null())
        .then(pl.concat_str([attrs, pl.lit("/>")]))
    )


def render_rows(
    values: pl.DataFrame,
    styles: Mapping[str, pl.Expr],
    *,
    first_row: int = 2,
    block_rows: int = BLOCK_ROWS,
) -> Iterator[bytes]:
    """`<row>` elements for `values`, a block of rows at a time, as UTF-8 bytes.

    `styles` gives, per column, an expression for each cell's style index (null: none); it
    may use the column `__position` (0-based row of `values`). String values must already
    be escaped for OOXML (`excel_text`); XML escaping happens here.
    """
    from toolkit.loading.table import column_letter

    illegal = {
        name
        for name, dtype in values.schema.items()
        if dtype == pl.String and values.get_column(name).str.contains(_XML_ILLEGAL_RE).any()
    }
    row = pl.col("__row_number")
    cells = []
    for i, (name, dtype) in enumerate(values.schema.items(), start=1):
        value = _xml_text(pl.col(name), name in illegal) if dtype == pl.String else pl.col(name)
        style = styles.get(name, pl.lit(None, pl.UInt32))
        cells.append(_cell(column_letter(i), row, value, style, dtype))
    xml = pl.concat_str(
        [pl.lit('<row r="'), row, pl.lit('">'), *cells, pl.lit("</row>")], ignore_nulls=True
    )
    numbered = values.with_row_index("__position").with_columns(
        (pl.col("__position").cast(pl.Int64) + first_row).cast(pl.String).alias("__row_number")
    )
    for start in range(0, values.height, block_rows):
        block = numbered.slice(start, block_rows).lazy().select(xml.str.join("")).collect()
        yield block.item().encode("utf-8")


def xml_size_bound(values: pl.DataFrame) -> int:
    """More bytes than `render_rows` can write for `values` (escapes grow text up to 7 times)."""
    return int(7 * values.estimated_size()) + 96 * values.height * max(values.width, 1)


def splice_rows(
    workbook: bytes,
    sheet: str,
    rows: Iterator[bytes],
    out: io.BufferedIOBase,
    *,
    dimension: str,
    size_bound: int = 0,
) -> None:
    """Copy the workbook zip `workbook` to `out`, adding `rows` at the end of `sheet`'s data.

    `sheet` is the zip member of the worksheet (e.g. `xl/worksheets/sheet1.xml`), which holds
    only its header row; `dimension` (e.g. `A1:S101`) becomes its dimension record, which
    openpyxl's write-only mode leaves out. The member gets ZIP64 records only when
    `size_bound` says it may pass 4 GiB: Excel is known to reject ZIP64 records it does not
    need.
    """
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename != sheet:
                target.writestr(info, data)
                continue
            text = data.decode("utf-8")
            head, end, tail = text.partition("</sheetData>")
            if not end:
                raise RuntimeError(f"{sheet}: no sheetData to add rows to")
            head = head.replace("<sheetViews>", f'<dimension ref="{dimension}" /><sheetViews>', 1)
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            zip64 = size_bound >= 0xFFFF_FFFF
            with target.open(member, "w", force_zip64=zip64) as stream:
                stream.write(head.encode("utf-8"))
                for block in rows:
                    stream.write(block)
                stream.write((end + tail).encode("utf-8"))
