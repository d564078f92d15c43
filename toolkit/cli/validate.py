"""`toolkit validate`: check a table against its schema and report every problem."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from toolkit.cli.common import (
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
    TableArg,
    guarded,
    load_inputs,
    write_step_summary,
)
from toolkit.report import LineLinks, render, render_markdown
from toolkit.validation import DEFAULT_MAX_FINDINGS, validate_table


def validate(
    table: TableArg,
    schema: SchemaOpt = None,
    format: FormatOpt = Format.text,
    strict: StrictOpt = False,
    max_findings: MaxFindingsOpt = DEFAULT_MAX_FINDINGS,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = "utf-8",
    delimiter: DelimiterOpt = ",",
) -> None:
    """Validate TABLE against the schema; exit 0 valid, 1 invalid, 2 unreadable input or schema.

    In a GitHub workflow (GITHUB_STEP_SUMMARY set) a Markdown summary is also appended to the
    job summary, whatever --format is.

    Example:
        toolkit validate fixtures/events.csv
        toolkit validate events.xlsx --sheet events --format json > report.json
        toolkit validate events.csv --format github   # annotations in a GitHub workflow
        toolkit validate events.csv --format markdown > summary.md
    """

    def body() -> int:
        loaded, compiled = load_inputs(
            Path(table), schema, sheet=sheet, encoding=encoding, delimiter=delimiter
        )
        report = validate_table(loaded, compiled, max_findings=max_findings, strict=strict)
        links = LineLinks.from_env(os.environ)
        if format is Format.markdown:
            typer.echo(render_markdown(report, links=links), nl=False)
        else:
            typer.echo(render(report, format.value), nl=False)
        write_step_summary(lambda budget: render_markdown(report, links=links, budget=budget))
        return EXIT_VALID if report.valid else EXIT_INVALID

    guarded(body)
