"""diff_tables: rows matched on the key, cells compared as canonical values, findings matched
by rule, column and key; versions read from git; and what each renderer shows."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import EVENTS_CSV, HEADER, TODAY, WriteCsv, csv_text, event_row
from openpyxl import load_workbook

from toolkit import InputError, diff_tables, export_table, load_table, validate_table
from toolkit.diff import (
    CellChange,
    ChangedRow,
    DuplicateKey,
    Position,
    TableDiff,
    Tally,
    load_version,
)
from toolkit.diff.render import (
    render_github,
    render_json,
    render_markdown,
    render_text,
    visible,
)
from toolkit.schema import compile_schema, load_schema, parse_schema

SCHEMA = compile_schema(load_schema(), today=TODAY)


@pytest.fixture
def diff(write_csv: WriteCsv):
    """`diff(old_rows, new_rows, **options)`: write both as CSV, load them, diff them."""

    def run(old_rows, new_rows, *, header=HEADER, **options) -> TableDiff:
        old = load_table(write_csv(old_rows, header=header, name="old.csv"))
        new = load_table(write_csv(new_rows, header=header, name="new.csv"))
        return diff_tables(old, new, SCHEMA, **options)

    return run


def rows(*ids: str) -> list[dict[str, str]]:
    return [event_row(i) for i in ids]


# ---------------------------------------------------------------- rows


def test_rows_added_removed_changed_and_reformatted_whatever_their_order(diff):
    old = rows("iq-2024-001", "iq-2024-002", "iq-2024-003", "iq-2024-005", "iq-2024-006")
    new = [
        event_row("iq-2024-006"),
        event_row("iq-2024-005", personnel="~2500"),  # was ~2,500
        event_row("iq-2024-002", personnel="100-500"),  # was 100-999
        event_row("iq-2024-003", latitude="33.31520"),  # was 33.3152
        event_row("ru-2024-001"),
    ]

    d = diff(old, new)

    assert d.key == ("event_id",)
    assert (d.rows_old, d.rows_new) == (5, 5)
    assert d.added == (("ru-2024-001",),)
    assert d.removed == (("iq-2024-001",),)
    assert d.changed == (
        ChangedRow(("iq-2024-002",), 3, 4, (CellChange("personnel", "100-999", "100-500"),)),
    )
    assert d.reformatted == (("iq-2024-005",), ("iq-2024-003",))
    assert d.unchanged == 1
    assert (d.introduced, d.fixed) == ((), ())
    assert d.passed


def test_reordered_rows_are_unchanged(diff):
    ids = ("iq-2024-001", "iq-2024-002", "iq-2024-004", "ru-2024-001")

    d = diff(rows(*ids), rows(*reversed(ids)))

    assert (d.added, d.removed, d.changed, d.reformatted) == ((), (), (), ())
    assert d.unchanged == 4


def test_changed_row_line_is_its_physical_line_in_new(diff):
    # iq-2024-004's note spans two lines, so the row after it starts on line 4
    new = [event_row("iq-2024-004"), event_row("iq-2024-001", fatalities="3", status="ongoing")]

    d = diff(rows("iq-2024-001", "iq-2024-004"), new)

    assert d.changed == (
        ChangedRow(
            ("iq-2024-001",),
            2,
            4,
            (CellChange("status", "occurred", "ongoing"), CellChange("fatalities", None, "3")),
        ),
    )


def test_surrounding_spaces_reformat_and_the_warning_is_introduced(diff):
    d = diff(rows("iq-2024-003"), [event_row("iq-2024-003", location=" Baghdad ")])

    assert (d.changed, d.reformatted) == ((), (("iq-2024-003",),))
    assert [(f.rule, f.column, f.line, f.value) for f in d.introduced] == [
        ("text.whitespace", "location", 2, " Baghdad ")
    ]
    assert d.introduced_count == Tally(0, 1)
    assert d.passed


def test_a_key_typed_with_spaces_matches_its_row(diff):
    d = diff(rows("iq-2024-001"), [event_row("iq-2024-001", event_id=" iq-2024-001")])

    assert (d.added, d.removed, d.reformatted) == ((), (), (("iq-2024-001",),))


def test_values_that_do_not_parse_are_compared_as_typed(diff):
    old = [event_row("iq-2024-001", fatalities="abc"), event_row("iq-2024-002", fatalities="abc")]
    new = [event_row("iq-2024-001", fatalities="xyz"), event_row("iq-2024-002", fatalities=" abc")]

    d = diff(old, new)

    assert d.changed == (
        ChangedRow(("iq-2024-001",), 1, 2, (CellChange("fatalities", "abc", "xyz"),)),
    )
    assert d.reformatted == (("iq-2024-002",),)


def test_multiline_values_are_kept_whole(diff):
    old = [event_row("iq-2024-001", notes="first line\nsecond")]
    new = [event_row("iq-2024-001", notes="first line\nrevised")]

    d = diff(old, new)

    assert d.changed[0].cells == (CellChange("notes", "first line\nsecond", "first line\nrevised"),)
    assert d.to_dict()["changed"][0]["cells"] == {
        "notes": {"old": "first line\nsecond", "new": "first line\nrevised"}
    }


def test_duplicate_keys_are_reported_not_matched(diff):
    new = [
        event_row("iq-2024-001"),
        event_row("iq-2024-002"),
        event_row("iq-2024-002", personnel="5"),
        event_row("iq-2024-003"),
    ]

    d = diff(rows("iq-2024-001", "iq-2024-002"), new)

    assert d.duplicate_keys_new == (
        DuplicateKey(("iq-2024-002",), (Position(2, 3), Position(3, 4))),
    )
    assert d.duplicate_keys_old == ()
    assert (d.added, d.removed, d.changed, d.unchanged) == ((("iq-2024-003",),), (), (), 1)
    assert [(f.rule, f.column, f.row, f.line) for f in d.introduced] == [
        ("value.unique", "event_id", 2, 3),
        ("value.unique", "event_id", 3, 4),
    ]
    assert not d.passed


def test_a_key_duplicated_in_old_only_is_not_matched_either(diff):
    old = [event_row("iq-2024-001"), event_row("iq-2024-001", personnel="5")]

    d = diff(old, rows("iq-2024-001"))

    assert d.duplicate_keys_old == (
        DuplicateKey(("iq-2024-001",), (Position(1, 2), Position(2, 3))),
    )
    assert (d.added, d.removed, d.changed, d.reformatted, d.unchanged) == ((), (), (), (), 0)
    assert [(f.rule, f.row) for f in d.fixed] == [("value.unique", 1), ("value.unique", 2)]


def test_rows_without_a_key_are_reported(diff):
    new = [event_row("iq-2024-001"), event_row("iq-2024-002", event_id="  ")]

    d = diff(rows("iq-2024-001"), new)

    assert d.missing_keys_new == (Position(2, 3),)
    assert (d.added, d.unchanged) == ((), 1)
    assert [(f.rule, f.column, f.line) for f in d.introduced] == [("value.required", "event_id", 3)]


def test_a_key_of_several_columns(diff):
    old = rows("iq-2024-001", "iq-2024-002")
    new = [event_row("iq-2024-001", source="AP"), event_row("iq-2024-002")]

    d = diff(old, new, key=["event_id", "source"])

    assert d.key == ("event_id", "source")
    assert d.added == (("iq-2024-001", "AP"),)
    assert d.removed == (("iq-2024-001", "Reuters"),)
    assert d.to_dict()["added"] == [["iq-2024-001", "AP"]]


def test_another_key_column_than_the_unique_one(diff):
    d = diff(rows("iq-2024-001"), rows("iq-2024-001"), key=["country"])

    assert (d.key, d.unchanged) == (("country",), 1)


# ---------------------------------------------------------------- findings


def test_errors_introduced_fixed_and_remaining(diff, write_csv):
    old = [
        event_row("iq-2024-001"),
        event_row("iq-2024-002", date="2024-02-30"),
        event_row("iq-2024-003", fatalities="50-10"),
    ]
    new = [
        event_row("iq-2024-003", fatalities="50-10"),  # the same legacy error, on another line
        event_row("iq-2024-002"),  # fixed
        event_row("iq-2024-001", country="XYZ"),  # broken
    ]

    d = diff(old, new)

    new_report = validate_table(load_table(write_csv(new, name="new.csv")), SCHEMA)
    old_report = validate_table(load_table(write_csv(old, name="old.csv")), SCHEMA)
    assert d.introduced == tuple(f for f in new_report.findings if f.rule == "country.unknown")
    assert [(f.rule, f.column, f.row, f.line, f.value) for f in d.introduced] == [
        ("country.unknown", "country", 3, 4, "XYZ")
    ]
    assert d.fixed == tuple(f for f in old_report.findings if f.rule == "date.invalid")
    assert [(f.rule, f.column, f.row, f.line, f.value) for f in d.fixed] == [
        ("date.invalid", "date", 2, 3, "2024-02-30")
    ]
    assert (d.introduced_count, d.fixed_count, d.remaining_count) == (
        Tally(1, 0),
        Tally(1, 0),
        Tally(1, 0),
    )
    assert not d.passed


def test_legacy_errors_alone_pass_the_gate(diff):
    broken = [event_row("iq-2024-001", date="2024-02-30")]

    d = diff(broken, [*broken, event_row("iq-2024-002")])

    assert d.remaining_count == Tally(1, 0)
    assert d.introduced_count == Tally(0, 0)
    assert d.passed


def test_an_introduced_warning_fails_only_when_strict(diff):
    new = [event_row("iq-2024-001", source_url="")]

    lenient = diff(rows("iq-2024-001"), new)
    strict = diff(rows("iq-2024-001"), new, strict=True)

    assert lenient.introduced_count == strict.introduced_count == Tally(0, 1)
    assert (lenient.passed, strict.passed) == (True, False)


def test_header_findings_are_matched_by_rule_and_column(write_csv):
    old = write_csv(
        [dict(event_row("iq-2024-001"), extra="x")], header=[*HEADER, "extra"], name="old.csv"
    )
    new = write_csv(
        [dict(event_row("iq-2024-001"), extra="x", another="y")],
        header=[*HEADER, "extra", "another"],
        name="new.csv",
    )

    d = diff_tables(load_table(old), load_table(new), SCHEMA)

    assert [(f.rule, f.column, f.row, f.line) for f in d.introduced] == [
        ("structure.unknown_column", "another", None, 1)
    ]
    assert d.remaining_count == Tally(1, 0)
    assert d.unchanged == 1


def test_introduced_findings_are_listed_up_to_max_findings_with_exact_counts(diff):
    new = [event_row("iq-2024-001", date="2024-02-30", source_url="")] + [
        event_row("iq-2024-002", event_id=f"e{i}", date="2024-13-01") for i in range(4)
    ]

    d = diff(rows("iq-2024-001"), new, max_findings=3)

    assert d.introduced_count == Tally(5, 1)
    assert [(f.severity, f.rule, f.row) for f in d.introduced] == [
        ("error", "date.invalid", 1),
        ("error", "date.invalid", 2),
        ("error", "date.invalid", 3),
    ]
    assert d.truncated
    assert d.to_dict()["findings"]["truncated"] is True


# ---------------------------------------------------------------- the key


def test_an_unknown_key_column_is_refused(diff):
    with pytest.raises(InputError) as caught:
        diff(rows("iq-2024-001"), rows("iq-2024-001"), key=["id"])

    assert str(caught.value) == (
        "key column 'id' is not in schema events 1.0 (its columns: " + ", ".join(HEADER) + ")"
    )


def test_a_schema_without_a_unique_column_needs_a_key(write_csv):
    schema = parse_schema('name: plain\nversion: "1"\ncolumns: [{name: a, kind: text}]\n')
    path = write_csv([["x"]], header=["a"])

    with pytest.raises(InputError) as caught:
        diff_tables(load_table(path), load_table(path), schema)
    keyed = diff_tables(load_table(path), load_table(path), schema, key=["a"])

    assert str(caught.value) == (
        "schema plain 1 declares no unique column to match rows on; name one with --key"
    )
    assert keyed.unchanged == 1


def test_a_version_without_the_key_column_is_refused(write_csv):
    old = write_csv(rows("iq-2024-001"), name="old.csv")
    header = [h for h in HEADER if h != "event_id"]
    new = write_csv(rows("iq-2024-001"), header=header, name="new.csv")

    with pytest.raises(InputError) as caught:
        diff_tables(load_table(old), load_table(new), SCHEMA)

    assert str(caught.value) == f"{new}: has no column 'event_id' to match rows on (the key)"


# ---------------------------------------------------------------- formats


def test_csv_and_its_workbook_export_hold_the_same_values(tmp_path):
    table = load_table(EVENTS_CSV)
    export_table(table, tmp_path / "out", SCHEMA, formats=("xlsx",))
    workbook = tmp_path / "out" / "events.xlsx"

    d = diff_tables(table, load_table(workbook), SCHEMA)

    # the export writes canonical text: only the count typed with a separator differs
    assert (d.added, d.removed, d.changed) == ((), (), ())
    assert d.reformatted == (("iq-2024-005",),)
    assert (d.unchanged, d.new_sheet) == (16, "events")


def test_a_cell_edited_in_the_workbook_is_changed_at_its_sheet_row(tmp_path):
    table = load_table(EVENTS_CSV)
    export_table(table, tmp_path / "out", SCHEMA, formats=("xlsx",))
    workbook = tmp_path / "out" / "events.xlsx"
    book = load_workbook(workbook)
    sheet = book["events"]
    column = HEADER.index("fatalities") + 1
    sheet.cell(row=4, column=column, value="12")  # iq-2024-002, data row 3
    sheet.cell(row=5, column=HEADER.index("country") + 1, value="XYZ")  # iq-2024-004
    book.save(workbook)

    d = diff_tables(table, load_table(workbook), SCHEMA)

    assert [(c.key, c.row, c.line, c.cells) for c in d.changed] == [
        (("iq-2024-002",), 3, 4, (CellChange("fatalities", None, "12"),)),
        (("iq-2024-004",), 4, 5, (CellChange("country", "IRQ", "XYZ"),)),
    ]
    assert [(f.rule, f.line, f.cell) for f in d.introduced] == [("country.unknown", 5, "events!G5")]


# ---------------------------------------------------------------- git revisions


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Desk", "-c", "user.email=desk@example.org",
         "-c", "commit.gpgsign=false", *args],
        cwd=repo, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with two commits of data/events.csv; the working copy is a third state."""
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    table = root / "data" / "events.csv"
    table.write_text(csv_text(rows("iq-2024-001", "iq-2024-002")), encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    table.write_text(csv_text(rows("iq-2024-001", "iq-2024-002", "iq-2024-003")), encoding="utf-8")
    git(root, "commit", "-q", "-am", "second")
    table.write_text(
        csv_text([event_row("iq-2024-001", date="2024-02-30"), *rows("iq-2024-003")]),
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    return root


def test_a_revision_is_read_through_git(repo):
    first = load_version("HEAD~1:data/events.csv")
    second = load_version("main:data/events.csv")

    assert (str(first.path), first.rows) == ("HEAD~1:data/events.csv", 2)
    assert (str(second.path), second.rows) == ("main:data/events.csv", 3)


def test_a_revision_against_the_working_copy(repo):
    d = diff_tables(load_version("main:data/events.csv"), load_version("data/events.csv"), SCHEMA)

    assert (d.old, d.new) == ("main:data/events.csv", "data/events.csv")
    assert d.removed == (("iq-2024-002",),)
    assert d.changed == (
        ChangedRow(("iq-2024-001",), 1, 2, (CellChange("date", "../2024-09-06", "2024-02-30"),)),
    )
    assert [(f.rule, f.line) for f in d.introduced] == [("date.invalid", 2)]


def test_two_revisions(repo):
    d = diff_tables(load_version("HEAD~1:data/events.csv"), load_version("HEAD:data/events.csv"))

    assert (d.added, d.unchanged) == ((("iq-2024-003",),), 2)


def test_paths_in_a_revision_are_from_the_root_unless_they_start_with_dot(repo, monkeypatch):
    monkeypatch.chdir(repo / "data")

    assert load_version("HEAD:data/events.csv").rows == 3
    assert load_version("HEAD:./events.csv").rows == 3


def test_an_existing_file_wins_over_a_revision(repo):
    (repo / "HEAD:data").mkdir()
    (repo / "HEAD:data" / "events.csv").write_text(csv_text(rows("iq-2024-005")), "utf-8")

    table = load_version("HEAD:data/events.csv")

    assert (table.rows, table.frame["event_id"].to_list()) == (1, ["iq-2024-005"])


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("nope:data/events.csv", "git cannot read it as REV:PATH: invalid object name 'nope'"),
        ("HEAD~5:data/events.csv", "git cannot read it as REV:PATH: invalid object name 'HEAD~5'"),
        (
            "HEAD:data/missing.csv",
            "git cannot read it as REV:PATH: path 'data/missing.csv' does not exist in 'HEAD'",
        ),
        ("HEAD:", "REV:PATH names no path after the ':'"),
    ],
)
def test_an_unreadable_revision_is_one_clear_error(repo, spec, problem):
    with pytest.raises(InputError) as caught:
        load_version(spec)

    assert str(caught.value) == f"{spec}: no such file, and {problem}"


def test_a_revision_outside_a_repository(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))

    with pytest.raises(InputError) as caught:
        load_version("main:events.csv")

    assert str(caught.value) == (
        "main:events.csv: no such file, and git cannot read it as REV:PATH: "
        "not a git repository (or any of the parent directories): .git"
    )


def test_a_directory_in_a_revision_is_refused(repo):
    (repo / "tables.csv").mkdir()
    (repo / "tables.csv" / "a.csv").write_text("x\n", "utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "a folder named like a table")

    with pytest.raises(InputError) as caught:
        load_version("HEAD:tables.csv")

    assert str(caught.value) == "HEAD:tables.csv: is a tree in git, not a file"


def test_an_lfs_pointer_is_refused(repo):
    pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 12\n"
    (repo / "big.csv").write_text(pointer, "utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "lfs")

    with pytest.raises(InputError) as caught:
        load_version("HEAD:big.csv")

    assert str(caught.value) == (
        "HEAD:big.csv: is a Git LFS pointer, not the table (fetch it with git lfs pull)"
    )


def test_a_broken_committed_file_is_named_by_its_revision_and_leaves_nothing(
    repo, tmp_path, monkeypatch
):
    (repo / "bad.csv").write_bytes(b"event_id\nx\x00y\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "nul")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    with pytest.raises(InputError) as caught:
        load_version("HEAD:bad.csv")
    load_version("HEAD:data/events.csv")

    assert str(caught.value).startswith("HEAD:bad.csv: line 2 contains a NUL byte")
    assert list(scratch.iterdir()) == []


# ---------------------------------------------------------------- rendering


@pytest.fixture
def small(diff) -> TableDiff:
    old = rows("iq-2024-003", "iq-2024-002", "iq-2024-001", "iq-2024-007")
    new = [
        event_row("iq-2024-003", latitude="33.31520"),
        event_row("iq-2024-002", personnel="100-500", date="2024-02-30"),
        event_row("ru-2024-001"),
        event_row("iq-2024-007", source_url=""),
    ]
    return diff(old, new)


def test_json_shape(small):
    data = json.loads(render_json(small))

    assert list(data) == [
        "passed", "old", "new", "schema", "key", "rows", "added", "removed", "changed",
        "reformatted", "unchanged", "duplicate_keys", "missing_keys", "findings",
    ]  # fmt: skip
    assert data["passed"] is False
    assert (data["key"], data["rows"]) == (["event_id"], {"old": 4, "new": 4})
    assert (data["added"], data["removed"]) == (["ru-2024-001"], ["iq-2024-001"])
    assert data["changed"] == [
        {
            "key": "iq-2024-002",
            "row": 2,
            "line": 3,
            "cells": {
                "date": {"old": "../2025-09", "new": "2024-02-30"},
                "personnel": {"old": "100-999", "new": "100-500"},
            },
        },
        {
            "key": "iq-2024-007",
            "row": 4,
            "line": 5,
            "cells": {"source_url": {"old": event_row("iq-2024-007")["source_url"], "new": None}},
        },
    ]
    assert (data["reformatted"], data["unchanged"]) == (["iq-2024-003"], 0)
    assert data["duplicate_keys"] == {"old": [], "new": []}
    assert data["missing_keys"] == {"old": [], "new": []}
    assert data["findings"]["remaining"] == 0
    assert data["findings"]["fixed"] == []
    assert data["findings"]["counts"] == {
        "introduced": {"errors": 1, "warnings": 1},
        "fixed": {"errors": 0, "warnings": 0},
        "remaining": {"errors": 0, "warnings": 0},
    }
    assert data["findings"]["introduced"] == [f.to_dict() for f in small.introduced]
    assert [(f["rule"], f["line"]) for f in data["findings"]["introduced"]] == [
        ("date.invalid", 3),
        ("value.required", 5),
    ]


def test_text_lists_every_change(small):
    new = small.new
    url = event_row("iq-2024-007")["source_url"]

    assert render_text(small) == (
        f"{small.old} → {new}: 1 added, 1 removed, 2 changed, 1 reformatted, 0 unchanged "
        "(key event_id; 4 → 4 rows, schema events 1.0)\n"
        "findings: 2 introduced (1 error, 1 warning), 0 fixed (0 errors, 0 warnings), "
        "0 remaining\n"
        "verdict: FAIL — the change introduces 1 error\n"
        "\n"
        "added (1):\n"
        "  ru-2024-001\n"
        "\n"
        "removed (1):\n"
        "  iq-2024-001\n"
        "\n"
        "changed (2):\n"
        f"  iq-2024-002 ({new}:3)\n"
        '    date: "../2025-09" → "2024-02-30"\n'
        '    personnel: "100-999" → "100-500"\n'
        f"  iq-2024-007 ({new}:5)\n"
        f'    source_url: "{url}" → (empty)\n'
        "\n"
        "reformatted, same values (1):\n"
        "  iq-2024-003\n"
        "\n"
        "introduced:\n"
        f"  {new}:3: error: '2024-02-30' is not a date in the accepted forms [date.invalid]\n"
        "      hint: accepted forms: 2024-03-22, 2025-09, 2026, 2024-03-22/2024-03-24, "
        "../2025-09, 2025-09/.., with ~ ? %\n"
        f"  {new}:5: warning: source_url is required but empty [value.required]\n"
        "      hint: Link to the report (http or https).\n"
    )


def test_markdown_shows_the_same_in_code_spans(small):
    text = render_markdown(small)

    assert text.startswith(f"### Table diff: `{small.old}` → `{small.new}`\n\n**FAIL** — ")
    assert "| introduced | 1 | 1 |\n" in text
    assert (
        f"#### Changed rows (2)\n\n- `iq-2024-002` at `{small.new}:3`: "
        '`date`: `"../2025-09"` → `"2024-02-30"`; `personnel`: `"100-999"` → `"100-500"`\n'
    ) in text
    assert (
        "| 3 | error | `date.invalid` | `date` | '2024-02-30' is not a date in the accepted "
        "forms | accepted forms: "
    ) in text


def test_github_annotates_introduced_findings_on_new_lines(small):
    lines = render_github(small, file="data/events.csv").splitlines()

    assert lines[0].startswith(
        "::error file=data/events.csv,line=3,title=date.invalid [date]::"
        "'2024-02-30' is not a date in the accepted forms — accepted forms: "
    )
    assert lines[0].endswith("with ~ ? %25")
    assert lines[1] == (
        "::warning file=data/events.csv,line=5,title=value.required [source_url]::"
        "source_url is required but empty — Link to the report (http or https)."
    )
    assert lines[2] == (
        f"::notice title=toolkit diff::{small.old} → {small.new}: 1 added, 1 removed, "
        "2 changed, 1 reformatted, 0 unchanged; findings: 2 introduced (1 error, 1 warning), "
        "0 fixed (0 errors, 0 warnings), 0 remaining; FAIL — the change introduces 1 error"
    )
    assert len(lines) == 3


def test_github_caps_annotations_at_ten_per_severity_one_rule_and_column_first(diff):
    new = [event_row("iq-2024-002", event_id=f"d{i:02}", date="2024-02-30") for i in range(8)] + [
        event_row("iq-2024-002", event_id=f"c{i:02}", country="XYZ") for i in range(4)
    ]
    new += [event_row("iq-2024-002", event_id=f"w{i:02}", location=" x ") for i in range(12)]

    lines = render_github(diff(rows("iq-2024-002"), new), file="events.csv").splitlines()

    errors = [x.split("::")[1] for x in lines if x.startswith("::error ")]
    warnings = [x.split("::")[1] for x in lines if x.startswith("::warning ")]
    # one of each rule and column in turn (6 date.invalid and all 4 country.unknown), shown
    # in the table's order
    assert [e.split(",")[1] for e in errors] == [
        "line=2", "line=3", "line=4", "line=5", "line=6", "line=7", "line=10", "line=11",
        "line=12", "line=13",
    ]  # fmt: skip
    assert len(warnings) == 10
    assert lines[-1].endswith(
        "; 4 more findings not annotated (GitHub shows 10 errors and 10 warnings per step): "
        "the job summary or toolkit diff --format json lists them"
    )
    assert len(lines) == 21


def test_hostile_values_are_shown_escaped_on_one_line(diff):
    hostile = "x\n::error file=a.csv::pwned\x1b[31m\u202e\\"
    old = [event_row("iq-2024-001", notes="calm")]
    new = [event_row("iq-2024-001", notes=hostile)]

    d = diff(old, new)
    text, markdown, github = render_text(d), render_markdown(d), render_github(d)

    # the escapes are the characters' own; a backslash stays as typed
    escaped = '"x\\n::error file=a.csv::pwned\\x1b[31m\\u202e\\"'
    assert f'    notes: "calm" → {escaped}\n' in text
    assert f'`notes`: `"calm"` → `{escaped}`\n' in markdown
    for output in (text, markdown, github):
        assert "\x1b" not in output and "\u202e" not in output
        assert not any(
            line.startswith("::") and not line.startswith(("::error", "::warning", "::notice"))
            for line in output.splitlines()
        )
    assert [line for line in text.splitlines() if "pwned" in line] == [
        f'    notes: "calm" → {escaped}'
    ]


def test_long_values_are_cut_for_people_and_whole_in_json(diff):
    note = "a" * 1000
    d = diff([event_row("iq-2024-001")], [event_row("iq-2024-001", notes=note)])

    assert f'"{"a" * 200}… (1,000 characters)"' in render_text(d)
    assert json.loads(render_json(d))["changed"][0]["cells"]["notes"]["new"] == note


def test_json_escapes_c1_controls(diff):
    d = diff([event_row("iq-2024-001")], [event_row("iq-2024-001", notes="a\x9bb\x7f")])

    text = render_json(d)

    assert "\x9b" not in text and "\x7f" not in text
    assert '"new": "a\\u009bb\\u007f"' in text
    assert json.loads(text)["changed"][0]["cells"]["notes"]["new"] == "a\x9bb\x7f"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain", "plain"),
        ("tab\there", "tab\\there"),
        ("nbsp\u00a0zero\u200bwidth", "nbsp\\xa0zero\\u200bwidth"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("Bagdad بغداد", "Bagdad بغداد"),
    ],
)
def test_visible(text, shown):
    assert visible(text) == shown
