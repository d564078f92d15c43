"""The benchmark: one command, every case, medians, peak memory, ratios and targets.

    .venv/bin/python bench/run.py                     # full run (several minutes)
    .venv/bin/python bench/run.py --rows 1000 --repeat 1            # smoke run
    .venv/bin/python bench/run.py --only 'floor_1m,validate_*'      # some cases

Each run of each case is a fresh subprocess; its wall time is measured around the process and
its peak RSS read from `os.wait4` (the rusage of that one child), so peaks are per run.
Case names carry the nominal sizes; `--rows N` scales them (1M cases -> N rows, 100k cases
-> N/10, 10k cases -> N/100) and the JSON records the actual row counts. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import importlib.metadata as md
import importlib.util
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

# The runner itself stays small (stdlib only; data generation and the schema build run in
# child processes): on Linux a child's peak RSS starts at the parent's RSS when it is forked,
# so a parent holding polars and a generated table would inflate every measured peak.
PY = sys.executable
SEED = 1
ERROR_RATE = 0.001
CHANGE_RATE = 0.01  # the diff case's NEW: this share of the 0.1%-error file's rows touched
MIB = 1024 * 1024
RUN_TIMEOUT_S = 3600

FLOOR_SCRIPT = """\
import sys
import polars as pl
df = pl.read_csv(sys.argv[1], infer_schema=False)
assert df.height > 0
"""

# The same cells the toolkit's workbook holds (full dates as dates, coordinates as numbers,
# everything else as text), dumped with openpyxl write-only mode: no styles, widths,
# dropdowns, comments or extra sheets.
OPENPYXL_SCRIPT = """\
import sys
import polars as pl
from openpyxl import Workbook
df = pl.read_csv(sys.argv[1], infer_schema=False).with_columns(
    pl.col("source_date").str.to_date(strict=False),
    pl.col("latitude", "longitude").cast(pl.Float64, strict=False),
)
wb = Workbook(write_only=True)
ws = wb.create_sheet("events")
ws.append(df.columns)
for row in df.iter_rows():
    ws.append(row)
wb.save(sys.argv[2])
"""


@dataclass
class Case:
    name: str
    size: str  # "1m", "100k" or "10k" (nominal)
    dataset: str  # key into the data sets
    kind: str  # floor | validate | export | openpyxl | frictionless | diff
    what: str
    ok_codes: tuple[int, ...] = (0,)
    to: str = ""


CASES = (
    Case("floor_1m", "1m", "errors", "floor", "polars read_csv, all columns as text (the floor)"),
    Case("validate_1m", "1m", "errors", "validate", "toolkit validate, 0.1% planted errors", (1,)),
    Case("floor_clean_1m", "1m", "clean", "floor", "polars read_csv of the clean file"),
    Case("validate_clean_1m", "1m", "clean", "validate", "toolkit validate, clean file"),
    Case("export_csv_parquet_1m", "1m", "clean", "export", "toolkit export --to csv,parquet", to="csv,parquet"),
    Case("export_xlsx_100k", "100k", "clean", "export", "toolkit export --to xlsx", to="xlsx"),
    Case("openpyxl_dump_100k", "100k", "clean", "openpyxl", "openpyxl write-only dump of the same cells, no styling"),
    Case("frictionless_100k", "100k", "errors", "frictionless", "frictionless validate, equivalent Table Schema", (0, 1)),
    Case("validate_100k", "100k", "errors", "validate", "toolkit validate, 0.1% planted errors", (1,)),
    Case("validate_10k", "10k", "errors", "validate", "toolkit validate, 0.1% planted errors", (1,)),
    Case("pathological_1m", "1m", "pathological", "validate", "toolkit validate, every row breaks two rules", (1,)),
    Case("diff_1m", "1m", "changed", "diff", "toolkit diff of the 0.1%-error file and a copy with 1% of rows changed", (1,)),
)  # fmt: skip
CASE_NAMES = tuple(c.name for c in CASES)


@dataclass
class Result:
    case: Case
    rows: int
    file: str
    times: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)
    error: str | None = None
    skipped: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times and not self.error else None

    @property
    def peak_mib(self) -> float | None:
        return max(self.rss_kib) / 1024 if self.rss_kib and not self.error else None

    @property
    def rows_per_s(self) -> float | None:
        m = self.median
        return self.rows / m if m else None


# ---------------------------------------------------------------- data


def sizes(rows: int) -> dict[str, int]:
    """Actual row counts for the nominal sizes."""
    return {"1m": rows, "100k": max(rows // 10, 10), "10k": max(rows // 100, 10)}


def data_file(data_dir: Path, dataset: str, rows: int) -> Path:
    if dataset == "errors":
        return data_dir / f"events-{rows}-s{SEED}-e{ERROR_RATE}.csv"
    if dataset == "clean":
        return data_dir / f"events-{rows}-s{SEED}-clean.csv"
    if dataset == "changed":
        return data_dir / f"events-{rows}-s{SEED}-e{ERROR_RATE}-c{CHANGE_RATE}.csv"
    return data_dir / f"pathological-{rows}-s{SEED}.csv"


def ensure_data(data_dir: Path, dataset: str, rows: int) -> Path:
    path = data_file(data_dir, dataset, rows)
    cmd = [PY, str(BENCH / "generate.py"), str(rows), str(path), "--seed", str(SEED)]
    if dataset == "errors":
        cmd += ["--error-rate", str(ERROR_RATE)]
    elif dataset == "changed":  # a diff compares it with the errors file: make that one too
        ensure_data(data_dir, "errors", rows)
        cmd += ["--error-rate", str(ERROR_RATE), "--change-rate", str(CHANGE_RATE)]
    elif dataset == "pathological":
        cmd += ["--pathological"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"bench: generating {path} failed:\n{proc.stderr}")
    if proc.stdout.startswith("wrote"):
        print(f"  {proc.stdout.strip()}")
    return path


# ---------------------------------------------------------------- frictionless schema

EDTF_SIDE = r"(?:\.\.|\d{4}(?:-\d{2}(?:-\d{2})?)?[~?%]?)"
COUNT_PATTERN = r"^(?:~\s*N|N\s*\+|<=\s*N|N\s*-\s*N|N)$".replace("N", r"(?:\d{1,3}(?:,\d{3})+|\d+)")


def frictionless_schema() -> dict:
    """A Table Schema equivalent to schemas/events.yaml's column rules (the table rules --
    coordinate pairs, point in country, date after source date -- have no Table Schema form)."""
    import pycountry
    import yaml

    with (ROOT / "schemas" / "events.yaml").open(encoding="utf-8") as fh:
        spec = yaml.safe_load(fh)
    fields = []
    for col in spec["columns"]:
        kind = col["kind"]
        constraints: dict = {}
        f: dict = {"name": col["name"], "type": "string"}
        if col.get("required") is True:
            constraints["required"] = True
        if col.get("unique"):
            constraints["unique"] = True
        if "max_length" in col:
            constraints["maxLength"] = col["max_length"]
        if "pattern" in col:
            constraints["pattern"] = col["pattern"]
        if kind == "fuzzy_date":
            constraints["pattern"] = rf"^{EDTF_SIDE}(?:/{EDTF_SIDE})?$"
        elif kind == "vocabulary":
            constraints["enum"] = list(col["values"])
        elif kind == "country":
            constraints["enum"] = sorted(c.alpha_3 for c in pycountry.countries)
        elif kind == "subdivision":
            constraints["pattern"] = r"^[A-Z]{2}-[A-Z0-9]{1,3}$"
        elif kind in ("latitude", "longitude"):
            f["type"] = "number"
            limit = 90 if kind == "latitude" else 180
            constraints.update(minimum=-limit, maximum=limit)
        elif kind == "fuzzy_count":
            constraints["pattern"] = COUNT_PATTERN
        elif kind == "url":
            constraints["pattern"] = r"^https?://[^\s/?#@]+\.[^\s/?#@]+(?::\d+)?(?:[/?#]\S*)?$"
        elif kind == "date":
            f["type"] = "date"
        if constraints:
            f["constraints"] = constraints
        fields.append(f)
    return {"fields": fields, "missingValues": [""]}


def write_frictionless_schema(path: Path) -> None:
    text = json.dumps(frictionless_schema(), indent=1, ensure_ascii=False) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def ensure_frictionless_schema(path: Path) -> Path:
    """Write the Table Schema in a child process (pycountry and yaml stay out of the runner)."""
    proc = subprocess.run(
        [PY, __file__, "--write-frictionless-schema", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"bench: writing {path} failed:\n{proc.stderr}")
    return path


# ---------------------------------------------------------------- running


def command(case: Case, path: Path, work: Path, schema_json: Path, rows: int) -> list[str]:
    if case.kind == "diff":  # NEW is the changed copy of the errors file, which is OLD
        old = data_file(path.parent, "errors", rows)
        return [PY, "-m", "toolkit", "diff", str(old), str(path)]
    if case.kind == "floor":
        return [PY, "-c", FLOOR_SCRIPT, str(path)]
    if case.kind == "validate":
        return [PY, "-m", "toolkit", "validate", str(path)]
    if case.kind == "export":
        return [
            PY,
            "-m",
            "toolkit",
            "export",
            str(path),
            "--out",
            str(work / "out"),
            "--to",
            case.to,
        ]
    if case.kind == "openpyxl":
        return [PY, "-c", OPENPYXL_SCRIPT, str(path), str(work / "dump.xlsx")]
    if case.kind == "frictionless":
        exe = Path(PY).with_name("frictionless")
        return [str(exe), "validate", str(path), "--schema", str(schema_json), "--json",
                "--trusted", "--limit-errors", "100000000"]  # fmt: skip
    raise ValueError(case.kind)


def run_once(cmd: list[str], work: Path) -> tuple[float, int, int, str]:
    """Wall seconds, peak RSS (KiB), exit code and the tail of stderr of one fresh process."""
    out = (work / "stdout").open("wb")
    err = (work / "stderr").open("wb")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=work)
    timer = threading.Timer(RUN_TIMEOUT_S, lambda: os.kill(proc.pid, signal.SIGKILL))
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen
    out.close()
    err.close()
    tail = (work / "stderr").read_text(encoding="utf-8", errors="replace")[-800:]
    return seconds, usage.ru_maxrss, proc.returncode, tail


def run_round(result: Result, path: Path, schema_json: Path) -> None:
    """One more timed run of `result.case`, recorded in `result` (a failure stops the case)."""
    case = result.case
    work = Path(tempfile.mkdtemp(prefix=f"bench-{case.name}-"))
    try:
        seconds, rss, code, tail = run_once(
            command(case, path, work, schema_json, result.rows), work
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result.codes.append(code)
    if code not in case.ok_codes:
        result.error = f"exit {code} (expected {case.ok_codes}): {tail.strip()}"
        return
    result.times.append(seconds)
    result.rss_kib.append(rss)


# ---------------------------------------------------------------- ratios and targets


def ratios_and_targets(res: dict[str, Result]) -> tuple[list[dict], list[dict]]:
    def med(name: str) -> float | None:
        r = res.get(name)
        return r.median if r else None

    def peak(name: str) -> float | None:
        r = res.get(name)
        return r.peak_mib if r else None

    def rps(name: str) -> float | None:
        r = res.get(name)
        return r.rows_per_s if r else None

    def div(a: float | None, b: float | None) -> float | None:
        return a / b if a is not None and b else None

    ratios = [
        ("validate_vs_floor", "validate_1m / floor_1m", div(med("validate_1m"), med("floor_1m"))),
        ("validate_clean_vs_floor", "validate_clean_1m / floor_clean_1m", div(med("validate_clean_1m"), med("floor_clean_1m"))),
        ("export_csv_parquet_vs_floor", "export_csv_parquet_1m / floor_clean_1m", div(med("export_csv_parquet_1m"), med("floor_clean_1m"))),
        ("xlsx_vs_openpyxl_dump", "export_xlsx_100k / openpyxl_dump_100k", div(med("export_xlsx_100k"), med("openpyxl_dump_100k"))),
        ("speedup_vs_frictionless", "rows/s validate_1m / rows/s frictionless_100k", div(rps("validate_1m"), rps("frictionless_100k"))),
        ("speedup_vs_frictionless_same_file", "frictionless_100k / validate_100k (same 100k file, startup included)", div(med("frictionless_100k"), med("validate_100k"))),
        ("scaling_100k_vs_10k", "validate_100k / validate_10k", div(med("validate_100k"), med("validate_10k"))),
        ("scaling_1m_vs_100k", "validate_1m / validate_100k", div(med("validate_1m"), med("validate_100k"))),
        ("pathological_vs_clean", "pathological_1m / validate_clean_1m", div(med("pathological_1m"), med("validate_clean_1m"))),
        ("diff_vs_validate", "diff_1m / validate_1m (diff validates both versions)", div(med("diff_1m"), med("validate_1m"))),
    ]  # fmt: skip
    values = {k: v for k, _, v in ratios}
    targets = [
        ("validate 1M <= 5x floor", values["validate_vs_floor"], "<=", 5.0, "x"),
        ("validate >= 50x faster than frictionless (rows/s)", values["speedup_vs_frictionless"], ">=", 50.0, "x"),
        ("export csv+parquet 1M <= 8x floor", values["export_csv_parquet_vs_floor"], "<=", 8.0, "x"),
        ("xlsx 100k no slower than openpyxl write-only dump", values["xlsx_vs_openpyxl_dump"], "<=", 1.0, "x"),
        ("validate 1M peak RSS <= 1.5 GiB", peak("validate_1m"), "<=", 1536.0, "MiB"),
        ("pathological 1M peak RSS <= 2 GiB", peak("pathological_1m"), "<=", 2048.0, "MiB"),
        ("pathological 1M <= 3x clean validate", values["pathological_vs_clean"], "<=", 3.0, "x"),
        ("validate 1M <= 12x the 100k time", values["scaling_1m_vs_100k"], "<=", 12.0, "x"),
        ("diff 1M (1% changed) <= 2.5x one validate", values["diff_vs_validate"], "<=", 2.5, "x"),
    ]  # fmt: skip
    ratio_rows = [{"name": k, "definition": d, "value": v} for k, d, v in ratios]
    target_rows = []
    for name, value, op, limit, unit in targets:
        passed = None if value is None else (value <= limit if op == "<=" else value >= limit)
        target_rows.append(
            {"target": name, "value": value, "op": op, "limit": limit, "unit": unit, "pass": passed}
        )
    return ratio_rows, target_rows


# ---------------------------------------------------------------- reporting


def machine_info() -> dict:
    def version(dist: str) -> str | None:
        try:
            return md.version(dist)
        except md.PackageNotFoundError:
            return None

    cpu = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    with contextlib.suppress(ValueError, OSError):
        mem = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": cpu,
        "memory_gib": mem,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": {
            d: version(d)
            for d in ("polars", "pandera", "numpy", "pyarrow", "openpyxl", "frictionless")
        },
        "toolkit_commit": commit or None,
        "load_average_start": list(os.getloadavg()),
    }


def fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def print_results(results: dict[str, Result], ratios: list[dict], targets: list[dict]) -> None:
    print()
    head = (
        f"{'case':<24}{'rows':>11}{'median s':>10}{'rows/s':>12}{'peak MiB':>10}{'runs':>6}  exit"
    )
    print(head)
    print("-" * len(head))
    for r in results.values():
        if r.skipped:
            print(f"{r.case.name:<24}{r.rows:>11,}  skipped: {r.skipped}")
            continue
        codes = ",".join(str(c) for c in sorted(set(r.codes)))
        print(
            f"{r.case.name:<24}{r.rows:>11,}{fmt(r.median, '.2f'):>10}{fmt(r.rows_per_s, ',.0f'):>12}"
            f"{fmt(r.peak_mib, ',.0f'):>10}{len(r.times):>6}  {codes}"
        )
        if r.error:
            print(f"    FAILED: {r.error}")
    print()
    print("ratios")
    for row in ratios:
        print(f"  {row['name']:<36}{fmt(row['value'], '8.2f')}   ({row['definition']})")
    print()
    print("targets")
    for t in targets:
        mark = "n/a " if t["pass"] is None else ("PASS" if t["pass"] else "FAIL")
        value = fmt(t["value"], ",.2f" if t["unit"] == "x" else ",.0f")
        print(f"  {mark}  {t['target']:<52}{value:>10} {t['unit']:<3} ({t['op']} {t['limit']:g})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the 1M cases (100k cases get N/10, 10k cases N/100)")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (median reported)")
    parser.add_argument(
        "--only", action="append", default=[], help="case names or patterns, comma-separated (repeatable)"
    )  # fmt: skip
    parser.add_argument("--data-dir", type=Path, default=BENCH / "data")
    parser.add_argument("--json", type=Path, default=BENCH / "results" / "latest.json")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--write-frictionless-schema", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.write_frictionless_schema:
        write_frictionless_schema(args.write_frictionless_schema)
        return 0
    if args.list:
        for c in CASES:
            print(f"{c.name:<24}{c.what}")
        return 0
    if args.rows < 10 or args.repeat < 1:
        parser.error("--rows must be >= 10 and --repeat >= 1")
    patterns = [p.strip() for group in args.only for p in group.split(",") if p.strip()]
    chosen = [c for c in CASES if not patterns or any(fnmatch.fnmatch(c.name, p) for p in patterns)]
    if not chosen:
        parser.error(f"--only matches no case; cases: {', '.join(CASE_NAMES)}")

    n = sizes(args.rows)
    info = machine_info()
    print(
        f"bench: {len(chosen)} case(s), 1M cases = {n['1m']:,} rows, 100k = {n['100k']:,}, "
        f"10k = {n['10k']:,}, {args.repeat} run(s) each; {info['cores']} cores, "
        f"python {info['python']}, polars {info['versions']['polars']}, "
        f"pandera {info['versions']['pandera']}"
    )
    schema_json = ensure_frictionless_schema(BENCH / "frictionless-schema.json")
    has_frictionless = importlib.util.find_spec("frictionless") is not None

    results: dict[str, Result] = {}
    paths: dict[str, Path] = {}
    started = time.perf_counter()
    for case in chosen:
        rows = n[case.size]
        if case.kind == "frictionless" and not has_frictionless:
            msg = "frictionless is not importable (pip install 'frictionless>=5,<6' into the venv)"
            print(f"- {case.name}: skipped: {msg}")
            results[case.name] = Result(case, rows, "", skipped=msg)
            continue
        paths[case.name] = ensure_data(args.data_dir, case.dataset, rows)
        results[case.name] = Result(case, rows, str(paths[case.name]))
    # Rounds, not one case after another: every round runs each case once, so the two sides
    # of a ratio (validate and the floor) are timed minutes apart at most, under the same load.
    for round_no in range(1, args.repeat + 1):
        for name, path in paths.items():
            if not results[name].error:
                run_round(results[name], path, schema_json)
        print(f"- round {round_no}/{args.repeat} done ({time.perf_counter() - started:.0f} s)")
    for name in paths:
        result = results[name]
        status = (
            result.error
            or f"median {fmt(result.median, '.2f')} s, peak {fmt(result.peak_mib, ',.0f')} MiB"
        )
        print(f"- {name} ({result.rows:,} rows): {status}")

    ratios, targets = ratios_and_targets(results)
    print_results(results, ratios, targets)
    info["load_average_end"] = list(os.getloadavg())
    payload = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": [Path(a).name if i == 0 else a for i, a in enumerate(sys.argv)],
        "seconds_total": round(time.perf_counter() - started, 1),
        "machine": info,
        "params": {
            "rows": args.rows,
            "sizes": n,
            "repeat": args.repeat,
            "seed": SEED,
            "error_rate": ERROR_RATE,
            "change_rate": CHANGE_RATE,
        },
        "runner_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "cases": {
            name: {
                "what": r.case.what,
                "rows": r.rows,
                "file": Path(r.file).name if r.file else None,
                "times_s": [round(t, 4) for t in r.times],
                "median_s": r.median,
                "rows_per_s": r.rows_per_s,
                "peak_rss_mib": r.peak_mib,
                "exit_codes": r.codes,
                "error": r.error,
                "skipped": r.skipped,
            }
            for name, r in results.items()
        },
        "ratios": ratios,
        "targets": targets,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 1 if any(r.error for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
