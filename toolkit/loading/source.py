"""Reading an input once: bounded in size, hashed from the very bytes that were parsed.

Every reader parses the bytes `read_source` returns and nothing else, so a FIFO (which can be
read only once), a file that grows while it is read, or a second writer cannot make the
manifest's SHA-256 describe other bytes than the ones exported.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import InputError

# Twice a hand-curated table at its largest (the event table at Excel's 1,048,576 rows is
# about 230 MB; GitHub refuses files over 100 MB): validating takes about four times the
# file in memory, so a run stays near 2 GiB, and a pipe that never ends is refused instead
# of filling memory.
MAX_INPUT_BYTES = 512 << 20

_CHUNK = 1 << 20


class Digest:
    """SHA-256 of bytes already in memory, computed when first asked.

    The bytes are kept until then and dropped after: validating a table never asks, so it
    spends no time on a hash (hashing in a thread while parsing cost the 1M-row validation
    about 0.1 s of its two cores); exporting asks at once, in a thread beside validation.
    """

    def __init__(self, data: bytes) -> None:
        self._data: bytes | None = data
        self._hex = ""
        self._lock = threading.Lock()

    def hexdigest(self) -> str:
        """The hex digest (computed once; hashlib releases the GIL while it hashes)."""
        with self._lock:
            if self._data is not None:
                self._hex = hashlib.sha256(self._data).hexdigest()
                self._data = None
            return self._hex


@dataclass(frozen=True)
class Source:
    """The bytes of an input, exactly as read, and their SHA-256."""

    data: bytes
    digest: Digest
    complete: bool = True  # False when `stop` ended the read early (the caller refuses it)


def too_large(path: Path, limit: int) -> InputError:
    return InputError(
        f"{path}: refused: larger than {limit:,} bytes ({limit >> 20:,} MiB), "
        "the most the toolkit reads"
    )


def read_source(
    path: Path, *, limit: int | None = None, stop: Callable[[bytes], bool] | None = None
) -> Source:
    """Read `path` once (a file, FIFO or pipe), refusing devices and more than `limit` bytes.

    A regular file is read in one call; a stream is read in chunks, and `stop(chunk)` may end
    the read early when a chunk already shows that the input will be refused (a NUL byte in
    a text file), so `cat /dev/urandom > fifo.csv` is refused after the first chunk.
    """
    limit = MAX_INPUT_BYTES if limit is None else limit
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise InputError(f"{path}: is a device, not a table file")
    chunks: list[bytes] = []
    total = 0
    complete = True
    try:
        with open(path, "rb") as fh:
            info = os.fstat(fh.fileno())
            regular = stat.S_ISREG(info.st_mode)
            if regular and info.st_size > limit:
                raise too_large(path, limit)
            if regular and info.st_size:
                chunks.append(fh.read(info.st_size))
                total = len(chunks[0])
            # a stream, or a regular file that grew since fstat: read on until the end
            while chunk := fh.read(min(_CHUNK, limit + 1 - total)):
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:
                    raise too_large(path, limit)
                if stop is not None and not regular and stop(chunk):
                    complete = False
                    break
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    del chunks
    return Source(data=data, digest=Digest(data), complete=complete)
