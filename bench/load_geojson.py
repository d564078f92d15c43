"""How long loading a large GeoJSON FeatureCollection takes, and how much memory it needs.

    python bench/load_geojson.py                 # 1,000,000 features, 3 runs per case
    python bench/load_geojson.py --rows 10000 --repeat 1

Makes the synthetic event table of `bench/generate.py` (clean, seed 1), writes the same rows
as GeoJSON (text properties, `fatalities`/`injured` as JSON numbers where they are plain
integers, the point from latitude/longitude, one feature per line as GDAL writes them), then
times each case in a fresh process and reads its peak RSS from `os.wait4`:

    read_csv       polars reading the CSV as text (the floor of `toolkit validate`)
    json_loads     Python's json parsing the GeoJSON document (the floor of the reader)
    load_csv       toolkit.load_table on the CSV
    load_geojson   toolkit.load_table on the GeoJSON

Prints medians of wall and CPU seconds (user + system, all threads: on a shared machine the
CPU time moves much less than the wall time), rows/s and peak memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
PY = sys.executable

CASES = {
    "read_csv": "import sys, polars as pl; pl.read_csv(sys.argv[1], infer_schema=False)",
    "json_loads": "import sys, json; json.loads(open(sys.argv[2], 'rb').read())",
    "load_csv": "import sys; from toolkit import load_table; load_table(sys.argv[1])",
    "load_geojson": "import sys; from toolkit import load_table; load_table(sys.argv[2])",
}


def make_data(rows: int, data_dir: Path) -> tuple[Path, Path]:
    data_dir.mkdir(parents=True, exist_ok=True)
    csv_path = data_dir / f"geojson-events-{rows}.csv"
    geojson_path = csv_path.with_suffix(".geojson")
    if not csv_path.exists():
        subprocess.run(
            [PY, str(HERE / "generate.py"), str(rows), "--seed", "1", str(csv_path)], check=True
        )
    if not geojson_path.exists():
        # in a child: a parent holding the table would lend its pages (and its peak RSS)
        # to every process it starts
        code = "import sys; sys.path.insert(0, sys.argv[1]); import load_geojson as b; "
        code += "b.write_geojson(*map(b.Path, sys.argv[2:]))"
        subprocess.run([PY, "-c", code, str(HERE), str(csv_path), str(geojson_path)], check=True)
    return csv_path, geojson_path


def write_geojson(csv_path: Path, out: Path) -> None:
    frame = pl.read_csv(csv_path, infer_schema=False)
    plain_int = r"^\d+$"
    properties = [
        pl.when(pl.col(c).str.contains(plain_int)).then(pl.col(c)).cast(pl.Int64).alias(c)
        if c in ("fatalities", "injured")
        else pl.col(c)
        for c in frame.columns
        if c not in ("latitude", "longitude")
    ]
    lat = pl.col("latitude").cast(pl.Float64, strict=False)
    lon = pl.col("longitude").cast(pl.Float64, strict=False)
    features = frame.select(
        type=pl.lit("Feature"),
        properties=pl.struct(properties),
        geometry=pl.when(lat.is_not_null() & lon.is_not_null()).then(
            pl.struct(type=pl.lit("Point"), coordinates=pl.concat_list(lon, lat))
        ),
    )
    lines = features.write_ndjson().splitlines()
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write('{"type": "FeatureCollection", "features": [\n')
        fh.write(",\n".join(lines))
        fh.write("\n]}\n")
    tmp.replace(out)


def run_once(code: str, *args: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one fresh process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([PY, "-c", code, *map(str, args)])
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"case failed: {code}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=HERE / "data")
    args = parser.parse_args()
    csv_path, geojson_path = make_data(args.rows, args.data_dir)
    print(
        f"{args.rows:,} rows; CSV {csv_path.stat().st_size / 2**20:,.0f} MiB, "
        f"GeoJSON {geojson_path.stat().st_size / 2**20:,.0f} MiB; load average "
        f"{os.getloadavg()[0]:.2f}"
    )
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in CASES}
    for _ in range(args.repeat):  # in rounds, so every case meets the same load
        for name, code in CASES.items():
            runs[name].append(run_once(code, csv_path, geojson_path))
    floor = statistics.median(s for s, _, _ in runs["read_csv"])
    cpu_floor = statistics.median(c for _, c, _ in runs["read_csv"])
    print(
        f"{'case':<14}{'median s':>10}{'rows/s':>12}{'cpu s':>8}{'peak MiB':>10}"
        f"{'x read_csv':>12}{'cpu x':>8}"
    )
    for name, measured in runs.items():
        seconds = statistics.median(s for s, _, _ in measured)
        cpu = statistics.median(c for _, c, _ in measured)
        peak = max(m for _, _, m in measured)
        print(
            f"{name:<14}{seconds:>10.2f}{args.rows / seconds:>12,.0f}{cpu:>8.2f}{peak:>10,.0f}"
            f"{seconds / floor:>12.2f}{cpu / cpu_floor:>8.2f}"
        )
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
