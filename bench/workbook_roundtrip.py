"""The editors' round trip in LibreOffice on a generated table, timed step by step.

    .venv/bin/python bench/workbook_roundtrip.py              # 100,000 rows (about 7 minutes)
    .venv/bin/python bench/workbook_roundtrip.py --rows 10000

The table (bench/generate.py) gets three broken rows and is exported with --quarantine; then
LibreOffice, driven headless, types the fixes, an edited row and a new row into the workbook
(through its input line, as a person types) and sorts the rows by event_id; the returned
workbook must validate and export the first clean CSV byte for byte with the edits applied
(the checks of tests/test_workbook_roundtrip.py). Needs LibreOffice and its Python bridge
(python3-uno); not part of `bench/run.py`.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "tests"))  # the round trip's checks and editor

from libreoffice import UNO_PYTHON, edit  # noqa: E402
from roundtrip import Scenario, check_returned, first_export  # noqa: E402

from toolkit import load_schema, load_table  # noqa: E402
from toolkit.schema import compile_schema  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    if UNO_PYTHON is None:
        print("LibreOffice or python3-uno is not installed", file=sys.stderr)
        return 2
    schema = compile_schema(load_schema())
    work = Path(tempfile.mkdtemp(prefix="bench-roundtrip-"))
    source = work / "generated.csv"
    subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), str(args.rows), "--seed", "7", str(source)],
        check=True,
        capture_output=True,
    )
    with source.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header, rows = list(reader.fieldnames or []), list(reader)
    n = len(rows)
    s = Scenario(
        header,
        rows,
        broken={1: ("source_date", "2024-02-30"), n // 2: ("status", "Occurred"), n - 2: ("date", "2024-13")},
        edits={n // 3: {"notes": "=1+1", "personnel": "2,500"}},
        new_row={**rows[0], "event_id": "007", "location": "+1"},
    )  # fmt: skip

    def step(name: str, started: float) -> float:
        now = time.perf_counter()
        print(f"{name:<55} {now - started:7.1f} s", flush=True)
        return now

    t = time.perf_counter()
    first = first_export(s, work, schema)
    t = step(f"export {n:,} rows with --quarantine (csv, parquet, xlsx)", t)
    returned = work / "returned.xlsx"
    actions: list[dict[str, object]] = [{"type": r, "text": v} for r, v in s.typing()]
    edit(first / "events.xlsx", returned, actions, work)
    t = step(f"LibreOffice: open, type {len(actions)} cells, save", t)
    sorted_book = work / "sorted.xlsx"
    edit(returned, sorted_book, [{"sort": f"A2:S{n + 2}", "column": 0, "descending": True}], work)
    t = step(f"LibreOffice: open, sort {n + 1:,} rows, save", t)
    order = load_table(sorted_book).frame.get_column("event_id").to_list()
    check_returned(s, sorted_book, first, work, schema, order=order)
    step("validate and export the returned workbook, compare", t)
    print("the returned workbook gives the first clean CSV byte for byte, with the edits")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
