"""How fast the fuzzy-date and fuzzy-count parsers are on a million values.

    python bench/parse_fuzzy.py                    # 1,000,000 values, median of 5 runs
    python bench/parse_fuzzy.py --rows 100000 --repeat 3
    PYTHONPATH=../other-checkout python bench/parse_fuzzy.py   # the same for other code

Two columns of each kind: one as event tables have it (the `date` and `personnel` forms of
`bench/generate.py`'s distribution, few distinct values, so `per_distinct` parses each once),
and one where every value is distinct (the parser runs on the whole column). The values are
made here with numpy from a fixed seed, so every run and every checkout parses the same
text. Prints, per case, the median wall seconds, values/s, and the median CPU seconds of the
process (all threads): on a shared machine the CPU time moves much less than the wall time
when neighbours are busy, so compare that one between checkouts. And which toolkit was
imported.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import polars as pl

import toolkit
from toolkit.fuzzy import parse_count, parse_fuzzy_date


def _days(rng: np.random.Generator, n: int) -> pl.Series:
    start = np.datetime64("1900-01-01")
    offsets = rng.integers(0, 365 * 200, n)
    return pl.Series((start + offsets).astype("datetime64[D]")).dt.to_string("%Y-%m-%d")


def date_columns(rows: int, seed: int) -> dict[str, pl.Series]:
    rng = np.random.default_rng(seed)
    day = _days(rng, rows)
    later = _days(rng, rows)
    forms = rng.integers(0, 10, rows)
    frame = pl.DataFrame({"day": day, "later": later, "form": forms})
    q = pl.Series(rng.choice(["", "", "", "~", "?", "%"], rows))
    text = frame.select(
        pl.when(pl.col("form") == 0)
        .then(pl.col("day").str.slice(0, 7))  # month
        .when(pl.col("form") == 1)
        .then(pl.col("day").str.slice(0, 4))  # year
        .when(pl.col("form") == 2)
        .then(pl.concat_str([pl.col("day"), pl.lit(q), pl.lit("/"), pl.col("later")]))
        .when(pl.col("form") == 3)
        .then(pl.concat_str([pl.lit("../"), pl.col("day").str.slice(0, 7)]))
        .when(pl.col("form") == 4)
        .then(pl.concat_str([pl.col("day"), pl.lit("/..")]))
        .otherwise(pl.concat_str([pl.col("day"), pl.lit(q)]))
    ).to_series()
    # as tables have them: a few thousand distinct dates, each repeated
    repeated = text.head(max(rows // 250, 1)).sample(rows, with_replacement=True, seed=seed)
    return {"dates_repeated": repeated, "dates_distinct": text}


def count_columns(rows: int, seed: int) -> dict[str, pl.Series]:
    rng = np.random.default_rng(seed)
    low = rng.integers(0, 10**7, rows)
    high = low + rng.integers(0, 10**6, rows)
    form = rng.integers(0, 6, rows)
    frame = pl.DataFrame({"low": low, "high": high, "form": form})
    lo, hi = pl.col("low").cast(pl.String), pl.col("high").cast(pl.String)
    text = frame.select(
        pl.when(pl.col("form") == 0)
        .then(pl.concat_str([pl.lit("~"), lo]))
        .when(pl.col("form") == 1)
        .then(pl.concat_str([lo, pl.lit("+")]))
        .when(pl.col("form") == 2)
        .then(pl.concat_str([pl.lit("<="), hi]))
        .when(pl.col("form") == 3)
        .then(pl.concat_str([lo, pl.lit("-"), hi]))
        .otherwise(lo)
    ).to_series()
    repeated = text.head(max(rows // 500, 1)).sample(rows, with_replacement=True, seed=seed)
    return {"counts_repeated": repeated, "counts_distinct": text}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    cases = {
        **{k: (parse_fuzzy_date, v) for k, v in date_columns(args.rows, args.seed).items()},
        **{k: (parse_count, v) for k, v in count_columns(args.rows, args.seed).items()},
    }
    print(f"toolkit from {toolkit.__file__}; {args.rows:,} values per case")
    print(f"{'case':<18}{'distinct':>10}{'median s':>10}{'values/s':>14}{'cpu s':>8}")
    for name, (parse, values) in cases.items():
        frame = values.rename("v").to_frame()
        wall, cpu = [], []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            frame.select(parse(pl.col("v")))
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        seconds = statistics.median(wall)
        print(
            f"{name:<18}{values.n_unique():>10,}{seconds:>10.3f}{args.rows / seconds:>14,.0f}"
            f"{statistics.median(cpu):>8.2f}"
        )


if __name__ == "__main__":
    main()
