"""Atomic outputs: every file is written under a temporary name, then renamed into place.

`Staging` collects all outputs of one export and renames them only when every one of them was
written, so an interrupted or failed export leaves the previous outputs byte-for-byte intact
and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from toolkit.errors import ExportError


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


class Staging:
    """A set of outputs written to temporary files in `directory` and committed together."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._pending: list[tuple[Path, Path]] = []

    def __enter__(self) -> Staging:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(
                f"{self.directory}: cannot create the output directory ({exc.strerror})"
            ) from exc
        if not os.access(self.directory, os.W_OK):
            raise ExportError(f"{self.directory}: the output directory is not writable")
        return self

    def path(self, name: str) -> Path:
        """A fresh temporary path that becomes `directory/name` on commit."""
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.directory)
        except OSError as exc:
            raise ExportError(f"{self.directory}: cannot write ({exc.strerror})") from exc
        os.close(fd)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        self._pending.append((Path(tmp), self.directory / name))
        return Path(tmp)

    def commit(self) -> list[Path]:
        """Flush every staged file to disk, then rename all of them into place."""
        for tmp, _ in self._pending:
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
        backups = self._back_up([final for _, final in self._pending])
        replaced: list[Path] = []
        try:
            for tmp, final in self._pending:
                os.replace(tmp, final)
                replaced.append(final)
        except BaseException:
            # put every output back as it was: old ones restored, new ones removed
            for final in replaced:
                if final in backups:
                    os.replace(backups.pop(final), final)
                else:
                    final.unlink(missing_ok=True)
            raise
        finally:
            for backup in backups.values():
                backup.unlink(missing_ok=True)
        done = [final for _, final in self._pending]
        self._pending = []
        return done

    def _back_up(self, finals: list[Path]) -> dict[Path, Path]:
        """Hard-link (or copy) each existing output aside, so a failed commit can restore it."""
        backups: dict[Path, Path] = {}
        try:
            for final in finals:
                if not final.exists():
                    continue
                fd, name = tempfile.mkstemp(
                    prefix=f".{final.name}.", suffix=".bak", dir=self.directory
                )
                os.close(fd)
                backup = Path(name)
                backup.unlink()
                try:
                    os.link(final, backup)
                except OSError:
                    shutil.copy2(final, backup)
                backups[final] = backup
        except BaseException:
            for backup in backups.values():
                backup.unlink(missing_ok=True)
            raise
        return backups

    def discard(self) -> None:
        """Remove every staged temporary file."""
        for tmp, _ in self._pending:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        self._pending = []

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.discard()
        if isinstance(exc, OSError):
            raise ExportError(f"{self.directory}: writing failed ({exc.strerror or exc})") from exc
