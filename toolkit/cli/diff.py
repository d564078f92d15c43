"""`toolkit diff`: what a change does to a table, and whether it lets a new error in."""

from __future__ import annotations

import os
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from toolkit.cli.common import (
    EXIT_INVALID,
    EXIT_VALID,
    DelimiterOpt,
    EncodingOpt,
    MaxFindingsOpt,
    SchemaOpt,
    SheetOpt,
    guarded,
    write_step_summary,
)
from toolkit.validation import DEFAULT_MAX_FINDINGS

if TYPE_CHECKING:
    from toolkit.loading import Table


class DiffFormat(StrEnum):
    """Diff formats."""

    text = "text"
    json = "json"
    markdown = "markdown"
    github = "github"


VersionArg = Annotated[
    str,
    typer.Argument(
        help="A version of the table: a file (.csv, .xlsx, .parquet), or REV:PATH as committed "
        "in git (main:data/events.csv, HEAD~1:events.csv). An existing file wins.",
        show_default=False,
    ),
]
KeyOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--key",
        "-k",
        help="Column rows are matched on (repeat for a key of several columns). "
        "Default: the schema's unique column.",
        show_default=False,
    ),
]
DiffFormatOpt = Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Introduced warnings fail the run too.")]


def diff(
    old: VersionArg,
    new: VersionArg,
    schema: SchemaOpt = None,
    key: KeyOpt = None,
    format: DiffFormatOpt = DiffFormat.text,
    strict: StrictOpt = False,
    max_findings: MaxFindingsOpt = DEFAULT_MAX_FINDINGS,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = "utf-8",
    delimiter: DelimiterOpt = ",",
) -> None:
    """Compare OLD and NEW by key: rows added, removed, changed, and the findings the change
    introduces or fixes. Problems OLD already had are tolerated, so against the base branch
    this is a merge gate: exit 0 when the change introduces no error, 1 when it does, 2 for
    bad input.

    Example:
        toolkit diff main:data/events.csv data/events.csv
        toolkit diff HEAD~1:events.csv events.csv --format json > diff.json
        toolkit diff before.xlsx events.csv --key event_id --format github
    """

    def body() -> int:
        # imported here: the diff pulls in the export's canonical text (and pyarrow), which
        # the other commands' start-up should not pay for
        from toolkit.diff import diff_tables
        from toolkit.diff.render import render_diff, render_github, render_markdown
        from toolkit.diff.versions import load_version, revision_path
        from toolkit.report import LineLinks
        from toolkit.schema import compile_schema, load_schema

        compiled = compile_schema(load_schema(schema))

        def load(spec: str) -> Table:
            return load_version(spec, sheet=sheet, encoding=encoding, delimiter=delimiter)

        result = diff_tables(
            load(old), load(new), compiled, key=key, max_findings=max_findings, strict=strict
        )
        committed = revision_path(new)
        if format is DiffFormat.github:
            text = render_github(result, file=committed[1] if committed else new)
        else:
            text = render_diff(result, format.value)
        typer.echo(text, nl=False)
        links = LineLinks.from_env(os.environ)
        write_step_summary(lambda budget: render_markdown(result, links=links, budget=budget))
        return EXIT_VALID if result.passed else EXIT_INVALID

    guarded(body)
