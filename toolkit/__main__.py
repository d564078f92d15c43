"""The `toolkit` command's process: `python -m toolkit`, and the installed console script."""

import importlib.abc
import signal
import sys
from types import ModuleType


class _WithoutPandas(importlib.abc.MetaPathFinder):
    """Answers as if pandas were not installed, while pandera loads."""

    def find_spec(self, name: str, path: object = None, target: ModuleType | None = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def _import_pandera_without_pandas() -> None:
    """pandera loads its pandas half whenever pandas is installed (country_converter brings
    it): 0.4 s at every start, for a command that uses only pandera's polars half. The
    command's own process loads pandera as a polars-only install would, including the
    check-backend look-up pandera otherwise imports pandas for on its first check (it
    caches the answer); pandas stays importable for what needs it later (country names).
    """
    if "pandas" in sys.modules or "pandera" in sys.modules:
        return
    finder = _WithoutPandas()
    sys.meta_path.insert(0, finder)
    try:
        import pandera  # noqa: F401
        from pandera.backends import register_checks

        look_up = getattr(register_checks, "_load_get_backend_types_from_mro", None)
        if look_up is not None:
            look_up()
    except ImportError:
        pass  # another pandera: it loads as it will when the toolkit imports it
    finally:
        sys.meta_path.remove(finder)


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
    _import_pandera_without_pandas()
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
