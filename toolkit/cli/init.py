"""`toolkit init`: a starting schema inferred from the table a data desk already has."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.common import (
    EXIT_VALID,
    DelimiterOpt,
    EncodingOpt,
    SheetOpt,
    TableArg,
    fail,
    guarded,
)
from toolkit.safe import visible_path


def init(
    table: TableArg,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the schema to FILE (default: standard output)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing FILE.")] = False,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = "utf-8",
    delimiter: DelimiterOpt = ",",
) -> None:
    """Infer a starting schema for TABLE from all its values: each column's kind (numbers,
    dates and their format, times, fuzzy dates and counts, coordinates, countries and
    subdivisions by code or name, URLs, vocabularies), required and unique columns,
    missing-value markers, and the rules across columns the table keeps. Edit it, then
    validate with --schema.

    Example:
        toolkit init events.csv -o events.yaml
        toolkit init shootings.xlsx --sheet data > shootings.yaml
        toolkit validate events.csv --schema events.yaml
    """
    if output is not None and output.exists() and not force:
        fail(f"{output} exists; pass --force to overwrite it")

    def body() -> int:
        from toolkit.infer import infer_schema
        from toolkit.loading import load_table

        loaded = load_table(table, sheet=sheet, encoding=encoding, delimiter=delimiter)
        inferred = infer_schema(loaded)
        text = inferred.to_yaml()
        if output is None:
            typer.echo(text, nl=False)
            return EXIT_VALID
        _write(output, text)
        kept = sum(1 for r in inferred.rules if r.kept)
        typer.echo(
            f"wrote {visible_path(output)}: {len(inferred.columns)} columns, {kept} rules; "
            f"check it, then: toolkit validate {visible_path(table)} --schema {visible_path(output)}",
            err=True,
        )
        return EXIT_VALID

    guarded(body)


def _write(path: Path, text: str) -> None:
    """Write `path` whole or not at all (a temporary file renamed into place)."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        fail(f"{path}: cannot write ({exc.strerror})")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
