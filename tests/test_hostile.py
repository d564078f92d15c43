"""Hostile and messy inputs: each ends in findings or one clear `error:` line, never a traceback.

The committed cases live in `fixtures/bad/`; the binary, huge and byte-exact ones are made by
`fixtures/bad/make_bad.py` into a temporary directory. `fixtures/bad/README.md` describes
every case and the behaviour pinned here.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import importlib
import importlib.util
import io
import itertools
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import polars as pl
import pytest
from conftest import EVENTS_CSV, HEADER, ROOT, event_row
from openpyxl import load_workbook
from typer.testing import CliRunner

from toolkit import ExportError, InputError, export_table, load_table, validate_table
from toolkit.cli import app

BAD = ROOT / "fixtures" / "bad"
SECONDS = 20  # "handled within seconds": generous for slow CI machines

_spec = importlib.util.spec_from_file_location("make_bad", BAD / "make_bad.py")
assert _spec is not None and _spec.loader is not None
make_bad = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_bad)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, Path]:
    """Every case make_bad.py generates, written once for this module."""
    return make_bad.build(tmp_path_factory.mktemp("bad"))


def invoke(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def validate_json(path: Path, *options: str) -> tuple[int, dict]:
    """Run `toolkit validate --format json`; the exit code and the parsed report."""
    result = invoke("validate", path, "--format", "json", *options)
    assert "Traceback" not in result.stderr
    assert result.stderr == "", result.stderr
    return result.exit_code, json.loads(result.stdout)


def assert_one_error_line(result, *words: str) -> str:
    """Exit 2, nothing on stdout, exactly one `error:` line on stderr holding every word."""
    assert "Traceback" not in result.stderr
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    for word in words:
        assert word in result.stderr
    return result.stderr


def found(report: dict) -> list[tuple]:
    """(rule, column, row, line) of every listed finding."""
    return [(f["rule"], f["column"], f["row"], f["line"]) for f in report["findings"]]


def data(table) -> list[tuple]:
    """The records of a loaded table: line and cells (positions and values)."""
    return table.frame.drop("__row", "__fields").rows()


def no_temp_files(directory: Path) -> bool:
    return not list(directory.glob(".*.tmp"))


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


REFERENCE_CODE, REFERENCE = validate_json(EVENTS_CSV)


# --- nothing there ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty.csv", "blank-lines.csv"])
def test_a_file_with_no_header_exits_2(name):
    path = BAD / name

    result = invoke("validate", path)

    assert_one_error_line(result)
    assert result.stderr == f"error: {path}: no header: the file is empty\n"


def test_a_header_only_file_is_valid_with_zero_rows():
    code, report = validate_json(BAD / "header-only.csv")

    assert code == 0
    assert (report["valid"], report["rows"], report["findings"]) == (True, 0, [])


# --- encodings and line ends ---------------------------------------------------------


VARIANTS = ["bom.csv", "crlf.csv", "no-final-newline.csv", "utf16-bom.csv"]


@pytest.mark.parametrize("name", VARIANTS)
def test_byte_level_variants_validate_exactly_like_the_reference(generated, name):
    code, report = validate_json(generated[name])

    assert code == REFERENCE_CODE == 0
    assert {**report, "table": None} == {**REFERENCE, "table": None}


@pytest.mark.parametrize(
    "name",
    [name for name in VARIANTS],
)
def test_byte_level_variants_load_the_same_values_as_the_reference(generated, name):
    assert data(load_table(generated[name])) == data(load_table(EVENTS_CSV))


def test_a_bom_does_not_stick_to_the_first_column_name(generated):
    assert load_table(generated["bom.csv"]).header == tuple(HEADER)


def test_cp1252_bytes_exit_2_naming_the_line_and_suggesting_encoding(generated):
    path = generated["cp1252.csv"]

    result = invoke("validate", path)

    assert_one_error_line(result)
    assert result.stderr == (
        f"error: {path}: line 2 is not valid UTF-8 (byte 0xfc); "
        "if it was saved by a spreadsheet, try --encoding cp1252\n"
    )


def test_cp1252_loads_with_the_encoding_option(generated):
    path = generated["cp1252.csv"]

    code, report = validate_json(path, "--encoding", "cp1252")

    assert (code, report["rows"], report["errors"]) == (0, 1, 0)
    table = load_table(path, encoding="cp1252")
    assert table.frame.get_column("location").to_list() == [make_bad.CP1252_LOCATION]


def test_utf16_without_a_byte_order_mark_is_a_clear_error(generated):
    path = generated["utf16-no-bom.csv"]

    assert_one_error_line(
        invoke("validate", path),
        f"{path}: line 1 contains a NUL byte",
        "UTF-16 without a byte-order mark",
    )


# --- not text, or not the format it claims ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("nul-byte.csv", "line 3 contains a NUL byte; this is not a text CSV file"),
        ("binary.csv", "line 3 contains a NUL byte; this is not a text CSV file"),
        ("not-a-zip.xlsx", "is not a valid .xlsx workbook (not a zip archive)"),
        ("truncated.xlsx", "is not a valid .xlsx workbook (not a zip archive)"),
        ("truncated.parquet", "is not a readable Parquet file"),
        ("zip-not-workbook.xlsx", "is not a readable .xlsx workbook"),
        ("corrupt-sheet.xlsx", "is not a valid .xlsx workbook"),
    ],
)
def test_unreadable_input_exits_2_with_one_clear_line(generated, name, problem):
    path = generated[name]

    assert_one_error_line(invoke("validate", path), f"{path}: {problem}")


def test_unreadable_input_is_not_exported_either(generated, tmp_path):
    out = tmp_path / "out"

    assert_one_error_line(invoke("export", generated["truncated.parquet"], "--out", out))
    assert not out.exists() or not any(out.iterdir())


# --- delimiters and quoting ------------------------------------------------------------


def test_semicolon_file_says_to_pass_the_delimiter():
    path = BAD / "semicolon.csv"

    result = invoke("validate", path)

    assert_one_error_line(result)
    assert result.stderr == (
        f"error: {path}: the header has a single column containing ';'; "
        "if the file is ';'-delimited, pass --delimiter ';'\n"
    )


def test_semicolon_file_loads_with_the_delimiter_option():
    code, report = validate_json(BAD / "semicolon.csv", "--delimiter", ";")

    assert (code, report["rows"], report["errors"], report["warnings"]) == (0, 2, 0, 0)


@pytest.mark.parametrize(
    ("name", "fields"), [("ragged-too-few.csv", 16), ("ragged-too-many.csv", 21)]
)
def test_a_ragged_row_is_a_finding_with_its_line(name, fields):
    code, report = validate_json(BAD / name)

    assert code == 1
    (ragged,) = [f for f in report["findings"] if f["rule"] == "structure.ragged"]
    assert (ragged["row"], ragged["line"], ragged["column"]) == (2, 3, None)
    assert ragged["message"] == f"the record has {fields} fields; the header has 19"
    errors = {f["row"] for f in report["findings"] if f["severity"] == "error"}
    assert errors == {2}  # the rows around it are read normally


def test_an_unbalanced_quote_at_the_end_exits_2_naming_the_line():
    path = BAD / "unbalanced-quote-at-end.csv"

    result = invoke("validate", path)

    assert_one_error_line(result)
    assert result.stderr == (
        f"error: {path}: line 4: a quoted field is never closed (unbalanced '\"')\n"
    )


# --- the header ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code", "expected"),
    [
        (
            "duplicate-header.csv",
            1,
            [
                (
                    "error",
                    "structure.duplicate_column",
                    "country",
                    "column 'country' appears twice in the header (columns 7 and 9)",
                )
            ],
        ),
        (
            "blank-header.csv",
            1,
            [("error", "structure.blank_header", None, "column 6 has no name but holds data")],
        ),
        (
            "padded-header.csv",
            0,
            [
                (
                    "warning",
                    "structure.header_whitespace",
                    "source",
                    "header ' source ' has leading or trailing spaces",
                ),
                (
                    "warning",
                    "structure.header_whitespace",
                    "notes",
                    "header 'notes\t' has leading or trailing spaces",
                ),
            ],
        ),
        (
            "missing-required-column.csv",
            1,
            [
                (
                    "error",
                    "structure.missing_column",
                    "source_date",
                    "required column 'source_date' is missing",
                )
            ],
        ),
        (
            "unknown-extra-column.csv",
            1,
            [
                (
                    "error",
                    "structure.unknown_column",
                    "reviewer",
                    "column 'reviewer' is not in schema events",
                )
            ],
        ),
    ],
)
def test_header_problems_are_structure_findings_naming_the_columns(name, code, expected):
    result_code, report = validate_json(BAD / name)

    assert result_code == code
    assert [
        (f["severity"], f["rule"], f["column"], f["message"]) for f in report["findings"]
    ] == expected
    assert {(f["row"], f["line"]) for f in report["findings"]} == {(None, 1)}


def test_a_padded_header_still_maps_its_column():
    table = load_table(BAD / "padded-header.csv")

    assert table.frame.get_column("source").to_list() == ["Reuters", "Reuters"]


@pytest.mark.parametrize("name", ["duplicate-header.csv", "missing-required-column.csv"])
def test_a_broken_header_is_never_exported_even_with_quarantine(tmp_path, name):
    out = tmp_path / "out"

    result = invoke("export", BAD / name, "--out", out, "--quarantine")

    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "nothing written" in result.stderr
    assert not out.exists() or not any(out.iterdir())


# --- huge ------------------------------------------------------------------------------


def timed(path: Path, *options: str) -> tuple[float, int, dict]:
    start = time.perf_counter()
    code, report = validate_json(path, *options)
    return time.perf_counter() - start, code, report


def test_a_10_mb_cell_is_a_finding_within_seconds(generated):
    seconds, code, report = timed(generated["big-cell.csv"])

    assert seconds < SECONDS
    assert code == 1
    (error,) = [f for f in report["findings"] if f["severity"] == "error"]
    assert (error["rule"], error["column"], error["row"], error["line"]) == (
        "value.too_long",
        "notes",
        1,
        2,
    )
    assert error["message"] == "notes is 10000000 characters long; the limit is 32767"


def test_a_10_mb_cell_does_not_flood_the_text_report(generated):
    result = invoke("validate", generated["big-cell.csv"])

    assert result.exit_code == 1
    assert len(result.stdout) < 2_000


def test_a_header_of_10000_columns_is_findings_within_seconds(generated):
    seconds, code, report = timed(generated["wide-header.csv"])

    assert seconds < SECONDS
    assert code == 1
    assert {c["rule"] for c in report["counts"]} == {"structure.unknown_column"}
    assert sum(c["count"] for c in report["counts"]) == 9981  # one per extra column
    assert len(report["findings"]) == 500  # --max-findings default; the count stays exact
    assert report["truncated"] is True
    assert report["findings"][0]["message"] == "column 'extra_0' is not in schema events"


def test_a_row_of_10000_fields_is_one_ragged_finding_within_seconds(generated):
    seconds, code, report = timed(generated["wide-row.csv"])

    assert seconds < SECONDS
    assert code == 1
    assert found(report) == [("structure.ragged", None, 1, 2)]
    assert report["findings"][0]["message"] == "the record has 10000 fields; the header has 19"


# --- workbooks -------------------------------------------------------------------------


def test_a_workbook_is_read_from_its_first_sheet_unless_one_is_named(generated):
    code, report = validate_json(generated["messy.xlsx"])

    assert code == 1
    assert report["rows"] == 0
    # the README sheet is not an event table: one finding says so, at its header
    assert [(f["rule"], f["cell"]) for f in report["findings"]] == [
        ("structure.schema_mismatch", "README!A1")
    ]


def test_messy_workbook_findings_point_at_sheet_cells(generated):
    code, report = validate_json(generated["messy.xlsx"], "--sheet", "events")

    assert code == 1
    assert report["rows"] == 4  # the hidden row is read like any other
    assert [
        (f["rule"], f["column"], f["row"], f["cell"], f["value"]) for f in report["findings"]
    ] == [
        # the lower half of a merged cell is empty: only the top-left cell holds the value
        ("value.required", "source", 3, "events!P4", None),
        # a number typed into the date column is not taken for an Excel date serial
        ("date.invalid", "date", 4, "events!B5", "45541"),
    ]


def test_workbook_cells_are_read_as_cached_text_never_evaluated(generated):
    table = load_table(generated["messy.xlsx"], sheet="events")
    rows = table.frame.rows(named=True)

    assert [r["__line"] for r in rows] == [2, 3, 4, 5]
    assert rows[0]["event_id"] == "007"  # a text cell keeps its leading zeros
    assert rows[0]["event_type"] == "agreement"  # =LOWER("AGREEMENT"), cached
    assert rows[0]["source_url"] == "https://www.reuters.com/"  # =HYPERLINK(...), cached
    assert rows[0]["source_date"] == "2024-09-06"  # a real date cell becomes ISO text
    # =SUM(100,20) computes 120, but Excel cached 300: the cache is what is read
    assert rows[1]["personnel"] == "300"
    assert [r["source"] for r in rows] == ["Reuters", "Reuters", None, "Reuters"]


def _export_texts(out: Path) -> dict[str, str]:
    """Every exported file as searchable text (the workbook and Parquet cell by cell)."""
    texts = {}
    for path in out.iterdir():
        if path.suffix == ".xlsx":
            wb = load_workbook(path)
            cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
            assert [c.coordinate for c in cells if c.data_type == "f"] == []
            texts[path.name] = "\n".join(str(c.value) for c in cells if c.value is not None)
        elif path.suffix == ".parquet":
            frame = pl.read_parquet(path)
            texts[path.name] = "\n".join(
                str(v) for column in frame.columns for v in frame.get_column(column).to_list()
            )
        else:
            texts[path.name] = path.read_text(encoding="utf-8")
    return texts


def test_formulas_are_never_carried_into_exports(generated, tmp_path):
    out = tmp_path / "out"

    result = invoke(
        "export", generated["messy.xlsx"], "--sheet", "events", "--out", out, "--quarantine"
    )

    assert result.exit_code == 0, result.output
    texts = _export_texts(out)
    assert set(texts) == {
        "messy.csv",
        "messy.parquet",
        "messy.xlsx",
        "messy.rejected.csv",
        "manifest.json",
    }
    for name, text in texts.items():
        for formula, _cached, _kind in make_bad.FORMULAS.values():
            assert formula.split("(")[0] + "(" not in text, (name, formula)
    assert "agreement" in texts["messy.csv"]  # the cached value is exported instead
    assert "300" in texts["messy.csv"]


def test_a_text_id_007_stays_007_in_every_export(generated, tmp_path):
    out = tmp_path / "out"

    invoke("export", generated["messy.xlsx"], "--sheet", "events", "--out", out, "--quarantine")

    csv_ids = pl.read_csv(out / "messy.csv", infer_schema=False).get_column("event_id")
    assert csv_ids.to_list()[0] == "007"
    assert pl.read_parquet(out / "messy.parquet").get_column("event_id").to_list()[0] == "007"
    cell = load_workbook(out / "messy.xlsx")["events"]["A2"]
    assert (cell.value, cell.data_type) == ("007", "s")


def test_a_month_that_excel_turned_into_a_date_cell_is_not_silently_a_day(tmp_path):
    from datetime import date

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "events"
    ws.append(HEADER)
    planned = event_row("iq-2024-002")  # "../2025-09", status planned
    ws.append([planned[h] or None for h in HEADER])
    ws["B2"].value = date(2025, 9, 1)
    ws["B2"].number_format = "mmm-yy"
    path = tmp_path / "month.xlsx"
    wb.save(path)

    report = validate_table(load_table(path))

    assert [(f.rule, f.severity, f.column, f.cell, f.value) for f in report.findings] == [
        ("date.excel_date_cell", "warning", "date", "events!B2", "2025-09-01")
    ]


# --- zip bombs and tiny files that ask for huge memory -----------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unpacked(generated):
    start = time.perf_counter()
    result = invoke("validate", generated["zip-bomb.xlsx"])

    assert time.perf_counter() - start < SECONDS
    message = assert_one_error_line(result, "refused", "zip bomb")
    assert re.search(r"expands from [\d,]+ bytes to more than [\d,]+ \(a zip bomb\?\)", message)


MEMORY_LIMIT = 3 << 30  # far above what validating the reference table needs


def _toolkit_with_memory_limit(
    *args: str | Path, timeout: float = 60
) -> subprocess.CompletedProcess:
    """Run `python -m toolkit ARGS` with at most 3 GiB of address space and `timeout` s, so a
    regression that reads without bound fails in that process instead of eating the machine."""
    resource = pytest.importorskip("resource")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run(
        [sys.executable, "-m", "toolkit", *(str(a) for a in args)],
        capture_output=True,
        text=True,
        preexec_fn=limit,
        timeout=timeout,
        env={**os.environ, "RUST_BACKTRACE": "0"},
        check=False,
    )


def _validate_with_memory_limit(path: Path) -> subprocess.CompletedProcess:
    return _toolkit_with_memory_limit("validate", path)


def assert_refused(result: subprocess.CompletedProcess, message: str) -> None:
    """Exit 2, nothing on stdout, and exactly `error: MESSAGE` on stderr."""
    assert (result.returncode, result.stderr) == (2, f"error: {message}\n"), result.stderr[-500:]
    assert result.stdout == ""


def test_the_memory_limit_leaves_room_for_a_normal_run():
    assert _validate_with_memory_limit(EVENTS_CSV).returncode == 0


def test_a_zip_bomb_that_lies_about_its_sizes_is_refused(generated):
    result = _validate_with_memory_limit(generated["zip-bomb-lying-sizes.xlsx"])

    assert result.returncode == 2, result.stderr[-500:]
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1


def test_a_single_far_away_cell_does_not_exhaust_memory(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "events"
    ws.append(HEADER)
    ws["XFD1048576"] = "x"
    path = tmp_path / "far.xlsx"
    wb.save(path)

    result = _validate_with_memory_limit(path)

    assert_refused(
        result,
        f"{path}: refused: xl/worksheets/sheet1.xml spans 1,048,576 rows and 16,384 columns "
        "(a stray cell far from the table?); delete it and save again",
    )


@pytest.mark.parametrize("name", ["stray-cell.xlsx", "stray-cell-hidden.xlsx"])
def test_a_stray_cell_in_a_two_letter_column_is_refused_within_seconds(generated, name):
    start = time.perf_counter()
    result = _validate_with_memory_limit(generated[name])

    assert time.perf_counter() - start < SECONDS
    assert_refused(
        result,
        f"{generated[name]}: refused: xl/worksheets/sheet1.xml spans 1,048,576 rows and 702 "
        "columns (a stray cell far from the table?); delete it and save again",
    )


def test_a_reference_cut_by_the_inflate_block_still_counts(tmp_path):
    from toolkit.loading.xlsx import _check_archive

    # the far cell sits in row 2, so only its own reference tells how far it reaches, and
    # that reference is cut by the end of the first 4 MiB block the guard inflates
    head = make_bad._SHEET_OPEN + make_bad._header_row() + b'<row r="2"><c r="A2" t="inlineStr">'
    far = b'<c r="ZZ1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    cut = (1 << 22) - 3  # `ZZ1` before the boundary, `048576` after it
    pad = b"p" * (cut - len(head) - len(b"<is><t></t></is></c>") - far.index(b"ZZ1048576"))
    sheet = head + b"<is><t>" + pad + b"</t></is></c>" + far + make_bad._SHEET_CLOSE
    assert sheet[(1 << 22) - 3 : (1 << 22) + 6] == b"ZZ1048576"
    path = make_bad._workbook_with_sheet(tmp_path / "cut.xlsx", sheet)

    with pytest.raises(InputError, match=r"spans 1,048,576 rows and 702 columns"):
        _check_archive(path, path.read_bytes())


@pytest.mark.parametrize(
    "cell",
    [
        b"<c r='ZZ1048576' t=\"inlineStr\"><is><t>x</t></is></c>",  # single quotes
        b'<c t="inlineStr"\n r="ZZ1048576"><is><t>x</t></is></c>',  # on a line of its own
        b'<c r="ZZ1048576"/>',  # an empty cell: calamine still sizes its range by it
    ],
    ids=["single-quotes", "newline-before", "empty-cell"],
)
def test_a_far_reference_is_found_however_it_is_written(tmp_path, cell):
    from toolkit.loading.xlsx import _check_archive

    sheet = make_bad._SHEET_OPEN + make_bad._header_row() + b'<row r="2">' + cell + b"</row>"
    path = make_bad._workbook_with_sheet(tmp_path / "far.xlsx", sheet + make_bad._SHEET_CLOSE)

    with pytest.raises(InputError, match=r"spans 1,048,576 rows and 702 columns"):
        _check_archive(path, path.read_bytes())


def test_a_far_reference_in_the_last_bytes_of_a_sheet_is_read_too():
    from toolkit.loading.xlsx import _sheet_reach

    sheet = io.BytesIO(
        b'<row r="1"><c r="A1"/><c r="ZZ1048576'
    )  # cut short, as a hostile file may be

    assert _sheet_reach(sheet, lambda size: None) == (1048576, 702)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_behind_a_csv_name_is_refused_at_once(tmp_path, device):
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    path = tmp_path / "events.csv"
    path.symlink_to(device)

    start = time.perf_counter()
    result = _validate_with_memory_limit(path)

    assert time.perf_counter() - start < SECONDS
    assert_refused(result, f"{path}: is a device, not a table file")


@contextmanager
def feeding(path: Path, chunks: Iterable[bytes]) -> Iterator[threading.Thread]:
    """Write `chunks` into the FIFO `path` from a thread until they end or the reader goes;
    afterwards release a writer still waiting for a reader."""

    def write() -> None:
        with suppress(BrokenPipeError), open(path, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    try:
        yield thread
    finally:
        if thread.is_alive():
            with suppress(OSError), open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb"):
                pass
        thread.join(10)


def make_fifo(tmp_path: Path, name: str = "events.csv") -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs FIFOs")
    path = tmp_path / name
    os.mkfifo(path)
    return path


def test_an_endless_stream_of_random_bytes_is_refused_at_its_first_nul(tmp_path):
    block = random.Random(12).randbytes(1 << 20)
    assert not block.startswith((b"\xff\xfe", b"\xfe\xff"))  # not taken for UTF-16
    line = block.count(b"\n", 0, block.index(b"\x00")) + 1
    path = make_fifo(tmp_path)

    with feeding(path, itertools.repeat(block)):
        result = _validate_with_memory_limit(path)

    assert_refused(
        result,
        f"{path}: line {line} contains a NUL byte; this is not a text CSV file "
        "(a binary file, or UTF-16 without a byte-order mark?)",
    )


def test_an_endless_stream_of_text_is_refused_at_512_mib(tmp_path):
    path = make_fifo(tmp_path)
    rows = b"a,b\n" + b"1,2\n" * (1 << 18)

    with feeding(path, itertools.repeat(rows)):
        result = _validate_with_memory_limit(path)

    assert_refused(
        result,
        f"{path}: refused: larger than 536,870,912 bytes (512 MiB), the most the toolkit reads",
    )


def test_a_line_of_17_mib_is_refused_in_bounded_memory(tmp_path):
    path = tmp_path / "long-line.csv"
    path.write_bytes(EVENTS_CSV.read_bytes() + b"x" * (17 << 20) + b"\n")
    line = EVENTS_CSV.read_bytes().count(b"\n") + 1

    result = _validate_with_memory_limit(path)

    assert_refused(
        result,
        f"{path}: refused: line {line} is {17 << 20:,} bytes long; lines over 16 MiB are not read",
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "header-too-long.csv",
            "refused: the header is longer than 1,048,576 bytes (1 MiB); is the first line a "
            "table header?",
        ),
        (
            "too-many-columns.csv",
            "refused: the header has 20,000 columns; at most 16,384 are read (an Excel "
            "sheet's width)",
        ),
        (
            "too-many-fields.csv",
            "refused: line 3 has 20,000 fields; at most 16,384 are read (an Excel sheet's width)",
        ),
    ],
)
def test_a_table_wider_than_an_excel_sheet_is_one_error_line(generated, name, message):
    result = invoke("validate", generated[name])

    assert_one_error_line(result)
    assert result.stderr == f"error: {generated[name]}: {message}\n"


def test_an_alias_bomb_schema_is_refused_within_seconds():
    start = time.perf_counter()
    result = _toolkit_with_memory_limit(
        "validate", EVENTS_CSV, "--schema", BAD / "alias-bomb.yaml", timeout=SECONDS * 3
    )

    assert time.perf_counter() - start < SECONDS
    assert_refused(
        result,
        f"schema {BAD / 'alias-bomb.yaml'}: line 12: holds more than 200,000 values once its "
        "aliases are expanded (an alias bomb?)",
    )


# --- read once: FIFOs and inputs that change -----------------------------------------------


def test_validate_and_export_read_a_fifo_once(tmp_path):
    path = make_fifo(tmp_path)
    with feeding(path, [EVENTS_CSV.read_bytes()]):
        validated = _toolkit_with_memory_limit("validate", path, "--format", "json")
    with feeding(path, [EVENTS_CSV.read_bytes()]):
        exported = _toolkit_with_memory_limit("export", path, "--out", tmp_path / "out")

    assert validated.returncode == 0, validated.stderr
    assert {k: v for k, v in json.loads(validated.stdout).items() if k != "table"} == {
        k: v for k, v in REFERENCE.items() if k != "table"
    }
    assert exported.returncode == 0, exported.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["input"]["sha256"] == hashlib.sha256(EVENTS_CSV.read_bytes()).hexdigest()
    reference = tmp_path / "reference"
    assert invoke("export", EVENTS_CSV, "--out", reference).exit_code == 0
    assert (tmp_path / "out" / "events.csv").read_bytes() == (reference / "events.csv").read_bytes()


def test_a_file_that_grows_during_export_is_hashed_as_it_was_read(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(EVENTS_CSV.read_bytes())
    table = load_table(path)
    with path.open("a", encoding="utf-8", newline="") as f:  # another program appends a row
        csv.writer(f, lineterminator="\n").writerow(event_row(event_id="late-1").values())

    result = export_table(table, tmp_path / "out")

    assert result.manifest["input"]["sha256"] == hashlib.sha256(EVENTS_CSV.read_bytes()).hexdigest()
    assert (result.manifest["input"]["rows"], result.exported_rows) == (17, 17)


# --- quarantine keeps every field ----------------------------------------------------------


def _records(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_a_rejected_long_record_keeps_every_field(tmp_path):
    source = BAD / "ragged-too-many.csv"
    original = _records(source.read_text(encoding="utf-8"))

    result = invoke("export", source, "--out", tmp_path, "--quarantine")

    assert result.exit_code == 0, result.output
    header, *rows = _records((tmp_path / "ragged-too-many.rejected.csv").read_text("utf-8"))
    assert header == ["row", "line", "fields", "reasons", *HEADER, "field_20", "field_21"]
    assert len(rows) == 1
    assert rows[0][:3] == ["2", "3", "21"]
    assert rows[0][4:] == original[2]  # the 21 fields of line 3, the last two included
    # a finding about the whole record names no column
    assert rows[0][3] == "structure.ragged: the record has 21 fields; the header has 19"
    assert original[2][19:] == ["stray", "cells"]


def test_a_rejected_short_record_gains_no_cell(tmp_path):
    source = BAD / "ragged-too-few.csv"
    original = _records(source.read_text(encoding="utf-8"))

    result = invoke("export", source, "--out", tmp_path, "--quarantine")

    assert result.exit_code == 0, result.output
    header, *rows = _records((tmp_path / "ragged-too-few.rejected.csv").read_text("utf-8"))
    assert header == ["row", "line", "fields", "reasons", *HEADER]
    assert rows[0][:3] == ["2", "3", "16"]
    assert rows[0][4 : 4 + 16] == original[2]  # `fields` says the record ends here
    assert rows[0][4 + 16 :] == ["", "", ""]


@pytest.mark.parametrize("terminator", ["\n", "\r\n"])
def test_every_rejected_record_is_its_fields_as_read(tmp_path, terminator):
    def good(number: int) -> list[str]:
        return list(event_row(event_id=f"iq-2024-{number:03}").values())

    records = [
        good(1),
        [*good(2), "", "x,y", 'say "hi"', "two\nlines"],  # 23 fields
        good(3)[:3],
        [*good(4), ""],  # one empty field past the header
        [*good(5)[:18], "notes\nwith a break", "extra"],
        good(6)[:1],
    ]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=terminator)
    writer.writerow(HEADER)
    writer.writerows(records)
    path = tmp_path / "mixed.csv"
    path.write_bytes(out.getvalue().encode())

    result = export_table(load_table(path), tmp_path / "out", quarantine=True)

    assert (result.exported_rows, result.rejected_rows) == (1, 5)
    header, *rows = _records((tmp_path / "out" / "mixed.rejected.csv").read_text("utf-8"))
    assert header == [
        "row",
        "line",
        "fields",
        "reasons",
        *HEADER,
        "field_20",
        "field_21",
        "field_22",
        "field_23",
    ]
    for row in rows:
        fields = int(row[2])
        record = records[int(row[0]) - 1]
        assert row[4 : 4 + fields] == record
        assert row[4 + fields :] == [""] * (len(header) - 4 - fields)


# --- text that looks fine and is not ---------------------------------------------------


def test_control_characters_are_errors_per_cell():
    code, report = validate_json(BAD / "control-characters.csv")
    text = [f for f in report["findings"] if f["rule"].startswith("text.")]

    assert code == 1
    assert report["errors"] == 3
    assert [(f["rule"], f["column"], f["row"], f["line"], f["message"]) for f in text] == [
        (
            "text.control_characters",
            "actor1",
            1,
            2,
            "actor1 contains control characters or line breaks",
        ),
        (
            "text.control_characters",
            "location",
            2,
            3,
            "location contains control characters or line breaks",
        ),
        ("text.control_characters", "notes", 3, 4, "notes contains control characters"),
    ]
    assert {f["hint"] for f in text} == {
        "retype the value; control characters usually come from copy and paste"
    }


def test_invisible_characters_are_warnings_and_kept():
    code, report = validate_json(BAD / "invisible-characters.csv")
    text = [f for f in report["findings"] if f["rule"].startswith("text.")]

    assert code == 0
    assert [(f["rule"], f["column"], f["row"], f["value"]) for f in text] == [
        ("text.invisible_characters", "actor1", 1, "\u200fGovernment of Iraq"),
        ("text.invisible_characters", "location", 2, "Baghdad\u00a0Green Zone"),
        ("text.invisible_characters", "actor2", 3, "Islamic\u200b State"),
        ("text.invisible_characters", "source", 4, "Reu\u202eters"),
    ]
    assert {f["hint"] for f in text} == {"retype the value; the characters are kept as they are"}


def test_homoglyph_country_codes_get_a_look_alike_hint():
    code, report = validate_json(BAD / "homoglyph-country.csv")

    assert code == 1
    countries = [f for f in report["findings"] if f["rule"] == "country.unknown"]
    assert [(f["row"], f["value"], f["hint"]) for f in countries] == [
        (1, "\u0406RQ", "did you mean IRQ? the value contains non-Latin look-alike letters"),
        (2, "\u0399RQ", "did you mean IRQ? the value contains non-Latin look-alike letters"),
        (3, "\u0405YR", "did you mean SYR? the value contains non-Latin look-alike letters"),
    ]


def test_homoglyph_subdivision_codes_get_a_look_alike_hint():
    _, report = validate_json(BAD / "homoglyph-country.csv")

    (finding,) = [f for f in report["findings"] if f["rule"] == "subdivision.unknown"]
    assert "look-alike" in finding["hint"]
    assert "IQ-AN" in finding["hint"]


def _csv_records(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_invisible_characters_survive_export_unchanged(tmp_path):
    source = _csv_records(BAD / "invisible-characters.csv")

    result = invoke("export", BAD / "invisible-characters.csv", "--out", tmp_path)

    assert result.exit_code == 0, result.output
    exported = _csv_records(tmp_path / "invisible-characters.csv")
    for column, row in (("actor1", 0), ("location", 1), ("actor2", 2), ("source", 3)):
        assert exported[row][column] == source[row][column]
    parquet = pl.read_parquet(tmp_path / "invisible-characters.parquet")
    assert parquet.get_column("location").to_list()[1] == "Baghdad\u00a0Green Zone"
    workbook = load_workbook(tmp_path / "invisible-characters.xlsx")["events"]
    assert workbook["F4"].value == "Islamic\u200b State"


@pytest.mark.parametrize(
    ("name", "column", "values"),
    [
        ("control-characters.csv", "actor1", ["US\x07 forces"]),
        ("homoglyph-country.csv", "country", ["\u0406RQ", "\u0399RQ", "\u0405YR"]),
    ],
)
def test_rejected_values_are_kept_as_typed_never_cleaned(tmp_path, name, column, values):
    result = invoke("export", BAD / name, "--out", tmp_path, "--quarantine")

    assert result.exit_code == 0, result.output
    rejected = [r[column] for r in _csv_records(tmp_path / name.replace(".csv", ".rejected.csv"))]
    for value in values:
        assert value in rejected
    exported = (tmp_path / name).read_text(encoding="utf-8")
    for value in values:
        assert value not in exported


# --- outputs that cannot be written ----------------------------------------------------


@pytest.fixture
def previous(tmp_path) -> tuple[Path, dict[str, bytes]]:
    """An output directory holding a previous, complete export, and its bytes."""
    out = tmp_path / "out"
    assert invoke("export", EVENTS_CSV, "--out", out).exit_code == 0
    return out, snapshot(out)


def assert_untouched(out: Path, before: dict[str, bytes]) -> None:
    assert snapshot(out) == before
    assert no_temp_files(out)


def test_an_unwritable_output_directory_exits_non_zero_and_keeps_previous_outputs(previous):
    out, before = previous
    out.chmod(0o500)
    try:
        if os.access(out, os.W_OK):
            pytest.skip("running as root: chmod does not make the directory read-only")
        result = invoke("export", EVENTS_CSV, "--out", out)
    finally:
        out.chmod(0o700)

    assert_one_error_line(result, str(out), "not writable")
    assert_untouched(out, before)


def _partial_then(exc: BaseException):
    """A writer that writes half a file, then fails the way a full disk or Ctrl-C does."""

    def writer(*args, **kwargs):
        path = next(a for a in args if isinstance(a, Path))
        path.write_bytes(b"PAR1 half a file")
        raise exc

    return writer


def test_a_full_disk_exits_non_zero_and_keeps_previous_outputs(previous, monkeypatch):
    out, before = previous
    monkeypatch.setattr(
        "toolkit.export.write_parquet",
        _partial_then(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))),
    )

    result = invoke("export", EVENTS_CSV, "--out", out)

    assert_one_error_line(result, str(out), os.strerror(errno.ENOSPC))
    assert_untouched(out, before)


def test_a_full_disk_is_an_export_error_in_the_api(previous, monkeypatch):
    out, before = previous
    monkeypatch.setattr(
        "toolkit.export.write_parquet",
        _partial_then(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))),
    )

    with pytest.raises(ExportError, match="No space left on device"):
        export_table(load_table(EVENTS_CSV), out)
    assert_untouched(out, before)


def test_ctrl_c_during_export_keeps_previous_outputs(previous, monkeypatch):
    out, before = previous
    monkeypatch.setattr("toolkit.export.xlsx.write_xlsx", _partial_then(KeyboardInterrupt()))

    result = invoke("export", EVENTS_CSV, "--out", out)

    assert result.exit_code == 130
    assert "Traceback" not in result.stderr
    assert result.stderr == "error: interrupted; no output was changed\n"
    assert_untouched(out, before)


def test_the_input_file_is_never_modified(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(EVENTS_CSV.read_bytes())
    digest = hashlib.sha256(path.read_bytes()).hexdigest()

    invoke("export", path, "--out", tmp_path / "out", "--quarantine")

    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


# --- a real bug ------------------------------------------------------------------------


@pytest.fixture
def broken_validate(monkeypatch):
    def divide(*args, **kwargs):
        return 1 / 0

    monkeypatch.setattr(importlib.import_module("toolkit.cli.validate"), "validate_table", divide)


def test_an_unexpected_bug_is_one_line_without_debug(broken_validate):
    result = invoke("validate", EVENTS_CSV)

    assert_one_error_line(result)
    assert result.stderr == (
        "error: unexpected ZeroDivisionError: division by zero "
        "(rerun with --debug for the traceback)\n"
    )


def test_debug_shows_the_traceback_of_an_unexpected_bug(broken_validate):
    result = invoke("--debug", "validate", EVENTS_CSV)

    assert result.exit_code == 2
    assert "Traceback" in result.stderr
    assert "ZeroDivisionError" in result.stderr
    assert result.stderr.endswith(
        "error: unexpected ZeroDivisionError: division by zero "
        "(rerun with --debug for the traceback)\n"
    )


# --- the corpus is documented ----------------------------------------------------------


def test_every_case_is_described_in_the_readme():
    readme = (BAD / "README.md").read_text(encoding="utf-8")
    committed = [
        p.name for p in BAD.iterdir() if p.suffix in (".csv", ".xlsx", ".parquet", ".yaml")
    ]

    for name in [*committed, *make_bad.CASES]:
        assert f"`{name}`" in readme, name
    assert "## What the toolkit refuses and why" in readme


def _refusal_table(readme: Path) -> list[str]:
    text = readme.read_text(encoding="utf-8").split("## What the toolkit refuses and why")[1]
    rows = itertools.dropwhile(lambda line: not line.startswith("|"), text.splitlines())
    return list(itertools.takewhile(lambda line: line.startswith("|"), rows))


def test_the_refusal_table_is_the_same_in_both_readmes():
    table = _refusal_table(ROOT / "README.md")

    assert _refusal_table(BAD / "README.md") == table
    assert len(table) > 20
