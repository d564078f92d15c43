"""The `toolkit` command's process: `python -m toolkit`, and the installed console script."""

import sys


def main() -> None:
    """Run the command-line interface.

    pandera imports hypothesis (for its data-synthesis strategies) whenever it is installed,
    as it is in a development environment: 0.12 s at every start of a command that never
    synthesises data. The command's own process skips it; importing `toolkit` or
    `toolkit.cli` as a library changes nothing.
    """
    sys.modules.setdefault("hypothesis", None)  # type: ignore[arg-type]
    from toolkit.cli import main as cli

    cli()


if __name__ == "__main__":
    main()
