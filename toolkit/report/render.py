"""Render a Report for people (text, markdown), scripts (json), GitHub, other CI (junit).

Every name and value goes through `visible` (toolkit/safe.py): shown to a person or
a CI log, none of them can break a line, drive a terminal, start a workflow command or make
the XML unreadable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from xml.etree import ElementTree as ET

from toolkit.report.github import render_github
from toolkit.report.markdown import render_markdown
from toolkit.report.model import Finding, Report
from toolkit.safe import MESSAGE_LIMIT, VALUE_LIMIT, json_visible, visible, visible_path


def place(f: Finding, table: str) -> str:
    """The finding's place for a report line: `table:line`, `table Sheet!C17` or `table row N`
    (`table` already shown with `visible_path`)."""
    if f.cell:
        return f"{table} {visible(f.cell)}"
    if f.line is not None:
        return f"{table}:{f.line}"
    if f.row is not None:
        return f"{table} row {f.row}"
    return table


def _label(rule: str, column: str | None) -> str:
    return f"{visible(rule)} [{visible(column)}]" if column else visible(rule)


def render_text(report: Report) -> str:
    """A readable summary: verdict, counts per rule, then the listed findings."""
    table = visible_path(report.table)
    lines = []
    verdict = "valid" if report.valid else "INVALID"
    lines.append(
        f"{table}: {verdict} — {report.rows} rows, {report.errors} errors, "
        f"{report.warnings} warnings (schema {visible(report.schema)})"
    )
    if report.counts:
        lines.append("")
        lines.append("by rule:")
        labels = [_label(c.rule, c.column) for c in report.counts]
        width = max(len(label) for label in labels)
        for c, label in zip(report.counts, labels, strict=True):
            lines.append(f"  {label:<{width}}  {c.severity:<7}  {c.count}")
    if report.findings:
        lines.append("")
        for f in report.findings:
            lines.append(
                f"{place(f, table)}: {f.severity}: {visible(f.message, MESSAGE_LIMIT)} "
                f"[{visible(f.rule)}]"
            )
            if f.hint:
                lines.append(f"    hint: {visible(f.hint, MESSAGE_LIMIT)}")
    if report.truncated:
        lines.append("")
        lines.append(
            f"… {report.errors + report.warnings - len(report.findings)} more findings not listed "
            "(raise --max-findings to see them)"
        )
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    """One JSON object: valid, table, rows, errors, warnings, counts, findings (values exact)."""
    text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    return json_visible(text) + "\n"


def render_junit(report: Report) -> str:
    """JUnit XML: one test case per rule and column, failing when it has error findings."""
    table = visible_path(report.table)
    suite = ET.Element(
        "testsuite",
        name=f"toolkit validate {table}",
        tests=str(max(len(report.counts), 1)),
        failures=str(sum(1 for c in report.counts if c.severity == "error" or report.strict)),
        errors="0",
    )
    listed: dict[tuple[str, str | None], list[Finding]] = {}
    for f in report.findings:
        listed.setdefault((f.rule, f.column), []).append(f)
    if not report.counts:
        ET.SubElement(suite, "testcase", classname=table, name="all rules")
    for c in report.counts:
        case = ET.SubElement(suite, "testcase", classname=table, name=_label(c.rule, c.column))
        body = "\n".join(
            f"{place(f, table)}: {visible(f.message, MESSAGE_LIMIT)}"
            + (f" (hint: {visible(f.hint, MESSAGE_LIMIT)})" if f.hint else "")
            for f in listed.get((c.rule, c.column), [])
        )
        if c.severity == "error" or report.strict:
            tag = ET.SubElement(
                case,
                "failure",
                message=f"{c.count} rows break {visible(c.rule)}",
                type=visible(c.rule, VALUE_LIMIT),
            )
            tag.text = body
        else:
            out = ET.SubElement(case, "system-out")
            out.text = f"warning: {c.count} rows\n{body}"
    ET.indent(suite)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
    )


FORMATS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "junit": render_junit,
    "markdown": render_markdown,
}


def render(report: Report, fmt: str = "text") -> str:
    """Render `report` in one of FORMATS."""
    return FORMATS[fmt](report)
