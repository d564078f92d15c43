"""`toolkit validate`: exit codes, streams, and output equal to the Python API's."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from conftest import EVENTS_CSV, INVALID, event_row
from openpyxl import Workbook
from typer.testing import CliRunner

from toolkit import load_table, validate_table
from toolkit.cli import app


def invoke(*args: str):
    return CliRunner().invoke(app, ["validate", *args])


def assert_input_error(result, message: str) -> None:
    """Exit 2, nothing on stdout, one `error:` line on stderr, no traceback."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"
    assert "Traceback" not in result.stderr


def test_valid_table_with_a_warning_exits_0():
    result = invoke(str(EVENTS_CSV))

    assert result.exit_code == 0
    assert result.stdout.startswith(f"{EVENTS_CSV}: valid — 17 rows, 0 errors, 17 warnings")
    assert result.stderr == ""


def test_strict_turns_the_warning_into_exit_1():
    result = invoke(str(EVENTS_CSV), "--strict")

    assert result.exit_code == 1
    assert result.stdout.startswith(f"{EVENTS_CSV}: INVALID — 17 rows, 0 errors, 17 warnings")


def test_invalid_table_exits_1_and_reports_on_stdout():
    path = INVALID / "date-invalid.csv"

    result = invoke(str(path))

    assert result.exit_code == 1
    assert f"{path}:2: error: '2024-02-30' is not a date in the accepted forms [date.invalid]" in (
        result.stdout
    )
    assert result.stderr == ""


def test_header_only_file_is_valid_with_no_rows(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text(EVENTS_CSV.read_text(encoding="utf-8").splitlines()[0] + "\n")

    result = invoke(str(path), "--format", "json")

    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert (report["valid"], report["rows"], report["findings"]) == (True, 0, [])


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.csv", b"", "no header: the file is empty"),
        ("blank.csv", b"\n\n", "no header: the file is empty"),
        (
            "binary.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "line 3 contains a NUL byte; this is not a text CSV file "
            "(a binary file, or UTF-16 without a byte-order mark?)",
        ),
        (
            "latin1.csv",
            b"event_id\ncaf\xe9\n",
            "line 2 is not valid UTF-8 (byte 0xe9); if it was saved by a spreadsheet, "
            "try --encoding cp1252",
        ),
        (
            "events.json",
            b"{}",
            "unknown table format '.json'; expected .csv, .xlsx, .parquet or .geojson",
        ),
        ("events.xlsx", b"not a zip", "is not a valid .xlsx workbook (not a zip archive)"),
    ],
)
def test_unreadable_input_exits_2_with_one_error_line(tmp_path, name, data, problem):
    path = tmp_path / name
    path.write_bytes(data)

    assert_input_error(invoke(str(path)), f"{path}: {problem}")


def test_missing_path_exits_2(tmp_path):
    path = tmp_path / "missing.csv"

    assert_input_error(invoke(str(path)), f"{path}: no such file")


def test_directory_exits_2(tmp_path):
    assert_input_error(invoke(str(tmp_path)), f"{tmp_path}: is a directory, not a table")


def test_sheet_on_a_csv_exits_2():
    assert_input_error(
        invoke(str(EVENTS_CSV), "--sheet", "events"),
        f"{EVENTS_CSV}: --sheet applies to .xlsx workbooks only",
    )


def test_a_multi_character_delimiter_exits_2():
    assert_input_error(
        invoke(str(EVENTS_CSV), "--delimiter", ";;"),
        "--delimiter must be a single character, got ';;'",
    )


def test_an_unknown_format_is_a_usage_error_exit_2():
    result = invoke(str(EVENTS_CSV), "--format", "xml")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_no_arguments_shows_help():
    result = invoke()

    assert "Usage: toolkit validate" in result.output
    assert result.exit_code == 2


@pytest.mark.parametrize(
    "name", ["date-invalid.csv", "duplicate-event-id.csv", "multiline-notes-then-error.csv"]
)
def test_json_output_equals_the_python_api(name):
    path = INVALID / name

    result = invoke(str(path), "--format", "json")

    assert result.exit_code == 1
    assert json.loads(result.stdout) == validate_table(load_table(path)).to_dict()


def test_json_output_of_the_reference_table_equals_the_python_api():
    result = invoke(str(EVENTS_CSV), "-f", "json")

    assert result.exit_code == 0
    assert json.loads(result.stdout) == validate_table(load_table(EVENTS_CSV)).to_dict()


def test_max_findings_lists_that_many_but_counts_every_error(write_csv):
    rows = [event_row(event_id=f"e-{i}", date="2024-02-30") for i in range(5000)]
    path = write_csv(rows)

    result = invoke(str(path), "--format", "json", "--max-findings", "2")

    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["errors"], len(report["findings"]), report["truncated"]) == (5000, 2, True)
    assert [(f["row"], f["line"]) for f in report["findings"]] == [(1, 2), (2, 3)]
    assert report["counts"] == [
        {"rule": "date.invalid", "column": "date", "severity": "error", "count": 5000}
    ]


def test_max_findings_zero_lists_none():
    result = invoke(str(INVALID / "date-invalid.csv"), "-f", "json", "--max-findings", "0")

    report = json.loads(result.stdout)
    assert (result.exit_code, report["errors"], report["findings"]) == (1, 1, [])


def test_github_format_annotates_the_line():
    path = INVALID / "multiline-notes-then-error.csv"

    result = invoke(str(path), "--format", "github")

    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"::error file={path},line=4,title=date.invalid [date]::'2024-09-31' is not a date in "
        "the accepted forms — accepted forms: 2024-03-22, 2025-09, 2026, 2024-03-22/2024-03-24, "
        "../2025-09, 2025-09/.., with ~ ? %25"
    )


def test_junit_format_is_xml_with_one_failure():
    result = invoke(str(INVALID / "count-order.csv"), "--format", "junit")

    suite = ET.fromstring(result.stdout.split("\n", 1)[1])
    assert result.exit_code == 1
    assert (suite.attrib["tests"], suite.attrib["failures"]) == ("1", "1")
    (failure,) = suite.iter("failure")
    assert failure.attrib["type"] == "count.order"


def test_a_workbook_sheet_is_chosen_with_sheet(tmp_path):
    wb = Workbook()
    wb.active.title = "notes"
    wb.active.append(["not", "the", "table"])
    events = wb.create_sheet("events")
    header = EVENTS_CSV.read_text(encoding="utf-8").splitlines()[0].split(",")
    events.append(header)
    events.append([v or None for v in event_row(date="x").values()])
    path = tmp_path / "events.xlsx"
    wb.save(path)

    result = invoke(str(path), "--sheet", "events", "-f", "json")

    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["row"], finding["cell"]) == ("date.invalid", 1, "events!B2")


def test_semicolon_file_without_delimiter_option_says_how_to_fix_it(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text("event_id;date\na;2024\n")

    assert_input_error(
        invoke(str(path)),
        f"{path}: the header has a single column containing ';'; "
        "if the file is ';'-delimited, pass --delimiter ';'",
    )


def test_an_unexpected_failure_is_one_line_not_a_traceback(tmp_path):
    schema = tmp_path / "s.yaml"
    schema.write_text("name: t\ncolumns:\n  - {name: a, kind: text, pattern: '^(?!x)'}\n")
    table = tmp_path / "t.csv"
    table.write_text("a\nabc\n")

    result = invoke(str(table), "--schema", str(schema))

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_several_tables_are_reported_in_turn_and_the_worst_exit_code_wins():
    invalid = INVALID / "date-invalid.csv"

    result = invoke(str(EVENTS_CSV), str(invalid))

    assert result.exit_code == 1
    verdicts = [line for line in result.stdout.splitlines() if " rows, " in line]
    assert verdicts == [
        f"{EVENTS_CSV}: valid — 17 rows, 0 errors, 17 warnings (schema events 1.0)",
        f"{invalid}: INVALID — 1 rows, 1 errors, 0 warnings (schema events 1.0)",
    ]
    assert result.stdout.split(f"{invalid}: INVALID")[0].endswith("\n\n")


def test_an_unreadable_table_among_several_is_an_error_line_and_the_rest_are_checked(tmp_path):
    missing = tmp_path / "missing.csv"

    result = invoke(str(missing), str(EVENTS_CSV))

    assert result.exit_code == 2
    assert result.stderr == f"error: {missing}: no such file\n"
    assert result.stdout.startswith(f"{EVENTS_CSV}: valid — 17 rows")


@pytest.mark.parametrize("fmt", ["json", "junit"])
def test_json_and_junit_take_one_table(fmt):
    assert_input_error(
        invoke(str(EVENTS_CSV), str(EVENTS_CSV), "--format", fmt),
        f"--format {fmt} reports on one table; got 2",
    )


def test_markdown_format_prints_the_summary_on_stdout():
    result = invoke(str(INVALID / "date-invalid.csv"), "--format", "markdown")

    assert result.exit_code == 1
    assert result.stdout.splitlines()[:3] == [
        f"## ❌ {INVALID / 'date-invalid.csv'}: INVALID",
        "",
        "1 errors, 0 warnings in 1 rows (schema events 1.0)",
    ]
    assert result.stderr == ""
