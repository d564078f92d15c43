"""The data sheet's rows as SpreadsheetML, rendered column by column with polars.

openpyxl builds an object and an XML element for every cell: about 8 µs a cell, so 100,000
events (1.9M cells) take 15 s. The rows of the data sheet are plain: inline text, numbers,
dates as serial numbers, a style index per cell and a height on the rows with line breaks.
Rendering them with polars string expressions takes about 2 s; openpyxl still writes everything
else in the workbook (header, widths, filter, dropdowns, comments, styles, other sheets),
and `openpyxl_internals.splice_rows` puts the rendered rows into the sheet openpyxl wrote.

The cells are what openpyxl itself writes for the same values (`t="inlineStr"` text with
`xml:space="preserve"` where whitespace would be lost, `t="n"` numbers, dates as serial
numbers with a date style). Checked cell by cell against openpyxl's own writer on 100,000
rows (values, types, number formats, fills, quote prefixes, wraps); openpyxl, calamine and
LibreOffice read the files back the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any, cast

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


def _text_body(value: pl.Expr) -> pl.Expr:
    preserve = (
        pl.when(value.str.contains(r"^\s|\s$"))
        .then(pl.lit(' xml:space="preserve"'))
        .otherwise(pl.lit(""))
    )
    return pl.concat_str(
        [pl.lit(' t="inlineStr"><is><t'), preserve, pl.lit(">"), value, pl.lit("</t></is></c>")]
    )


def _cell(
    letter: str,
    row: pl.Expr,
    value: pl.Expr,
    style: pl.Expr,
    dtype: pl.DataType,
    text: pl.Expr | None = None,
) -> pl.Expr:
    """One column's `<c>` elements; null where the cell is empty and unstyled. A typed column
    may have `text`: what a cell holds as text where it has no typed value."""
    attrs = pl.concat_str(
        [
            pl.lit(f'<c r="{letter}'),
            row,
            pl.lit('"'),
            pl.concat_str([pl.lit(' s="'), style.cast(pl.String), pl.lit('"')]).fill_null(""),
        ]
    )
    cases: list[tuple[pl.Expr, pl.Expr]] = []
    if dtype == pl.String:
        cases.append(
            (value.is_not_null() & (value != ""), pl.concat_str([attrs, _text_body(value)]))
        )
    else:
        number = _number(value, dtype)
        body = pl.concat_str([pl.lit(' t="n"><v>'), number.cast(pl.String), pl.lit("</v></c>")])
        cases.append((value.is_not_null(), pl.concat_str([attrs, body])))
        if text is not None:
            cases.append(
                (text.is_not_null() & (text != ""), pl.concat_str([attrs, _text_body(text)]))
            )
    cases.append((style.is_not_null(), pl.concat_str([attrs, pl.lit("/>")])))
    chain: Any = pl
    for condition, element in cases:
        chain = chain.when(condition).then(element)
    return cast(pl.Expr, chain)


def render_rows(
    values: pl.DataFrame,
    styles: Mapping[str, pl.Expr],
    *,
    columns: Sequence[str] | None = None,
    texts: Mapping[str, str] | None = None,
    height: str | None = None,
    first_row: int = 2,
    block_rows: int = BLOCK_ROWS,
) -> Iterator[bytes]:
    """`<row>` elements for `values`, a block of rows at a time, as UTF-8 bytes.

    `columns` are the sheet's columns, A onwards (default: every column of `values`).
    `styles` gives, per column, an expression for each cell's style index (null: none); it
    may use the column `__position` (0-based row of `values`). It is evaluated for each
    block: an expression that costs more than reading a column is best computed beforehand
    into a column of `values`. `texts` names, for a typed
    column, the String column of `values` holding what its cell shows as text where it has
    no typed value (a value that did not parse). `height` names a column of row heights in
    points (null: the default height). String values must already be escaped for OOXML
    (`excel_text`); XML escaping happens here.
    """
    from toolkit.loading.table import column_letter

    texts = dict(texts or {})
    names = list(columns) if columns is not None else list(values.columns)
    schema = values.schema
    text_names = [n for n in [*names, *texts.values()] if schema[n] == pl.String]
    illegal = {
        name for name in text_names if values.get_column(name).str.contains(_XML_ILLEGAL_RE).any()
    }

    def escaped(name: str) -> pl.Expr:
        return _xml_text(pl.col(name), name in illegal)

    row = pl.col("__row_number")
    cells = []
    for i, name in enumerate(names, start=1):
        dtype = schema[name]
        value = escaped(name) if dtype == pl.String else pl.col(name)
        style = styles.get(name, pl.lit(None, pl.UInt32))
        text = escaped(texts[name]) if name in texts else None
        cells.append(_cell(column_letter(i), row, value, style, dtype, text))
    opening = [pl.lit('<row r="'), row]
    if height is not None:
        opening.append(
            pl.concat_str(
                [pl.lit('" ht="'), pl.col(height).cast(pl.String), pl.lit('" customHeight="1')]
            ).fill_null("")
        )
    xml = pl.concat_str([*opening, pl.lit('">'), *cells, pl.lit("</row>")], ignore_nulls=True)
    numbered = values.with_row_index("__position").with_columns(
        (pl.col("__position").cast(pl.Int64) + first_row).cast(pl.String).alias("__row_number")
    )
    for start in range(0, values.height, block_rows):
        block = numbered.slice(start, block_rows).lazy().select(xml.str.join("")).collect()
        yield block.item().encode("utf-8")


def xml_size_bound(values: pl.DataFrame) -> int:
    """More bytes than `render_rows` can write for `values` (escapes grow text up to 7 times)."""
    return int(7 * values.estimated_size()) + 96 * values.height * max(values.width, 1)
