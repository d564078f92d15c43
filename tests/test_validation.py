"""validate_table: one fixture per failure mode, each pinned to its exact finding."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from conftest import EVENTS_CSV, HEADER, INVALID, TODAY, event_row
from openpyxl import Workbook

from toolkit import Finding, Report, load_schema, load_table, validate_table
from toolkit.schema import compile_schema, parse_schema
from toolkit.validation import run_validation

# (severity, rule, column, row, line, value) of every finding, in report order.
INVALID_FIXTURES: dict[str, list[tuple]] = {
    "date-invalid.csv": [("error", "date.invalid", "date", 1, 2, "2024-02-30")],
    "date-order.csv": [("error", "date.order", "date", 1, 2, "2024-09-06/2024-03-22")],
    "date-before-minimum.csv": [("error", "date.range", "date", 1, 2, "1899")],
    "count-invalid.csv": [("error", "count.invalid", "fatalities", 1, 2, "dozens")],
    "count-order.csv": [("error", "count.order", "fatalities", 1, 2, "999-100")],
    "duplicate-event-id.csv": [
        ("error", "value.unique", "event_id", 1, 2, "iq-2024-001"),
        ("error", "value.unique", "event_id", 2, 3, "iq-2024-001"),
    ],
    "event-id-pattern.csv": [("error", "value.pattern", "event_id", 1, 2, "iq 2024/001")],
    "status-not-in-vocabulary.csv": [("error", "value.vocabulary", "status", 1, 2, "happened")],
    "event-type-wrong-case.csv": [("error", "value.vocabulary", "event_type", 1, 2, "Agreement")],
    "country-unknown.csv": [("error", "country.unknown", "country", 1, 2, "Iraq")],
    "admin1-wrong-country.csv": [("error", "subdivision.wrong_country", "admin1", 1, 2, "SY-RA")],
    "admin1-unknown.csv": [("error", "subdivision.unknown", "admin1", 1, 2, "IQ-ZZ")],
    "coordinates-only-one.csv": [("error", "coordinates.pair", "latitude", 1, 2, "33.3152")],
    "latitude-out-of-range.csv": [("error", "coordinates.range", "latitude", 1, 2, "133.3152")],
    "longitude-not-a-number.csv": [("error", "coordinates.invalid", "longitude", 1, 2, "44,3661")],
    "null-island.csv": [("error", "location.null_island", "latitude", 1, 2, "0")],
    "point-without-coordinates.csv": [
        ("error", "location.needs_coordinates", "latitude", 1, 2, None)
    ],
    "source-date-future.csv": [("error", "date.future", "source_date", 1, 2, "2026-12-01")],
    "source-date-invalid.csv": [("error", "date.invalid", "source_date", 1, 2, "06/09/2024")],
    "occurred-after-source-date.csv": [("error", "date.after_source", "date", 1, 2, "2024-09-07")],
    "url-invalid.csv": [("error", "url.invalid", "source_url", 1, 2, "www.reuters.com/world/")],
    "required-missing.csv": [("error", "value.required", "actor1", 1, 2, None)],
    "control-characters.csv": [
        ("error", "text.control_characters", "actor1", 1, 2, "Government of\x07 Iraq")
    ],
    # the first record spans lines 2-3, so the second record (row 2) starts on line 4
    "multiline-notes-then-error.csv": [("error", "date.invalid", "date", 2, 4, "2024-09-31")],
    "missing-required-column.csv": [("error", "structure.missing_column", "actor1", None, 1, None)],
    "duplicate-header.csv": [("error", "structure.duplicate_column", "source", None, 1, "source")],
    "unknown-column.csv": [("error", "structure.unknown_column", "comment", None, 1, "comment")],
    "ragged-row.csv": [("error", "structure.ragged", None, 2, 3, None)],
}


# Compiled once: compiling and running pandera dominates the cost of each test.
EVENTS = compile_schema(load_schema(), today=TODAY)


@functools.cache
def _fixture_report(name: str) -> Report:
    return validate_table(load_table(INVALID / name), EVENTS)


def _validate(path: Path, **options) -> Report:
    return validate_table(load_table(path), EVENTS, **options)


def _pinned(findings: tuple[Finding, ...]) -> list[tuple]:
    return [(f.severity, f.rule, f.column, f.row, f.line, f.value) for f in findings]


def test_every_invalid_fixture_is_pinned():
    on_disk = {p.name for p in INVALID.glob("*.csv")}
    assert on_disk == set(INVALID_FIXTURES)


@pytest.mark.parametrize("name", sorted(INVALID_FIXTURES))
def test_invalid_fixture_gives_exactly_its_finding(name):
    report = _fixture_report(name)

    assert _pinned(report.findings) == INVALID_FIXTURES[name]
    assert report.valid is False
    assert report.errors == len(INVALID_FIXTURES[name])
    assert report.warnings == 0


def test_reference_table_is_valid_with_a_warning_per_row_for_the_missing_link():
    report = _validate(EVENTS_CSV)

    assert report.valid is True
    assert report.rows == 17
    assert (report.errors, report.warnings) == (0, 17)
    # the report gives no link; row 4's notes span two lines, so row 5 starts on line 7
    lines = [2, 3, 4, 5, *range(7, 20)]
    assert _pinned(report.findings) == [
        ("warning", "value.required", "source_url", row, line, None)
        for row, line in zip(range(1, 18), lines, strict=True)
    ]


# --- messages and hints: what a person reads -------------------------------------------


@pytest.mark.parametrize(
    ("name", "message", "hint"),
    [
        (
            "date-invalid.csv",
            "'2024-02-30' is not a date in the accepted forms",
            "accepted forms: 2024-03-22, 2025-09, 2026, 2024-03-22/2024-03-24, ../2025-09, "
            "2025-09/.., with ~ ? %",
        ),
        (
            "duplicate-event-id.csv",
            "event_id 'iq-2024-001' appears 2 times (first in row 1)",
            "each event_id must be unique",
        ),
        (
            "event-type-wrong-case.csv",
            "'Agreement' is not an allowed event_type",
            "did you mean 'agreement'? values are case-sensitive",
        ),
        (
            "status-not-in-vocabulary.csv",
            "'happened' is not an allowed status",
            "allowed: occurred, ongoing, planned",
        ),
        (
            "country-unknown.csv",
            "'Iraq' is not an ISO 3166-1 alpha-3 country code",
            "did you mean IRQ?",
        ),
        (
            "admin1-wrong-country.csv",
            "'SY-RA' is a subdivision of Syria (SYR), not of Iraq (IRQ)",
            "fix admin1 or country",
        ),
        (
            "admin1-unknown.csv",
            "'IQ-ZZ' is not an ISO 3166-2 subdivision code",
            "use an ISO 3166-2 code of IRQ, like IQ-…",
        ),
        (
            "latitude-out-of-range.csv",
            "latitude '133.3152' is outside -90..90",
            "are latitude and longitude swapped?",
        ),
        (
            "source-date-future.csv",
            "'2026-12-01' is in the future (today is 2026-11-28)",
            "a report cannot be dated after today; check the year",
        ),
        (
            "occurred-after-source-date.csv",
            "an occurred event cannot start after its source_date (2024-09-06)",
            "check the date, or set status to planned or ongoing",
        ),
        (
            "point-without-coordinates.csv",
            "geo_precision 'point' needs coordinates",
            "add latitude and longitude, or use geo_precision admin1 or country",
        ),
        (
            "missing-required-column.csv",
            "required column 'actor1' is missing",
            "is 'actor2' meant to be 'actor1'?",
        ),
        (
            "duplicate-header.csv",
            "column 'source' appears twice in the header (columns 16 and 20)",
            "delete or rename one of them",
        ),
        (
            "ragged-row.csv",
            "the record has 18 fields; the header has 19",
            "check for a missing or extra delimiter (quote fields that contain commas)",
        ),
    ],
)
def test_finding_explains_the_problem_and_the_fix(name, message, hint):
    (finding,) = _fixture_report(name).findings[:1]

    assert (finding.message, finding.hint) == (message, hint)


# --- single rules, built in the test ---------------------------------------------------


def test_notes_up_to_one_excel_cell_are_fine_one_more_character_is_an_error(write_csv):
    path = write_csv([event_row(notes="n" * 32767), event_row("iq-2003-001", notes="n" * 32768)])

    report = _validate(path)

    # the report shows the first 200 characters of a long value, and its length
    shown = "n" * 200 + "… (32768 characters)"
    assert _pinned(report.findings) == [("error", "value.too_long", "notes", 2, 3, shown)]
    assert report.findings[0].message == "notes is 32768 characters long; the limit is 32767"


def test_notes_may_hold_line_breaks_but_actor1_may_not(write_csv):
    path = write_csv([event_row(notes="one\ntwo"), event_row("iq-2003-001", actor1="one\ntwo")])

    report = _validate(path)

    assert _pinned(report.findings) == [
        ("error", "text.control_characters", "actor1", 2, 4, "one\ntwo")
    ]
    # a line break is a schema question, not a typing accident: the hint names the option
    assert report.findings[0].hint == (
        "remove the line breaks and tabs, or declare actor1 `multiline: true` in the schema "
        "if its values may span lines"
    )


@pytest.mark.parametrize(
    ("notes", "hint"),
    [
        ("one\x07two", "retype the value; control characters usually come from copy and paste"),
        (
            "one\u2028two",
            "replace the Unicode line separators (U+2028, U+2029, U+0085) with ordinary line breaks",
        ),
        (
            "one\x85two",
            "replace the Unicode line separators (U+2028, U+2029, U+0085) with ordinary line breaks",
        ),
        ("one\x9b[2Jtwo", "retype the value; control characters usually come from copy and paste"),
    ],
)
def test_c1_controls_and_unicode_separators_are_control_characters(tmp_path, notes, hint):
    path = tmp_path / "one.parquet"
    pl.DataFrame([event_row(notes=notes)], schema=dict.fromkeys(HEADER, pl.String)).write_parquet(
        path
    )

    report = _validate(path)

    assert [(f.rule, f.column, f.hint) for f in report.findings] == [
        ("text.control_characters", "notes", hint)
    ]


def test_source_date_today_is_not_in_the_future(write_csv):
    path = write_csv([event_row(source_date="2026-11-28")])

    assert _validate(path).findings == ()
    assert validate_table(load_table(path), today=date(2026, 11, 27)).errors == 1


def test_a_planned_event_may_start_after_its_source_date(write_csv):
    path = write_csv([event_row(status="planned", date="2024-09-07")])

    assert _validate(path).findings == ()


def test_an_occurred_event_with_an_open_start_is_not_after_its_source(write_csv):
    path = write_csv([event_row(date="../2030")])

    assert _validate(path).findings == ()


@pytest.mark.parametrize(
    ("changes", "rule", "column", "severity"),
    [
        ({"actor1": " Government of Iraq"}, "text.whitespace", "actor1", "warning"),
        ({"actor1": "Government\u00a0of Iraq"}, "text.invisible_characters", "actor1", "warning"),
        ({"source_url": ""}, "value.required", "source_url", "warning"),
        ({"fatalities": "-5"}, "count.invalid", "fatalities", "error"),
        ({"personnel": "~"}, "count.invalid", "personnel", "error"),
        ({"date": "2024-13"}, "date.invalid", "date", "error"),
        ({"date": "../.."}, "date.invalid", "date", "error"),
        ({"country": "irq"}, "country.unknown", "country", "error"),
        ({"longitude": "-190"}, "coordinates.range", "longitude", "error"),
        ({"source_url": "ftp://example.org/x"}, "url.invalid", "source_url", "error"),
        ({"event_id": "x" * 65}, "value.too_long", "event_id", "error"),
    ],
)
def test_one_broken_cell_gives_one_finding(write_csv, changes, rule, column, severity):
    path = write_csv([event_row("iq-2024-003", **changes)])  # a row with coordinates

    report = _validate(path)

    (value,) = changes.values()
    assert _pinned(report.findings) == [(severity, rule, column, 1, 2, value or None)]


def test_warnings_do_not_fail_validation_unless_strict(write_csv):
    path = write_csv([event_row(source_url="")])
    table = load_table(path)

    lenient = validate_table(table, EVENTS)
    strict = validate_table(table, EVENTS, strict=True)

    assert (lenient.valid, lenient.errors, lenient.warnings) == (True, 0, 1)
    assert (strict.valid, strict.errors, strict.warnings) == (False, 0, 1)


def test_a_missing_optional_column_is_not_a_finding(write_csv):
    header = [h for h in HEADER if h != "notes"]
    path = write_csv([event_row()], header=header)

    assert _validate(path).findings == ()


def test_header_with_padding_is_a_warning_and_the_column_still_checked(write_csv):
    header = [" status" if h == "status" else h for h in HEADER]
    path = write_csv([[*event_row(status="happened").values()]], header=header)

    report = _validate(path)

    assert _pinned(report.findings) == [
        ("warning", "structure.header_whitespace", "status", None, 1, " status"),
        ("error", "value.vocabulary", "status", 1, 2, "happened"),
    ]


@pytest.mark.parametrize(("cell", "severity"), [("", "warning"), ("data", "error")])
def test_a_blank_header_is_an_error_only_when_its_column_holds_data(write_csv, cell, severity):
    path = write_csv([[*event_row().values(), cell]], header=[*HEADER, ""])

    report = _validate(path)

    assert _pinned(report.findings) == [
        (severity, "structure.blank_header", None, None, 1, ""),
    ]


def test_ragged_records_are_reported_even_when_they_balance_out(write_csv):
    extra = [*event_row().values(), "extra"]
    short = list(event_row("iq-2003-001").values())[:-1]
    path = write_csv([extra, short])

    report = _validate(path)

    assert _pinned(report.findings) == [
        ("error", "structure.ragged", None, 1, 2, None),
        ("error", "structure.ragged", None, 2, 3, None),
    ]


def test_findings_are_ordered_by_row_then_schema_column(write_csv):
    path = write_csv(
        [
            event_row(source_date="2024-13-01", date="x"),
            event_row("iq-2003-001", country="Iraq", event_id="a b"),
        ]
    )

    report = _validate(path)

    assert [(f.row, f.column, f.rule) for f in report.findings] == [
        (1, "date", "date.invalid"),
        (1, "source_date", "date.invalid"),
        (2, "event_id", "value.pattern"),
        (2, "country", "country.unknown"),
    ]


def test_counts_stay_exact_when_findings_are_capped(write_csv):
    rows = [event_row(event_id=f"e-{i}", date="2024-02-30") for i in range(5000)]
    path = write_csv(rows)

    report = _validate(path, max_findings=2)

    assert report.errors == 5000
    assert [(f.rule, f.row, f.line) for f in report.findings] == [
        ("date.invalid", 1, 2),
        ("date.invalid", 2, 3),
    ]
    assert report.truncated is True
    assert [(c.rule, c.column, c.severity, c.count) for c in report.counts] == [
        ("date.invalid", "date", "error", 5000)
    ]


def test_max_findings_none_lists_everything(write_csv):
    path = write_csv([event_row(event_id=f"e-{i}", date="x") for i in range(600)])

    report = _validate(path, max_findings=None)

    assert len(report.findings) == 600
    assert report.truncated is False


def test_default_cap_is_500_findings(write_csv):
    path = write_csv([event_row(event_id=f"e-{i}", date="x") for i in range(501)])

    report = _validate(path)

    assert (len(report.findings), report.errors) == (500, 501)


def test_a_schema_or_compiled_schema_gives_the_same_report():
    table = load_table(INVALID / "date-invalid.csv")
    schema = load_schema()

    by_default = validate_table(table, today=TODAY)
    by_schema = validate_table(table, schema, today=TODAY)
    by_compiled = validate_table(table, compile_schema(schema, today=TODAY))

    assert by_default == by_schema == by_compiled


def test_a_custom_schema_checks_only_what_it_declares(tmp_path):
    schema = parse_schema(
        "name: tiny\ncolumns:\n  - {name: n, kind: integer, required: true, min: 0}\n",
        "tiny.yaml",
    )
    path = tmp_path / "t.csv"
    path.write_text("n\n1\n-3\nx\n\n")

    report = validate_table(load_table(path), schema)

    assert report.schema == "tiny 0"
    assert _pinned(report.findings) == [
        ("error", "value.range", "n", 2, 3, "-3"),
        ("error", "integer.invalid", "n", 3, 4, "x"),
    ]


def test_rejected_rows_carry_their_reasons():
    validation = run_validation(load_table(INVALID / "multiline-notes-then-error.csv"), today=TODAY)

    mask = validation.error_mask()

    assert mask.to_list() == [False, True]
    assert validation.reasons(mask).to_dicts() == [
        {
            "__row": 2,
            "reasons": "date.invalid [date]: '2024-09-31' is not a date in the accepted forms",
        }
    ]


def test_the_input_file_is_not_modified():
    path = INVALID / "duplicate-event-id.csv"
    before = path.read_bytes()

    _validate(path)

    assert path.read_bytes() == before


# --- workbooks and Parquet: positions are cells and rows ------------------------------


def _workbook(path: Path, rows: list[list], *, title: str = "events", first_column: int = 1):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=first_column):
            ws.cell(row=r, column=c, value=value if value != "" else None)
    wb.save(path)
    return path


def test_workbook_findings_name_the_sheet_and_cell(tmp_path):
    rows = [HEADER, list(event_row().values()), list(event_row("iq-2003-001", date="x").values())]
    path = _workbook(tmp_path / "events.xlsx", rows)

    (finding,) = _validate(path).findings

    assert (finding.rule, finding.column, finding.row, finding.cell, finding.value) == (
        "date.invalid",
        "date",
        2,
        "events!B3",
        "x",
    )


def test_workbook_header_findings_name_the_header_cell(tmp_path):
    rows = [[*HEADER, "comment"], [*event_row().values(), "x"]]
    path = _workbook(tmp_path / "events.xlsx", rows)

    (finding,) = _validate(path).findings

    assert (finding.rule, finding.line, finding.cell) == (
        "structure.unknown_column",
        1,
        "events!T1",
    )


def test_workbook_findings_carry_the_sheet_row_as_line(tmp_path):
    rows = [HEADER, list(event_row().values()), list(event_row("iq-2003-001", date="x").values())]
    path = _workbook(tmp_path / "events.xlsx", rows)

    (finding,) = _validate(path).findings

    assert finding.line == 3


def test_workbook_cell_is_right_when_the_table_does_not_start_in_column_a(tmp_path):
    rows = [HEADER, list(event_row(date="x").values())]
    path = _workbook(tmp_path / "events.xlsx", rows, first_column=2)

    (finding,) = _validate(path).findings

    assert (finding.rule, finding.cell) == ("date.invalid", "events!C2")


def test_parquet_findings_have_rows_but_no_lines(tmp_path):
    frame = pl.DataFrame([event_row(), event_row("iq-2003-001", date="x")])
    path = tmp_path / "events.parquet"
    frame.write_parquet(path)

    report = _validate(path)

    assert _pinned(report.findings) == [("error", "date.invalid", "date", 2, None, "x")]
    assert report.findings[0].cell is None


def test_parquet_header_findings_have_no_line(tmp_path):
    path = tmp_path / "events.parquet"
    pl.DataFrame([event_row()]).drop("actor1").write_parquet(path)

    (finding,) = _validate(path).findings

    assert (finding.rule, finding.column, finding.line) == (
        "structure.missing_column",
        "actor1",
        None,
    )


def test_parquet_duplicate_message_names_where_the_first_copy_is(tmp_path):
    path = tmp_path / "events.parquet"
    pl.DataFrame([event_row(), event_row()]).write_parquet(path)

    findings = _validate(path).findings

    assert [(f.rule, f.row) for f in findings] == [("value.unique", 1), ("value.unique", 2)]
    assert findings[1].message == "event_id 'iq-2024-001' appears 2 times (first in row 1)"
