"""What every command shares: input options, and turning failures into exit codes."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from toolkit.errors import ToolkitError
from toolkit.safe import MESSAGE_LIMIT, visible

if TYPE_CHECKING:
    from toolkit.loading import Table
    from toolkit.schema import CompiledSchema

EXIT_VALID, EXIT_INVALID, EXIT_ERROR = 0, 1, 2


class Format(StrEnum):
    """Report formats."""

    text = "text"
    json = "json"
    github = "github"
    junit = "junit"
    markdown = "markdown"


TableArg = Annotated[
    Path, typer.Argument(help="The event table: .csv, .xlsx or .parquet.", show_default=False)
]
TablesArg = Annotated[
    list[Path],
    typer.Argument(
        help="The event table(s): .csv, .xlsx or .parquet; several are checked one by one.",
        metavar="TABLE",
        show_default=False,
    ),
]
SchemaOpt = Annotated[
    Path | None,
    typer.Option("--schema", "-s", help="Schema file (YAML). Default: the built-in events schema."),
]
SheetOpt = Annotated[str | None, typer.Option(help="Workbook sheet to read (default: the first).")]
EncodingOpt = Annotated[str, typer.Option(help="Text encoding of a CSV file, e.g. cp1252.")]
DelimiterOpt = Annotated[str, typer.Option(help="Field delimiter of a CSV file, e.g. ';'.")]
MaxFindingsOpt = Annotated[
    int,
    typer.Option(
        "--max-findings",
        min=0,
        help="List at most N findings (counts per rule stay exact).",
    ),
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Warnings fail validation too.")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Report format.")]


class State:
    """Global flags set by the app callback."""

    debug = False


ERROR_LIMIT = 2 * MESSAGE_LIMIT  # an error names a path or two and the values at fault


def error_line(message: str) -> str:
    """`error: message` as one safe line: the message names paths, sheets and values from
    outside, shown with `visible` (no line breaks, escapes or workflow commands get through)."""
    return f"error: {visible(message, ERROR_LIMIT)}"


def fail(message: str) -> NoReturn:
    """Print one `error:` line on stderr and exit 2."""
    typer.echo(error_line(message), err=True)
    raise typer.Exit(EXIT_ERROR)


def write_step_summary(
    markdown: Callable[[int], str], env: Mapping[str, str] | None = None
) -> None:
    """Append `markdown(budget)` to the file `GITHUB_STEP_SUMMARY` names, when it names one.

    The budget is what is left of GitHub's 1 MiB per step (a step may run several commands),
    at most `SUMMARY_BUDGET`. A summary that cannot be written is a `warning:` on stderr,
    not a failure: the verdict and exit code stay those of the data.
    """
    from toolkit.report.markdown import STEP_SUMMARY_LIMIT, SUMMARY_BUDGET

    target = (os.environ if env is None else env).get("GITHUB_STEP_SUMMARY", "")
    if not target:
        return
    path = Path(target)
    try:
        used = path.stat().st_size if path.exists() else 0
        budget = min(SUMMARY_BUDGET, STEP_SUMMARY_LIMIT - used - (16 << 10))
        if budget < 16 << 10:
            raise OSError(f"the step summary holds {used:,} bytes already")
        text = markdown(budget)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(text if used == 0 else "\n" + text)
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        typer.echo(
            f"warning: the job summary was not written to {visible(target)}: {visible(why)}",
            err=True,
        )


def compiled_schema(schema: Path | None) -> CompiledSchema:
    """The schema file (the built-in events schema by default), compiled."""
    from toolkit.schema import compile_schema, load_schema

    return compile_schema(load_schema(schema))


def load_inputs(
    table: Path,
    schema: Path | None,
    *,
    sheet: str | None,
    encoding: str,
    delimiter: str,
) -> tuple[Table, CompiledSchema]:
    """The compiled schema and the loaded table; a broken schema is reported first."""
    from toolkit.loading import load_table

    compiled = compiled_schema(schema)
    return load_table(table, sheet=sheet, encoding=encoding, delimiter=delimiter), compiled


def guarded(body: Callable[[], int]) -> None:
    """Run a command body; a ToolkitError or an unexpected bug becomes one line and exit 2."""
    try:
        code = body()
    except ToolkitError as exc:
        if State.debug:
            traceback.print_exc()
        fail(str(exc))
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM/SIGHUP (toolkit.cli.signals)
        from toolkit.cli.signals import stopped

        message, status = stopped(exc)
        typer.echo(f"error: {message}; no output was changed", err=True)
        raise typer.Exit(status) from None
    except typer.Exit:
        raise
    except Exception as exc:
        if State.debug:
            traceback.print_exc()
        first = str(exc).splitlines()[0] if str(exc) else ""
        fail(f"unexpected {type(exc).__name__}: {first} (rerun with --debug for the traceback)")
    sys.stdout.flush()
    raise typer.Exit(code)
