"""CSV reader: polars reads the cells as text, numpy finds where each record starts.

Quoted fields may hold line breaks, so "data row + 1" is not the physical line. The record
layout comes from one vectorised pass over the bytes: a newline ends a record only when an
even number of quote characters precedes it (escaped quotes `""` come in pairs and keep the
parity).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from toolkit.errors import InputError
from toolkit.loading.source import read_source
from toolkit.loading.table import (
    EXTRA,
    MAX_CELL_BYTES,
    MAX_COLUMNS,
    ROW,
    Table,
    cell_too_large,
    huge_cell,
    make_table,
    too_wide,
)

_QUOTE = ord('"')
_NEWLINE = ord("\n")
_CR = ord("\r")

# The header is parsed by Python's csv module from this much of the file; a longer header
# is refused rather than read cut short (a million-column first line is not a table).
MAX_HEADER_BYTES = 1 << 20


@dataclass(frozen=True)
class _Layout:
    """Where each record (header included) starts and ends, and how many fields it has."""

    start: np.ndarray  # first byte
    end: np.ndarray  # byte after the last one, excluding the line break
    line: np.ndarray  # physical line (1-based) where the record starts
    fields: np.ndarray  # number of fields


def _line_at(buf: np.ndarray, offset: int) -> int:
    return int(np.count_nonzero(buf[:offset] == _NEWLINE)) + 1


def _count_bytes(buf: np.ndarray, *values: int) -> list[int]:
    """How often each byte value occurs, counted in cache-sized blocks.

    One `buf == value` over a whole file allocates a mask as large as the file; blocks of
    256 KiB stay in cache and make counting two values at 1M rows 0.04 s instead of 0.66 s.
    """
    totals = [0] * len(values)
    step = 1 << 18
    for start in range(0, buf.size, step):
        block = buf[start : start + step]
        for i, value in enumerate(values):
            totals[i] += int(np.count_nonzero(block == value))
    return totals


def _layout(path: Path, data: bytes, delimiter: int) -> _Layout:
    buf = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(buf == _NEWLINE)
    quotes = np.flatnonzero(buf == _QUOTE)
    if quotes.size % 2:
        opening = _line_at(buf, int(quotes[-1]))
        raise InputError(
            f"{path}: line {opening}: a quoted field is never closed (unbalanced '\"')"
        )
    if quotes.size:
        outside = (np.searchsorted(quotes, newlines) & 1) == 0
        ends_at = np.flatnonzero(outside)
    else:
        ends_at = np.arange(newlines.size)
    breaks = newlines[ends_at]
    start = np.concatenate(([0], breaks + 1))
    end = np.concatenate((breaks, [buf.size]))
    line = np.concatenate(([1], ends_at + 2))
    if start[-1] >= buf.size:  # the file ends with a line break: no record after it
        start, end, line = start[:-1], end[:-1], line[:-1]
    # a CRLF record ends before its CR
    has_cr = (end > start) & (buf[np.maximum(end - 1, 0)] == _CR)
    end = end - has_cr
    # fields = delimiters in the record - delimiters inside its quoted spans + 1; both
    # counts come from binary searches into the sorted delimiter positions
    delims = np.flatnonzero(buf == delimiter)
    before_start = np.searchsorted(delims, start)
    per_record = np.diff(np.append(before_start, delims.size))
    if quotes.size:
        before_quote = np.searchsorted(delims, quotes)
        inside = before_quote[1::2] - before_quote[0::2]
        owner = np.searchsorted(start, quotes[0::2], side="right") - 1
        per_record = per_record - np.bincount(owner, weights=inside, minlength=start.size).astype(
            np.int64
        )
    fields = per_record + 1
    return _Layout(start=start, end=end, line=line, fields=fields)


def _decode(path: Path, data: bytes, encoding: str) -> bytes:
    """Return UTF-8 bytes without BOM, or raise an InputError naming the bad line."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path}: starts like UTF-16 but does not decode ({exc.reason})"
            ) from exc
    normalized = _codec(encoding)
    if not _wide_codec(normalized):
        nul = data.find(b"\x00")
        if nul >= 0:
            line = data.count(b"\n", 0, nul) + 1
            raise InputError(
                f"{path}: line {line} contains a NUL byte; this is not a text CSV file "
                "(a binary file, or UTF-16 without a byte-order mark?)"
            )
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :]
    if normalized != "utf-8":
        try:
            return data.decode(normalized).encode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise InputError(f"{path}: line {line} is not valid {encoding}") from exc
    return data


def _codec(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError as exc:
        raise InputError(f"unknown encoding {encoding!r} (try utf-8 or cp1252)") from exc


def _wide_codec(name: str) -> bool:
    """Whether text in this encoding holds NUL bytes (UTF-16, UTF-32)."""
    return name.startswith(("utf-16", "utf-32"))


def _stop_at_nul(encoding: str) -> Callable[[bytes], bool] | None:
    """For a stream: stop reading at the first chunk holding a NUL byte, which `_decode`
    then refuses, so `/dev/urandom` piped in is refused within one chunk, not at the limit."""
    if _wide_codec(_codec(encoding)):
        return None
    first = True
    utf16 = False

    def stop(chunk: bytes) -> bool:
        nonlocal first, utf16
        if first:
            utf16 = chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            first = False
        return not utf16 and b"\x00" in chunk

    return stop


def _utf8_error(path: Path, data: bytes) -> InputError:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return InputError(
            f"{path}: line {line} is not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
            "if it was saved by a spreadsheet, try --encoding cp1252"
        )
    return InputError(f"{path}: is not valid UTF-8")


def _header(path: Path, data: bytes, delimiter: str) -> tuple[list[str], int, int]:
    """The header fields, the physical line the header ends on, and its byte offset."""
    offset = 0
    while True:  # blank lines before the header carry no data
        nl = data.find(b"\n", offset)
        if nl < 0 or data[offset:nl].strip():
            break
        offset = nl + 1
    skipped = data.count(b"\n", 0, offset)
    prefix = data[offset : offset + MAX_HEADER_BYTES].decode("utf-8", errors="replace")
    text = io.StringIO(prefix)
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise _header_too_long(path) from exc
        raise InputError(
            f"{path}: the header cannot be read ({exc}); "
            "if the file has classic-Mac line endings (CR only), convert them to LF or CRLF"
        ) from exc
    ended = text.tell() < len(prefix) or prefix.endswith("\n")
    if not ended and len(data) - offset > MAX_HEADER_BYTES:
        raise _header_too_long(path)
    if len(header) > MAX_COLUMNS:
        raise too_wide(path, len(header))
    return header, skipped + reader.line_num, offset


def _refuse_long_lines(path: Path, data: bytes) -> None:
    """Refuse a line longer than MAX_CELL_BYTES before polars parses it (at 3x its size).

    Such a line holds a whole aligned block of half that size with no line break in it; a
    normal file has a break within a few hundred bytes of every block start, so this looks
    at a handful of bytes per 8 MiB.
    """
    block = MAX_CELL_BYTES // 2
    at = 0
    while at + block <= len(data):
        if data.find(b"\n", at, at + block) >= 0:
            at += block
            continue
        start = data.rfind(b"\n", 0, at) + 1
        end = data.find(b"\n", at + block)
        end = len(data) if end < 0 else end
        if end - start > MAX_CELL_BYTES:
            line = data.count(b"\n", 0, start) + 1
            raise InputError(
                f"{path}: refused: line {line} is {end - start:,} bytes long; lines over "
                f"{MAX_CELL_BYTES >> 20} MiB are not read"
            )
        at = -(-(end + 1) // block) * block  # the next block after that line


def _refuse_huge_cells(path: Path, frame: pl.DataFrame, header: list[str], header_end: int) -> None:
    """Refuse a cell over MAX_CELL_BYTES (a multi-line one: `_refuse_long_lines` caught the
    others) before anything else runs over it.

    Every polars record, blank ones included, ends at one line break of its own; the others
    are inside cells, so the records before it give its line.
    """
    found = huge_cell(frame)
    if found is None:
        return
    index, column, size = found
    inside = frame.head(index).select(
        pl.sum_horizontal(pl.all().str.count_matches("\n", literal=True).sum())
    )
    line = header_end + 1 + index + int(inside.item() or 0)
    name = header[frame.columns.index(column)] if column in frame.columns[: len(header)] else column
    raise cell_too_large(path, f"line {line}", name, size)


def _header_too_long(path: Path) -> InputError:
    return InputError(
        f"{path}: refused: the header is longer than {MAX_HEADER_BYTES:,} bytes "
        f"({MAX_HEADER_BYTES >> 20} MiB); is the first line a table header?"
    )


def _fast_positions(
    buf: np.ndarray, frame: pl.DataFrame, header: list[str], header_end: int, delimiter: str
) -> np.ndarray | None:
    """Record start lines computed from the parsed cells, or None if the file needs a full scan.

    Every line break and delimiter in the file is either a record's own (one break, width-1
    delimiters per record) or inside a quoted cell; when the byte counts match that exactly,
    no record is ragged or blank and the lines follow from the breaks inside cells.
    """
    width = len(header)
    if frame.width != width or frame.height == 0:
        return None
    if frame.select(pl.any_horizontal(pl.all_horizontal(pl.all().is_null()).any())).item():
        return None  # blank lines or empty records: let the scan tell them apart
    counts = frame.select(
        nl=pl.sum_horizontal(pl.all().str.count_matches("\n", literal=True).fill_null(0)),
        sep=pl.sum_horizontal(pl.all().str.count_matches(delimiter, literal=True).fill_null(0)),
    )
    in_cells_sep = int(counts["sep"].sum()) + sum(h.count(delimiter) for h in header)
    delimiters, breaks = _count_bytes(buf, ord(delimiter), _NEWLINE)
    if delimiters != (width - 1) * (frame.height + 1) + in_cells_sep:
        return None
    in_cells_nl = counts["nl"].to_numpy().astype(np.int64)
    ends_with_break = buf.size > 0 and buf[-1] == _NEWLINE
    if breaks != header_end + frame.height + int(in_cells_nl.sum()) - (0 if ends_with_break else 1):
        return None
    before = np.concatenate(([0], np.cumsum(in_cells_nl)[:-1]))
    return header_end + 1 + np.arange(frame.height) + before


@dataclass(frozen=True)
class _Records:
    """The data records of a full scan (blank lines removed): where each starts and ends."""

    frame: pl.DataFrame
    line: np.ndarray
    fields: np.ndarray
    start: np.ndarray
    end: np.ndarray


def _scan_positions(path: Path, data: bytes, frame: pl.DataFrame, delimiter: str) -> _Records:
    """Full byte scan: record lines, field counts and byte spans, with blank lines removed."""
    layout = _layout(path, data, ord(delimiter))
    non_blank = layout.end > layout.start
    first = int(np.argmax(non_blank))
    records = slice(first + 1, None)
    keep = non_blank[records]
    line = layout.line[records]
    if frame.height != line.size:
        raise InputError(
            f"{path}: could not map {frame.height} records to lines "
            f"({line.size} found); is the quoting broken?"
        )
    found = _Records(
        frame, line, layout.fields[records], layout.start[records], layout.end[records]
    )
    if not keep.all():
        found = _Records(
            frame.filter(pl.Series(keep)),
            found.line[keep],
            found.fields[keep],
            found.start[keep],
            found.end[keep],
        )
    if found.fields.size and found.fields.max() > MAX_COLUMNS:
        widest = int(np.argmax(found.fields))
        raise too_wide(path, int(found.fields[widest]), f"line {found.line[widest]}", "fields")
    return found


def _extra_fields(
    path: Path, data: bytes, records: _Records, width: int, delimiter: str, crlf: bool
) -> pl.DataFrame | None:
    """The fields past the header's of every record that has more (`__row`, `__extra`).

    polars keeps only the header's width of a long record; the long records alone are read
    again, one read per distinct field count, so each read is rectangular and a file
    without long records costs nothing.
    """
    long = np.flatnonzero(records.fields > width)
    if not long.size:
        return None
    parts = []
    for count in np.unique(records.fields[long]).tolist():
        pick = long[records.fields[long] == count]
        spans = zip(records.start[pick].tolist(), records.end[pick].tolist(), strict=True)
        blob = b"\n".join([data[a:b] for a, b in spans])  # the long records only
        cells = pl.read_csv(
            io.BytesIO(blob),
            has_header=False,
            infer_schema=False,
            separator=delimiter,
            raise_if_empty=False,
        )
        if cells.shape != (pick.size, count):
            raise InputError(
                f"{path}: line {records.line[pick[0]]}: could not read the record's "
                f"{count} fields; is the quoting broken?"
            )
        extra = pl.concat_list(cells.columns[width:])
        if crlf:
            extra = extra.list.eval(pl.element().str.replace_all("\r\n", "\n", literal=True))
        parts.append(cells.select(pl.Series(ROW, pick + 1, dtype=pl.UInt32), extra.alias(EXTRA)))
    return pl.concat(parts).sort(ROW)


def _uses_crlf(data: bytes, offset: int) -> bool:
    """Whether the header line ends in CRLF (the file's line-ending convention)."""
    end = data.find(b"\n", offset)
    return end > 0 and data[end - 1 : end] == b"\r"


def _polars_read(body: io.BytesIO, delimiter: str, *, truncate: bool) -> pl.DataFrame:
    return pl.read_csv(
        body,
        has_header=True,
        infer_schema=False,
        separator=delimiter,
        truncate_ragged_lines=truncate,
        raise_if_empty=False,
    )


def _suggest_delimiter(path: Path, header: list[str], delimiter: str) -> None:
    if len(header) == 1 and delimiter == "," and header[0]:
        for other in (";", "\t", "|"):
            if other in header[0]:
                shown = "\\t" if other == "\t" else other
                raise InputError(
                    f"{path}: the header has a single column containing {shown!r}; "
                    f"if the file is {shown!r}-delimited, pass --delimiter '{shown}'"
                )


def read_csv(path: Path, *, encoding: str = "utf-8", delimiter: str = ",") -> Table:
    """Read a delimited text file as an all-text Table with physical line numbers."""
    if len(delimiter.encode("utf-8")) != 1:
        raise InputError(f"--delimiter must be a single character, got {delimiter!r}")
    source = read_source(path, stop=_stop_at_nul(encoding))
    data = _decode(path, source.data, encoding)
    if not source.complete:  # `stop` ends a read only at what _decode refuses
        raise InputError(f"{path}: is not a text CSV file")
    if not data or data.isspace():  # isspace stops at the first real byte; strip would copy
        raise InputError(f"{path}: no header: the file is empty")
    header, header_end, data_offset = _header(path, data, delimiter)
    _suggest_delimiter(path, header, delimiter)
    _refuse_long_lines(path, data)
    body = io.BytesIO(data[data_offset:] if data_offset else data)
    try:
        try:
            frame = _polars_read(body, delimiter, truncate=False)
            ragged = False
        except pl.exceptions.ComputeError as exc:
            if "more fields" not in str(exc):
                raise
            body.seek(0)  # a record has extra fields: read what fits, then the rest of it
            frame = _polars_read(body, delimiter, truncate=True)
            ragged = True
    except pl.exceptions.ComputeError as exc:
        if "utf-8" in str(exc).lower():
            raise _utf8_error(path, data) from exc
        _layout(path, data, ord(delimiter))  # names the line of an unbalanced quote
        raise InputError(
            f"{path}: is not a readable CSV file ({str(exc).splitlines()[0]})"
        ) from exc
    del body
    if frame.width < len(header):  # polars collapses a header that ends in empty names
        frame = frame.with_columns(
            pl.lit(None, pl.String).alias(f"__pad_{i}") for i in range(frame.width, len(header))
        )
    _refuse_huge_cells(path, frame, header, header_end)
    crlf = _uses_crlf(data, data_offset)
    if crlf:
        # a CRLF file breaks lines inside quoted cells with CRLF too: same values as its LF twin
        frame = frame.with_columns(pl.col(pl.String).str.replace_all("\r\n", "\n", literal=True))
    buf = np.frombuffer(data, dtype=np.uint8)
    line = None if ragged else _fast_positions(buf, frame, header, header_end, delimiter)
    extra = None
    if line is not None:
        fields = np.full(frame.height, len(header))
    else:
        records = _scan_positions(path, data, frame, delimiter)
        frame, line, fields = records.frame, records.line, records.fields
        if ragged:
            extra = _extra_fields(path, data, records, len(header), delimiter, crlf)
    return make_table(
        path,
        "csv",
        header,
        frame,
        rows=pl.Series(np.arange(1, frame.height + 1)),
        lines=pl.Series(line),
        fields=pl.Series(fields),
        header_line=data.count(b"\n", 0, data_offset) + 1,
        digest=source.digest,
        extra=extra,
    )
