"""The editors' workbook at Excel's size: time and peak memory of `toolkit export --to xlsx`
for as many rows as a sheet holds (1,048,575 below the header), against the same export of
100,000 rows in the same run.

    .venv/bin/python bench/workbook_size.py                 # 100k and 1,048,575 rows (minutes)
    .venv/bin/python bench/workbook_size.py --rows 200000   # a smaller big case

Both tables come from bench/generate.py with 0.1% rows broken and are exported with
--quarantine, so the workbook has everything an editor gets: rows with errors, highlights,
comments, links both ways, the Issues sheet. Each run is a fresh process (wall time around it,
peak RSS from os.wait4). Not part of `bench/run.py`: the big case takes minutes.
Targets: the big case in at most 12 times the 100k time, in at most 2 GiB.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BENCH, PY, run_once

EXCEL_ROWS = 1_048_575
SEED = 1
ERROR_RATE = 0.001
MIB = 1024 * 1024


def table(data_dir: Path, rows: int) -> Path:
    path = data_dir / f"events-{rows}-s{SEED}-e{ERROR_RATE}.csv"
    done = run_once(
        [PY, str(BENCH / "generate.py"), str(rows), str(path), "--seed", str(SEED),
         "--error-rate", str(ERROR_RATE)],
        data_dir,
    )  # fmt: skip
    if done[2] != 0:
        raise SystemExit(f"generating {path} failed: {done[3]}")
    return path


def export(path: Path, repeat: int) -> tuple[float, float, int]:
    """Median seconds, peak MiB and the workbook's size of `toolkit export --to xlsx`."""
    times, peaks, size = [], [], 0
    for _ in range(repeat):
        work = Path(tempfile.mkdtemp(prefix="bench-workbook-"))
        try:
            cmd = [PY, "-m", "toolkit", "export", str(path), "--out", str(work / "out"),
                   "--to", "xlsx", "--quarantine"]  # fmt: skip
            seconds, rss_kib, code, tail = run_once(cmd, work)
            if code != 0:
                raise SystemExit(f"export of {path.name} failed ({code}): {tail}")
            times.append(seconds)
            peaks.append(rss_kib / 1024)
            size = (work / "out" / f"{path.stem}.xlsx").stat().st_size
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return statistics.median(times), max(peaks), size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=EXCEL_ROWS, help="rows of the big case")
    parser.add_argument("--repeat", type=int, default=1, help="runs per case (median)")
    parser.add_argument("--data-dir", type=Path, default=BENCH / "data")
    args = parser.parse_args(argv)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    results = {}
    for rows in (100_000, args.rows):
        seconds, peak, size = export(table(args.data_dir, rows), args.repeat)
        results[rows] = seconds
        print(
            f"export xlsx {rows:>9,} rows: {seconds:7.1f} s  {rows / seconds:>9,.0f} rows/s  "
            f"peak {peak:7,.0f} MiB  workbook {size / MIB:6.1f} MiB",
            flush=True,
        )
        if rows != 100_000:
            ratio = seconds / results[100_000]
            print(
                f"{rows:,} rows / 100,000 rows: {ratio:.2f}x (target <= 12x); "
                f"peak {peak / 1024:.2f} GiB (target <= 2 GiB)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
