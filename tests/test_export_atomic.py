"""An output directory holds one whole export set: across processes, crashes, signals, re-exports.

The process tests run the real `toolkit` command in a subprocess with one test-only hook
(`CHILD` below: it pauses at a chosen point, or signals itself there) and kill it with real
signals. The crash tests kill a small process committing a set before each step of the commit
(and of the recovery), then check what the next export finds.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EVENTS_CSV, ROOT, TODAY, csv_text, event_row

from toolkit import ExportError, export_table, load_schema, load_table
from toolkit.export.atomic import recover
from toolkit.schema import compile_schema

EVENTS = compile_schema(load_schema(), today=TODAY)
STAGING = ".toolkit-export"

# The `toolkit` command with one hook, chosen by the first argument:
#   rename:N   pause before the Nth rename into the --out directory
#   parquet    pause as the Parquet file is about to be written (the CSV is staged, full size)
#   zipclose:N send itself SIGINT as the Nth close of the data sheet's zip member begins
#              (1: in openpyxl's workbook, 2: in the copy the data rows are spliced into)
#   lockwait   create CONTROL/waiting when it finds the --out directory locked
# "pause" creates CONTROL/ready, then waits until the test creates CONTROL/go.
CHILD = r"""
import fcntl, os, signal, sys, time, zipfile

hook, control, *args = sys.argv[1:]
out = os.path.abspath(args[args.index("--out") + 1])


def pause():
    open(os.path.join(control, "ready"), "w").close()
    while not os.path.exists(os.path.join(control, "go")):
        time.sleep(0.01)


kind, _, number = hook.partition(":")
if kind == "rename":
    real_replace, renames = os.replace, []

    def replace(src, dst):
        if os.path.dirname(os.path.abspath(dst)) == out:
            renames.append(dst)
            if len(renames) == int(number):
                pause()
        real_replace(src, dst)

    os.replace = replace
elif kind == "parquet":
    import toolkit.export

    real_parquet = toolkit.export.write_parquet

    def write_parquet(*a, **k):
        pause()
        return real_parquet(*a, **k)

    toolkit.export.write_parquet = write_parquet
elif kind == "zipclose":
    real_close, closes = zipfile._ZipWriteFile.close, []

    def close(self):
        if not self.closed and self._zinfo.filename == "xl/worksheets/sheet1.xml":
            closes.append(None)  # not the handle: it must be collected as usual
            if len(closes) == int(number):
                os.kill(os.getpid(), signal.SIGINT)
        return real_close(self)

    zipfile._ZipWriteFile.close = close
elif kind == "lockwait":
    real_flock = fcntl.flock

    def flock(fd, operation):
        try:
            return real_flock(fd, operation)
        except BlockingIOError:
            open(os.path.join(control, "waiting"), "w").close()
            raise

    fcntl.flock = flock

from toolkit.__main__ import main

sys.argv = ["toolkit", *args]
main()
"""

# A process committing a small set with the toolkit's Staging (without importing polars), that
# SIGKILLs itself before step N of the filesystem calls it makes (N = 0: never) and prints the
# steps it made. argv: ROOT DIR N commit|recover
STAGER = r"""
import json, os, signal, sys, types

root, directory, crash_at, mode = sys.argv[1:]
for package in ("toolkit", "toolkit.export"):  # the commit code, not the package's imports
    module = types.ModuleType(package)
    module.__path__ = [os.path.join(root, *package.split("."))]
    sys.modules[package] = module
from pathlib import Path

from toolkit.export.atomic import Staging, recover

steps = []


def counted(name, real):
    def step(*args, **kwargs):
        paths = [os.path.relpath(a, directory) if os.path.isabs(a) else str(a)
                 for a in args if isinstance(a, (str, Path))]
        steps.append(" ".join([name, *paths]))
        if len(steps) == int(crash_at):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    return step


for name in ("mkdir", "link", "replace", "rename", "unlink", "rmdir", "fsync"):
    setattr(os, name, counted(name, getattr(os, name)))
if mode == "commit":
    with Staging(Path(directory)) as staging:
        for name in ("events.csv", "events.xlsx", "manifest.json"):
            staging.path(name).write_text(f"new {name}\n")
        staging.commit(retire=["events.parquet", "events.rejected.csv"])
else:
    recover(directory)
print(json.dumps(steps))
"""


def snapshot(directory: Path) -> dict[str, object]:
    """Every entry of `directory`, hidden ones too: a file's bytes, a directory's snapshot."""
    return {
        p.name: snapshot(p) if p.is_dir() and not p.is_symlink() else p.read_bytes()
        for p in sorted(directory.iterdir())
    }


def assert_whole_set(out: Path, *others: str) -> dict:
    """`out` holds exactly the outputs its manifest lists, with their sha256, and `others`."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*manifest["outputs"], "manifest.json", *others]
    )
    for name, output in manifest["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == output["sha256"], name
    return manifest


def table_file(tmp_path: Path, name: str, *ids: str) -> Path:
    """A valid CSV of fixture rows (by event_id) named `name`."""
    path = tmp_path / name
    path.write_text(csv_text([event_row(i) for i in ids]), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def quarantined(tmp_path_factory) -> Path:
    """A quarantined export (with a rejected file) of a two-row table, made once."""
    source = tmp_path_factory.mktemp("old") / "events.csv"
    source.write_text(
        csv_text([event_row(), event_row("iq-2024-002", date="2024-02-30")]), encoding="utf-8"
    )
    out = source.parent / "out"
    export_table(load_table(source), out, EVENTS, quarantine=True)
    assert (out / "events.rejected.csv").exists()
    return out


@pytest.fixture
def old_set(quarantined, tmp_path) -> tuple[Path, dict[str, object]]:
    """An output directory holding that export, and its bytes."""
    out = shutil.copytree(quarantined, tmp_path / "out")
    return out, snapshot(out)


# --- processes: real signals, real kills ------------------------------------------------------


class Child:
    """A `toolkit` process with a hook (see CHILD), and the control directory it answers in."""

    def __init__(self, tmp_path: Path, label: str, hook: str, *args: object) -> None:
        self.control = tmp_path / f"control-{label}"
        self.control.mkdir()
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD, hook, str(self.control), *map(str, args)],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_for(self, marker: str, timeout: float = 120) -> None:
        """Until the process creates CONTROL/marker (failing if it exits first)."""
        deadline = time.monotonic() + timeout
        while not (self.control / marker).exists():
            if self.process.poll() is not None:
                out, err = self.process.communicate()
                pytest.fail(f"exited {self.process.returncode} before {marker}: {out}{err}")
            assert time.monotonic() < deadline, f"no {marker} after {timeout} s"
            time.sleep(0.01)

    def go(self) -> None:
        (self.control / "go").touch()

    def finish(self, timeout: float = 120) -> tuple[int, str, str]:
        out, err = self.process.communicate(timeout=timeout)
        return self.process.returncode, out, err

    def kill(self, signum: int) -> tuple[int, str, str]:
        self.process.send_signal(signum)
        return self.finish()


@pytest.fixture
def spawn(tmp_path):
    """`spawn(label, hook, *args)` starts a Child; any still running at the end is killed."""
    started: list[Child] = []

    def start(label: str, hook: str, *args: object) -> Child:
        started.append(Child(tmp_path, label, hook, *args))
        return started[-1]

    yield start
    for child in started:
        if child.process.poll() is None:
            child.process.kill()
            child.process.communicate()


def test_sigkill_between_two_renames_is_rolled_back_by_the_next_export(old_set, tmp_path, spawn):
    out, before = old_set
    child = spawn("a", "rename:2", "export", EVENTS_CSV, "--out", out)
    child.wait_for("ready")

    code, _, _ = child.kill(signal.SIGKILL)

    assert code == -signal.SIGKILL
    # the kill left a mixed set: the new CSV beside the old manifest
    assert (out / "events.csv").read_bytes() != before["events.csv"]
    assert (out / "manifest.json").read_bytes() == before["manifest.json"]
    crashed = shutil.copytree(out, tmp_path / "crashed")

    recover(crashed)  # what the next export does first
    export_table(load_table(EVENTS_CSV), out, EVENTS)  # the next export

    assert snapshot(crashed) == before
    assert assert_whole_set(out)["input"]["path"] == str(EVENTS_CSV)


def test_a_second_export_into_the_directory_waits_for_the_first_to_commit(old_set, tmp_path, spawn):
    out, _ = old_set
    other = table_file(tmp_path, "events.csv", "iq-2024-001", "iq-2024-002")
    first = spawn("first", "rename:2", "export", EVENTS_CSV, "--out", out)
    first.wait_for("ready")  # in the middle of its commit
    staged = snapshot(out)

    second = spawn("second", "lockwait", "export", other, "--out", out, "--to", "csv")
    second.wait_for("waiting")

    assert second.process.poll() is None
    assert snapshot(out) == staged  # the waiting export removes nothing of the first's
    first.go()
    assert first.finish()[0] == 0
    code, _, err = second.finish()
    # it said why it waited, on stderr, and nothing else
    assert (code, err) == (0, f"waiting for another export into {out} to finish…\n")
    # the second set replaced the first whole: its CSV, no Parquet file or workbook any more
    manifest = assert_whole_set(out)
    assert manifest["input"]["path"] == str(other)
    assert list(manifest["outputs"]) == ["events.csv"]


@pytest.mark.parametrize("mode", [fcntl.LOCK_EX, fcntl.LOCK_SH], ids=["an export", "a reader"])
def test_an_export_gives_up_after_waiting_for_the_lock_and_changes_nothing(old_set, mode):
    out, before = old_set
    waited: list[Path] = []
    holder = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(holder, mode)
        started = time.monotonic()
        with pytest.raises(ExportError) as caught:
            export_table(
                load_table(EVENTS_CSV), out, EVENTS, lock_timeout=0.3, on_wait=waited.append
            )
        assert time.monotonic() - started >= 0.3
    finally:
        os.close(holder)

    assert str(caught.value) == (
        f"{out}: another export into this directory is still running (or a reader holds its "
        "lock); gave up after waiting 0.3 s"
    )
    assert waited == [out]
    assert snapshot(out) == before


@pytest.mark.parametrize(("signum", "code", "message"), [
    (signal.SIGTERM, 143, "error: terminated (SIGTERM); no output was changed\n"),
    (signal.SIGHUP, 129, "error: hung up (SIGHUP); no output was changed\n"),
])  # fmt: skip
def test_sigterm_or_sighup_while_writing_removes_the_staged_files_with_one_line(
    old_set, spawn, signum, code, message
):
    out, before = old_set
    child = spawn("a", "parquet", "export", EVENTS_CSV, "--out", out)
    child.wait_for("ready")
    assert snapshot(out) != before  # the CSV is staged

    assert child.kill(signum) == (code, "", message)
    assert snapshot(out) == before


def test_sigterm_in_the_middle_of_the_commit_rolls_it_back(old_set, spawn):
    out, before = old_set
    child = spawn("a", "rename:2", "export", EVENTS_CSV, "--out", out)
    child.wait_for("ready")
    assert (out / "events.csv").read_bytes() != before["events.csv"]  # one file is in place

    assert child.kill(signal.SIGTERM) == (
        143, "", "error: terminated (SIGTERM); no output was changed\n"
    )  # fmt: skip
    assert snapshot(out) == before


def test_sigkill_while_writing_leaves_files_that_the_next_export_removes(old_set, tmp_path, spawn):
    out, _ = old_set
    # hidden temporary files of earlier toolkit versions, and files that are not the toolkit's
    for name in (".events.csv.k2x9_a0q.tmp", ".manifest.json.0ab1cd2e.bak"):
        (out / name).write_text("left by a killed export\n")
    for name in (".events.csv.keep", "draft.tmp", ".notes.txt.k2x9_a0q.tmp"):
        (out / name).write_text("not the toolkit's\n")
    child = spawn("a", "parquet", "export", EVENTS_CSV, "--out", out)
    child.wait_for("ready")

    assert child.kill(signal.SIGKILL)[0] == -signal.SIGKILL
    clean = export_table(load_table(EVENTS_CSV), tmp_path / "clean", EVENTS, formats=("csv",))
    left = [p for p in out.rglob("*") if p.is_file() and p != out / "events.csv"]
    assert clean.written[0].read_bytes() in [p.read_bytes() for p in left]  # the whole CSV

    export_table(load_table(EVENTS_CSV), out, EVENTS)

    assert_whole_set(out, ".events.csv.keep", "draft.tmp", ".notes.txt.k2x9_a0q.tmp")


def test_ctrl_c_while_the_workbook_is_written_exits_130_with_one_line(old_set, spawn):
    """The interrupt lands as the data sheet's zip member is being closed: the window where
    Ctrl-C used to turn into `unexpected ValueError: Can't close the ZIP file` (exit 2) and
    `Exception ignored` tracebacks. It is microseconds wide, so the process signals itself at
    its start instead of racing a Ctrl-C from outside."""
    out, before = old_set
    child = spawn("a", "zipclose:2", "export", EVENTS_CSV, "--out", out)

    assert child.finish() == (130, "", "error: interrupted; no output was changed\n")
    assert snapshot(out) == before


# --- a crash at any step ---------------------------------------------------------------------


def stager(directory: Path, crash_at: int, mode: str = "commit") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", STAGER, str(ROOT), str(directory), str(crash_at), mode],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def sets(tmp_path) -> tuple[Path, dict, dict]:
    """A directory holding an old set (and a file that is not an output), and the bytes of the
    old set and of the new one STAGER commits."""
    template = tmp_path / "template"
    template.mkdir()
    for name in ("events.csv", "events.parquet", "events.rejected.csv", "manifest.json"):
        (template / name).write_text(f"old {name}\n")
    (template / "notes.txt").write_text("not an output\n")
    new = {
        name: f"new {name}\n".encode() for name in ("events.csv", "events.xlsx", "manifest.json")
    }
    return template, snapshot(template), {**new, "notes.txt": b"not an output\n"}


def steps_of(directory: Path, mode: str = "commit") -> list[str]:
    done = stager(directory, 0, mode)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def without_staging(directory: Path) -> dict:
    return {k: v for k, v in snapshot(directory).items() if k != STAGING}


def test_a_crash_before_any_step_of_a_commit_leaves_the_old_set_or_the_new_one(sets, tmp_path):
    template, old, new = sets
    counted = tmp_path / "counted"
    shutil.copytree(template, counted)
    steps = steps_of(counted)
    assert snapshot(counted) == new
    commit_point = steps.index(f"unlink {STAGING}/journal.json") + 1  # the step number

    for n in range(1, len(steps) + 1):
        crashed = tmp_path / f"crash-{n}"
        shutil.copytree(template, crashed)

        assert stager(crashed, n).returncode == -signal.SIGKILL
        # without a hot journal the directory holds one whole set even before any repair
        if not (crashed / STAGING / "journal.json").exists():
            assert without_staging(crashed) == (old if n <= commit_point else new), steps[n - 1]
        recover(crashed)
        assert snapshot(crashed) == (old if n <= commit_point else new), steps[n - 1]


def test_a_crash_before_any_step_of_a_recovery_still_recovers_the_old_set(sets, tmp_path):
    template, old, _ = sets
    steps = steps_of(shutil.copytree(template, tmp_path / "counted"))
    crashed = tmp_path / "crashed"
    shutil.copytree(template, crashed)
    # killed after the retired outputs went and the first new file was renamed in
    renamed = steps.index(f"replace {STAGING}/new.events.csv events.csv") + 1
    assert stager(crashed, renamed + 1).returncode == -signal.SIGKILL
    assert (crashed / STAGING / "journal.json").exists()
    recovery = steps_of(shutil.copytree(crashed, tmp_path / "recovered"), "recover")
    assert snapshot(tmp_path / "recovered") == old

    for m in range(1, len(recovery) + 1):
        again = tmp_path / f"recover-{m}"
        shutil.copytree(crashed, again)

        assert stager(again, m, "recover").returncode == -signal.SIGKILL
        recover(again)
        assert snapshot(again) == old, recovery[m - 1]


# --- the outputs of the previous set that the new one does not write ---------------------------


def test_a_clean_export_after_a_quarantined_one_removes_the_stale_rejected_file(old_set):
    out, _ = old_set

    result = export_table(load_table(EVENTS_CSV), out, EVENTS)

    assert list(assert_whole_set(out)["outputs"]) == ["events.csv", "events.parquet", "events.xlsx"]
    assert result.removed == (out / "events.rejected.csv",)


def test_a_csv_only_export_after_a_full_one_removes_the_parquet_file_and_workbook(old_set):
    out, _ = old_set

    result = export_table(load_table(EVENTS_CSV), out, EVENTS, formats=("csv",))

    assert list(assert_whole_set(out)["outputs"]) == ["events.csv"]
    assert [p.name for p in result.removed] == [
        "events.parquet", "events.xlsx", "events.rejected.csv"
    ]  # fmt: skip


def test_another_table_exported_into_the_directory_replaces_the_previous_set(old_set, tmp_path):
    out, _ = old_set
    (out / "notes.txt").write_text("not an output\n")
    syria = table_file(tmp_path, "syria.csv", "iq-2024-001")

    result = export_table(load_table(syria), out, EVENTS)

    assert list(assert_whole_set(out, "notes.txt")["outputs"]) == [
        "syria.csv", "syria.parquet", "syria.xlsx"
    ]  # fmt: skip
    assert sorted(p.name for p in result.removed) == [
        "events.csv", "events.parquet", "events.rejected.csv", "events.xlsx"
    ]  # fmt: skip


def test_files_the_previous_manifest_lists_are_kept_when_changed_since_or_not_outputs(
    old_set, tmp_path
):
    out, _ = old_set
    with (out / "events.parquet").open("ab") as edited:
        edited.write(b"changed by hand\n")
    (out / "notes.doc").write_text("not an output\n")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"]["notes.doc"] = {
        "sha256": hashlib.sha256((out / "notes.doc").read_bytes()).hexdigest()
    }
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    result = export_table(load_table(table_file(tmp_path, "syria.csv", "iq-2024-001")), out, EVENTS)

    assert sorted(p.name for p in result.removed) == [
        "events.csv", "events.rejected.csv", "events.xlsx"
    ]  # fmt: skip
    assert_whole_set(out, "events.parquet", "notes.doc")


def test_the_input_is_never_removed_even_when_it_is_an_output_of_the_previous_set(old_set):
    out, before = old_set
    workbook = out / "events.xlsx"

    # the workbook holds the rejected rows too
    result = export_table(load_table(workbook), out, EVENTS, formats=("csv",), quarantine=True)

    assert workbook.read_bytes() == before["events.xlsx"]
    assert assert_whole_set(out, "events.xlsx")["input"]["path"] == str(workbook)
    assert [p.name for p in result.removed] == ["events.parquet"]


# --- what the next export finds ------------------------------------------------------------------


def test_a_journal_that_cannot_be_read_is_an_error_and_changes_nothing(old_set):
    out, _ = old_set
    (out / STAGING).mkdir()
    (out / STAGING / "journal.json").write_text('{"journal": "something else"}\n')
    before = snapshot(out)

    with pytest.raises(ExportError, match=r"journal.json: an interrupted export left a journal"):
        export_table(load_table(EVENTS_CSV), out, EVENTS)

    assert snapshot(out) == before


def test_a_staging_name_that_is_not_a_directory_is_an_error_and_changes_nothing(old_set):
    out, _ = old_set
    (out / STAGING).write_text("a file of the same name\n")
    before = snapshot(out)

    with pytest.raises(ExportError, match=r"not a staging directory the toolkit made"):
        export_table(load_table(EVENTS_CSV), out, EVENTS)

    assert snapshot(out) == before
