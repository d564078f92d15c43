"""Country and subdivision names: the cost of the first call, and of each distinct value after.

    python bench/places_names.py

Callers resolve each distinct value of a column once. The first call loads pycountry's data
and country_converter's table (and compiles its patterns); later calls are cache lookups for
values seen before and a dictionary lookup, or a pass over the patterns, for new ones.
Measured in a fresh interpreter each, so no cache is warm.
"""

from __future__ import annotations

import subprocess
import sys

_FIRST = """
import time
t = time.perf_counter()
from toolkit.places import codes
t1 = time.perf_counter()
codes.country_code("Central African Republic", frozenset({"name"}))
t2 = time.perf_counter()
codes.subdivision_code("Ouaka province", "CAF", frozenset({"name"}))
t3 = time.perf_counter()
codes.country_hint("Untied States")
t4 = time.perf_counter()
print(f"import toolkit.places.codes: {t1 - t:.3f}s")
print(f"first country_code (name): {t2 - t1:.3f}s")
print(f"first subdivision_code (name): {t3 - t2:.3f}s")
print(f"first country_hint: {t4 - t3:.3f}s")
"""

_DISTINCT = """
import time
from toolkit.places import codes
names = frozenset({"name"})
codes.country_code("Iraq", names); codes.subdivision_code("Ouaka", "CAF", names)
codes.country_hint("Irak")
base = [c.name for c in codes.countries().values()]
values = [f"{n}{suffix}" for n in base for suffix in ("", " ", "x", ", Rep.")]
t = time.perf_counter()
found = sum(codes.country_code(v, names) is not None for v in values)
t1 = time.perf_counter()
print(f"country_code, {len(values):,} distinct values: {t1 - t:.3f}s "
      f"({(t1 - t) / len(values) * 1e6:.0f} us each; {found:,} recognised)")
misses = [v for v in values if codes.country_code(v, names) is None]
t = time.perf_counter()
for v in misses:
    codes.country_hint(v)
t1 = time.perf_counter()
print(f"country_hint, {len(misses):,} unrecognised values: {t1 - t:.3f}s "
      f"({(t1 - t) / max(len(misses), 1) * 1e3:.1f} ms each)")
subs = [s.name + suffix for s in codes.subdivisions().values() for suffix in ("", " province")]
t = time.perf_counter()
got = sum(codes.subdivision_code(v, None, names) is not None for v in subs)
t1 = time.perf_counter()
print(f"subdivision_code (no country), {len(subs):,} distinct values: {t1 - t:.3f}s "
      f"({got:,} recognised)")
"""


def main() -> None:
    for script in (_FIRST, _DISTINCT):
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
        print(out.stdout, end="")


if __name__ == "__main__":
    main()
