"""How the `toolkit` process stops on a signal.

Ctrl-C (SIGINT), SIGTERM (`kill`, a CI runner cancelling a job, a service manager stopping)
and SIGHUP (the terminal closed) all unwind the command the same way: an export in progress
removes what it staged, or rolls its commit back, and the command prints one `error:` line and
exits 128 + the signal's number (130, 143, 129). While that cleanup runs, further signals are
ignored, so a second Ctrl-C or a repeated SIGTERM cannot cut it short; SIGKILL still can, and
the next export into the directory then repairs it. A signal the process started with ignored
stays ignored (`nohup` ignores SIGHUP).

Handlers belong to the process: the library installs none.
"""

from __future__ import annotations

import signal
from types import FrameType

STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_MESSAGES = {
    signal.SIGINT: "interrupted",
    signal.SIGTERM: "terminated (SIGTERM)",
    signal.SIGHUP: "hung up (SIGHUP)",
}


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, unwinding the command as Ctrl-C does."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def stop_on_signals() -> None:
    """Make SIGINT, SIGTERM and SIGHUP raise in the main thread, once."""
    for signum in STOPPING:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _stop)


def _stop(signum: int, frame: FrameType | None) -> None:
    for other in STOPPING:
        if signal.getsignal(other) is _stop:
            signal.signal(other, signal.SIG_IGN)
    raise KeyboardInterrupt if signum == signal.SIGINT else Stopped(signum)


def stopped(exc: KeyboardInterrupt) -> tuple[str, int]:
    """What to say about the signal behind `exc`, and the exit status it gives."""
    signum = getattr(exc, "signum", signal.SIGINT)
    return _MESSAGES.get(signum, "interrupted"), 128 + signum
