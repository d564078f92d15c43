"""Documentation that code can check: every command's help has an example; the API is pinned."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import toolkit
from toolkit.cli import app

COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)


def test_the_commands_are_pinned():
    assert COMMANDS == ["describe", "diff", "export", "init", "validate"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(app, [command, "--help"])

    assert result.exit_code == 0
    assert f"Usage: toolkit {command}" in result.stdout
    assert "Example:" in result.stdout
    assert f"toolkit {command} " in result.stdout.split("Example:", 1)[1]


@pytest.mark.parametrize("command", [c for c in app.registered_commands])
def test_every_command_docstring_ends_in_an_example_block(command):
    doc = command.callback.__doc__ or ""

    assert "\n    Example:\n" in doc


def test_the_app_help_lists_every_command():
    result = CliRunner().invoke(app, ["--help"])

    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.stdout


def test_version():
    result = CliRunner().invoke(app, ["--version"])

    assert (result.exit_code, result.stdout) == (0, f"toolkit {toolkit.__version__}\n")


def test_the_public_api_is_pinned():
    assert toolkit.__all__ == [
        "ExportError",
        "ExportResult",
        "Finding",
        "InputError",
        "Report",
        "Schema",
        "SchemaDefinitionError",
        "Table",
        "TableDiff",
        "ToolkitError",
        "__version__",
        "diff_tables",
        "export_table",
        "load_schema",
        "load_table",
        "validate_table",
    ]
    assert all(hasattr(toolkit, name) for name in toolkit.__all__)


def test_every_public_function_and_class_has_a_docstring():
    missing = [
        name
        for name in toolkit.__all__
        if callable(getattr(toolkit, name)) and not (getattr(toolkit, name).__doc__ or "").strip()
    ]

    assert missing == []


def test_errors_form_one_family():
    for error in (toolkit.InputError, toolkit.SchemaDefinitionError, toolkit.ExportError):
        assert issubclass(error, toolkit.ToolkitError)


def test_the_library_never_imports_the_cli_toolkits():
    import subprocess
    import sys

    code = (
        "import sys, toolkit, toolkit.validation, toolkit.export; "
        "print(sorted(m for m in ('typer', 'rich', 'click') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert done.stdout == "[]\n"
