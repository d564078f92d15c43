"""`toolkit validate`: check a table against its schema and report every problem."""

from __future__ import annotations

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
)
from toolkit.report import render
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

    Example:
        toolkit validate fixtures/events.csv
        toolkit validate events.xlsx --sheet events --format json > report.json
        toolkit validate events.csv --format github   # annotations in a GitHub workflow
    """

    def body() -> int:
        loaded, compiled = load_inputs(
            Path(table), schema, sheet=sheet, encoding=encoding, delimiter=delimiter
        )
        report = validate_table(loaded, compiled, max_findings=max_findings, strict=strict)
        typer.echo(render(report, format.value), nl=False)
        return EXIT_VALID if report.valid else EXIT_INVALID

    guarded(body)
