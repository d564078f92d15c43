"""GitHub, done right: a few useful annotations, a job summary, the action and the hook."""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import EVENTS_CSV, INVALID, ROOT, event_row
from typer.testing import CliRunner

from toolkit import Finding, Report
from toolkit.cli import app
from toolkit.report import (
    LineLinks,
    MarkdownSummary,
    RuleCount,
    choose_annotations,
    render,
    render_annotations,
    render_markdown,
)
from toolkit.report.markdown import SUMMARY_BUDGET, add_findings, md_code, md_text

CONSOLE_SCRIPT = Path(sys.executable).parent / "toolkit"
SHA = "0123456789abcdef0123456789abcdef01234567"
GITHUB_ENV = {
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": "desk/events",
    "GITHUB_SHA": SHA,
}
BLOB = f"https://github.com/desk/events/blob/{SHA}"


def finding(row: int, rule: str = "a.rule", column: str | None = "x", severity: str = "error"):
    return Finding(severity, rule, column, row, row + 1, None, f"v{row}", f"problem {row}", None)


def report_of(findings, counts=None, **options) -> Report:
    if counts is None:
        tally: dict[tuple, int] = {}
        for f in findings:
            tally[(f.rule, f.column, f.severity)] = tally.get((f.rule, f.column, f.severity), 0) + 1
        counts = [RuleCount(r, c, s, n) for (r, c, s), n in tally.items()]
    return Report("data/events.csv", 100, "events 1.0", tuple(findings), tuple(counts), **options)


# --- which annotations ------------------------------------------------------------------

MANY = [
    *(finding(r, "a.rule", "x") for r in range(1, 31)),
    *(finding(r, "b.rule", "y") for r in range(31, 36)),
    *(finding(r, "a.rule", "z") for r in range(36, 39)),
    *(finding(r, "w.rule", "w", "warning") for r in range(39, 54)),
]


def test_at_most_ten_errors_and_ten_warnings_one_per_rule_and_column_before_repeats():
    chosen = choose_annotations(MANY)

    assert [f.row for f in chosen if f.severity == "error"] == [1, 2, 3, 4, 31, 32, 33, 36, 37, 38]
    assert [f.row for f in chosen if f.severity == "warning"] == list(range(39, 49))
    assert [f.row for f in chosen] == sorted(f.row for f in chosen)  # in the table's order


def test_the_first_tier_is_annotated_first():
    introduced = [finding(90, "c.rule", "q"), finding(91, "c.rule", "q")]

    chosen = choose_annotations(introduced, MANY)

    assert [f.row for f in chosen if f.severity == "error"] == [90, 91, 1, 2, 3, 31, 32, 33, 36, 37]


def test_a_limit_per_severity_can_be_given():
    chosen = choose_annotations(MANY, limit={"error": 2, "warning": 0})

    assert [f.row for f in chosen] == [1, 31]


def test_github_emits_ten_errors_ten_warnings_and_one_notice_saying_how_many_more():
    report = report_of(
        MANY,
        counts=[RuleCount("a.rule", "x", "error", 5000), RuleCount("w.rule", "w", "warning", 300)],
    )

    lines = render(report, "github").splitlines()

    assert [line.split(" ", 1)[0] for line in lines] == ["::error"] * 10 + ["::warning"] * 10 + [
        "::notice"
    ]
    assert lines[0] == "::error file=data/events.csv,line=2,title=a.rule [x]::problem 1"
    assert lines[-1] == (
        "::notice title=toolkit validate::data/events.csv: 5000 errors, 300 warnings in 100 rows; "
        "5280 more findings not annotated (GitHub shows 10 errors and 10 warnings per step): "
        "see the job summary or --format json"
    )


def test_a_caller_renders_its_own_prioritised_findings_with_its_own_notice():
    introduced = [finding(7, "date.invalid", "date")]

    text = render_annotations(
        choose_annotations(introduced),
        table="events.csv",
        title="toolkit diff",
        summary="events.csv: 1 error introduced, 2 fixed",
        total=1,
    )

    assert text == (
        "::error file=events.csv,line=8,title=date.invalid [date]::problem 7\n"
        "::notice title=toolkit diff::events.csv: 1 error introduced, 2 fixed\n"
    )


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env=env)


def test_validate_github_annotates_each_rule_first(write_csv):
    rows = [event_row(event_id=f"e-{i}", date="x") for i in range(40)]
    rows += [event_row(event_id=f"c-{i}", country="Iraq") for i in range(3)]
    path = write_csv(rows)

    result = invoke("validate", str(path), "--format", "github")

    assert result.exit_code == 1
    errors = [
        re.match(r"::error file=[^,]+,line=(\d+),title=(\S+)", x)
        for x in result.stdout.splitlines()[:-1]
    ]
    assert [(int(m[1]), m[2]) for m in errors if m] == [
        *((line, "date.invalid") for line in range(2, 9)),
        (42, "country.unknown"),
        (43, "country.unknown"),
        (44, "country.unknown"),
    ]
    assert result.stdout.splitlines()[-1] == (
        f"::notice title=toolkit validate::{path}: 43 errors, 0 warnings in 43 rows; "
        "33 more findings not annotated (GitHub shows 10 errors and 10 warnings per step): "
        "see the job summary or --format json"
    )


def test_several_tables_share_the_ten_annotations_of_a_step(write_csv):
    first = write_csv([event_row(event_id=f"a-{i}", date="x") for i in range(8)], name="a.csv")
    second = write_csv([event_row(event_id=f"b-{i}", date="x") for i in range(8)], name="b.csv")

    result = invoke("validate", str(first), str(second), "--format", "github")

    assert result.exit_code == 1
    kinds = [line.split(" ", 1)[0] for line in result.stdout.splitlines()]
    assert kinds == ["::error"] * 8 + ["::notice"] + ["::error"] * 2 + ["::notice"]


# --- Markdown ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("a|b", "a\\|b"),
        ("`code`", "\\`code\\`"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("&amp; stays &", "&amp;amp; stays &amp;"),
        ("[click](https://evil.example)", "\\[click\\](https://evil.example)"),
        ("*bold* _it_ ~~gone~~ $x$", "\\*bold\\* \\_it\\_ \\~\\~gone\\~\\~ \\$x\\$"),
        ("event_id source_url", "event_id source_url"),
        ("two\nlines\r", "two\\\\nlines\\\\r"),
        ("C:\\data", "C:\\\\data"),
    ],
)
def test_md_text_shows_exactly_the_text(text, markdown):
    assert md_text(text) == markdown


def test_md_code_is_a_code_span_unless_a_backtick_makes_it_plain_text():
    assert md_code("source_url") == "`source_url`"
    assert md_code("a|b") == "`a\\|b`"
    assert md_code("a`b") == "a\\`b"
    assert md_code("") == ""


@pytest.fixture
def links(tmp_path) -> LineLinks:
    links = LineLinks.from_env({**GITHUB_ENV, "GITHUB_WORKSPACE": str(tmp_path)}, cwd=tmp_path)
    assert links is not None
    return links


def test_line_links_point_at_the_blob_line(links, tmp_path):
    assert links.url("data/events.csv", 5) == f"{BLOB}/data/events.csv#L5"
    assert links.url(str(tmp_path / "data" / "events.csv"), 5) == f"{BLOB}/data/events.csv#L5"
    assert links.url("./data/../events.csv") == f"{BLOB}/events.csv"
    assert links.url("data/my events#1.csv", 2) == f"{BLOB}/data/my%20events%231.csv#L2"


def test_a_table_outside_the_checkout_gets_no_link(links):
    assert links.url("/elsewhere/events.csv", 5) is None
    assert links.url("../events.csv", 5) is None


@pytest.mark.parametrize(
    "change",
    [
        {"GITHUB_SHA": ""},
        {"GITHUB_REPOSITORY": "not a repo"},
        {"GITHUB_SERVER_URL": "javascript:alert(1)//"},
        {"GITHUB_SHA": "HEAD) [x](https://evil.example"},
    ],
)
def test_no_links_without_a_well_formed_github_environment(change):
    assert LineLinks.from_env({**GITHUB_ENV, **change}) is None


DUPLICATE = Finding(
    "error",
    "value.unique",
    "event_id",
    2,
    3,
    None,
    "iq-1",
    "event_id 'iq-1' appears 2 times (first in row 1)",
    "each event_id must be unique",
)
NO_URL = Finding(
    "warning",
    "value.required",
    "source_url",
    2,
    3,
    None,
    None,
    "source_url is required but empty",
    None,
)
IN_SHEET = Finding("error", "date.invalid", "date", 1, 2, "events!B2", "x", "'x' | <b>", None)


def test_markdown_gives_the_verdict_counts_and_linked_findings(links):
    report = report_of([DUPLICATE, NO_URL])

    assert render_markdown(report, links=links) == (
        f"## ❌ [data/events.csv]({BLOB}/data/events.csv): INVALID\n"
        "\n"
        "1 errors, 1 warnings in 100 rows (schema events 1.0)\n"
        "\n"
        "| Rule | Column | Severity | Count |\n"
        "| --- | --- | --- | --- |\n"
        "| `value.unique` | `event_id` | error | 1 |\n"
        "| `value.required` | `source_url` | warning | 1 |\n"
        "\n"
        "| Where | Severity | Rule | Column | Message | Hint |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        f"| [3]({BLOB}/data/events.csv#L3) | error | `value.unique` | `event_id` | "
        "event_id 'iq-1' appears 2 times (first in row 1) | each event_id must be unique |\n"
        f"| [3]({BLOB}/data/events.csv#L3) | warning | `value.required` | `source_url` | "
        "source_url is required but empty |  |\n"
    )


def test_markdown_for_a_valid_table_without_links():
    assert render(report_of([]), "markdown") == (
        "## ✅ data/events.csv: valid\n\n0 errors, 0 warnings in 100 rows (schema events 1.0)\n"
    )


def test_markdown_names_workbook_cells_and_escapes_cells():
    report = report_of([IN_SHEET], sheet="events")

    assert render(report, "markdown").splitlines()[-1] == (
        "| events!B2 | error | `date.invalid` | `date` | 'x' \\| &lt;b&gt; |  |"
    )


def test_markdown_says_how_many_findings_were_not_listed():
    report = report_of([DUPLICATE], counts=[RuleCount("value.unique", "event_id", "error", 9)])

    assert render(report, "markdown").splitlines()[-1] == (
        "_… 8 more findings not listed: raise `--max-findings` or read `--format json`_"
    )


def test_a_summary_stays_within_its_budget_and_says_what_it_left_out():
    findings = [
        Finding("error", "a.rule", "x", r, r + 1, None, "v", "m" * 900, None) for r in range(500)
    ]
    report = report_of(findings)

    text = render_markdown(report, budget=64 << 10)

    assert len(text.encode("utf-8")) <= 64 << 10
    rows = [line for line in text.splitlines() if line.startswith("| ") and "m" * 900 in line]
    assert 60 < len(rows) < 70
    assert text.splitlines()[-1] == (
        f"_… {500 - len(rows)} more findings not listed (the summary is capped at 64 KiB): "
        "raise `--max-findings` or read `--format json`_"
    )


def test_a_summary_cut_in_the_counts_lists_no_findings():
    counts = [RuleCount("structure.unknown_column", f"c{i}", "error", 1) for i in range(5000)]
    findings = [finding(1, "structure.unknown_column", f"c{i}") for i in range(5000)]

    text = render_markdown(report_of(findings, counts=counts), budget=32 << 10)

    assert len(text.encode("utf-8")) <= 32 << 10
    assert "| Where |" not in text
    assert re.search(
        r"\n\n_… \d+ more rules and columns not shown: the summary is capped at 32 KiB; "
        r"`--format json` has them all_\n\n_… 5000 more findings not listed \(the summary is capped"
        r" at 32 KiB\): raise `--max-findings` or read `--format json`_\n$",
        text,
    )


def test_a_caller_adds_its_own_sections_and_findings():
    summary = MarkdownSummary()
    summary.add("## events.csv: 1 error introduced, 1 fixed")
    summary.table(
        ["Rule", "Column", "Introduced", "Fixed"],
        [[md_code("date.invalid"), md_code("date"), "1", "1"]],
        heading="### By rule",
    )
    add_findings(summary, [DUPLICATE], table="events.csv", heading="### Introduced")

    assert summary.text() == (
        "## events.csv: 1 error introduced, 1 fixed\n"
        "\n"
        "### By rule\n"
        "\n"
        "| Rule | Column | Introduced | Fixed |\n"
        "| --- | --- | --- | --- |\n"
        "| `date.invalid` | `date` | 1 | 1 |\n"
        "\n"
        "### Introduced\n"
        "\n"
        "| Where | Severity | Rule | Column | Message | Hint |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| 3 | error | `value.unique` | `event_id` | "
        "event_id 'iq-1' appears 2 times (first in row 1) | each event_id must be unique |\n"
    )


# --- the job summary --------------------------------------------------------------------

DATE_INVALID = "fixtures/invalid/date-invalid.csv"
DATE_INVALID_SUMMARY = (
    f"## ❌ [{DATE_INVALID}]({BLOB}/{DATE_INVALID}): INVALID\n"
    "\n"
    "1 errors, 0 warnings in 1 rows (schema events 1.0)\n"
    "\n"
    "| Rule | Column | Severity | Count |\n"
    "| --- | --- | --- | --- |\n"
    "| `date.invalid` | `date` | error | 1 |\n"
    "\n"
    "| Where | Severity | Rule | Column | Message | Hint |\n"
    "| --- | --- | --- | --- | --- | --- |\n"
    f"| [2]({BLOB}/{DATE_INVALID}#L2) | error | `date.invalid` | `date` | "
    "'2024-02-30' is not a date in the accepted forms | accepted forms: 2024-03-22, 2025-09, "
    "2026, 2024-03-22/2024-03-24, ../2025-09, 2025-09/.., with \\~ ? % |\n"
)


@pytest.fixture
def in_actions(tmp_path, monkeypatch) -> dict[str, str]:
    """A GitHub Actions job: the checkout is the repository, the summary a fresh file."""
    monkeypatch.chdir(ROOT)
    return {
        **GITHUB_ENV,
        "GITHUB_WORKSPACE": str(ROOT),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "step_summary.md"),
    }


@pytest.mark.parametrize("fmt", ["text", "json", "github", "junit", "markdown"])
def test_validate_appends_the_summary_whatever_the_format(in_actions, fmt):
    result = invoke("validate", DATE_INVALID, "--format", fmt, env=in_actions)

    assert result.exit_code == 1
    assert Path(in_actions["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8") == (
        DATE_INVALID_SUMMARY
    )


def test_format_markdown_prints_the_summary(in_actions):
    result = invoke("validate", DATE_INVALID, "--format", "markdown", env=in_actions)

    assert result.stdout == DATE_INVALID_SUMMARY


def test_a_second_run_in_the_step_appends_after_a_blank_line(in_actions):
    invoke("validate", DATE_INVALID, env=in_actions)
    invoke("validate", str(EVENTS_CSV.relative_to(ROOT)), env=in_actions)

    text = Path(in_actions["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert text.startswith(DATE_INVALID_SUMMARY + "\n## ✅ [fixtures/events.csv](")


def test_an_unwritable_summary_is_a_warning_and_the_verdict_stands(in_actions, tmp_path):
    target = tmp_path / "a-directory"
    target.mkdir()

    result = invoke(
        "validate", DATE_INVALID, env={**in_actions, "GITHUB_STEP_SUMMARY": str(target)}
    )

    assert result.exit_code == 1
    assert result.stdout.startswith(f"{DATE_INVALID}: INVALID")
    assert (
        result.stderr == f"warning: the job summary was not written to {target}: Is a directory\n"
    )


def test_a_full_step_summary_is_left_alone_with_a_warning(in_actions):
    target = Path(in_actions["GITHUB_STEP_SUMMARY"])
    target.write_bytes(b"x" * ((1 << 20) - (20 << 10)))

    result = invoke("validate", DATE_INVALID, env=in_actions)

    assert result.exit_code == 1
    assert result.stderr == (
        f"warning: the job summary was not written to {target}: "
        "the step summary holds 1,028,096 bytes already\n"
    )
    assert target.stat().st_size == (1 << 20) - (20 << 10)


def test_a_huge_report_keeps_the_summary_well_under_a_mebibyte(in_actions, write_csv):
    path = write_csv([event_row(event_id=f"e-{i}", date="x") for i in range(20_000)])

    result = invoke("validate", str(path), "--max-findings", "100000", env=in_actions)

    assert result.exit_code == 1
    text = Path(in_actions["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert SUMMARY_BUDGET - (4 << 10) < len(text.encode("utf-8")) <= SUMMARY_BUDGET
    assert text.endswith(
        "more findings not listed (the summary is capped at 512 KiB): "
        "raise `--max-findings` or read `--format json`_\n"
    )


def test_no_summary_outside_github(tmp_path):
    result = invoke("validate", DATE_INVALID, env={"GITHUB_STEP_SUMMARY": ""})

    assert result.exit_code == 1
    assert result.stderr == ""


# --- the action -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_the_action_is_composite_with_table_schema_and_base(action):
    assert set(action) >= {"name", "description", "inputs", "runs"}
    assert action["inputs"]["table"]["required"] is True
    assert (action["inputs"]["schema"]["required"], action["inputs"]["schema"]["default"]) == (
        False,
        "",
    )
    assert (action["inputs"]["base"]["required"], action["inputs"]["base"]["default"]) == (
        False,
        "",
    )
    assert action["runs"]["using"] == "composite"
    assert all(step.get("shell", "bash") == "bash" for step in action["runs"]["steps"])


def test_the_action_installs_the_toolkit_from_its_own_path(action):
    install = action["runs"]["steps"][1]

    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert '-m pip install --quiet "$ACTION_PATH"' in install["run"]


def test_no_input_is_spliced_into_a_script(action):
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", "")


def run_check_step(action: dict, tmp_path: Path, toolkit: str, **inputs: str):
    step = action["runs"]["steps"][-1]
    env = {
        **os.environ,
        "TOOLKIT": toolkit,
        "TABLE": inputs.get("table", ""),
        "SCHEMA": inputs.get("schema", ""),
        "BASE": inputs.get("base", ""),
    }
    env.pop("GITHUB_STEP_SUMMARY", None)
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_action_validates_the_table_without_a_base(action, tmp_path):
    done = run_check_step(action, tmp_path, str(CONSOLE_SCRIPT), table=DATE_INVALID)

    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[0].startswith(
        f"::error file={DATE_INVALID},line=2,title=date.invalid [date]::'2024-02-30' is not a date"
    )


def test_the_action_passes_the_valid_table(action, tmp_path):
    done = run_check_step(action, tmp_path, str(CONSOLE_SCRIPT), table="fixtures/events.csv")

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith("::notice title=toolkit validate::")


@pytest.fixture
def recorder(tmp_path) -> Path:
    """A stand-in `toolkit` that prints its arguments, one a line."""
    script = tmp_path / "toolkit"
    script.write_text('#!/bin/sh\nprintf "%s\\n" "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_the_action_diffs_against_the_base_when_one_is_given(action, tmp_path, recorder):
    done = run_check_step(
        action,
        tmp_path,
        str(recorder),
        table="data/my events.csv",
        base="origin/main",
        schema="s.yaml",
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "diff",
        "origin/main:data/my events.csv",
        "data/my events.csv",
        "--format",
        "github",
        "--schema",
        "s.yaml",
    ]


def test_the_action_passes_no_schema_when_none_is_given(action, tmp_path, recorder):
    done = run_check_step(action, tmp_path, str(recorder), table="t.csv")

    assert done.stdout.splitlines() == ["validate", "t.csv", "--format", "github"]


# --- the pre-commit hook ----------------------------------------------------------------


@pytest.fixture(scope="module")
def hook() -> dict:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return hook


def test_the_hook_validates_csv_xlsx_and_parquet_files(hook):
    assert (hook["id"], hook["entry"], hook["language"]) == (
        "toolkit-validate",
        "toolkit validate",
        "python",
    )
    files = re.compile(hook["files"])
    assert [bool(files.search(p)) for p in ["data/events.csv", "x.XLSX", "a/b.parquet"]] == [
        True,
        True,
        True,
    ]
    assert [bool(files.search(p)) for p in ["notes.txt", "events.csv.bak", "csv"]] == [
        False,
        False,
        False,
    ]


def run_hook(hook: dict, *files: Path) -> subprocess.CompletedProcess:
    command, *args = shlex.split(hook["entry"])
    assert command == "toolkit"
    return subprocess.run(
        [str(CONSOLE_SCRIPT), *args, *(str(f) for f in files)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_the_hook_passes_the_valid_fixture(hook):
    done = run_hook(hook, EVENTS_CSV)

    assert done.returncode == 0, done.stderr


def test_the_hook_fails_an_invalid_fixture(hook):
    done = run_hook(hook, INVALID / "date-invalid.csv")

    assert done.returncode == 1
    assert "[date.invalid]" in done.stdout


def test_the_hook_takes_every_changed_file_at_once(hook):
    done = run_hook(hook, EVENTS_CSV, INVALID / "date-invalid.csv", INVALID / "count-order.csv")

    assert done.returncode == 1
    verdicts = [line for line in done.stdout.splitlines() if " rows, " in line]
    assert [v.split(":")[1].split(" —")[0].strip() for v in verdicts] == [
        "valid",
        "INVALID",
        "INVALID",
    ]
