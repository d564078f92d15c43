"""`toolkit validate`: check tables against their schema and report every problem."""

from __future__ import annotations

import os
from functools import partial

import typer

from toolkit.cli.common import (
    EXIT_ERROR,
    EXIT_INVALID,
    EXIT_VALID,
    DelimiterOpt,
    EncodingOpt,
    Format,
    FormatOpt,
    MaxFindingsOpt,
    SchemaOpt,
    SheetOpt,
    StrictOpt,
    TablesArg,
    compiled_schema,
    error_line,
    fail,
    guarded,
    write_step_summary,
)
from toolkit.errors import ToolkitError
from toolkit.report import LineLinks, Report, choose_annotations, render, render_markdown
from toolkit.report.github import ANNOTATIONS_PER_SEVERITY, render_github
from toolkit.validation import DEFAULT_MAX_FINDINGS, validate_table

# One document per run: these formats cannot hold several reports.
_SINGLE_TABLE_FORMATS = (Format.json, Format.junit)


def validate(
    tables: TablesArg,
    schema: SchemaOpt = None,
    format: FormatOpt = Format.text,
    strict: StrictOpt = False,
    max_findings: MaxFindingsOpt = DEFAULT_MAX_FINDINGS,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = "utf-8",
    delimiter: DelimiterOpt = ",",
) -> None:
    """Validate each TABLE against the schema; exit 0 valid, 1 invalid, 2 unreadable input or schema.

    Several tables (as a pre-commit hook passes them) are reported one after
    another; the exit code is the worst of them. --format json and junit take
    one table. In a GitHub workflow (GITHUB_STEP_SUMMARY set) a Markdown summary
    is also appended to the job summary, whatever --format is.

    Example:
        toolkit validate fixtures/events.csv
        toolkit validate events.xlsx --sheet events --format json > report.json
        toolkit validate events.csv --format github   # annotations in a GitHub workflow
        toolkit validate events.csv --format markdown > summary.md
    """
    if len(tables) > 1 and format in _SINGLE_TABLE_FORMATS:
        fail(f"--format {format.value} reports on one table; got {len(tables)}")

    def body() -> int:
        from toolkit.loading import load_table

        compiled = compiled_schema(schema)
        links = LineLinks.from_env(os.environ)
        left = {"error": ANNOTATIONS_PER_SEVERITY, "warning": ANNOTATIONS_PER_SEVERITY}
        codes = []
        for table in tables:
            try:
                loaded = load_table(table, sheet=sheet, encoding=encoding, delimiter=delimiter)
            except ToolkitError as exc:
                if len(tables) == 1:
                    raise
                typer.echo(error_line(str(exc)), err=True)
                codes.append(EXIT_ERROR)
                continue
            report = validate_table(loaded, compiled, max_findings=max_findings, strict=strict)
            reported_before = EXIT_VALID in codes or EXIT_INVALID in codes
            if reported_before and format in (Format.text, Format.markdown):
                typer.echo("")
            typer.echo(_rendered(report, format, links, left), nl=False)
            write_step_summary(partial(_summary, report, links))
            codes.append(EXIT_VALID if report.valid else EXIT_INVALID)
        return max(codes)

    guarded(body)


def _summary(report: Report, links: LineLinks | None, budget: int) -> str:
    return render_markdown(report, links=links, budget=budget)


def _rendered(report: Report, format: Format, links: LineLinks | None, left: dict[str, int]) -> str:
    """One report; GitHub's annotations per step are shared by every table of the run."""
    if format is Format.markdown:
        return render_markdown(report, links=links)
    if format is Format.github:
        chosen = choose_annotations(report.findings, limit=left)
        for f in chosen:
            left[f.severity] -= 1
        return render_github(report, chosen)
    return render(report, format.value)
