"""Reports and their four renderings: text for people, json for scripts, github, junit."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from conftest import INVALID, TODAY, event_row

from toolkit import Finding, Report, load_table, validate_table
from toolkit.report import FORMATS, RuleCount, render

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
    "Link, 100%: yes",
)
MISSING_COLUMN = Finding(
    "error",
    "structure.missing_column",
    "actor1",
    None,
    1,
    None,
    None,
    "required column 'actor1' is missing",
    None,
)


def make_report(findings=(DUPLICATE, NO_URL), counts=None, **options) -> Report:
    if counts is None:
        counts = [(f.rule, f.column, f.severity, 1) for f in findings]
    return Report(
        table="data/events.csv",
        rows=2,
        schema="events 1.0",
        findings=tuple(findings),
        counts=tuple(RuleCount(*c) for c in counts),
        **options,
    )


def test_formats_are_the_five_documented_ones():
    assert sorted(FORMATS) == ["github", "json", "junit", "markdown", "text"]


# --- the model -------------------------------------------------------------------------


def test_errors_and_warnings_come_from_the_exact_counts_not_the_listed_findings():
    report = make_report(
        findings=(DUPLICATE,),
        counts=[
            ("value.unique", "event_id", "error", 7),
            ("value.required", "source_url", "warning", 3),
        ],
    )

    assert (report.errors, report.warnings, report.truncated) == (7, 3, True)


@pytest.mark.parametrize(
    ("severities", "strict", "valid"),
    [
        ((), False, True),
        (("warning",), False, True),
        (("warning",), True, False),
        (("error",), False, False),
        (("error", "warning"), True, False),
    ],
)
def test_a_report_is_valid_without_errors_and_in_strict_mode_without_warnings(
    severities, strict, valid
):
    counts = [(f"r.{s}", "c", s, 1) for s in severities]

    assert make_report(findings=(), counts=counts, strict=strict).valid is valid


# --- json ------------------------------------------------------------------------------


def test_json_has_the_documented_shape():
    data = json.loads(render(make_report(), "json"))

    assert list(data) == [
        "valid",
        "table",
        "schema",
        "rows",
        "errors",
        "warnings",
        "truncated",
        "counts",
        "findings",
    ]
    assert data["valid"] is False
    assert (data["table"], data["schema"], data["rows"]) == ("data/events.csv", "events 1.0", 2)
    assert (data["errors"], data["warnings"], data["truncated"]) == (1, 1, False)
    assert data["counts"] == [
        {"rule": "value.unique", "column": "event_id", "severity": "error", "count": 1},
        {"rule": "value.required", "column": "source_url", "severity": "warning", "count": 1},
    ]
    assert data["findings"][0] == {
        "severity": "error",
        "rule": "value.unique",
        "column": "event_id",
        "row": 2,
        "line": 3,
        "cell": None,
        "value": "iq-1",
        "message": "event_id 'iq-1' appears 2 times (first in row 1)",
        "hint": "each event_id must be unique",
    }
    assert all(
        list(f) == ["severity", "rule", "column", "row", "line", "cell", "value", "message", "hint"]
        for f in data["findings"]
    )


def test_json_keeps_unicode_as_is():
    finding = Finding("error", "x.y", "location", 1, 2, None, "Крокус", "'Крокус'", None)

    text = render(make_report(findings=(finding,)), "json")

    assert "Крокус" in text
    assert json.loads(text)["findings"][0]["value"] == "Крокус"


# --- github ----------------------------------------------------------------------------


def test_github_annotates_each_finding_then_summarises():
    lines = render(make_report(), "github").splitlines()

    assert lines == [
        "::error file=data/events.csv,line=3,title=value.unique [event_id]::"
        "event_id 'iq-1' appears 2 times (first in row 1) — each event_id must be unique",
        # property values escape ':' and ','; message data escapes '%'
        "::warning file=data/events.csv,line=3,title=value.required [source_url]::"
        "source_url is required but empty — Link, 100%25: yes",
        "::notice title=toolkit validate::data/events.csv: 1 errors, 1 warnings in 2 rows",
    ]


def test_github_shows_line_breaks_as_escapes_and_escapes_property_separators():
    finding = Finding("error", "x.y", None, 1, 5, None, "v", "two\nlines\r", None)
    report = Report(table="dir,with:odd.csv", rows=1, schema="s 1", findings=(finding,), counts=())

    (annotation, _) = render(report, "github").splitlines()

    assert annotation == "::error file=dir%2Cwith%3Aodd.csv,line=5,title=x.y::two\\nlines\\r"


def test_github_on_a_workbook_names_the_cell_and_gives_no_line():
    finding = Finding("error", "date.invalid", "date", 2, 3, "events!B3", "x", "'x' bad", None)
    report = make_report(findings=(finding,), sheet="events")

    (annotation, _) = render(report, "github").splitlines()

    assert annotation == (
        "::error file=data/events.csv,title=date.invalid [date]::events!B3: 'x' bad"
    )


def test_github_summary_says_how_many_were_not_annotated_and_where_to_read_them():
    report = make_report(findings=(DUPLICATE,), counts=[("value.unique", "event_id", "error", 9)])

    summary = render(report, "github").splitlines()[-1]

    assert summary == (
        "::notice title=toolkit validate::data/events.csv: 9 errors, 0 warnings in 2 rows; "
        "8 more findings not annotated (GitHub shows 10 errors and 10 warnings per step): "
        "see the job summary or --format json"
    )


# --- junit -----------------------------------------------------------------------------


def test_junit_is_xml_with_a_failing_case_per_error_rule():
    suite = ET.fromstring(render(make_report(), "junit"))

    assert suite.tag == "testsuite"
    assert suite.attrib == {
        "name": "toolkit validate data/events.csv",
        "tests": "2",
        "failures": "1",
        "errors": "0",
    }
    cases = {c.attrib["name"]: c for c in suite.iter("testcase")}
    assert list(cases) == ["value.unique [event_id]", "value.required [source_url]"]
    failure = cases["value.unique [event_id]"].find("failure")
    assert failure is not None
    assert failure.attrib == {"message": "1 rows break value.unique", "type": "value.unique"}
    assert failure.text == (
        "data/events.csv:3: event_id 'iq-1' appears 2 times (first in row 1) "
        "(hint: each event_id must be unique)"
    )
    warning = cases["value.required [source_url]"]
    assert warning.find("failure") is None
    assert warning.findtext("system-out") == (
        "warning: 1 rows\ndata/events.csv:3: source_url is required but empty (hint: Link, 100%: yes)"
    )


def test_junit_strict_turns_warnings_into_failures():
    suite = ET.fromstring(render(make_report(strict=True), "junit"))

    assert suite.attrib["failures"] == "2"
    assert [c.find("failure") is not None for c in suite.iter("testcase")] == [True, True]


def test_junit_for_a_valid_table_has_one_passing_case():
    suite = ET.fromstring(render(make_report(findings=(), counts=[]), "junit"))

    assert (suite.attrib["tests"], suite.attrib["failures"]) == ("1", "0")
    (case,) = suite.iter("testcase")
    assert case.attrib["name"] == "all rules"
    assert list(case) == []


# --- text ------------------------------------------------------------------------------


def test_text_gives_the_verdict_counts_per_rule_and_each_finding():
    text = render(make_report(findings=(MISSING_COLUMN, DUPLICATE, NO_URL)), "text")

    assert text == (
        "data/events.csv: INVALID — 2 rows, 2 errors, 1 warnings (schema events 1.0)\n"
        "\n"
        "by rule:\n"
        "  structure.missing_column [actor1]  error    1\n"
        "  value.unique [event_id]            error    1\n"
        "  value.required [source_url]        warning  1\n"
        "\n"
        "data/events.csv:1: error: required column 'actor1' is missing [structure.missing_column]\n"
        "data/events.csv:3: error: event_id 'iq-1' appears 2 times (first in row 1) "
        "[value.unique]\n"
        "    hint: each event_id must be unique\n"
        "data/events.csv:3: warning: source_url is required but empty [value.required]\n"
        "    hint: Link, 100%: yes\n"
    )


def test_text_for_a_valid_table_is_one_line():
    assert render(make_report(findings=(), counts=[]), "text") == (
        "data/events.csv: valid — 2 rows, 0 errors, 0 warnings (schema events 1.0)\n"
    )


def test_text_places_findings_by_cell_or_row_when_there_is_no_line():
    in_sheet = Finding("error", "a.b", "c", 1, None, "events!C2", "v", "in a sheet", None)
    in_parquet = Finding("error", "a.b", "c", 4, None, None, "v", "in parquet", None)

    text = render(make_report(findings=(in_sheet, in_parquet)), "text")

    assert "data/events.csv events!C2: error: in a sheet [a.b]\n" in text
    assert "data/events.csv row 4: error: in parquet [a.b]\n" in text


def test_text_says_how_many_findings_were_not_listed(write_csv):
    rows = [event_row(event_id=f"e-{i}", date="x") for i in range(5)]
    report = validate_table(load_table(write_csv(rows)), today=TODAY, max_findings=2)

    text = render(report, "text")

    assert "  date.invalid [date]  error    5\n" in text
    assert text.count("[date.invalid]\n") == 2
    assert text.endswith("\n… 3 more findings not listed (raise --max-findings to see them)\n")


@pytest.fixture(scope="module")
def real_report() -> Report:
    return validate_table(load_table(INVALID / "duplicate-event-id.csv"), today=TODAY)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_renders_a_real_report(real_report, fmt):
    text = render(real_report, fmt)

    assert text.endswith("\n")
    assert "value.unique" in text
