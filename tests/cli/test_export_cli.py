"""`toolkit export`: exit codes, what is printed where, and what is (not) written."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import EVENTS_CSV, INVALID, ROOT, event_row
from typer.testing import CliRunner

import toolkit.export
import toolkit.export.xlsx
from toolkit.cli import app

OUTPUTS = ["events.csv", "events.parquet", "events.xlsx", "manifest.json"]


def invoke(*args: str):
    return CliRunner().invoke(app, ["export", *map(str, args)])


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def assert_one_error_line(result, message: str) -> None:
    """Exit 2, nothing on stdout, one `error:` line on stderr, no traceback."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, object]:
    """The reference table exported once by the command."""
    out = tmp_path_factory.mktemp("cli") / "out"
    return out, invoke(EVENTS_CSV, "--out", out)


@pytest.fixture
def invalid(write_csv) -> Path:
    """Three rows: one valid, two with errors."""
    return write_csv(
        [
            event_row(),
            event_row("iq-2024-005", date="2024-02-30"),
            event_row("ru-2024-001", status="Occurred", fatalities="9-3"),
        ]
    )


def test_valid_table_exits_0_and_says_what_it_wrote(published):
    out, result = published

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "17 rows read: 17 exported, 0 rejected; 17 warnings\n"
        + "".join(f"  wrote {out / name}\n" for name in OUTPUTS)
    )
    assert result.stderr == ""
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)


def test_the_manifest_hashes_match_the_files_written(published):
    out, _ = published

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))

    assert manifest["input"]["sha256"] == hashlib.sha256(EVENTS_CSV.read_bytes()).hexdigest()
    assert {name: entry["sha256"] for name, entry in manifest["outputs"].items()} == {
        name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in OUTPUTS[:3]
    }


def test_errors_exit_1_print_the_findings_as_validate_does_and_write_nothing(
    published, invalid, tmp_path
):
    out = tmp_path / "out"
    shutil.copytree(published[0], out)
    before = snapshot(out)

    result = invoke(invalid, "--out", out)

    assert result.exit_code == 1
    assert result.stdout == CliRunner().invoke(app, ["validate", str(invalid)]).stdout
    assert f"{invalid}:3: error: '2024-02-30' is not a date in the accepted forms" in result.stdout
    assert result.stderr == (
        f"error: nothing written to {out}: 2 rows have errors "
        "(use --quarantine to export the others)\n"
    )
    assert snapshot(out) == before


def test_errors_do_not_create_the_output_directory(invalid, tmp_path):
    result = invoke(invalid, "--out", tmp_path / "new")

    assert result.exit_code == 1
    assert not (tmp_path / "new").exists()


def test_quarantine_exits_0_and_says_how_many_rows_went_where(invalid, tmp_path):
    out = tmp_path / "out"
    before = invalid.read_bytes()

    result = invoke(invalid, "--out", out, "--quarantine")

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "3 rows read: 1 exported, 2 rejected (see events.rejected.csv); 0 warnings\n"
        + "".join(
            f"  wrote {out / name}\n"
            for name in [*OUTPUTS[:3], "events.rejected.csv", "manifest.json"]
        )
    )
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["rows"] == {
        "input": 3,
        "exported": 1,
        "rejected": 2,
    }
    assert invalid.read_bytes() == before


def test_to_parquet_writes_only_parquet_and_the_manifest(tmp_path):
    result = invoke(EVENTS_CSV, "--out", tmp_path, "--to", "parquet")

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.parquet", "manifest.json"]


@pytest.mark.parametrize(("to", "named"), [("bogus", "bogus"), ("csv,xls", "xls"), (",", "(none)")])
def test_an_unknown_output_is_a_usage_error_exit_2(tmp_path, to, named):
    result = invoke(EVENTS_CSV, "--out", tmp_path / "out", "--to", to)

    assert_one_error_line(
        result, f"--to: unknown output(s) {named}; choose from csv, parquet, xlsx"
    )
    assert not (tmp_path / "out").exists()


def test_a_missing_input_exits_2(tmp_path):
    result = invoke(tmp_path / "missing.csv", "--out", tmp_path / "out")

    assert_one_error_line(result, f"{tmp_path / 'missing.csv'}: no such file")


def test_an_output_path_that_is_a_file_exits_2(tmp_path):
    target = tmp_path / "taken"
    target.write_text("keep\n")

    result = invoke(EVENTS_CSV, "--out", target)

    assert_one_error_line(result, f"{target}: cannot create the output directory (File exists)")
    assert target.read_text() == "keep\n"


def test_an_unwritable_output_directory_exits_2(tmp_path):
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o500)
    try:
        if os.access(out, os.W_OK):
            pytest.skip("running as root: chmod does not stop writes")
        result = invoke(EVENTS_CSV, "--out", out)
        assert_one_error_line(result, f"{out}: the output directory is not writable")
        assert list(out.iterdir()) == []
    finally:
        out.chmod(0o700)


def test_a_full_disk_midway_exits_2_and_leaves_the_directory_unchanged(
    published, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    shutil.copytree(published[0], out)
    before = snapshot(out)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(toolkit.export, "write_parquet", full)

    result = invoke(EVENTS_CSV, "--out", out)

    assert_one_error_line(result, f"{out}: writing failed (No space left on device)")
    assert snapshot(out) == before


def test_an_unexpected_failure_midway_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("writer broke\nsecond line")

    monkeypatch.setattr(toolkit.export.xlsx, "write_xlsx", broken)

    result = invoke(EVENTS_CSV, "--out", tmp_path)

    assert_one_error_line(
        result, "unexpected RuntimeError: writer broke (rerun with --debug for the traceback)"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_cell_longer_than_excel_holds_exits_2_naming_the_row(write_csv, tmp_path):
    schema = tmp_path / "unlimited.yaml"
    schema.write_text(
        (ROOT / "schemas" / "events.yaml")
        .read_text(encoding="utf-8")
        .replace("    max_length: 32767\n", ""),
        encoding="utf-8",
    )
    path = write_csv([event_row(), event_row("iq-2024-002", notes="x" * 40_000)])

    result = invoke(path, "--out", tmp_path / "out", "--schema", schema)

    assert_one_error_line(
        result, "row 2, column notes: 40,000 characters; an Excel cell holds at most 32,767"
    )
    assert not (tmp_path / "out").exists()


def test_json_format_puts_the_report_on_stdout_and_the_summary_on_stderr(tmp_path):
    result = invoke(EVENTS_CSV, "--out", tmp_path, "--to", "csv", "--format", "json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["valid"], report["rows"], report["warnings"]) == (True, 17, 17)
    assert result.stderr == (
        "17 rows read: 17 exported, 0 rejected; 17 warnings\n"
        f"  wrote {tmp_path / 'events.csv'}\n"
        f"  wrote {tmp_path / 'manifest.json'}\n"
    )


def test_help_shows_an_example():
    result = CliRunner().invoke(app, ["export", "--help"])

    assert result.exit_code == 0
    assert "toolkit export fixtures/events.csv --out out/" in result.stdout
    assert "--quarantine" in result.stdout


def test_export_names_the_outputs_of_the_previous_set_it_removes(tmp_path):
    invalid = INVALID / "date-invalid.csv"
    events = tmp_path / "events.csv"
    events.write_bytes(invalid.read_bytes())
    out = tmp_path / "out"
    first = CliRunner().invoke(app, ["export", str(events), "--out", str(out), "--quarantine"])
    events.write_bytes(EVENTS_CSV.read_bytes())

    second = CliRunner().invoke(app, ["export", str(events), "--out", str(out)])

    assert first.exit_code == 0 and second.exit_code == 0
    assert f"  removed {out / 'events.rejected.csv'} (not in this export)\n" in second.stdout
    assert not (out / "events.rejected.csv").exists()
