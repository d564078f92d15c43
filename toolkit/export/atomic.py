"""Atomic export sets: the outputs of one export replace the previous set together, or not at all.

What a reader of an output directory DIR can rely on:

* **One writer at a time.** An export holds an exclusive `flock` on DIR itself from before it
  looks at the directory until its commit is done. A second export into DIR waits for it (up
  to `lock_timeout` seconds, then it fails with one `ExportError` line and changes nothing). A
  reader that wants a whole set takes a shared lock on DIR while it reads
  (`flock -s DIR cp DIR/events.* DIR/manifest.json dest/`, or `fcntl.flock(fd, LOCK_SH)` on
  `os.open(DIR, os.O_RDONLY)`): it then never sees a commit in progress.
* **Nothing changes before the commit.** An export writes everything under
  `DIR/.toolkit-export/`: `new.NAME` the new outputs, `old.NAME` hard links to the outputs
  they replace or retire, `journal.json` while the commit runs. The rest of DIR stays as it was.
* **The commit** follows sqlite's rollback journal:
  1. every new file is flushed to disk (fsync); each existing output the commit replaces or
     removes gets its second name `old.NAME` (a hard link; a copy where links are not
     supported);
  2. `journal.json` (which names are replaced, created, removed) is written under a temporary
     name, flushed and renamed into place, and the staging directory is flushed with the
     `old.NAME` links in it: the journal is now *hot*;
  3. outputs the new set does not include are removed, the new files are renamed into DIR
     (the caller stages `manifest.json` last, so a new manifest appears only beside every file
     it lists), and DIR is flushed;
  4. the journal is deleted and that deletion flushed: **this is the commit point**;
  5. the staging directory is removed.
* **A crash at any point** (SIGKILL, power loss) leaves either no journal — DIR holds the old
  set, or the new one after step 4 — or a hot journal, while DIR may hold part of each. The next
  export into DIR (or `recover`) takes the lock, puts every old file back from its second name,
  removes the names the commit created, and only then deletes the journal; a recovery
  interrupted in turn is simply redone. It then removes everything under `.toolkit-export/`,
  and the hidden `.NAME.XXXXXXXX.tmp` and `.bak` files older versions of the toolkit left
  beside their outputs. A failure inside the process (a rename failing, Ctrl-C, SIGTERM) rolls
  back at once, the same way.
* So without a journal DIR holds exactly one whole set, and `manifest.json` lists exactly its
  files with their sha256. The journal exists only while a commit runs (milliseconds) or after a
  crash inside one, until the next export; a reader that does not lock can tell those instants by
  `DIR/.toolkit-export/journal.json`, and by any file's sha256 differing from the manifest's.

Locks are `flock(2)` locks on a local filesystem (Linux, macOS); a directory that cannot be
locked is an `ExportError`, never an unguarded write.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import stat
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType

from toolkit.errors import ExportError

STAGING = ".toolkit-export"
JOURNAL = "journal.json"
LOCK_TIMEOUT = 120.0  # seconds a second export waits for the first before giving up
_POLL = 0.05
_JOURNAL_FORMAT = "toolkit export commit"
# the hidden temporary and backup files of toolkit versions that staged outputs beside them
# (tempfile.mkstemp names: ".events.csv.k2x9_a0q.tmp")
_LEGACY = re.compile(r"\.(?:.+\.(?:csv|parquet|xlsx)|manifest\.json)\.[a-z0-9_]{8}\.(?:tmp|bak)")


def plain_name(name: str) -> bool:
    """Whether `name` is a file name inside the directory (no separator, not the staging area)."""
    return bool(name) and name not in (".", "..", STAGING) and not set(name) & {"/", "\\", "\0"}


class Staging:
    """The outputs of one export, written under `directory/.toolkit-export/` and committed together.

    Use as a context manager: entering locks the directory and repairs an interrupted commit;
    `path(name)` gives where to write each output (the manifest last); `commit()` puts them in
    place; leaving without a commit, or with an exception, puts everything back as it was.
    """

    def __init__(
        self,
        directory: Path,
        *,
        lock_timeout: float = LOCK_TIMEOUT,
        on_wait: Callable[[Path], None] | None = None,
    ) -> None:
        self.directory = directory
        self.lock_timeout = lock_timeout
        self.on_wait = on_wait
        self._staging = directory / STAGING
        self._names: list[str] = []
        self._fd = -1
        self._committed = False

    def __enter__(self) -> Staging:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(
                f"{self.directory}: cannot create the output directory ({exc.strerror})"
            ) from exc
        if not os.access(self.directory, os.W_OK):
            raise ExportError(f"{self.directory}: the output directory is not writable")
        self._fd = _open_directory(self.directory)
        try:
            _lock(self._fd, self.directory, self.lock_timeout, self.on_wait)
            _recover(self.directory, self._fd)
            os.mkdir(self._staging)
        except BaseException as exc:
            self._release()
            if isinstance(exc, OSError):
                raise _failed(self.directory, exc) from exc
            raise
        return self

    def path(self, name: str) -> Path:
        """Where to write the output that becomes `directory/name` on commit."""
        if not plain_name(name) or name in self._names:
            raise ValueError(f"{name!r}: not a new output name")
        self._names.append(name)
        return self._staging / f"new.{name}"

    def commit(self, retire: Iterable[str] = ()) -> tuple[list[Path], list[Path]]:
        """Put every staged file in place and remove the `retire` outputs it does not replace.

        Returns the paths written and the paths removed. Names in `retire` that are not plain
        file names, are staged, or do not exist are ignored.
        """
        staging = self._staging
        for name in self._names:
            _fsync_file(_new(staging, name))
        removed = [
            name
            for name in dict.fromkeys(retire)
            if plain_name(name) and name not in self._names and _is_file(self.directory / name)
        ]
        entries = []
        for name in [*removed, *self._names]:
            final = self.directory / name
            kept = os.path.lexists(final)
            if kept:
                _keep_aside(final, _old(staging, name))
            action = "remove" if name in removed else ("replace" if kept else "create")
            entries.append({"name": name, "action": action, "old": kept})
        self._write_journal(entries)  # flushed with the old files' second names: hot
        for name in removed:
            os.unlink(self.directory / name)
        for name in self._names:
            os.replace(_new(staging, name), self.directory / name)
        _fsync_directory(self._fd)
        os.unlink(staging / JOURNAL)
        _fsync_directory(staging)  # the commit point: the new set stands
        self._committed = True
        with contextlib.suppress(OSError):  # leftovers only; the next export removes them
            shutil.rmtree(staging)
        written = [self.directory / name for name in self._names]
        return written, [self.directory / name for name in removed]

    def _write_journal(self, entries: list[dict[str, object]]) -> None:
        journal = {"journal": _JOURNAL_FORMAT, "version": 1, "pid": os.getpid(), "files": entries}
        tmp = self._staging / f"{JOURNAL}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(journal, indent=2) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self._staging / JOURNAL)
        _fsync_directory(self._staging)

    def _release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # releases the lock
            self._fd = -1

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc is not None or not self._committed:
                # a hot journal means the commit was under way: roll it back; if that fails
                # too, the journal stays for the next export to finish the job
                with contextlib.suppress(OSError, ExportError):
                    _recover(self.directory, self._fd)
        finally:
            self._release()
        if isinstance(exc, OSError):
            raise _failed(self.directory, exc) from exc


def recover(directory: str | Path, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
    """Repair `directory` after an interrupted export: roll back a hot journal, remove leftovers.

    Every export does this first; this is the same step on its own (it waits for the lock).
    """
    path = Path(directory)
    fd = _open_directory(path)
    try:
        _lock(fd, path, lock_timeout, None)
        _recover(path, fd)
    except OSError as exc:
        raise _failed(path, exc) from exc
    finally:
        os.close(fd)


def _recover(directory: Path, fd: int) -> None:
    """With the lock held: undo a hot journal, then remove every staging leftover."""
    staging = directory / STAGING
    try:
        mode = os.lstat(staging).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None:
        if not stat.S_ISDIR(mode):
            raise ExportError(
                f"{staging}: not a staging directory the toolkit made; move it away to export here"
            )
        journal = staging / JOURNAL
        if os.path.lexists(journal):
            _roll_back(directory, fd, staging, _read_journal(journal))
            os.unlink(journal)
            _fsync_directory(staging)
        shutil.rmtree(staging)
    with os.scandir(directory) as found:
        legacy = [
            e.path for e in found if _LEGACY.fullmatch(e.name) and e.is_file(follow_symlinks=False)
        ]
    for path in legacy:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def _roll_back(directory: Path, fd: int, staging: Path, entries: list[dict[str, object]]) -> None:
    """Put the old set back: each old file from its second name, each created one removed.

    The manifest comes first (the journal lists it last). Every step can be redone: an old file
    already put back no longer has its second name; a created name already removed is gone.
    """
    for entry in reversed(entries):
        name = str(entry["name"])
        if entry["old"]:
            if os.path.lexists(_old(staging, name)):
                os.replace(_old(staging, name), directory / name)
        else:  # no file of that name before the commit, and none since: the lock was held
            with contextlib.suppress(FileNotFoundError):
                os.unlink(directory / name)
    _fsync_directory(fd)


def _new(staging: Path, name: str) -> Path:
    """Where the new file of output `name` is staged."""
    return staging / f"new.{name}"


def _old(staging: Path, name: str) -> Path:
    """The second name the commit gives the old file of output `name`."""
    return staging / f"old.{name}"


def _read_journal(journal: Path) -> list[dict[str, object]]:
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        entries = data["files"]
        if data["journal"] != _JOURNAL_FORMAT or data["version"] != 1:
            raise ValueError("an unknown journal format")
        if not all(plain_name(e["name"]) and isinstance(e["old"], bool) for e in entries):
            raise ValueError("a file name outside the directory")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ExportError(
            f"{journal}: an interrupted export left a journal that cannot be read ({exc}); "
            "compare the files with manifest.json, then remove the .toolkit-export directory"
        ) from exc
    return list(entries)


def _keep_aside(final: Path, backup: Path) -> None:
    """A second name for the current output, so a rollback can put it back."""
    try:
        os.link(final, backup, follow_symlinks=False)
    except OSError:  # a filesystem without hard links: keep a copy instead
        shutil.copy2(final, backup, follow_symlinks=False)
        if not backup.is_symlink():
            _fsync_file(backup)


def _is_file(path: Path) -> bool:
    """Whether an output to retire is there: a file or a link, never a directory."""
    try:
        return not stat.S_ISDIR(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


def _open_directory(directory: Path) -> int:
    try:
        return os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise ExportError(
            f"{directory}: cannot open the output directory ({exc.strerror})"
        ) from exc


def _lock(fd: int, directory: Path, timeout: float, on_wait: Callable[[Path], None] | None) -> None:
    """Take the directory's exclusive lock, waiting at most `timeout` seconds for its holder."""
    deadline = time.monotonic() + timeout
    waiting = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        except OSError as exc:
            raise ExportError(
                f"{directory}: cannot lock the output directory ({exc.strerror})"
            ) from exc
        left = deadline - time.monotonic()
        if left <= 0:
            raise ExportError(
                f"{directory}: another export into this directory is still running (or a reader "
                f"holds its lock); gave up after waiting {timeout:g} s"
            )
        if not waiting and on_wait is not None:
            on_wait(directory)
        waiting = True
        time.sleep(min(_POLL, left))


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_directory(directory: Path | int) -> None:
    """Make the entries of a directory durable (some filesystems cannot, and say so)."""
    fd = directory if isinstance(directory, int) else os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
    finally:
        if not isinstance(directory, int):
            os.close(fd)


def _failed(directory: Path, exc: OSError) -> ExportError:
    return ExportError(f"{directory}: writing failed ({exc.strerror or exc})")
