"""Loading: every cell as text, every record with the physical line it starts on."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import threading
from contextlib import suppress
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
from conftest import EVENTS_CSV, HEADER
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from toolkit import InputError, load_table
from toolkit.loading import detect_format


def load_bytes(tmp_path: Path, data: bytes, name: str = "t.csv", **options):
    path = tmp_path / name
    path.write_bytes(data)
    return load_table(path, **options)


def positions(table) -> list[tuple]:
    """(row, line, fields, *cells) of every record."""
    return [tuple(r) for r in table.frame.drop("__date_cells").iter_rows()]


# --- CSV: where each record starts -----------------------------------------------------


def test_reference_table_lines_follow_its_multi_line_notes():
    table = load_table(EVENTS_CSV)

    assert table.format == "csv"
    assert table.header == tuple(HEADER)
    assert table.rows == 17
    # row 4's notes hold one line break, so every later record starts one line lower
    assert table.frame["__row"].to_list() == list(range(1, 18))
    assert table.frame["__line"].to_list() == [2, 3, 4, 5, *range(7, 20)]
    assert set(table.frame["__fields"].to_list()) == {19}
    assert table.frame.columns == ["__row", "__line", "__fields", "__date_cells", *HEADER]
    assert all(dtype == pl.String for dtype in table.frame.select(HEADER).dtypes)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"a,b\n1,2\n3,4\n", [(1, 2, 2, "1", "2"), (2, 3, 2, "3", "4")], id="plain"),
        pytest.param(
            b'a,b\n1,"x\ny\nz"\n3,4\n',
            [(1, 2, 2, "1", "x\ny\nz"), (2, 5, 2, "3", "4")],
            id="multi-line-field",
        ),
        pytest.param(
            b"a,b\r\n1,2\r\n3,4\r\n", [(1, 2, 2, "1", "2"), (2, 3, 2, "3", "4")], id="crlf"
        ),
        pytest.param(
            b'a,b\r\n1,"x\r\ny"\r\n3,4\r\n',
            [(1, 2, 2, "1", "x\ny"), (2, 4, 2, "3", "4")],
            id="crlf-multi-line-field",
        ),
        pytest.param(b"\xef\xbb\xbfa,b\n1,2\n", [(1, 2, 2, "1", "2")], id="utf8-bom"),
        pytest.param(
            b"a,b\n1,2\n\n3,4\n", [(1, 2, 2, "1", "2"), (2, 4, 2, "3", "4")], id="blank-line"
        ),
        pytest.param(
            b"a,b\r\n1,2\r\n\r\n3,4\r\n",
            [(1, 2, 2, "1", "2"), (2, 4, 2, "3", "4")],
            id="blank-crlf-line",
        ),
        pytest.param(
            b"a,b\n1,2\n3,4\n\n\n", [(1, 2, 2, "1", "2"), (2, 3, 2, "3", "4")], id="trailing-blanks"
        ),
        pytest.param(b"\n\na,b\n1,2\n", [(1, 4, 2, "1", "2")], id="blank-lines-before-header"),
        pytest.param(
            b"a,b\n1,2\n3,4", [(1, 2, 2, "1", "2"), (2, 3, 2, "3", "4")], id="no-final-newline"
        ),
        pytest.param(
            b'a,b\n"say ""hi""",2\n"x\n""y""\nz",3\n5,6\n',
            [
                (1, 2, 2, 'say "hi"', "2"),
                (2, 3, 2, "x\n" + '"y"' + "\nz", "3"),
                (3, 6, 2, "5", "6"),
            ],
            id="escaped-quotes",
        ),
        pytest.param(
            b'a,b\n"1,5",2\n3,4\n', [(1, 2, 2, "1,5", "2"), (2, 3, 2, "3", "4")], id="quoted-comma"
        ),
        pytest.param(
            b"a,b\n1,2,3\n3,4\n",
            [(1, 2, 3, "1", "2"), (2, 3, 2, "3", "4")],
            id="a-record-with-an-extra-field",
        ),
        pytest.param(
            b"a,b\n1\n3,4\n",
            [(1, 2, 1, "1", None), (2, 3, 2, "3", "4")],
            id="a-record-with-a-missing-field",
        ),
        pytest.param(
            b"a,b\n1,2,3\n4\n",
            [(1, 2, 3, "1", "2"), (2, 3, 1, "4", None)],
            id="an-extra-and-a-missing-field",
        ),
        pytest.param(
            b'a\n1\n""\n3\n', [(1, 2, 1, "1"), (2, 3, 1, ""), (3, 4, 1, "3")], id="quoted-empty"
        ),
        pytest.param(b"a,b\n", [], id="header-only"),
        pytest.param(b"a,b", [], id="header-only-no-newline"),
    ],
)
def test_records_keep_the_line_they_start_on(tmp_path, data, expected):
    table = load_bytes(tmp_path, data)

    assert positions(table) == expected


def test_cells_are_text_exactly_as_typed(tmp_path):
    table = load_bytes(tmp_path, "a,b,c,d\n007,2025-09, 33.3152 ,Крокус\n".encode())

    assert positions(table) == [(1, 2, 4, "007", "2025-09", " 33.3152 ", "Крокус")]


def test_semicolon_delimiter(tmp_path):
    table = load_bytes(tmp_path, b'a;b\n"1;5";2\n', delimiter=";")

    assert positions(table) == [(1, 2, 2, "1;5", "2")]


def test_cp1252_encoding(tmp_path):
    table = load_bytes(tmp_path, "a\ncafé\n".encode("cp1252"), encoding="cp1252")

    assert positions(table) == [(1, 2, 1, "café")]


def test_utf16_with_byte_order_mark(tmp_path):
    table = load_bytes(tmp_path, "a,b\n1,Ирак\n".encode("utf-16"))

    assert positions(table) == [(1, 2, 2, "1", "Ирак")]


def test_blank_and_repeated_header_names_get_placeholders(tmp_path):
    table = load_bytes(tmp_path, b"a, a ,,a,__x\n1,2,3,4,5\n")

    assert table.header == ("a", " a ", "", "a", "__x")
    assert table.columns == ("a", "__column_2", "__column_3", "__column_4", "__column_5")


cells = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\r\x00"), max_size=12
) | st.sampled_from(["", "line\nbreak", '"quoted"', "a,b", "\n", "x\n\ny"])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    width=st.integers(1, 4),
    data=st.data(),
    line_terminator=st.sampled_from(["\n", "\r\n"]),
)
def test_lines_match_records_written_by_the_csv_module(tmp_path, width, data, line_terminator):
    header = [f"c{i}" for i in range(width)]
    # a record whose only cell is empty is written as a blank line; keep every record non-blank
    row = st.lists(cells, min_size=width, max_size=width).filter(lambda r: any(r))
    rows = data.draw(st.lists(row, min_size=1, max_size=8))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_terminator)
    writer.writerow(header)
    expected_lines, line = [], 2
    for r in rows:
        expected_lines.append(line)
        before = out.tell()
        writer.writerow(r)
        line += out.getvalue()[before:].count("\n")
    path = tmp_path / "random.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")

    table = load_table(path)

    assert table.frame["__line"].to_list() == expected_lines
    assert table.frame.select(header).rows() == [
        tuple(c if c != "" else None for c in r) for r in rows
    ]


# --- CSV: what cannot be read ----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "t.csv: no header: the file is empty"),
        (b"\n\n\r\n", "t.csv: no header: the file is empty"),
        (b"   \n\n", "t.csv: no header: the file is empty"),
        (
            b"a,b\n\x00\x01\x02",
            "t.csv: line 2 contains a NUL byte; this is not a text CSV file "
            "(a binary file, or UTF-16 without a byte-order mark?)",
        ),
        (
            b"a,b\n1,caf\xe9\n",
            "t.csv: line 2 is not valid UTF-8 (byte 0xe9); if it was saved by a spreadsheet, "
            "try --encoding cp1252",
        ),
        (
            b"a;b;c\n1;2;3\n",
            "t.csv: the header has a single column containing ';'; if the file is ';'-delimited, "
            "pass --delimiter ';'",
        ),
        (b'a,b\n1,"open\n2,3\n', "line 2: a quoted field is never closed (unbalanced '\"')"),
    ],
)
def test_unreadable_csv_raises_an_input_error_naming_the_problem(tmp_path, data, message):
    with pytest.raises(InputError) as raised:
        load_bytes(tmp_path, data)

    assert str(raised.value).endswith(message)


def test_unbalanced_quote_error_names_the_file(tmp_path):
    with pytest.raises(InputError, match=r"t\.csv"):
        load_bytes(tmp_path, b'a,b\n1,"open\n2,3\n')


def test_cr_only_line_endings_raise_an_input_error(tmp_path):
    with pytest.raises(InputError):
        load_bytes(tmp_path, b"a,b\r1,2\r3,4\r")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "t.json",
            "t.json: unknown table format '.json'; expected .csv, .xlsx, .parquet or .geojson",
        ),
        (
            "README",
            "README: unknown table format '(no extension)'; expected .csv, .xlsx, .parquet or .geojson",
        ),
    ],
)
def test_unknown_extension_is_refused(tmp_path, name, message):
    with pytest.raises(InputError) as raised:
        load_bytes(tmp_path, b"a,b\n1,2\n", name=name)

    assert str(raised.value) == f"{tmp_path / name}" + message[len(name) :]


def test_missing_file_and_directory_are_refused(tmp_path):
    with pytest.raises(InputError, match=r"no such file$"):
        load_table(tmp_path / "missing.csv")
    with pytest.raises(InputError, match=r"is a directory, not a table$"):
        load_table(tmp_path)


def test_sheet_option_is_for_workbooks_only():
    with pytest.raises(InputError, match=r"--sheet applies to \.xlsx workbooks only$"):
        load_table(EVENTS_CSV, sheet="events")


@pytest.mark.parametrize(
    ("suffix", "fmt"),
    [(".csv", "csv"), (".TSV", "csv"), (".txt", "csv"), (".xlsx", "xlsx"), (".parquet", "parquet")],
)
def test_format_follows_the_extension(suffix, fmt):
    assert detect_format(Path(f"events{suffix}")) == fmt


# --- XLSX ------------------------------------------------------------------------------


@pytest.fixture
def workbook(tmp_path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "events"
    ws.append(["event_id", "latitude", "personnel", "source_date", "when", "notes"])
    ws.append(["007", 33.3152, 2500, date(2024, 9, 6), datetime(2024, 9, 6, 13, 30), None])
    ws["F2"].value = "=HYPERLINK(1)"
    ws["F2"].data_type = "s"  # text that looks like a formula, as exports write it
    ws.append([])
    ws.append(["x", -0.5, None, "2024-09", None, "Крокус Сити Холл"])
    other = wb.create_sheet("other")
    other.append(["a"])
    other.append(["b"])
    path = tmp_path / "events.xlsx"
    wb.save(path)
    return path


def test_workbook_cells_become_canonical_text(workbook):
    table = load_table(workbook)

    assert (table.format, table.sheet) == ("xlsx", "events")
    assert table.header == ("event_id", "latitude", "personnel", "source_date", "when", "notes")
    # the third sheet row is blank: not a record, and row 3 of the data is sheet row 4
    assert positions(table) == [
        (1, 2, 6, "007", "33.3152", "2500", "2024-09-06", "2024-09-06 13:30:00", "=HYPERLINK(1)"),
        (2, 4, 6, "x", "-0.5", None, "2024-09", None, "Крокус Сити Холл"),
    ]


def test_a_formula_contributes_its_cached_value_never_its_text(tmp_path):
    wb = Workbook()
    wb.active.append(["a", "b"])
    wb.active.append(["=1+1", "x"])  # openpyxl stores no cached value
    path = tmp_path / "formula.xlsx"
    wb.save(path)

    assert positions(load_table(path)) == [(1, 2, 2, None, "x")]


def test_sheet_is_selected_by_name(workbook):
    table = load_table(workbook, sheet="other")

    assert table.sheet == "other"
    assert positions(table) == [(1, 2, 1, "b")]


def test_unknown_sheet_is_refused(workbook):
    with pytest.raises(InputError) as raised:
        load_table(workbook, sheet="Events")

    assert str(raised.value) == f"{workbook}: no sheet named 'Events' (sheets: events, other)"


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"is not a valid \.xlsx workbook \(not a zip archive\)$"):
        load_bytes(tmp_path, b"event_id\n1\n", name="t.xlsx")


def test_an_empty_sheet_is_refused(tmp_path):
    wb = Workbook()
    wb.active.title = "events"
    path = tmp_path / "empty.xlsx"
    wb.save(path)

    with pytest.raises(InputError, match=r"no header: sheet 'events' is empty$"):
        load_table(path)


# --- Parquet ---------------------------------------------------------------------------


def test_parquet_columns_become_text_rows_keep_their_order(tmp_path):
    path = tmp_path / "events.parquet"
    pl.DataFrame(
        {
            "event_id": ["007", "b"],
            "source_date": [date(2024, 9, 6), None],
            "latitude": [33.3152, None],
            "personnel": [2500, 3],
        }
    ).write_parquet(path)

    table = load_table(path)

    assert table.format == "parquet"
    assert table.header == ("event_id", "source_date", "latitude", "personnel")
    assert positions(table) == [
        (1, None, 4, "007", "2024-09-06", "33.3152", "2500"),
        (2, None, 4, "b", None, None, "3"),
    ]


def test_a_broken_parquet_file_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"t\.parquet: is not a readable Parquet file \("):
        load_bytes(tmp_path, b"PAR1 not really", name="t.parquet")


def test_nested_parquet_columns_are_refused(tmp_path):
    path = tmp_path / "nested.parquet"
    pl.DataFrame({"a": [[1, 2]]}).write_parquet(path)

    with pytest.raises(InputError, match=r"column 'a' holds nested values"):
        load_table(path)


# --- CSV: every field of a long record ---------------------------------------------------


def extra(table) -> list[tuple]:
    """(row, fields past the header's) of every record that has more fields than the header."""
    return [] if table.extra is None else table.extra.rows()


def test_the_fields_past_the_header_are_kept_as_read(tmp_path):
    table = load_bytes(tmp_path, b'a,b\n1,2,"x\ny",,""\n3,4\n\n5,6,7\n8\n')

    assert positions(table) == [
        (1, 2, 5, "1", "2"),
        (2, 4, 2, "3", "4"),
        (3, 6, 3, "5", "6"),
        (4, 7, 1, "8", None),  # a short record: `__fields` says its second cell is absent
    ]
    # an unquoted empty field is null, a quoted one is "", like the cells polars reads
    assert extra(table) == [(1, ["x\ny", None, ""]), (3, ["7"])]


def test_the_fields_past_the_header_of_a_crlf_file_match_its_lf_twin(tmp_path):
    lf = load_bytes(tmp_path, b'a,b\n1,2,"x\ny",z\n', name="lf.csv")
    crlf = load_bytes(tmp_path, b'a,b\r\n1,2,"x\r\ny",z\r\n', name="crlf.csv")

    assert extra(crlf) == extra(lf) == [(1, ["x\ny", "z"])]


def test_a_table_without_long_records_has_no_extra_fields(tmp_path):
    assert load_table(EVENTS_CSV).extra is None
    assert load_bytes(tmp_path, b"a,b,c\n1\n").extra is None  # short records lose nothing


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(width=st.integers(1, 3), data=st.data(), line_terminator=st.sampled_from(["\n", "\r\n"]))
def test_ragged_records_keep_every_field_the_csv_module_reads(
    tmp_path, width, data, line_terminator
):
    row = st.lists(cells, min_size=1, max_size=width + 3).filter(lambda r: any(r) and r != [""])
    rows = data.draw(st.lists(row, min_size=1, max_size=8))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_terminator)
    writer.writerow([f"c{i}" for i in range(width)])
    writer.writerows(rows)
    path = tmp_path / "ragged.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")

    table = load_table(path)

    def read(cell: str) -> str | None:
        return cell if cell != "" else None

    cells_read = table.frame.drop("__row", "__line", "__date_cells").rows()
    assert cells_read == [
        (len(r), *(read(c) for c in r[:width]), *([None] * (width - len(r)))) for r in rows
    ]
    assert extra(table) == [
        (i + 1, [read(c) for c in r[width:]]) for i, r in enumerate(rows) if len(r) > width
    ]


# --- every reader: the bytes read once, hashed as read -----------------------------------


def _write(path: Path, fmt: str) -> Path:
    if fmt == "csv":
        path.write_bytes(EVENTS_CSV.read_bytes())
    elif fmt == "parquet":
        pl.read_csv(EVENTS_CSV, infer_schema=False).write_parquet(path)
    else:
        wb = Workbook()
        with EVENTS_CSV.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                wb.active.append(row)
        wb.save(path)
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_sha256_is_of_the_bytes_that_were_read_not_of_the_file_now(tmp_path, fmt):
    path = _write(tmp_path / f"events.{fmt}", fmt)
    read = path.read_bytes()

    table = load_table(path)
    path.write_bytes(read + b"appended while the table was being exported")

    assert table.sha256 == hashlib.sha256(read).hexdigest()


def fifo(tmp_path: Path, name: str = "events.csv") -> Path:
    path = tmp_path / name
    os.mkfifo(path)
    return path


def write_later(path: Path, data: bytes) -> threading.Thread:
    """Open `path` for writing in a thread (it waits for a reader) and write `data`."""

    def write() -> None:
        with suppress(BrokenPipeError), open(path, "wb") as fh:
            fh.write(data)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def in_time(function, seconds: float = 20):  # type: ignore[no-untyped-def]
    """`function()` (its result or its exception), or a test failure instead of a hang."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append((True, function()))
        except BaseException as exc:  # handed to the test's thread
            outcome.append((False, exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"did not return within {seconds} s"
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_read_once_and_hashed_as_read_whatever_writes_to_it_next(tmp_path):
    path = fifo(tmp_path)
    write_later(path, EVENTS_CSV.read_bytes())

    table = in_time(lambda: load_table(path))
    second = write_later(path, b"a second writer's bytes\n")  # waits for another reader

    assert table.frame.equals(load_table(EVENTS_CSV).frame)
    assert in_time(lambda: table.sha256) == hashlib.sha256(EVENTS_CSV.read_bytes()).hexdigest()
    assert second.is_alive()  # nobody opened the FIFO again
    with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb"):  # let the writer finish
        second.join(5)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("fmt", ["xlsx", "parquet"])
def test_a_workbook_or_parquet_file_through_a_fifo_loads_like_the_file(tmp_path, fmt):
    path = _write(tmp_path / f"events.{fmt}", fmt)
    through = fifo(tmp_path, f"piped.{fmt}")
    write_later(through, path.read_bytes())

    table = in_time(lambda: load_table(through))

    assert table.frame.equals(load_table(path).frame)
    assert table.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


# --- limits ------------------------------------------------------------------------------


def test_a_file_over_the_input_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr("toolkit.loading.source.MAX_INPUT_BYTES", 1000)
    path = _write(tmp_path / "events.csv", "csv")

    with pytest.raises(InputError) as raised:
        load_table(path)

    assert str(raised.value) == (
        f"{path}: refused: larger than 1,000 bytes (0 MiB), the most the toolkit reads"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_stream_over_the_input_limit_is_refused_once_it_passes_it(tmp_path, monkeypatch):
    monkeypatch.setattr("toolkit.loading.source.MAX_INPUT_BYTES", 4 << 20)
    path = fifo(tmp_path)
    writer = write_later(path, b"a,b\n" + b"1,2\n" * (2 << 20))  # 8 MiB

    with pytest.raises(InputError, match=r"refused: larger than 4,194,304 bytes \(4 MiB\)"):
        in_time(lambda: load_table(path))
    writer.join(5)


def test_an_unknown_encoding_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match=r"^unknown encoding 'klingon' \(try utf-8 or cp1252\)$"):
        load_bytes(tmp_path, b"a\n1\n", encoding="klingon")


def test_a_nul_byte_is_refused_in_a_single_byte_encoding_too(tmp_path):
    with pytest.raises(InputError, match=r"t\.csv: line 2 contains a NUL byte"):
        load_bytes(tmp_path, b"a\ncaf\xe9\x00\n", encoding="cp1252")


MIB = 1 << 20


def test_a_cell_over_16_mib_is_refused_naming_its_line(tmp_path):
    big = "x\n" * (8 * MIB + 1)  # lines inside a quoted cell: no line is long, the cell is
    data = f'a,b\n1,"two\nlines"\n2,"{big}"\n'.encode()

    with pytest.raises(InputError) as raised:
        load_bytes(tmp_path, data)

    assert str(raised.value) == (
        f"{tmp_path / 't.csv'}: refused: line 4 holds a cell of {len(big):,} bytes in column "
        "'b'; cells over 16 MiB are not read"
    )


def test_a_line_over_16_mib_is_refused_before_it_is_parsed(tmp_path):
    with pytest.raises(InputError) as raised:
        load_bytes(tmp_path, b"a,b\n1,2\n" + b"y" * (16 * MIB + 1) + b"\n3,4\n")

    assert str(raised.value).endswith(
        f"t.csv: refused: line 3 is {16 * MIB + 1:,} bytes long; lines over 16 MiB are not read"
    )


def test_a_line_of_almost_16_mib_is_read(tmp_path):
    table = load_bytes(tmp_path, b"a,b\n1,2\n3," + b"y" * (16 * MIB - 2) + b"\n")

    assert table.frame["b"].str.len_bytes().to_list() == [1, 16 * MIB - 2]


def test_a_parquet_cell_over_16_mib_is_refused_naming_its_row(tmp_path):
    path = tmp_path / "big.parquet"
    pl.DataFrame({"a": ["1", "2"], "notes": ["short", "x" * (16 * MIB + 1)]}).write_parquet(path)

    with pytest.raises(InputError) as raised:
        load_table(path)

    assert str(raised.value) == (
        f"{path}: refused: row 2 holds a cell of {16 * MIB + 1:,} bytes in column 'notes'; "
        "cells over 16 MiB are not read"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            ",".join(f"c{i}" for i in range(16_385)).encode() + b"\n",
            "refused: the header has 16,385 columns; at most 16,384 are read (an Excel sheet's "
            "width)",
        ),
        (
            b"a,b\n1,2\n" + b",".join([b"x"] * 16_385) + b"\n",
            "refused: line 3 has 16,385 fields; at most 16,384 are read (an Excel sheet's width)",
        ),
        (
            b"a," + b"b" * MIB + b"\n1,2\n",
            "refused: the header is longer than 1,048,576 bytes (1 MiB); is the first line a "
            "table header?",
        ),
    ],
    ids=["header-columns", "record-fields", "header-bytes"],
)
def test_a_table_wider_than_an_excel_sheet_is_refused(tmp_path, data, message):
    with pytest.raises(InputError) as raised:
        load_bytes(tmp_path, data)

    assert str(raised.value) == f"{tmp_path / 't.csv'}: {message}"


def test_a_header_of_16384_columns_is_read(tmp_path):
    header = ",".join(f"c{i}" for i in range(16_384))

    table = load_bytes(tmp_path, f"{header}\n{header}\n".encode())

    assert (len(table.header), table.rows) == (16_384, 1)


def test_a_nul_byte_after_a_utf8_byte_order_mark_is_refused_too(tmp_path):
    with pytest.raises(InputError, match=r"t\.csv: line 2 contains a NUL byte"):
        load_bytes(tmp_path, b"\xef\xbb\xbfa,b\n1,\x00\n")
