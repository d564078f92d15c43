"""Read a version of a table: a file, or `REV:PATH` as committed in git.

A path that exists as a file wins: `main:events.csv` is read through git only when no file
of that name exists. The committed bytes are read with `git cat-file` (no filters, no
text conversion: exactly what was committed) into a temporary file with the same suffix,
loaded like any file, and the temporary file is removed; the table is named by its spec
(`main:events.csv`), so findings and messages point at the version the user named.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import IO

from toolkit.errors import InputError
from toolkit.loading import Table, detect_format, load_table

_LFS_POINTER = b"version https://git-lfs.github.com/spec/"


def revision_path(spec: str) -> tuple[str, str] | None:
    """`(REV, PATH)` when `spec` names a committed file rather than a file on disk, else None."""
    if Path(spec).exists() or spec.startswith("-") or ":" not in spec:
        return None
    rev, path = spec.split(":", 1)
    return rev, path


def _git(args: list[str], spec: str, stdout: IO[bytes] | None = None) -> bytes:
    """Run git; its output (unless sent to `stdout`), or an InputError with git's reason."""
    git = shutil.which("git")
    if git is None:
        raise InputError(f"{spec}: no such file, and git is not installed to read it as REV:PATH")
    done = subprocess.run(
        [git, *args], stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE, check=False
    )
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        problem = next((x for x in lines if x.startswith("fatal:")), lines[0] if lines else "")
        problem = problem.removeprefix("fatal:").strip().rstrip(".") or f"exit {done.returncode}"
        raise InputError(f"{spec}: no such file, and git cannot read it as REV:PATH: {problem}")
    return done.stdout or b""


def load_version(
    spec: str | Path,
    *,
    sheet: str | None = None,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Table:
    """Load a table from a file, or from git when `spec` is `REV:PATH` (`main:events.csv`).

    `sheet` applies to workbooks only, so one option serves a CSV and an XLSX version.

    Example:
        >>> old = load_version("HEAD~1:fixtures/events.csv")
        >>> str(old.path)
        'HEAD~1:fixtures/events.csv'
    """
    spec = str(spec)
    parts = revision_path(spec)
    if parts is None:
        return _load(Path(spec), spec, sheet=sheet, encoding=encoding, delimiter=delimiter)
    _, path = parts
    if not path:
        raise InputError(f"{spec}: no such file, and REV:PATH names no path after the ':'")
    try:
        detect_format(Path(path))  # an unknown format is refused before git runs
    except InputError as exc:
        raise InputError(f"{spec}: {str(exc).split(': ', 1)[1]}") from exc
    kind = _git(["cat-file", "-t", "--", spec], spec).decode().strip()
    if kind != "blob":
        raise InputError(f"{spec}: is a {kind} in git, not a file")
    folder = tempfile.mkdtemp(prefix="toolkit-diff-")
    try:
        copy = Path(folder) / f"version{Path(path).suffix}"
        with open(copy, "wb") as out:
            _git(["cat-file", "blob", "--", spec], spec, stdout=out)
        with open(copy, "rb") as head:
            if head.read(len(_LFS_POINTER)) == _LFS_POINTER:
                raise InputError(
                    f"{spec}: is a Git LFS pointer, not the table (fetch it with git lfs pull)"
                )
        try:
            table = _load(copy, spec, sheet=sheet, encoding=encoding, delimiter=delimiter)
        except InputError as exc:
            raise InputError(str(exc).replace(str(copy), spec)) from exc
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return replace(table, path=Path(spec))


def _load(path: Path, spec: str, *, sheet: str | None, encoding: str, delimiter: str) -> Table:
    fmt = detect_format(path)
    return load_table(
        path,
        sheet=sheet if fmt == "xlsx" else None,
        encoding=encoding,
        delimiter=delimiter,
    )
