"""`toolkit export`: validate, then publish clean CSV, Parquet and the editors' workbook."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

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
    TableArg,
    error_line,
    fail,
    guarded,
    load_inputs,
)
from toolkit.report import render
from toolkit.safe import visible, visible_path
from toolkit.validation import DEFAULT_MAX_FINDINGS


class CsvDialect(StrEnum):
    """The CSV files' dialect (toolkit.export.dialects)."""

    exact = "exact"
    excel = "excel"


def export(
    table: TableArg,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output directory (created if missing).")
    ],
    schema: SchemaOpt = None,
    to: Annotated[
        str, typer.Option("--to", help="Comma-separated outputs: csv,parquet,xlsx.")
    ] = "csv,parquet,xlsx",
    quarantine: Annotated[
        bool,
        typer.Option(
            "--quarantine", help="Export the valid rows; put the others in <stem>.rejected.csv."
        ),
    ] = False,
    csv_dialect: Annotated[
        CsvDialect,
        typer.Option(
            "--csv-dialect",
            help="exact: the machine-readable CSV (UTF-8, LF, values exactly); excel: for "
            "spreadsheet users (byte-order mark, CRLF, text that starts like a formula "
            "prefixed with ').",
        ),
    ] = CsvDialect.exact,
    format: FormatOpt = Format.text,
    max_findings: MaxFindingsOpt = DEFAULT_MAX_FINDINGS,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = "utf-8",
    delimiter: DelimiterOpt = ",",
) -> None:
    """Validate TABLE and write <stem>.csv, .parquet, .xlsx and manifest.json into --out.

    With errors, nothing is written (exit 1) unless --quarantine is given. The workbook
    holds every row, rows with errors highlighted, for editors to fix; the CSV files are
    for programs unless --csv-dialect excel.

    Example:
        toolkit export fixtures/events.csv --out out/
        toolkit export events.csv --out out/ --to parquet --quarantine
        toolkit export events.csv --out share/ --to csv --csv-dialect excel
    """
    from toolkit.export import FORMATS, export_table  # the writers load only for export

    formats = tuple(f.strip() for f in to.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        fail(
            f"--to: unknown output(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}"
        )

    def body() -> int:
        loaded, compiled = load_inputs(
            Path(table), schema, sheet=sheet, encoding=encoding, delimiter=delimiter
        )
        result = export_table(
            loaded,
            out,
            compiled,
            formats=formats,
            quarantine=quarantine,
            max_findings=max_findings,
            on_wait=lambda directory: typer.echo(
                f"waiting for another export into {visible_path(directory)} to finish…", err=True
            ),
            csv_dialect=csv_dialect.value,
        )
        if not result.ok:
            typer.echo(render(result.report, format.value), nl=False)
            typer.echo(error_line(f"nothing written to {out}: {result.refused}"), err=True)
            return EXIT_INVALID
        if format is not Format.text:
            typer.echo(render(result.report, format.value), nl=False)
            stream_err = True
        else:
            stream_err = False
        summary = (
            f"{loaded.rows} rows read: {result.exported_rows} exported, {result.rejected_rows} rejected"
            f"{f' (see {visible(loaded.path.stem)}.rejected.csv)' if result.rejected_rows else ''}; "
            f"{result.report.warnings} warnings\n"
            + "".join(f"  wrote {visible_path(p)}\n" for p in result.written)
            + "".join(f"  removed {visible_path(p)} (not in this export)\n" for p in result.removed)
        )
        typer.echo(summary, nl=False, err=stream_err)
        return EXIT_VALID

    guarded(body)
