"""Names and values reach people and CI logs visibly, on one line each, and bounded.

A table's cells, header names, sheet names and its file name come from outside. Whatever
they hold, no output may break a line, start a GitHub workflow command, drive a terminal
(ESC sequences, OSC 8 links, BEL, a CR that overwrites a line) or make the JUnit XML
unreadable; and one value prints at most a few hundred characters.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import polars as pl
import pytest
from conftest import EVENTS_CSV, HEADER, csv_text, event_row
from hypothesis import given
from hypothesis import strategies as st
from junitparser import JUnitXml
from openpyxl import Workbook
from typer.testing import CliRunner

from toolkit import Finding, Report
from toolkit.cli import app
from toolkit.report import RuleCount, render
from toolkit.safe import VALUE_LIMIT, json_visible, visible, visible_expr, visible_path

INJECTED_NAME = "empty\n::add-mask::x\n::error::EMPTYNAME.csv"
SHOWN_NAME = "empty\\n::add-mask::x\\n::error::EMPTYNAME.csv"
SHEET = "x\n::error title=pwned::y"
OSC8 = "\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07"
SHOWN_OSC8 = "\\x1b]8;;https://evil.example/\\x07click\\x1b]8;;\\x07"
TERMINAL = ("\x1b", "\x07", "\r", "\x9b")
REPORT_FORMATS = ["text", "github", "junit", "markdown", "json"]


def invoke(*args: str, color: bool = False):
    return CliRunner().invoke(app, list(args), color=color)


def runner_commands(output: str) -> list[str]:
    """The lines GitHub's runner would obey: `::` first after leading spaces, or the old
    `##[command]` syntax anywhere in the line (the runner splits lines on LF, CR, CRLF)."""
    lines = re.split(r"\r\n|\r|\n", output)
    return [line for line in lines if line.lstrip().startswith("::") or "##[" in line]


# --- visible: the one rendering function ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("ring\x07", "ring\\x07"),
        ("fake\rOK", "fake\\rOK"),
        ("two\nlines", "two\\nlines"),
        ("tab\there", "tab\\there"),
        ("\x00\x01\x0b\x1f\x7f", "\\x00\\x01\\x0b\\x1f\\x7f"),
        ("nel\x85csi\x9b", "nel\\x85csi\\x9b"),
        ("line\u2028para\u2029", "line\\u2028para\\u2029"),
        ("\u202aLRE\u202eRLO\u2066LRI\u2069PDI", "\\u202aLRE\\u202eRLO\\u2066LRI\\u2069PDI"),
        ("\u200eLRM\u200fRLM\u061cALM", "\\u200eLRM\\u200fRLM\\u061cALM"),
        ("zero\u200bwidth\u2060\ufeff", "zero\\u200bwidth\\u2060\\ufeff"),
        ("\ufffe\uffff", "\\ufffe\\uffff"),
        ("not-utf8-\udcff.csv", "not-utf8-\\udcff.csv"),
        ("##[add-mask]secret", "##\\x5badd-mask]secret"),
        (OSC8, SHOWN_OSC8),
    ],
)
def test_visible_shows_each_unsafe_character_as_an_escape(text, shown):
    assert visible(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "Крокус Сити Холл",
        "مطار بغداد الدولي",
        "می\u200cخواهم",  # a zero-width non-joiner belongs to Persian spelling
        "👩\u200d👩\u200d👧 🇮🇶",
        "C:\\data\\events.csv",
        "^[A-Za-z0-9_.-]+$ 100% #1 [x] ::",
    ],
)
def test_visible_keeps_ordinary_text_as_it_is(text):
    assert visible(text) == text


def test_visible_cuts_a_long_value_and_gives_its_length():
    assert visible("a" * 10_000_000) == "a" * VALUE_LIMIT + "… (10,000,000 characters)"


def test_visible_counts_shown_characters_and_never_splits_an_escape():
    assert visible("ab\x1bcd", limit=4) == "ab… (5 characters)"
    assert visible("ab\x1bcd", limit=6) == "ab\\x1b… (5 characters)"
    assert visible("\x1b" * 1000, limit=10) == "\\x1b\\x1b… (1,000 characters)"


def test_visible_without_a_limit_never_cuts():
    assert visible("é" * 5000, limit=None) == "é" * 5000


UNSAFE_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}
BIDI_AND_INVISIBLE = set("\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060")
BIDI_AND_INVISIBLE |= set("\u2066\u2067\u2068\u2069\ufeff\ufffe\uffff")


@given(st.text(alphabet=st.characters(codec=None), max_size=300))
def test_visible_output_is_one_safe_line_and_showing_it_again_changes_nothing(text):
    shown = visible(text, limit=None)

    assert not any(unicodedata.category(c) in UNSAFE_CATEGORIES for c in shown)
    assert not BIDI_AND_INVISIBLE & set(shown)
    assert "##[" not in shown
    assert visible(shown, limit=None) == shown
    assert len(visible(text, limit=50)) <= 50 + len(f"… ({len(text):,} characters)")


@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=60) | st.none()))
def test_visible_expr_over_a_column_is_visible_on_each_value(values):
    column = pl.Series("v", values, dtype=pl.String)

    shown = pl.select(visible_expr(pl.lit(column), limit=20)).to_series().to_list()

    assert shown == [None if v is None else visible(v, limit=20) for v in values]


def test_visible_expr_inside_a_message_template():
    frame = pl.DataFrame({"date": ["2024-02-30", "\x1b[2J\r", "x" * 300]})

    messages = frame.select(
        pl.concat_str([pl.lit("'"), visible_expr(pl.col("date")), pl.lit("' is not a date")])
    ).to_series()

    assert messages.to_list() == [
        "'2024-02-30' is not a date",
        "'\\x1b[2J\\r' is not a date",
        "'" + "x" * 200 + "… (300 characters)' is not a date",
    ]


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("::error::x.csv", "./::error::x.csv"),
        ("  ::warning::x.csv", "./  ::warning::x.csv"),
        ("data/::error::x.csv", "data/::error::x.csv"),
        ("/abs/events.csv", "/abs/events.csv"),
        (INJECTED_NAME, SHOWN_NAME),
    ],
)
def test_a_path_never_starts_a_line_with_a_workflow_command(path, shown):
    assert visible_path(path) == shown


def test_json_escapes_what_runners_and_terminals_obey_and_still_decodes_exactly():
    value = "##[add-mask]x\u2028\x85\u202e\x1b"
    encoded = json.dumps({"v": value}, ensure_ascii=False)

    safe = json_visible(encoded)

    assert safe == '{"v": "##\\u005badd-mask]x\\u2028\\u0085\\u202e\\u001b"}'
    assert json.loads(safe) == {"v": value}


# --- every renderer, on a finding whose every field is hostile ---------------------------

HOSTILE = Finding(
    "error",
    "date.invalid",
    "date\x1b[31m",
    1,
    2,
    None,
    "\x1b[2J\rvalid\x07",
    "'\x1b[2J\rvalid\x07' is not a date\n::error::pwned",
    "##[add-mask]hint\u2028",
)
HOSTILE_REPORT = Report(
    table="::error::t\x1b.csv",
    rows=1,
    schema="events\n1.0",
    findings=(HOSTILE,),
    counts=(RuleCount("date.invalid", "date\x1b[31m", "error", 1),),
)


def test_text_shows_every_hostile_field_escaped_on_its_line():
    assert render(HOSTILE_REPORT, "text") == (
        "./::error::t\\x1b.csv: INVALID — 1 rows, 1 errors, 0 warnings (schema events\\n1.0)\n"
        "\n"
        "by rule:\n"
        "  date.invalid [date\\x1b[31m]  error    1\n"
        "\n"
        "./::error::t\\x1b.csv:2: error: '\\x1b[2J\\rvalid\\x07' is not a date\\n::error::pwned "
        "[date.invalid]\n"
        "    hint: ##\\x5badd-mask]hint\\u2028\n"
    )


def test_github_shows_every_hostile_field_escaped_in_one_command():
    assert render(HOSTILE_REPORT, "github").splitlines() == [
        "::error file=%3A%3Aerror%3A%3At\\x1b.csv,line=2,title=date.invalid [date\\x1b[31m]::"
        "'\\x1b[2J\\rvalid\\x07' is not a date\\n::error::pwned — ##\\x5badd-mask]hint\\u2028",
        "::notice title=toolkit validate::::error::t\\x1b.csv: 1 errors, 0 warnings in 1 rows",
    ]


def test_junit_shows_every_hostile_field_escaped():
    suite = ET.fromstring(render(HOSTILE_REPORT, "junit"))

    assert suite.attrib["name"] == "toolkit validate ./::error::t\\x1b.csv"
    (case,) = suite.iter("testcase")
    assert case.attrib == {
        "classname": "./::error::t\\x1b.csv",
        "name": "date.invalid [date\\x1b[31m]",
    }
    failure = case.find("failure")
    assert failure is not None
    assert failure.text == (
        "./::error::t\\x1b.csv:2: '\\x1b[2J\\rvalid\\x07' is not a date\\n::error::pwned "
        "(hint: ##\\x5badd-mask]hint\\u2028)"
    )


def test_json_keeps_every_hostile_field_exact():
    text = render(HOSTILE_REPORT, "json")

    assert json.loads(text)["findings"][0] == HOSTILE.to_dict()
    assert runner_commands(text) == []
    assert not any(c in text for c in TERMINAL)


def test_markdown_shows_every_hostile_field_escaped_in_one_row():
    lines = render(HOSTILE_REPORT, "markdown").splitlines()

    assert lines[0] == "## ❌ ::error::t\\\\x1b.csv: INVALID"
    assert lines[-1] == (
        "| 2 | error | `date.invalid` | `date\\x1b[31m` | "
        "'\\\\x1b\\[2J\\\\rvalid\\\\x07' is not a date\\\\n::error::pwned | "
        "##\\\\x5badd-mask\\]hint\\\\u2028 |"
    )


def test_a_10_mb_message_is_cut_in_every_renderer():
    finding = Finding("error", "x.y", "c", 1, 2, None, "v", "'" + "a" * 10_000_000 + "'", None)
    report = Report("t.csv", 1, "s 1", (finding,), (RuleCount("x.y", "c", "error", 1),))
    cut = "'" + "a" * 999 + "… (10,000,002 characters)"

    assert render(report, "text").splitlines()[-1] == f"t.csv:2: error: {cut} [x.y]"
    assert (
        render(report, "github").splitlines()[0]
        == f"::error file=t.csv,line=2,title=x.y [c]::{cut}"
    )
    failure = ET.fromstring(render(report, "junit")).find("testcase/failure")
    assert failure is not None
    assert failure.text == f"t.csv:2: {cut}"
    assert render(report, "markdown").splitlines()[-1] == f"| 2 | error | `x.y` | `c` | {cut} |  |"


# --- 1. workflow-command injection through names (CLI) -----------------------------------


def test_an_empty_file_named_like_workflow_commands_is_one_escaped_error_line(tmp_path):
    path = tmp_path / INJECTED_NAME
    path.write_bytes(b"")

    result = invoke("validate", str(path), "--format", "github")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {tmp_path}/{SHOWN_NAME}: no header: the file is empty\n"
    assert runner_commands(result.stderr) == []


# two valid rows, the second without its link: one warning, on line 3
ONE_WARNING = csv_text([event_row(), event_row("iq-2024-002", source_url="")])


def test_github_format_on_a_file_named_like_workflow_commands_emits_only_its_own(tmp_path):
    path = tmp_path / INJECTED_NAME
    path.write_text(ONE_WARNING, encoding="utf-8")
    file = f"{tmp_path}/empty\\n%3A%3Aadd-mask%3A%3Ax\\n%3A%3Aerror%3A%3AEMPTYNAME.csv"

    result = invoke("validate", str(path), "--format", "github")

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"::warning file={file},line=3,title=value.required [source_url]::"
        "source_url is required but empty — Link to the report (http or https).",
        f"::notice title=toolkit validate::{tmp_path}/{SHOWN_NAME}: 0 errors, 1 warnings in 2 rows",
    ]
    assert runner_commands(result.stdout + result.stderr) == result.stdout.splitlines()


def test_a_relative_path_that_starts_with_a_command_is_shown_from_dot(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("::error::x.csv").write_bytes(EVENTS_CSV.read_bytes())

    result = invoke("validate", "::error::x.csv")

    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "./::error::x.csv: valid — 17 rows, 0 errors, 17 warnings (schema events 1.0)"
    )
    assert runner_commands(result.stdout) == []


def test_export_lines_and_out_paths_named_like_commands_stay_escaped(tmp_path):
    source = tmp_path / "ev\n::error::x.csv"
    source.write_text(ONE_WARNING, encoding="utf-8")
    out = tmp_path / "out\n::error title=pwned::y"
    shown_out = f"{tmp_path}/out\\n::error title=pwned::y"

    result = invoke("export", str(source), "--out", str(out), "--format", "github")

    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "2 rows read: 2 exported, 0 rejected; 1 warnings",
        f"  wrote {shown_out}/ev\\n::error::x.csv",
        f"  wrote {shown_out}/ev\\n::error::x.parquet",
        f"  wrote {shown_out}/ev\\n::error::x.xlsx",
        f"  wrote {shown_out}/manifest.json",
    ]
    assert runner_commands(result.stderr) == []
    assert [line.split(" ", 1)[0] for line in runner_commands(result.stdout)] == [
        "::warning",
        "::notice",
    ]


def test_export_refusal_names_an_out_path_like_a_command_escaped(tmp_path):
    source = tmp_path / "events.csv"
    source.write_text(csv_text([event_row(date="2024-02-30")]), encoding="utf-8")
    out = tmp_path / "out\n::error title=pwned::y"

    result = invoke("export", str(source), "--out", str(out))

    assert result.exit_code == 1
    assert result.stderr == (
        f"error: nothing written to {tmp_path}/out\\n::error title=pwned::y: "
        "1 rows have errors (use --quarantine to export the others)\n"
    )


def workbook_with_sheet(path: Path, name: str, rows: list[list[str]]) -> Path:
    """A workbook whose one sheet is called `name`, which openpyxl itself would refuse."""
    plain = path.with_suffix(".plain.xlsx")
    wb = Workbook()
    wb.active.title = "PLACEHOLDER"
    for row in rows:
        wb.active.append(row)
    wb.save(plain)
    escaped = name.replace("&", "&amp;").replace("\n", "&#10;").replace('"', "&quot;")
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b'name="PLACEHOLDER"', f'name="{escaped}"'.encode())
            dst.writestr(info, data)
    return path


def test_a_sheet_named_like_a_command_is_escaped_in_the_sheet_error(tmp_path):
    path = workbook_with_sheet(tmp_path / "events.xlsx", SHEET, [HEADER])

    result = invoke("validate", str(path), "--sheet", "nope", "--format", "github")

    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {path}: no sheet named 'nope' (sheets: x\\n::error title=pwned::y)\n"
    )
    assert runner_commands(result.stderr) == []


def test_a_sheet_named_like_a_command_is_escaped_in_its_cell_names(tmp_path):
    row = [v or None for v in event_row(date="x").values()]
    path = workbook_with_sheet(tmp_path / "events.xlsx", SHEET, [HEADER, row])

    result = invoke("validate", str(path), "--format", "github")

    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"::error file={str(path).replace(':', '%3A')},title=date.invalid [date]::"
        "x\\n::error title=pwned::y!B2: 'x' is not a date in the accepted forms — "
        "accepted forms: 2024-03-22, 2025-09, 2026, 2024-03-22/2024-03-24, ../2025-09, "
        "2025-09/.., with ~ ? %25"
    )
    assert len(runner_commands(result.stdout)) == len(result.stdout.splitlines())


# --- 2. terminal injection ---------------------------------------------------------------


@pytest.fixture
def hostile_table(tmp_path) -> Path:
    """Values and a header name carrying ESC sequences, an OSC 8 link, BEL, CR and C1/U+2028."""
    rows = [
        event_row(date="\x1b[2J\rvalid\x07"),
        event_row("iq-2024-002", status=OSC8, country="IRQ\x9b2J\u2028"),
    ]
    path = tmp_path / "hostile.csv"
    header = [*HEADER, "x\x1b[31mred\x07"]
    path.write_text(csv_text(rows, header), encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize("color", [True, False], ids=["terminal", "pipe"])
@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_no_terminal_control_reaches_the_output_in_any_format(hostile_table, fmt, color):
    result = invoke("validate", str(hostile_table), "--format", fmt, color=color)

    assert result.exit_code == 1
    output = result.stdout + result.stderr
    assert [c for c in TERMINAL if c in output] == []
    assert "\u2028" not in output
    assert runner_commands(output) == (
        [] if fmt != "github" else [x for x in output.splitlines() if x.startswith("::")]
    )


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_no_terminal_control_reaches_a_real_pipe(hostile_table, fmt):
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "validate", str(hostile_table), "--format", fmt],
        capture_output=True,
        check=False,
        timeout=120,
    )

    assert done.returncode == 1, done.stderr
    output = (done.stdout + done.stderr).decode("utf-8")
    assert [c for c in TERMINAL if c in output] == []


def test_the_text_report_shows_the_hostile_values_escaped(hostile_table):
    result = invoke("validate", str(hostile_table))

    lines = result.stdout.splitlines()
    assert (
        f"{hostile_table}:2: error: '\\x1b[2J\\rvalid\\x07' is not a date in the accepted forms [date.invalid]"
        in lines
    )
    assert (
        f"{hostile_table}:1: error: column 'x\\x1b[31mred\\x07' is not in schema events [structure.unknown_column]"
        in lines
    )
    assert any(SHOWN_OSC8 in line for line in lines)
    assert any("IRQ\\x9b2J\\u2028" in line for line in lines)


# --- 3. JUnit XML that any parser reads -------------------------------------------------

XML_CANNOT_HOLD = "\x01\x0b\x1f\x07\ufffe\uffff"
SHOWN_XML = "\\x01\\x0b\\x1f\\x07\\ufffe\\uffff"


def test_junit_parses_whatever_values_headers_and_file_name_hold(tmp_path):
    path = tmp_path / f"t{XML_CANNOT_HOLD}.csv"
    header = [*HEADER, f"c{XML_CANNOT_HOLD}"]
    path.write_text(
        csv_text([event_row(date=f"d{XML_CANNOT_HOLD}")], header), encoding="utf-8", newline=""
    )

    result = invoke("validate", str(path), "--format", "junit")

    assert result.exit_code == 1
    shown = f"{tmp_path}/t{SHOWN_XML}.csv"
    suite = ET.fromstring(result.stdout.encode("utf-8"))
    assert suite.attrib["name"] == f"toolkit validate {shown}"
    (suite_again,) = JUnitXml.fromstring(result.stdout)
    cases = {case.name: case for case in suite_again}
    assert f"structure.unknown_column [c{SHOWN_XML}]" in cases
    (failure,) = cases["date.invalid [date]"].result
    assert failure.text.startswith(
        f"{shown}:2: 'd{SHOWN_XML}' is not a date in the accepted forms (hint: accepted forms:"
    )
    assert cases["date.invalid [date]"].classname == shown


# --- bounded: one value never floods a report -------------------------------------------


@pytest.fixture(scope="module")
def ten_mb_id(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big-id.csv"
    path.write_text(
        csv_text([event_row(event_id="a b" + "a" * 10_000_000)]), encoding="utf-8", newline=""
    )
    return path


@pytest.mark.parametrize("fmt", ["text", "github", "junit", "markdown"])
def test_a_10_mb_event_id_prints_a_few_kilobytes(ten_mb_id, fmt):
    result = invoke("validate", str(ten_mb_id), "--format", fmt)

    assert result.exit_code == 1
    assert len(result.stdout) < 20_000
    assert "characters)" in result.stdout
