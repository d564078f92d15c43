"""`toolkit describe`: the codebook of a schema, for a README, a wiki or a tool."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from toolkit.cli.common import EXIT_VALID, SchemaOpt, guarded


class CodebookFormat(StrEnum):
    """Codebook formats."""

    markdown = "markdown"
    json = "json"


def describe(
    schema: SchemaOpt = None,
    format: Annotated[
        CodebookFormat, typer.Option("--format", "-f", help="markdown (people) or json (tools).")
    ] = CodebookFormat.markdown,
) -> None:
    """Print the codebook of a schema: every column's kind, required, allowed values, range,
    pattern, missing values and meaning, and every rule across columns in words.

    Example:
        toolkit describe                          # the built-in events schema
        toolkit describe --schema my-table.yaml > CODEBOOK.md
        toolkit describe --schema my-table.yaml --format json
    """

    def body() -> int:
        from toolkit.report.codebook import render_codebook_json, render_codebook_markdown
        from toolkit.schema import load_schema

        loaded = load_schema(schema)
        render = render_codebook_json if format is CodebookFormat.json else render_codebook_markdown
        typer.echo(render(loaded), nl=False)
        return EXIT_VALID

    guarded(body)
