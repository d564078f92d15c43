"""The `toolkit` command: thin Typer commands over the library (parse, call, render, exit)."""

from __future__ import annotations

from typing import Annotated

import typer

from toolkit import __version__
from toolkit.cli.common import State
from toolkit.cli.describe import describe
from toolkit.cli.diff import diff
from toolkit.cli.export import export
from toolkit.cli.init import init
from toolkit.cli.validate import validate

app = typer.Typer(
    name="toolkit",
    help="Guard and publish a hand-curated table of news events.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"toolkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks for unexpected errors.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Guard and publish a hand-curated table of news events."""
    State.debug = debug


app.command(no_args_is_help=True)(validate)
app.command(no_args_is_help=True)(export)
app.command()(describe)
app.command(no_args_is_help=True)(init)
app.command(no_args_is_help=True)(diff)


def main() -> None:
    """Console-script entry point."""
    app()
