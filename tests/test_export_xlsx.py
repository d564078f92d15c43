"""The editors' workbook: readable, fixable, safe (never a formula), and it loads back."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from conftest import EVENTS_CSV, HEADER, ROOT, TODAY, csv_text, event_row
from libreoffice import needs_uno

import toolkit.export
import toolkit.export.xlsx
import toolkit.validation
from toolkit import ExportError, export_table, load_schema, load_table, validate_table
from toolkit.schema import compile_schema, parse_schema

EVENTS = compile_schema(load_schema(), today=TODAY)
WARNING_FILL = "00FFEB9C"
ERROR_FILL = "00FFC7CE"


def load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def rows_of(ws) -> list[tuple[object, ...]]:
    return list(ws.iter_rows(values_only=True))


@pytest.fixture(scope="module")
def fixture_export(tmp_path_factory) -> Path:
    """fixtures/events.csv exported (xlsx and the clean CSV)."""
    out = tmp_path_factory.mktemp("xlsx")
    export_table(load_table(EVENTS_CSV), out, EVENTS, formats=("csv", "xlsx"))
    return out


@pytest.fixture(scope="module")
def book(fixture_export) -> openpyxl.Workbook:
    return load(fixture_export / "events.xlsx")


# Rows an editor's workbook must get right: fuzzy values that look like dates and numbers,
# text that looks like a formula, warnings on kept rows, and an error row that is rejected.
EDITORS = [
    event_row(
        "iq-2024-002",
        date="2025-09",
        personnel="2500",
        notes='=HYPERLINK("http://x","y")',
        actor2="+7 people",
    ),
    event_row(
        "iq-2024-003",
        event_id="007",
        date="2026",
        fatalities="0",
        location="-",
        source="@user",
        actor2=" =1+1 ",
    ),
    event_row("ru-2024-001", status="Occurred"),
    event_row("iq-2024-006", notes="@mention\n+second line\n-third", source_url=""),
]


@pytest.fixture(scope="module")
def editors(tmp_path_factory) -> Path:
    """EDITORS exported with quarantine; returns the output directory."""
    base = tmp_path_factory.mktemp("editors")
    path = base / "events.csv"
    path.write_text(csv_text(EDITORS), encoding="utf-8", newline="")
    result = export_table(load_table(path), base / "out", EVENTS, quarantine=True)
    assert (result.exported_rows, result.rejected_rows) == (3, 1)
    return base / "out"


# --- the data sheet ---------------------------------------------------------------------------


def test_sheets_are_the_data_named_after_the_schema_then_codebook_then_issues(book):
    assert book.sheetnames == ["events", "Codebook", "Issues"]


def test_header_is_bold_frozen_and_filtered_over_the_data(book):
    ws = book["events"]

    assert [c.value for c in ws[1]] == HEADER
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:S18"
    assert ws.max_row == 18


def test_every_column_has_a_width_fitted_to_its_values(book):
    widths = {letter: dim.width for letter, dim in book["events"].column_dimensions.items()}

    assert sorted(widths) == sorted(openpyxl.utils.get_column_letter(i) for i in range(1, 20))
    assert all(8 <= w <= 60 for w in widths.values())
    assert widths["A"] == len("iq-2024-001") + 2
    assert widths["R"] == len("source_date") + 2
    assert widths["S"] == 60  # long notes are capped


def test_full_dates_are_real_dates_shown_as_iso(book):
    ws = book["events"]

    cells = [ws.cell(row=r, column=HEADER.index("source_date") + 1) for r in range(2, 16)]

    assert {(c.data_type, c.value, c.number_format) for c in cells} == {
        ("d", datetime(2024, 9, 6), "yyyy-mm-dd")
    }


def test_fuzzy_dates_and_counts_stay_text(editors):
    ws = load(editors / "events.xlsx")["events"]
    column = {name: i + 1 for i, name in enumerate(HEADER)}

    cells = {
        (r, name): ws.cell(row=r, column=column[name])
        for r in (2, 3)
        for name in ("date", "fatalities", "personnel")
    }

    assert {k: (c.data_type, c.value) for k, c in cells.items()} == {
        (2, "date"): ("s", "2025-09"),
        (2, "fatalities"): ("n", None),
        (2, "personnel"): ("s", "2500"),
        (3, "date"): ("s", "2026"),
        (3, "fatalities"): ("s", "0"),
        (3, "personnel"): ("n", None),
    }


def test_fixture_fuzzy_values_are_text(book):
    ws = book["events"]

    with EVENTS_CSV.open(encoding="utf-8", newline="") as f:
        fixture = [row["date"] for row in csv.DictReader(f)]
    assert [ws.cell(row=r, column=2).value for r in range(2, 19)] == fixture
    assert fixture[4] == "2024-09-06/2024-10-06?"
    assert ws["O4"].value == "100-999"  # iq-2024-002
    assert ws["O11"].value == "~2500"  # iq-2024-005, typed "~2,500"


def test_coordinates_are_numbers(book):
    ws = book["events"]

    # iq-2024-003, Baghdad
    assert (ws["J17"].data_type, ws["J17"].value, ws["K17"].value) == ("n", 33.3152, 44.3661)
    assert ws["J5"].value is None  # iq-2024-004 has none


def test_leading_zeros_stay_text(editors):
    ws = load(editors / "events.xlsx")["events"]

    assert (ws["A3"].data_type, ws["A3"].value) == ("s", "007")


def test_vocabulary_columns_get_dropdown_lists(book):
    validations = {
        str(dv.sqref): (dv.type, dv.formula1, dv.allow_blank)
        for dv in book["events"].data_validations.dataValidation
    }

    assert validations == {
        "C2:C1048576": ("list", '"occurred,ongoing,planned"', False),
        "D2:D1048576": (
            "list",
            '"agreement,announcement,deployment,withdrawal,attack,armed_clash,protest,other"',
            False,
        ),
        "L2:L1048576": ("list", '"point,locality,admin1,country"', False),
    }


def test_multiline_notes_wrap(book):
    cell = book["events"]["S5"]  # iq-2024-004

    assert cell.value == (
        "The remainder to depart by the end of the following year.\n"
        "Some US troops could remain in Iraq in an advisory capacity."
    )
    assert cell.alignment.wrap_text


# --- codebook and issues --------------------------------------------------------------------


def test_codebook_explains_every_column(book):
    rows = rows_of(book["Codebook"])

    assert rows[0] == (
        "column",
        "kind",
        "required",
        "unique",
        "accepts",
        "allowed values",
        "range",
        "pattern",
        "missing values",
        "meaning",
    )
    assert [r[0] for r in rows[1:20]] == HEADER
    by_name = {r[0]: r for r in rows[1:20]}
    assert by_name["status"] == (
        "status",
        "vocabulary",
        "yes",
        "no",
        "one of the allowed values",
        "occurred, ongoing, planned",
        None,
        None,
        None,
        "Whether the event has happened, is happening, or is announced for later.",
    )
    assert by_name["event_id"][2:8] == (
        "yes",
        "yes",
        "any text on one line, at most 64 characters",
        None,
        None,
        "^[A-Za-z0-9._-]+$",
    )
    assert by_name["date"][6] == "≥ 1900-01-01"
    assert by_name["source_date"][6] == "≤ today"
    assert by_name["source_url"][1:3] == ("url", "expected")
    assert by_name["actor2"][1:3] == ("text", "no")
    assert by_name["personnel"][4] == "143, ~2500, 143+, <=50, 100-999 (2,500 is fine)"
    assert rows[21:26] == [
        ("rule", "across columns", *[None] * 8),
        ("coordinates.pair", "latitude, longitude: all or none", *[None] * 8),
        (
            "location.needs_coordinates",
            "latitude, longitude must be given, when geo_precision is point or locality",
            *[None] * 8,
        ),
        (
            "location.outside_country",
            "the point (latitude, longitude) lies in country",
            *[None] * 8,
        ),
        (
            "date.after_source",
            "date is not after source_date, when status is occurred",
            *[None] * 8,
        ),
    ]
    assert rows[-1][0].startswith("Schema events 1.0: One row per event")
    assert all(c.font.b for c in book["Codebook"][1])


def test_issues_sheet_lists_the_warnings_and_their_cells(book):
    # the report gives no link: each row warns; row 4's notes span two lines
    lines = [2, 3, 4, 5, *range(7, 20)]
    assert rows_of(book["Issues"]) == [
        ("severity", "rule", "column", "row", "line", "where", "message", "hint"),
        *(
            (
                "warning",
                "value.required",
                "source_url",
                row,
                line,
                f"events!Q{row + 1}",
                "source_url is required but empty",
                "Link to the report (http or https).",
            )
            for row, line in zip(range(1, 18), lines, strict=True)
        ),
    ]


def test_the_offending_cell_is_highlighted_with_the_message_as_comment(book):
    ws = book["events"]
    cell = ws["Q12"]

    assert cell.fill.fill_type == "solid"
    assert cell.fill.fgColor.rgb == WARNING_FILL
    assert cell.comment.text == "warning: source_url is required but empty [value.required]"
    commented = [c.coordinate for row in ws.iter_rows() for c in row if c.comment]
    assert commented == [f"Q{r}" for r in range(2, 19)]


def test_rows_with_errors_are_in_the_workbook_in_input_order_at_their_cells(editors):
    book = load(editors / "events.xlsx")

    assert rows_of(book["Issues"])[1:] == [
        (
            "warning",
            "text.whitespace",
            "actor2",
            2,
            3,
            "events!F3",
            "actor2 has leading or trailing spaces",
            "exports trim them",
        ),
        (
            "error",
            "value.vocabulary",
            "status",
            3,
            4,
            "events!C4",
            "'Occurred' is not an allowed status",
            "did you mean 'occurred'? values are case-sensitive",
        ),
        (
            "warning",
            "value.required",
            "source_url",
            4,
            5,
            "events!Q5",
            "source_url is required but empty",
            "Link to the report (http or https).",
        ),
    ]
    ws = book["events"]
    assert {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment} == {
        "F3": "warning: actor2 has leading or trailing spaces [text.whitespace]",
        "C4": "error: 'Occurred' is not an allowed status [value.vocabulary]",
        "Q5": "warning: source_url is required but empty [value.required]",
    }
    assert ws["F3"].fill.fgColor.rgb == WARNING_FILL
    assert (ws["C4"].value, ws["C4"].fill.fgColor.rgb) == ("Occurred", ERROR_FILL)
    assert ws["F3"].value == "=1+1"
    assert [ws.cell(row=r, column=1).value for r in range(2, 6)] == [
        "iq-2024-002",
        "007",
        "ru-2024-001",
        "iq-2024-006",
    ]
    assert ws.max_row == 5


def test_no_findings_means_no_issues_sheet(write_csv, tmp_path):
    path = write_csv([event_row()])

    export_table(load_table(path), tmp_path, EVENTS, formats=("xlsx",))

    assert load(tmp_path / "events.xlsx").sheetnames == ["events", "Codebook"]


# --- never a formula ------------------------------------------------------------------------


def test_formula_looking_text_is_stored_as_text_with_its_value(editors):
    ws = load(editors / "events.xlsx")["events"]

    assert (ws["S2"].data_type, ws["S2"].value) == ("s", '=HYPERLINK("http://x","y")')
    assert (ws["F2"].data_type, ws["F2"].value) == ("s", "+7 people")
    assert (ws["I3"].value, ws["P3"].value) == ("-", "@user")
    assert ws["S5"].value == "@mention\n+second line\n-third"


def test_no_cell_in_any_sheet_is_a_formula(editors):
    book = load(editors / "events.xlsx")

    formulas = [
        f"{ws.title}!{c.coordinate}"
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]

    assert formulas == []
    with zipfile.ZipFile(editors / "events.xlsx") as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert not re.search(rb"<(\w+:)?f[ >]", archive.read(name)), name


# --- the editors' round trip ------------------------------------------------------------------


def test_the_workbook_validates_with_the_warning_at_its_cell(fixture_export):
    report = validate_table(load_table(fixture_export / "events.xlsx"), EVENTS)

    assert (report.errors, report.warnings) == (0, 17)
    assert [(f.rule, f.row, f.line, f.cell) for f in report.findings] == [
        ("value.required", row, row + 1, f"events!Q{row + 1}") for row in range(1, 18)
    ]


def test_the_workbook_loads_back_to_the_clean_csv_values(fixture_export):
    names = list(EVENTS.schema.names)
    workbook = load_table(fixture_export / "events.xlsx").frame.select(names)
    clean = load_table(fixture_export / "events.csv").frame.select(names)

    assert workbook.to_dicts() == clean.to_dicts()


def test_the_editors_workbook_loads_back_to_the_clean_and_the_rejected_rows(editors):
    names = list(EVENTS.schema.names)
    workbook = load_table(editors / "events.xlsx").frame.select(names)
    clean = load_table(editors / "events.csv").frame.select(names)
    rejected = load_table(editors / "events.rejected.csv").frame

    assert workbook.filter(pl.col("status") != "Occurred").to_dicts() == clean.to_dicts()
    assert workbook.filter(pl.col("status") == "Occurred").to_dicts() == (
        rejected.select(names).to_dicts()
    )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("export", ["fixture_export", "editors"])
def test_libreoffice_reads_the_data_sheet_as_the_toolkit_does(export, request, tmp_path):
    # a third reader besides openpyxl and calamine; CI does not install LibreOffice
    out = request.getfixturevalue(export)
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", csv_filter, str(out / "events.xlsx"), "--outdir", str(tmp_path)],
        capture_output=True, timeout=180, check=True,
    )  # fmt: skip
    names = list(EVENTS.schema.names)
    sheet = load_table(tmp_path / "events-events.csv").frame.select(names)
    assert sheet.to_dicts() == load_table(out / "events.xlsx").frame.select(names).to_dicts()


def test_text_that_looks_like_an_ooxml_escape_survives(write_csv, tmp_path):
    path = write_csv([event_row(notes="_x0041_ and _x000D_")])

    export_table(load_table(path), tmp_path, EVENTS, formats=("xlsx",))

    assert load_table(tmp_path / "events.xlsx").frame.get_column("notes").to_list() == [
        "_x0041_ and _x000D_"
    ]


def test_a_crlf_note_loads_back_the_same_from_csv_and_workbook(write_csv, tmp_path):
    path = write_csv([event_row(notes="first line\r\nsecond line")])

    export_table(load_table(path), tmp_path / "out", EVENTS, formats=("csv", "xlsx"))

    assert (
        load_table(tmp_path / "out" / "events.xlsx").frame.get_column("notes").to_list()
        == load_table(tmp_path / "out" / "events.csv").frame.get_column("notes").to_list()
    )


def test_quarantine_of_a_value_with_a_control_character_still_exports(write_csv, tmp_path):
    path = write_csv([event_row(), event_row("iq-2024-002", status="occ\x0burred")])

    result = export_table(load_table(path), tmp_path / "out", EVENTS, quarantine=True)

    assert (result.exported_rows, result.rejected_rows) == (1, 1)
    assert load(tmp_path / "out" / "events.xlsx").sheetnames == ["events", "Codebook", "Issues"]


# --- Excel's limits ---------------------------------------------------------------------------


def test_a_note_over_one_excel_cell_is_a_validation_error(write_csv, tmp_path):
    path = write_csv([event_row(notes="x" * 40_000)])

    result = export_table(load_table(path), tmp_path / "out", EVENTS)

    assert result.refused == "1 rows have errors (use --quarantine to export the others)"
    assert [(f.rule, f.column, f.message) for f in result.report.findings] == [
        ("value.too_long", "notes", "notes is 40000 characters long; the limit is 32767")
    ]


UNLIMITED = parse_schema(
    (ROOT / "schemas" / "events.yaml")
    .read_text(encoding="utf-8")
    .replace("    max_length: 32767\n", ""),
    "unlimited.yaml",
)


def test_a_cell_over_excels_limit_without_a_schema_limit_is_an_export_error(write_csv, tmp_path):
    path = write_csv([event_row(), event_row("iq-2024-002", notes="x" * 40_000)])

    with pytest.raises(ExportError) as caught:
        export_table(load_table(path), tmp_path / "out", UNLIMITED)

    assert str(caught.value) == (
        "row 2, column notes: 40,000 characters; an Excel cell holds at most 32,767"
    )
    assert not (tmp_path / "out").exists()


def test_the_excel_cell_limit_does_not_apply_to_csv_and_parquet(write_csv, tmp_path):
    path = write_csv([event_row(notes="x" * 40_000)])

    result = export_table(load_table(path), tmp_path / "out", UNLIMITED, formats=("csv", "parquet"))

    assert result.exported_rows == 1
    assert load_table(tmp_path / "out" / "events.parquet").frame.get_column("notes").to_list() == [
        "x" * 40_000
    ]


def test_more_rows_than_an_excel_sheet_holds_is_refused_before_writing(tmp_path, monkeypatch):
    monkeypatch.setattr(toolkit.export.xlsx, "MAX_ROWS", 17)  # header + 16 data rows

    with pytest.raises(ExportError) as caught:
        export_table(load_table(EVENTS_CSV), tmp_path / "out", EVENTS)

    assert str(caught.value) == (
        "the table has 17 rows; an Excel sheet holds 16 data rows (row 17 and later would be "
        "lost); export csv or parquet instead"
    )
    assert not (tmp_path / "out").exists()


def test_exactly_as_many_rows_as_an_excel_sheet_holds_is_fine(tmp_path, monkeypatch):
    monkeypatch.setattr(toolkit.export.xlsx, "MAX_ROWS", 18)  # header + 17 data rows

    assert export_table(load_table(EVENTS_CSV), tmp_path, EVENTS, formats=("xlsx",)).ok


# --- what editors type stays what they typed --------------------------------------------------


def test_text_like_columns_are_text_for_the_whole_column_and_every_cell(editors):
    ws = load(editors / "events.xlsx")["events"]
    with zipfile.ZipFile(editors / "events.xlsx") as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    cols = {
        int(m["min"]): m
        for m in re.finditer(r'<col (?P<attrs>[^>]*?)min="(?P<min>\d+)" max="(?P<max>\d+)"', sheet)
    }

    for i, column in enumerate(EVENTS.schema.columns, start=1):
        letter = openpyxl.utils.get_column_letter(i)
        expected = (
            "@"
            if column.text_cells
            else ("yyyy-mm-dd" if column.name == "source_date" else "General")
        )
        assert ws.column_dimensions[letter].number_format == expected, column.name
        assert cols[i]["max"] == str(i)  # one <col> per column: the format covers every row
        if column.text_cells:
            cells = [ws.cell(row=r, column=i) for r in range(2, ws.max_row + 1)]
            assert {c.number_format for c in cells if c.value is not None} <= {"@"}, column.name


@needs_uno
def test_typing_below_the_data_in_libreoffice_keeps_text_as_typed(editors, tmp_path):
    from libreoffice import edit

    row = load(editors / "events.xlsx")["events"].max_row + 1
    letter = {
        c.name: openpyxl.utils.get_column_letter(i) for i, c in enumerate(EVENTS.schema.columns, 1)
    }
    typing = {"event_id": "007", "date": "2025-09", "notes": "=1+1", "personnel": "2,500",
              "actor1": "+1", "latitude": "007", "source_date": "2024-03-22"}  # fmt: skip

    typed = edit(
        editors / "events.xlsx",
        tmp_path / "typed.xlsx",
        [{"type": f"{letter[n]}{row}", "text": t} for n, t in typing.items()],
        tmp_path,
    )

    assert {(t["cell"], t["type"], t["string"]) for t in typed} == {
        (f"A{row}", "TEXT", "007"),
        (f"B{row}", "TEXT", "2025-09"),
        (f"S{row}", "TEXT", "=1+1"),
        (f"O{row}", "TEXT", "2,500"),
        (f"E{row}", "TEXT", "+1"),
        (f"J{row}", "VALUE", "7"),  # a number column takes numbers
        (f"R{row}", "VALUE", "2024-03-22"),  # a date column takes dates
    }
    back = load_table(tmp_path / "typed.xlsx").frame.row(-1, named=True)
    assert {n: back[n] for n in typing} == {**typing, "latitude": "7"}


# --- links, heights, what is shown ------------------------------------------------------------


def test_each_issue_links_to_its_cell_and_each_problem_cell_back(editors):
    book = load(editors / "events.xlsx")
    issues, ws = book["Issues"], book["events"]

    links = [(r[5].value, r[5].hyperlink.location) for r in issues.iter_rows(min_row=2)]
    assert links == [
        ("events!F3", "'events'!F3"),
        ("events!C4", "'events'!C4"),
        ("events!Q5", "'events'!Q5"),
    ]
    assert (ws["F3"].hyperlink.location, ws["C4"].hyperlink.location) == (
        "'Issues'!F2",
        "'Issues'!F3",
    )
    assert ws["Q5"].hyperlink is None  # empty: some programs would read the link as its value
    assert ws["Q5"].comment is not None


def test_a_header_finding_links_to_the_header_cell(tmp_path):
    header = [h if h != "source" else "source " for h in HEADER]
    path = tmp_path / "events.csv"
    path.write_text(csv_text([list(event_row().values())], header), encoding="utf-8")

    export_table(load_table(path), tmp_path / "out", EVENTS, formats=("xlsx",))

    row = rows_of(load(tmp_path / "out" / "events.xlsx")["Issues"])[1]
    assert row[:6] == ("warning", "structure.header_whitespace", "source", None, 1, "events!P1")
    link = load(tmp_path / "out" / "events.xlsx")["Issues"]["F2"].hyperlink
    assert link.location == "'events'!P1"


def test_rows_with_line_breaks_are_tall_enough_for_every_line(book):
    ws = book["events"]
    notes = HEADER.index("notes") + 1
    width = ws.column_dimensions["S"].width

    for r in range(2, ws.max_row + 1):
        value = ws.cell(row=r, column=notes).value or ""
        if "\n" in value:
            lines = sum(max(1, -(-len(line) // int(width - 1))) for line in value.split("\n"))
            assert ws.row_dimensions[r].height == 15 * lines
        else:
            assert ws.row_dimensions[r].height is None
    assert any(ws.row_dimensions[r].height for r in range(2, ws.max_row + 1))


def test_messages_and_hints_are_shown_on_one_line_with_escapes(tmp_path):
    from toolkit.export.xlsx import Issue, cell_values, write_xlsx

    table = load_table(EVENTS_CSV)
    frame = toolkit.validation.run_validation(table, EVENTS).frame
    issue = Issue(
        "error",
        "rule.x",
        "notes",
        1,
        2,
        "bad\nline\x1b[2J _x0041_",
        "fix\u202e it",
        "events!S2",
        "S2",
        0,
    )

    write_xlsx(
        cell_values(frame, EVENTS.schema), EVENTS.schema, tmp_path / "b.xlsx", issues=[issue]
    )

    issues = load_table(tmp_path / "b.xlsx", sheet="Issues").frame.row(0, named=True)
    assert (issues["message"], issues["hint"]) == ("bad\\nline\\x1b[2J _x0041_", "fix\\u202e it")
    comment = load(tmp_path / "b.xlsx")["events"]["S2"].comment.text
    assert comment == "error: bad\\nline\\x1b[2J _x005F_x0041_ [rule.x]"  # as stored


def test_every_problem_cell_is_highlighted_beyond_the_listed_issues(
    write_csv, tmp_path, monkeypatch
):
    monkeypatch.setattr(toolkit.export, "MAX_ISSUES_IN_WORKBOOK", 1)
    path = write_csv([event_row(status="x"), event_row("iq-2024-002", status="y")])

    export_table(load_table(path), tmp_path / "out", EVENTS, quarantine=True)

    ws = load(tmp_path / "out" / "events.xlsx")["events"]
    assert [ws[f"C{r}"].fill.fgColor.rgb for r in (2, 3)] == [ERROR_FILL, ERROR_FILL]
    assert [ws[f"C{r}"].comment is not None for r in (2, 3)] == [True, False]


def test_a_rejected_cell_too_long_for_excel_is_cut_and_cannot_pass_unnoticed(write_csv, tmp_path):
    note = "x" * 40_000
    path = write_csv([event_row(), event_row("iq-2024-002", notes=note)])

    export_table(load_table(path), tmp_path / "out", EVENTS, quarantine=True)

    cell = load_table(tmp_path / "out" / "events.xlsx").frame.get_column("notes")[1]
    assert len(cell) <= 32_767
    assert cell.endswith(
        "\x1a[cut: 40000 characters do not fit in a cell; the whole value is in events.rejected.csv]"
    )
    assert cell.startswith("x" * 32_000)
    assert load_table(tmp_path / "out" / "events.rejected.csv").frame.get_column("notes")[0] == note
    report = validate_table(load_table(tmp_path / "out" / "events.xlsx"), EVENTS)
    assert [(f.rule, f.row) for f in report.findings if f.severity == "error"] == [
        ("text.control_characters", 2)
    ]
