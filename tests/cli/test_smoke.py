"""One real run of the installed command, and of `python -m toolkit`, in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EVENTS_CSV, ROOT

CONSOLE_SCRIPT = Path(sys.executable).parent / "toolkit"


@pytest.mark.parametrize(
    "command",
    [[str(CONSOLE_SCRIPT)], [sys.executable, "-m", "toolkit"]],
    ids=["console-script", "python-m"],
)
def test_validate_reference_table_in_a_subprocess(command):
    assert Path(command[0]).exists()

    done = subprocess.run(
        [*command, "validate", str(EVENTS_CSV)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{EVENTS_CSV}: valid — 17 rows, 0 errors, 17 warnings")
    assert done.stderr == ""


def test_invalid_input_in_a_subprocess_exits_2_without_traceback(tmp_path):
    done = subprocess.run(
        [str(CONSOLE_SCRIPT), "validate", str(tmp_path / "missing.csv")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"error: {tmp_path / 'missing.csv'}: no such file\n"


def test_the_command_process_skips_hypothesis_but_the_library_does_not():
    probe = (
        "import sys, toolkit.__main__ as entry\n"
        "sys.argv = ['toolkit', '--version']\n"
        "try:\n    entry.main()\nexcept SystemExit:\n    pass\n"
        "print('pandera' in sys.modules, sys.modules['hypothesis'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.splitlines() == ["toolkit 0.1.0", "True None"]
    library = "import toolkit.cli, hypothesis; print(hypothesis.__name__)"
    done = subprocess.run(
        [sys.executable, "-c", library], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout == "hypothesis\n"
