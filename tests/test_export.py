"""`export_table`: what is written where, nothing lost, nothing half-written, values unchanged."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from pathlib import Path

import polars as pl
import pytest
from conftest import EVENTS_CSV, HEADER, INVALID, TODAY, csv_text, event_row
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit
import toolkit.export
import toolkit.export.atomic
import toolkit.export.xlsx
from toolkit import ExportError, export_table, load_schema, load_table, validate_table
from toolkit.schema import compile_schema, parse_schema

EVENTS = compile_schema(load_schema(), today=TODAY)
OUTPUTS = ("events.csv", "events.parquet", "events.xlsx", "manifest.json")
FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file in `directory` (hidden ones too) and its bytes."""
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def export_rows(path: Path, out: Path, **kwargs):
    return export_table(load_table(path), out, EVENTS, **kwargs)


def schema_values(path: Path) -> list[dict[str, str | None]]:
    """The schema's columns of a loaded output, as text, in row order."""
    return load_table(path).frame.select(EVENTS.schema.names).to_dicts()


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, toolkit.ExportResult]:
    """fixtures/events.csv exported once, in every format, and the result."""
    out = tmp_path_factory.mktemp("published")
    return out, export_table(load_table(EVENTS_CSV), out, EVENTS)


@pytest.fixture(scope="module")
def published(exported) -> Path:
    return exported[0]


def copy_of(published: Path, target: Path) -> Path:
    """A directory holding an earlier export (a copy of `published`)."""
    shutil.copytree(published, target)
    return target


# --- what is written, and under which names ----------------------------------------------


def test_outputs_are_named_after_the_input_stem(write_csv, tmp_path):
    path = write_csv([event_row()], name="iraq 2024.csv")

    result = export_rows(path, tmp_path / "out")

    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "iraq 2024.csv",
        "iraq 2024.parquet",
        "iraq 2024.xlsx",
        "manifest.json",
    ]
    assert result.ok
    assert [p.name for p in result.written] == [
        "iraq 2024.csv",
        "iraq 2024.parquet",
        "iraq 2024.xlsx",
        "manifest.json",
    ]
    assert (result.exported_rows, result.rejected_rows, result.refused) == (1, 0, None)


def test_the_fixture_exports_every_row_with_its_warnings(exported):
    out, result = exported

    assert result.ok
    assert (result.exported_rows, result.rejected_rows) == (17, 0)
    # one per row: the report gives no link for source_url
    assert (result.report.errors, result.report.warnings) == (0, 17)
    assert result.written == tuple(out / name for name in OUTPUTS)
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)


def test_manifest_records_input_schema_counts_and_the_hash_of_every_output(published):
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))

    assert manifest == {
        "toolkit_version": toolkit.__version__,
        "input": {
            "path": str(EVENTS_CSV),
            "sha256": sha256(EVENTS_CSV),
            "format": "csv",
            "sheet": None,
            "rows": 17,
        },
        "schema": {
            "name": "events",
            "version": "1.0",
            "source": "events.yaml (built-in)",
            "sha256": EVENTS.schema.sha256,
        },
        "rows": {"input": 17, "exported": 17, "rejected": 0},
        "findings": {"errors": 0, "warnings": 17},
        "outputs": {
            name: {"rows": 17, "sha256": sha256(published / name)}
            for name in ("events.csv", "events.parquet", "events.xlsx")
        },
    }


def test_manifest_is_utf8_json_ending_in_a_newline(published):
    data = (published / "manifest.json").read_bytes()

    assert data.endswith(b"}\n")
    assert not data.startswith(b"\xef\xbb\xbf")


def test_result_manifest_is_the_one_written(exported):
    out, result = exported

    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == result.manifest


def test_to_a_subset_writes_only_those_outputs_and_the_manifest(tmp_path, monkeypatch):
    monkeypatch.setattr(toolkit.export.xlsx, "MAX_ROWS", 2)  # no workbook, so no Excel limit

    result = export_table(load_table(EVENTS_CSV), tmp_path, EVENTS, formats=("parquet",))

    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.parquet", "manifest.json"]
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"] == {
        "events.parquet": {"rows": 17, "sha256": sha256(tmp_path / "events.parquet")}
    }
    assert [p.name for p in result.written] == ["events.parquet", "manifest.json"]


@pytest.mark.parametrize("formats", [("bogus",), ("csv", "xls"), ()])
def test_unknown_or_no_format_is_an_export_error_before_anything_is_written(tmp_path, formats):
    with pytest.raises(ExportError, match=r"unknown export format\(s\) .*; choose from csv, "):
        export_table(load_table(EVENTS_CSV), tmp_path / "out", EVENTS, formats=formats)

    assert not (tmp_path / "out").exists()


def test_a_header_only_table_exports_zero_rows(write_csv, tmp_path):
    result = export_rows(write_csv([]), tmp_path / "out")

    assert (result.exported_rows, result.rejected_rows) == (0, 0)
    assert (tmp_path / "out" / "events.csv").read_text(encoding="utf-8") == ",".join(HEADER) + "\n"
    assert pl.read_parquet(tmp_path / "out" / "events.parquet").height == 0


# --- determinism and order ------------------------------------------------------------------


def test_same_input_twice_gives_byte_identical_csv_and_parquet(exported, tmp_path):
    published, first = exported

    second = export_table(load_table(EVENTS_CSV), tmp_path, EVENTS, formats=("csv", "parquet"))

    for name in ("events.csv", "events.parquet"):
        assert (tmp_path / name).read_bytes() == (published / name).read_bytes()
        assert second.manifest["outputs"][name] == first.manifest["outputs"][name]


# --- the clean CSV ----------------------------------------------------------------------------


def test_clean_csv_of_the_fixture_is_the_fixture_in_canonical_form(published):
    fixture = EVENTS_CSV.read_text(encoding="utf-8")
    expected = fixture.replace('"~2,500"', "~2500").replace(
        '"Senior officials say the US and Iraq have reached an agreement on withdrawing US-led '
        'coalition forces; an announcement could come within a month."',
        "Senior officials say the US and Iraq have reached an agreement on withdrawing US-led "
        "coalition forces; an announcement could come within a month.",
    )

    assert (published / "events.csv").read_text(encoding="utf-8") == expected


def test_clean_csv_is_utf8_without_bom_with_lf_and_the_schema_header(published):
    data = (published / "events.csv").read_bytes()

    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in data
    assert data.endswith(b"\n")
    assert data.decode("utf-8").split("\n", 1)[0] == ",".join(EVENTS.schema.names)


def test_clean_csv_trims_text_drops_thousands_separators_and_follows_the_schema_order(
    write_csv, tmp_path
):
    row = event_row(
        location="  Baghdad ",
        actor2="   ",
        fatalities="1,000-2,000",
        injured=" 2,500 ",
        personnel="~2,500",
        notes="  two\nlines  ",
    )

    result = export_rows(write_csv([row], header=list(reversed(HEADER))), tmp_path / "out")

    assert [(f.rule, f.column) for f in result.report.findings] == [
        ("text.whitespace", "location"),
        ("text.whitespace", "injured"),
        ("text.whitespace", "notes"),
    ]
    assert (tmp_path / "out" / "events.csv").read_text(encoding="utf-8") == (
        ",".join(HEADER) + "\n"
        "iq-2024-001,../2024-09-06,occurred,agreement,Government of the United States,,IRQ,,"
        "Baghdad,,,country,1000-2000,2500,~2500,Reuters,"
        "https://example.org/us-iraq-withdrawal-report,"
        '2024-09-06,"two\nlines"\n'
    )


def test_clean_csv_loads_again_valid_and_re_exports_byte_for_byte(published, tmp_path):
    clean = published / "events.csv"

    again = export_table(load_table(clean), tmp_path, EVENTS, formats=("csv",))

    assert (again.report.errors, again.report.warnings) == (0, 17)
    assert again.exported_rows == 17
    assert (tmp_path / "events.csv").read_bytes() == clean.read_bytes()


def test_clean_csv_holds_the_input_values_except_canonical_counts(published):
    original = schema_values(EVENTS_CSV)
    original[9]["personnel"] = "~2500"  # iq-2024-005 was typed "~2,500"

    assert schema_values(published / "events.csv") == original


# --- round trips ---------------------------------------------------------------------------

AWKWARD = [
    event_row(event_id="007", location="0042", notes="Leading zeros stay: 007."),
    event_row(
        "iq-2024-006",
        event_id="iq-ar",
        location="عين الأسد",
        actor2="مجموعات مسلحة",
        notes="هجوم على القاعدة",
    ),
    event_row(
        "ru-2024-001",
        event_id="ru-cyr",
        location="Крокус Сити Холл",
        actor2="Мирные жители",
        notes="Нападение на концертный зал.\nВторая строка.\n\nПосле пустой строки.",
    ),
    event_row("iq-2024-003", event_id="formula", notes='=HYPERLINK("http://x","y")'),
    event_row("iq-2024-003", event_id="plus", notes="+7 people", actor2="@user", location="-"),
    event_row("iq-2024-003", event_id="minus", notes="-", actor2="=1+1", location="@SUM(A1)"),
]


@pytest.fixture(scope="module")
def awkward(tmp_path_factory) -> Path:
    """The awkward rows exported once; returns the output directory."""
    base = tmp_path_factory.mktemp("awkward")
    path = base / "events.csv"
    path.write_text(csv_text(AWKWARD), encoding="utf-8", newline="")
    result = export_table(load_table(path), base / "out", EVENTS)
    assert (result.exported_rows, result.report.errors) == (6, 0)
    return base


@pytest.mark.parametrize("output", ["events.csv", "events.parquet", "events.xlsx"])
def test_awkward_values_survive_each_output_unchanged(awkward, output):
    assert schema_values(awkward / "out" / output) == schema_values(awkward / "events.csv")


@pytest.mark.parametrize("output", ["events.csv", "events.parquet", "events.xlsx"])
def test_rows_keep_the_input_order_not_a_sorted_one(awkward, output):
    ids = load_table(awkward / "out" / output).frame.get_column("event_id").to_list()

    assert ids == ["007", "iq-ar", "ru-cyr", "formula", "plus", "minus"]


@pytest.mark.parametrize("output", ["events.csv", "events.parquet", "events.xlsx"])
def test_each_output_of_the_fixture_loads_back_to_the_clean_csv_values(published, output):
    assert schema_values(published / output) == schema_values(published / "events.csv")


@pytest.mark.parametrize("output", ["events.parquet", "events.xlsx"])
def test_each_output_validates_like_the_input(published, output):
    report = validate_table(load_table(published / output), EVENTS)

    assert (report.errors, report.warnings) == (0, 17)
    assert [(f.rule, f.column, f.row) for f in report.findings] == [
        ("value.required", "source_url", row) for row in range(1, 18)
    ]


def test_coordinates_load_back_as_the_same_text_from_every_output(write_csv, tmp_path):
    path = write_csv([event_row(latitude="33.30", longitude="44")])
    export_rows(path, tmp_path / "out")

    loaded = {
        name: load_table(tmp_path / "out" / name).frame.select("latitude", "longitude").row(0)
        for name in ("events.csv", "events.parquet", "events.xlsx")
    }

    assert loaded["events.parquet"] == loaded["events.csv"]
    assert loaded["events.xlsx"] == loaded["events.csv"]


# property: arbitrary printable text in notes survives every output. The properties use a
# two-column schema: the notes column is the events schema's kind (multiline text), and
# validating it is ten times faster than the whole events schema, so 25 examples stay quick.
NOTES = compile_schema(
    parse_schema(
        "name: notes\nversion: '1'\ncolumns:\n"
        "  - {name: id, kind: text, required: true, unique: true}\n"
        "  - {name: notes, kind: text, multiline: true, max_length: 32767}\n"
    ),
    today=TODAY,
)
PRINTABLE = st.characters(
    blacklist_categories=("Cc", "Cs", "Cn"),  # control characters are findings; no surrogates
) | st.just("\n")


@FAST
@given(notes=st.lists(st.text(PRINTABLE, min_size=1, max_size=40), min_size=1, max_size=4))
def test_printable_unicode_notes_survive_csv_parquet_and_xlsx(tmp_path_factory, notes):
    base = tmp_path_factory.mktemp("notes")
    path = base / "notes.csv"
    rows = [[f"n{i}", text] for i, text in enumerate(notes)]
    path.write_text(csv_text(rows, header=["id", "notes"]), encoding="utf-8", newline="")

    result = export_table(load_table(path), base / "out", NOTES)

    assert result.report.errors == 0
    expected = [text.strip() or None for text in notes]  # exports trim; blank is missing
    for name in ("notes.csv", "notes.parquet", "notes.xlsx"):
        assert load_table(base / "out" / name).frame.get_column("notes").to_list() == expected


# --- validation first: refuse, or quarantine -------------------------------------------------


def test_errors_without_quarantine_write_nothing_and_keep_existing_files(published, tmp_path):
    out = copy_of(published, tmp_path / "out")
    (out / "README.txt").write_text("kept\n")
    before = snapshot(out)
    path = INVALID / "date-invalid.csv"

    result = export_table(load_table(path), out, EVENTS)

    assert not result.ok
    assert result.refused == "1 rows have errors (use --quarantine to export the others)"
    assert (result.written, result.exported_rows, result.rejected_rows) == ((), 0, 1)
    assert [(f.rule, f.column, f.line) for f in result.report.findings] == [
        ("date.invalid", "date", 2)
    ]
    assert snapshot(out) == before


def test_a_broken_header_refuses_even_with_quarantine(tmp_path):
    path = INVALID / "missing-required-column.csv"

    result = export_table(load_table(path), tmp_path / "out", EVENTS, quarantine=True)

    assert result.refused == "the table's structure is broken (see the header findings)"
    assert result.written == ()
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def quarantined(tmp_path_factory) -> tuple[Path, toolkit.ExportResult, str]:
    """Two valid and two invalid rows exported with quarantine; the input's sha256 before."""
    base = tmp_path_factory.mktemp("quarantined")
    path = base / "events.csv"
    rows = [
        event_row(),
        event_row("iq-2024-005", date="2024-02-30"),
        event_row("ru-2024-001", status="Occurred", fatalities="9-3"),
        event_row("iq-2024-002"),
    ]
    path.write_text(csv_text(rows), encoding="utf-8", newline="")
    before = sha256(path)
    return path, export_table(load_table(path), base / "out", EVENTS, quarantine=True), before


def test_quarantine_exports_valid_rows_and_rejects_the_others_with_reasons(quarantined):
    path, result, _ = quarantined

    assert (result.exported_rows, result.rejected_rows) == (2, 2)
    out = path.parent / "out"
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUTS, "events.rejected.csv"])
    assert load_table(out / "events.csv").frame.get_column("event_id").to_list() == [
        "iq-2024-001",
        "iq-2024-002",
    ]
    original = path.read_text(encoding="utf-8").split("\n")
    assert (out / "events.rejected.csv").read_text(encoding="utf-8") == (
        "row,line,reasons," + original[0] + "\n"
        "2,3,date.invalid [date]: '2024-02-30' is not a date in the accepted forms,"
        + original[2]
        + "\n"
        + "3,4,\"value.vocabulary [status]: 'Occurred' is not an allowed status; "
        "count.order [fatalities]: '9-3': low, best and high are out of order\","
        + original[3]
        + "\n"
    )
    assert '"~2,500"' in original[2]  # the rejected row keeps its values as typed


def test_quarantine_manifest_counts_input_exported_and_rejected(quarantined):
    path, result, _ = quarantined
    out = path.parent / "out"

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))

    assert manifest["rows"] == {"input": 4, "exported": 2, "rejected": 2}
    assert manifest["findings"] == {"errors": 3, "warnings": 0}
    assert manifest["outputs"] == {
        name: {"rows": rows, "sha256": sha256(out / name)}
        for name, rows in [
            ("events.csv", 2),
            ("events.parquet", 2),
            ("events.xlsx", 4),  # the workbook holds every row
            ("events.rejected.csv", 2),
        ]
    }
    assert result.manifest == manifest


def test_quarantine_reports_the_physical_line_after_a_multiline_record(tmp_path):
    path = INVALID / "multiline-notes-then-error.csv"

    result = export_table(load_table(path), tmp_path, EVENTS, quarantine=True)

    assert (result.exported_rows, result.rejected_rows) == (1, 1)
    rejected = load_table(tmp_path / "multiline-notes-then-error.rejected.csv").frame
    assert rejected.select("row", "line", "reasons", "event_id", "date").row(0) == (
        "2",
        "4",
        "date.invalid [date]: '2024-09-31' is not a date in the accepted forms",
        "iq-2024-001",
        "2024-09-31",
    )


def test_quarantine_with_every_row_invalid_exports_an_empty_table(write_csv, tmp_path):
    rows = [event_row(status="done"), event_row("iq-2024-002", status="later")]

    result = export_rows(write_csv(rows), tmp_path / "out", quarantine=True)

    assert (result.exported_rows, result.rejected_rows) == (0, 2)
    assert (tmp_path / "out" / "events.csv").read_text(encoding="utf-8") == ",".join(HEADER) + "\n"
    assert load_table(tmp_path / "out" / "events.rejected.csv").rows == 2


def test_quarantine_without_errors_writes_an_empty_rejected_file(tmp_path):
    result = export_table(
        load_table(EVENTS_CSV), tmp_path, EVENTS, formats=("csv",), quarantine=True
    )

    assert (result.exported_rows, result.rejected_rows) == (17, 0)
    assert (tmp_path / "events.rejected.csv").read_text(encoding="utf-8") == (
        "row,line,reasons," + ",".join(HEADER) + "\n"
    )


def test_quarantine_works_for_a_schema_with_a_column_named_line(tmp_path):
    schema = parse_schema(
        "name: stops\nversion: '2'\ncolumns:\n"
        "  - {name: id, kind: text, required: true}\n"
        "  - {name: line, kind: text}\n"
    )
    path = tmp_path / "stops.csv"
    path.write_text("id,line\na,1\n,2\n", encoding="utf-8")

    result = export_table(load_table(path), tmp_path / "out", schema, quarantine=True)

    assert (result.exported_rows, result.rejected_rows) == (1, 1)


# property: every row ends up in exactly one place
MIXED = compile_schema(
    parse_schema(
        "name: mixed\nversion: '1'\ncolumns:\n"
        "  - {name: id, kind: text, required: true, unique: true}\n"
        "  - {name: date, kind: fuzzy_date, required: true}\n"
        "  - {name: status, kind: vocabulary, required: true, values: [occurred, planned]}\n"
        "  - {name: count, kind: fuzzy_count}\n"
        "  - {name: notes, kind: text, multiline: true}\n"
    ),
    today=TODAY,
)
MIXED_ROW = {"date": "2025-09", "status": "planned", "count": "~2,500", "notes": "two\nlines"}
BROKEN = {
    "date": {"date": "2024-02-30"},
    "status": {"status": "Planned"},
    "count": {"count": "9-3"},
    "control": {"notes": "a\x01b"},
    "no_id": {"id": ""},
}
KINDS = ["valid", "duplicate", "ragged", *BROKEN]


@FAST
@given(kinds=st.lists(st.sampled_from(KINDS), max_size=15))
def test_every_row_is_exported_or_rejected_with_reasons(tmp_path_factory, kinds):
    base = tmp_path_factory.mktemp("accounting")
    header = ["id", "date", "status", "count", "notes"]
    rows: list[list[str]] = []
    for i, kind in enumerate(kinds):
        row = {"id": "dup" if kind == "duplicate" else f"e{i}", **MIXED_ROW, **BROKEN.get(kind, {})}
        rows.append([row[h] for h in header][: 4 if kind == "ragged" else 5])
    path = base / "mixed.csv"
    path.write_text(csv_text(rows, header=header), encoding="utf-8", newline="")
    table = load_table(path)
    duplicated = kinds.count("duplicate") > 1
    bad = [k not in ("valid", "duplicate") or (k == "duplicate" and duplicated) for k in kinds]

    result = export_table(table, base / "out", MIXED, formats=("csv",), quarantine=True)

    assert result.exported_rows + result.rejected_rows == table.rows == len(kinds)
    assert result.rejected_rows == sum(bad)
    exported = load_table(base / "out" / "mixed.csv").frame
    rejected = load_table(base / "out" / "mixed.rejected.csv").frame
    assert exported.get_column("id").to_list() == [
        r[0] for r, b in zip(rows, bad, strict=True) if not b
    ]
    assert rejected.get_column("row").to_list() == [str(i + 1) for i, b in enumerate(bad) if b]
    assert all(rejected.get_column("reasons").to_list())
    manifest = json.loads((base / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rows"] == {
        "input": len(kinds),
        "exported": len(kinds) - sum(bad),
        "rejected": sum(bad),
    }


# --- the input is never modified ------------------------------------------------------------


def test_the_input_file_is_never_modified(quarantined):
    path, _, before = quarantined

    assert sha256(path) == before


def test_exporting_into_the_inputs_directory_does_not_overwrite_the_input(write_csv, tmp_path):
    path = write_csv([event_row(personnel="~2,500")])
    before = path.read_bytes()

    with contextlib.suppress(ExportError):  # refusing is fine; replacing the input is not
        export_rows(path, tmp_path)

    assert path.read_bytes() == before


# --- atomic: a failed export changes nothing --------------------------------------------------


@pytest.fixture
def previous(published, tmp_path) -> tuple[Path, dict[str, bytes], toolkit.Table]:
    """A directory holding an earlier export, its bytes, and a different table to export."""
    out = copy_of(published, tmp_path / "out")
    path = tmp_path / "events.csv"
    path.write_text(csv_text([event_row(), event_row("iq-2024-002")]), encoding="utf-8")
    return out, snapshot(out), load_table(path)


def test_a_writer_failing_midway_leaves_the_directory_unchanged(previous, monkeypatch):
    out, before, table = previous

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(toolkit.export, "write_parquet", broken)

    with pytest.raises(RuntimeError, match="disk on fire"):
        export_table(table, out, EVENTS)

    assert snapshot(out) == before


def test_an_os_error_becomes_an_export_error_and_changes_nothing(previous, monkeypatch):
    out, before, table = previous

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(toolkit.export, "write_parquet", full)

    with pytest.raises(ExportError) as caught:
        export_table(table, out, EVENTS)

    assert str(caught.value) == f"{out}: writing failed (No space left on device)"
    assert snapshot(out) == before


def test_the_workbook_failing_after_its_data_sheet_changes_nothing(previous, monkeypatch):
    out, before, table = previous

    def broken(*args, **kwargs):
        raise ValueError("codebook broke")

    monkeypatch.setattr(toolkit.export.xlsx, "_codebook", broken)

    with pytest.raises(ValueError, match="codebook broke"):
        export_table(table, out, EVENTS)

    assert snapshot(out) == before


def test_an_interrupt_while_writing_changes_nothing(previous, monkeypatch):
    out, before, table = previous

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(toolkit.export.xlsx, "write_xlsx", interrupted)

    with pytest.raises(KeyboardInterrupt):
        export_table(table, out, EVENTS)

    assert snapshot(out) == before


def test_outputs_are_staged_in_the_toolkit_export_directory_then_renamed(previous, monkeypatch):
    out, _, table = previous
    real_replace = os.replace
    renames: list[tuple[Path, Path]] = []

    def recording_replace(src, dst):
        renames.append((Path(src), Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(toolkit.export.atomic.os, "replace", recording_replace)

    export_table(table, out, EVENTS, quarantine=True)

    names = [*OUTPUTS[:3], "events.rejected.csv", "manifest.json"]
    into_out = [(src, dst) for src, dst in renames if dst.parent == out]
    assert [dst for _, dst in into_out] == [out / name for name in names]  # the manifest last
    assert [src for src, _ in into_out] == [out / ".toolkit-export" / f"new.{n}" for n in names]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)  # no staging area left


def test_outputs_get_ordinary_file_permissions_not_the_temporary_files_0600(published):
    umask = os.umask(0)
    os.umask(umask)

    assert {p.name: p.stat().st_mode & 0o777 for p in published.iterdir()} == dict.fromkeys(
        OUTPUTS, 0o666 & ~umask
    )


def test_a_rename_failing_during_commit_leaves_the_previous_outputs(previous, monkeypatch):
    out, before, table = previous
    real_replace = os.replace
    calls = []

    def replace_then_fail(src, dst):
        if Path(dst).parent == out:  # the second output renamed into place
            calls.append(dst)
            if len(calls) == 2:
                raise OSError(5, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(toolkit.export.atomic.os, "replace", replace_then_fail)

    with pytest.raises(ExportError):
        export_table(table, out, EVENTS)

    assert snapshot(out) == before


def test_an_output_path_that_is_a_file_is_an_export_error(tmp_path):
    target = tmp_path / "taken"
    target.write_text("not a directory\n")

    with pytest.raises(ExportError, match=r"cannot create the output directory"):
        export_table(load_table(EVENTS_CSV), target, EVENTS)

    assert target.read_text() == "not a directory\n"


def test_an_unwritable_output_directory_is_an_export_error(tmp_path):
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o500)
    try:
        if os.access(out, os.W_OK):
            pytest.skip("running as root: chmod does not stop writes")
        with pytest.raises(ExportError) as caught:
            export_table(load_table(EVENTS_CSV), out, EVENTS)
        assert str(caught.value) == f"{out}: the output directory is not writable"
        assert list(out.iterdir()) == []
    finally:
        out.chmod(0o700)
