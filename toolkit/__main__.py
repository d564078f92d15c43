"""The `toolkit` command's process: `python -m toolkit`, and the installed console script."""

import signal
import sys


def main() -> None:
    """Run the command-line interface.

    pandera imports hypothesis (for its data-synthesis strategies) whenever it is installed,
    as it is in a development environment: 0.12 s at every start of a command that never
    synthesises data. The command's own process skips it; importing `toolkit` or
    `toolkit.cli` as a library changes nothing.

    SIGTERM and SIGHUP stop a command the way Ctrl-C does (`toolkit.cli.signals`): what it
    staged is removed, one `error:` line, exit 128 + the signal's number.
    """
    sys.modules.setdefault("hypothesis", None)  # type: ignore[arg-type]
    try:
        from toolkit.cli import main as cli
        from toolkit.cli.signals import stop_on_signals

        stop_on_signals()
        cli()
    except KeyboardInterrupt as exc:  # a signal before a command could answer it
        sys.stderr.write("error: interrupted\n")
        sys.exit(128 + getattr(exc, "signum", signal.SIGINT))


if __name__ == "__main__":
    main()
