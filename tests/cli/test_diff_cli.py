"""`toolkit diff`: the merge gate's exit codes, streams, formats, and git revisions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EVENTS_CSV, HEADER, csv_text, event_row
from typer.testing import CliRunner

from toolkit import diff_tables, load_table
from toolkit.cli import app


def invoke(*args: str):
    return CliRunner().invoke(app, ["diff", *args])


def assert_input_error(result, message: str) -> None:
    """Exit 2, nothing on stdout, one `error:` line on stderr, no traceback."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"


@pytest.fixture
def versions(write_csv):
    """`versions(old_rows, new_rows)`: paths of old.csv and new.csv."""

    def write(old_rows, new_rows) -> tuple[Path, Path]:
        return write_csv(old_rows, name="old.csv"), write_csv(new_rows, name="new.csv")

    return write


LEGACY = event_row("iq-2024-001", date="2024-02-30")


def test_a_change_that_introduces_no_error_exits_0_despite_legacy_errors(versions):
    old, new = versions([LEGACY], [LEGACY, event_row("iq-2024-002")])

    result = invoke(str(old), str(new))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == [
        f"{old} → {new}: 1 added, 0 removed, 0 changed, 0 reformatted, 1 unchanged "
        "(key event_id; 1 → 2 rows, schema events 1.0)",
        "findings: 0 introduced (0 errors, 0 warnings), 0 fixed (0 errors, 0 warnings), "
        "1 remaining",
        "verdict: pass — the change introduces no error",
    ]
    assert result.stderr == ""


def test_a_change_that_introduces_an_error_exits_1(versions):
    old, new = versions([event_row("iq-2024-001")], [LEGACY])

    result = invoke(str(old), str(new))

    assert result.exit_code == 1
    assert "verdict: FAIL — the change introduces 1 error\n" in result.stdout
    assert (
        f"  {new}:2: error: '2024-02-30' is not a date in the accepted forms [date.invalid]\n"
    ) in result.stdout
    assert result.stderr == ""


def test_an_introduced_warning_fails_only_with_strict(versions):
    old, new = versions([event_row("iq-2024-001")], [event_row("iq-2024-001", source_url="")])

    lenient, strict = invoke(str(old), str(new)), invoke(str(old), str(new), "--strict")

    assert (lenient.exit_code, strict.exit_code) == (0, 1)
    assert "verdict: pass — the change introduces no error (1 warning allowed)\n" in (
        lenient.stdout
    )
    assert "verdict: FAIL — the change introduces 1 warning (--strict)\n" in strict.stdout


def test_json_output_equals_the_python_api(versions):
    old, new = versions(
        [event_row("iq-2024-001"), event_row("iq-2024-002")],
        [event_row("iq-2024-002", personnel="5"), LEGACY, event_row("ru-2024-001")],
    )

    result = invoke(str(old), str(new), "--format", "json")

    assert result.exit_code == 1
    expected = diff_tables(load_table(old), load_table(new)).to_dict()
    assert json.loads(result.stdout) == expected
    assert expected["changed"][0]["cells"] == {"personnel": {"old": "100-999", "new": "5"}}


def test_max_findings_caps_the_listed_findings_not_the_counts(versions):
    new = [event_row("iq-2024-001", event_id=f"e{i}", date="2024-02-30") for i in range(5)]
    old, new_path = versions([event_row("iq-2024-001")], new)

    result = invoke(str(old), str(new_path), "-f", "json", "--max-findings", "2")

    findings = json.loads(result.stdout)["findings"]
    assert [f["line"] for f in findings["introduced"]] == [2, 3]
    assert (findings["counts"]["introduced"], findings["truncated"]) == (
        {"errors": 5, "warnings": 0},
        True,
    )


def test_a_key_of_several_columns(versions):
    old, new = versions([event_row("iq-2024-001")], [event_row("iq-2024-001", source="AP")])

    result = invoke(str(old), str(new), "-f", "json", "--key", "event_id", "--key", "source")

    data = json.loads(result.stdout)
    assert (data["key"], data["added"], data["removed"]) == (
        ["event_id", "source"],
        [["iq-2024-001", "AP"]],
        [["iq-2024-001", "Reuters"]],
    )


def test_github_format_annotates_new_lines(versions):
    old, new = versions([event_row("iq-2024-001")], [event_row("iq-2024-002"), LEGACY])

    result = invoke(str(old), str(new), "--format", "github")

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        f"::error file={new},line=3,title=date.invalid [date]::'2024-02-30' is not a date"
    )
    assert lines[1].startswith("::notice title=toolkit diff::")
    assert len(lines) == 2


def test_markdown_format(versions):
    old, new = versions([event_row("iq-2024-001")], [LEGACY])

    result = invoke(str(old), str(new), "--format", "markdown")

    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"### Table diff: `{old}` → `{new}`\n\n**FAIL** — the change introduces 1 error.\n"
    )


def test_a_csv_and_its_workbook_export(tmp_path):
    exported = CliRunner().invoke(
        app, ["export", str(EVENTS_CSV), "--out", str(tmp_path), "--to", "xlsx"]
    )
    assert exported.exit_code == 0, exported.output

    result = invoke(str(EVENTS_CSV), str(tmp_path / "events.xlsx"), "--sheet", "events")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        f"{EVENTS_CSV} → {tmp_path / 'events.xlsx'}: 0 added, 0 removed, 0 changed, "
        "1 reformatted, 16 unchanged"
    )
    assert "\nreformatted, same values (1):\n  iq-2024-005\n" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--key", "id"], "key column 'id' is not in schema events 1.0 (its columns: "),
    ],
)
def test_an_unknown_key_exits_2(versions, args, message):
    old, new = versions([event_row("iq-2024-001")], [event_row("iq-2024-001")])

    result = invoke(str(old), str(new), *args)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {message}")
    assert result.stderr.count("\n") == 1


def test_a_missing_file_exits_2(tmp_path):
    missing = tmp_path / "missing.csv"

    assert_input_error(invoke(str(EVENTS_CSV), str(missing)), f"{missing}: no such file")


def test_an_unknown_format_is_a_usage_error():
    result = invoke(str(EVENTS_CSV), str(EVENTS_CSV), "--format", "junit")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_no_arguments_shows_help():
    result = invoke()

    assert "Usage: toolkit diff" in result.output
    assert result.exit_code == 2


# ---------------------------------------------------------------- git


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Desk", "-c", "user.email=desk@example.org",
         "-c", "commit.gpgsign=false", *args],
        cwd=repo, capture_output=True, check=True,
    )  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """events.csv committed on main with a legacy error; the working copy breaks another row."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    table = root / "events.csv"
    table.write_text(csv_text([LEGACY, event_row("iq-2024-002")]), encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "events")
    table.write_text(csv_text([LEGACY, event_row("iq-2024-002", country="Iraq")]), encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def test_the_base_branch_against_the_working_copy(repo):
    result = invoke("main:events.csv", "events.csv", "-f", "json")

    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert (data["old"], data["new"]) == ("main:events.csv", "events.csv")
    assert data["changed"] == [
        {
            "key": "iq-2024-002",
            "row": 2,
            "line": 3,
            "cells": {"country": {"old": "IRQ", "new": "Iraq"}},
        }
    ]
    assert [(f["rule"], f["line"], f["hint"]) for f in data["findings"]["introduced"]] == [
        ("country.unknown", 3, "did you mean IRQ?")
    ]
    assert data["findings"]["remaining"] == 1


def test_the_gate_passes_once_the_change_is_committed_and_compared_with_itself(repo):
    git(repo, "commit", "-q", "-am", "break a row")

    result = invoke("HEAD:events.csv", "events.csv")

    assert result.exit_code == 0, result.output
    assert "0 added, 0 removed, 0 changed, 0 reformatted, 2 unchanged" in result.stdout


def test_github_annotations_for_a_committed_new_point_at_its_path(repo):
    git(repo, "commit", "-q", "-am", "break a row")

    result = invoke("HEAD~1:events.csv", "HEAD:events.csv", "--format", "github")

    assert result.exit_code == 1
    assert result.stdout.startswith(
        "::error file=events.csv,line=3,title=country.unknown [country]::"
    )


def test_an_unknown_revision_exits_2_with_one_line(repo):
    assert_input_error(
        invoke("nope:events.csv", "events.csv"),
        "nope:events.csv: no such file, and git cannot read it as REV:PATH: "
        "invalid object name 'nope'",
    )


def test_a_revision_outside_a_repository_exits_2_with_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "events.csv").write_text(EVENTS_CSV.read_text("utf-8"), "utf-8")

    assert_input_error(
        invoke("main:events.csv", "events.csv"),
        "main:events.csv: no such file, and git cannot read it as REV:PATH: "
        "not a git repository (or any of the parent directories): .git",
    )


def test_the_merge_gate_in_a_subprocess(repo):
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "diff", "main:events.csv", "events.csv"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith(
        "main:events.csv → events.csv: 0 added, 0 removed, 1 changed, 0 reformatted, 1 unchanged"
    )
    assert done.stderr == ""


def test_header_only_versions(write_csv):
    empty = write_csv([], header=HEADER, name="empty.csv")

    result = invoke(str(empty), str(empty), "-f", "json")

    data = json.loads(result.stdout)
    assert (result.exit_code, data["rows"], data["unchanged"]) == (0, {"old": 0, "new": 0}, 0)
