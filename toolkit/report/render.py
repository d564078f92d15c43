"""Render a Report for people (text), scripts (json), GitHub (workflow commands), other CI (junit)."""

from __future__ import annotations

import json
from collections.abc import Callable
from xml.etree import ElementTree as ET

from toolkit.report.model import Finding, Report


def _where(f: Finding, table: str) -> str:
    if f.cell:
        return f"{table} {f.cell}"
    if f.line is not None:
        return f"{table}:{f.line}"
    if f.row is not None:
        return f"{table} row {f.row}"
    return table


def render_text(report: Report) -> str:
    """A readable summary: verdict, counts per rule, then the listed findings."""
    lines = []
    verdict = "valid" if report.valid else "INVALID"
    lines.append(
        f"{report.table}: {verdict} — {report.rows} rows, {report.errors} errors, "
        f"{report.warnings} warnings (schema {report.schema})"
    )
    if report.counts:
        lines.append("")
        lines.append("by rule:")
        width = max(len(f"{c.rule} [{c.column}]") for c in report.counts)
        for c in report.counts:
            label = f"{c.rule} [{c.column}]" if c.column else c.rule
            lines.append(f"  {label:<{width}}  {c.severity:<7}  {c.count}")
    if report.findings:
        lines.append("")
        for f in report.findings:
            lines.append(f"{_where(f, report.table)}: {f.severity}: {f.message} [{f.rule}]")
            if f.hint:
                lines.append(f"    hint: {f.hint}")
    if report.truncated:
        lines.append("")
        lines.append(
            f"… {report.errors + report.warnings - len(report.findings)} more findings not listed "
            "(raise --max-findings to see them)"
        )
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    """One JSON object: valid, table, rows, errors, warnings, counts, findings."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    """GitHub Actions workflow commands, so findings annotate the pull request's lines."""
    out = []
    for f in report.findings:
        props = [f"file={_escape_property(report.table)}"]
        if f.line is not None and report.sheet is None:
            props.append(f"line={f.line}")
        title = f"{f.rule}" + (f" [{f.column}]" if f.column else "")
        props.append(f"title={_escape_property(title)}")
        where = f"{f.cell}: " if f.cell else ""
        message = where + f.message + (f" — {f.hint}" if f.hint else "")
        out.append(f"::{f.severity} {','.join(props)}::{_escape_data(message)}")
    summary = (
        f"{report.table}: {report.errors} errors, {report.warnings} warnings in {report.rows} rows"
    )
    if report.truncated:
        summary += f" ({len(report.findings)} listed)"
    out.append(f"::notice title=toolkit validate::{_escape_data(summary)}")
    return "\n".join(out) + "\n"


def render_junit(report: Report) -> str:
    """JUnit XML: one test case per rule and column, failing when it has error findings."""
    suite = ET.Element(
        "testsuite",
        name=f"toolkit validate {report.table}",
        tests=str(max(len(report.counts), 1)),
        failures=str(sum(1 for c in report.counts if c.severity == "error" or report.strict)),
        errors="0",
    )
    listed: dict[tuple[str, str | None], list[Finding]] = {}
    for f in report.findings:
        listed.setdefault((f.rule, f.column), []).append(f)
    if not report.counts:
        ET.SubElement(suite, "testcase", classname=report.table, name="all rules")
    for c in report.counts:
        case = ET.SubElement(
            suite, "testcase", classname=report.table, name=f"{c.rule} [{c.column}]"
        )
        body = "\n".join(
            f"{_where(f, report.table)}: {f.message}" + (f" (hint: {f.hint})" if f.hint else "")
            for f in listed.get((c.rule, c.column), [])
        )
        if c.severity == "error" or report.strict:
            tag = ET.SubElement(
                case, "failure", message=f"{c.count} rows break {c.rule}", type=c.rule
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
}


def render(report: Report, fmt: str = "text") -> str:
    """Render `report` in one of FORMATS."""
    return FORMATS[fmt](report)
