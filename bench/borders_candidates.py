"""Point-in-country: accuracy of the candidate data sets on real events, and speed of ours.

    python bench/borders_candidates.py [--points 1000000]

Accuracy uses ../shared/data (UCDP GED 23.1 events in the Central African Republic, all CAF;
Washington Post school shootings, all USA) and is skipped when that folder is absent.
Candidates other than ours are measured only when their package is installed
(countryinfo, reverse_geocoder, timezonefinder, geo-intel-offline); the rest is skipped.
Speed: `check_in_country` on random points inside 60 countries, 1% of them named wrongly.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.resources
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pycountry
import shapely

from toolkit.places import borders

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
TOLERANCES_KM = (0.0, 1.0, borders.DEFAULT_TOLERANCE_KM, 5.0)

# 60 countries, news-heavy and of all sizes and shapes (coasts, islands, enclaves).
_SPEED = """
AFG AGO ARE ARG AUS AZE BGD BRA CAF CAN CHN COD COL CUB DEU EGY ESP ETH FRA GBR GRC HTI IDN
IND IRN IRQ ISR ITA JPN KEN KOR LBN LBY MEX MLI MMR MOZ NER NGA NOR NZL PAK PER PHL POL PRK
PSE RUS SAU SDN SOM SSD SYR TUR TWN UKR USA VEN YEM ZAF
"""
SPEED_COUNTRIES = tuple(_SPEED.split())


def load_points() -> dict[str, tuple[str, np.ndarray, np.ndarray]]:
    """name -> (iso3, lat, lon) of the real tables."""
    out = {}
    ucdp = DATA / "ucdp-ged-23.1-central-african-republic.geojson"
    if ucdp.exists():
        feats = json.loads(ucdp.read_text("utf-8"))["features"]
        xy = np.array([f["geometry"]["coordinates"][:2] for f in feats], dtype=np.float64)
        out["UCDP CAF"] = ("CAF", xy[:, 1], xy[:, 0])
    wapo = DATA / "wapo-school-shootings.csv"
    if wapo.exists():
        with wapo.open(encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh) if r["lat"].strip() and r["long"].strip()]
        out["WaPo USA"] = (
            "USA",
            np.array([float(r["lat"]) for r in rows]),
            np.array([float(r["long"]) for r in rows]),
        )
    return out


# --- candidates: each returns accepted counts per tolerance (None where not applicable) ----------

Result = dict[float, int | None]


def ours(iso3: str, lat: np.ndarray, lon: np.ndarray) -> Result:
    codes = np.full(lat.size, iso3, dtype=object)
    return {km: int(borders.check_in_country(codes, lat, lon, km).ok.sum()) for km in TOLERANCES_KM}


def _polygon_result(geom: shapely.Geometry, lat: np.ndarray, lon: np.ndarray) -> Result:
    shapely.prepare(geom)
    inside = shapely.contains_xy(geom, lon, lat)
    out: Result = {}
    t = np.linspace(0, 2 * np.pi, 25)
    for km in TOLERANCES_KM:
        if km == 0:
            out[km] = int(inside.sum())
            continue
        dlon = km / (111.32 * np.cos(np.radians(lat)))
        discs = shapely.polygons(
            np.stack(
                [lon[:, None] + np.cos(t) * dlon[:, None], lat[:, None] + np.sin(t) * km / 110.574],
                axis=-1,
            )
        )
        out[km] = int((inside | shapely.intersects(geom, discs)).sum())
    return out


def countryinfo_outlines(iso3: str, lat: np.ndarray, lon: np.ndarray) -> Result:
    from countryinfo import CountryInfo
    from shapely.geometry import shape

    gj = CountryInfo(iso3).geo_json()
    return _polygon_result(shape(gj["features"][0]["geometry"]), lat, lon)


def geo_intel_offline(iso3: str, lat: np.ndarray, lon: np.ndarray) -> Result:
    files = importlib.resources.files("geo_intel_offline") / "data"
    meta = json.loads(gzip.decompress(files.joinpath("metadata.json.gz").read_bytes()))
    polys = json.loads(gzip.decompress(files.joinpath("polygons.json.gz").read_bytes()))
    rings = []
    for key, m in meta.items():
        if m.get("iso3") == iso3:
            p = polys[key]
            for ext in p.get("exteriors") or [p["exterior"]]:
                rings.append(shapely.Polygon([(c[1], c[0]) for c in ext]))
    return _polygon_result(shapely.union_all(shapely.make_valid(np.array(rings))), lat, lon)


def reverse_geocoder_city(iso3: str, lat: np.ndarray, lon: np.ndarray) -> Result:
    import reverse_geocoder

    to2 = pycountry.countries.get(alpha_3=iso3).alpha_2
    res = reverse_geocoder.search(list(zip(lat.tolist(), lon.tolist(), strict=True)), verbose=False)
    return {0.0: sum(r["cc"] == to2 for r in res)}


def timezonefinder_zone(iso3: str, lat: np.ndarray, lon: np.ndarray) -> Result:
    from timezonefinder import TimezoneFinder

    tab = importlib.resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text("utf-8")
    zone_cc = {
        p[2]: p[0]
        for p in (ln.split("\t") for ln in tab.splitlines())
        if len(p) > 2 and not p[0].startswith("#")
    }
    to2 = pycountry.countries.get(alpha_3=iso3).alpha_2
    tf = TimezoneFinder()
    zones = [tf.timezone_at(lng=x, lat=y) for y, x in zip(lat.tolist(), lon.tolist(), strict=True)]
    return {0.0: sum(zone_cc.get(z or "") == to2 for z in zones)}


CANDIDATES: dict[str, Callable[[str, np.ndarray, np.ndarray], Result]] = {
    "ours: borders.npz (OSM via timezonefinder-data, 110 m)": ours,
    "timezonefinder full-res zone -> zone.tab": timezonefinder_zone,
    "geo-intel-offline (Natural Earth, ~500 m)": geo_intel_offline,
    "countryinfo outlines (Natural Earth 110m-like)": countryinfo_outlines,
    "reverse_geocoder nearest city": reverse_geocoder_city,
}


def accuracy() -> None:
    tables = load_points()
    if not tables:
        print(f"accuracy: skipped ({DATA} absent)")
        return
    head = "  ".join(f"{'in' if km == 0 else f'<={km:g}km':>8}" for km in TOLERANCES_KM)
    for name, (iso3, lat, lon) in tables.items():
        print(f"\n{name}: {lat.size} points, all in {iso3}\n  {'candidate':56s}{head}")
        for cand, fn in CANDIDATES.items():
            try:
                res = fn(iso3, lat, lon)
            except ImportError as exc:
                print(f"  {cand:56s}skipped (not installed: {exc.name})")
                continue
            cells = "  ".join(
                f"{res[km]:>8}" if res.get(km) is not None else f"{'-':>8}" for km in TOLERANCES_KM
            )
            print(f"  {cand:56s}{cells}")


def random_points(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n points spread over SPEED_COUNTRIES, each inside its country; returns (iso3, lat, lon)."""
    b = borders._load()
    rng = np.random.default_rng(seed)
    per = n // len(SPEED_COUNTRIES) + 1
    codes, lats, lons = [], [], []
    for iso3 in SPEED_COUNTRIES:
        k = b.code_index[iso3]
        piece_cells = (
            np.searchsorted(b.cell_start, np.flatnonzero(b.piece_country == k), side="right") - 1
        )
        cells = np.union1d(np.flatnonzero(b.grid == k), piece_cells)
        got_lat, got_lon = np.empty(0), np.empty(0)
        while got_lat.size < per:
            c = rng.choice(cells, size=per * 2)
            x = (c // b.nrow) * b.cell_deg - 180 + rng.random(c.size) * b.cell_deg
            y = (c % b.nrow) * b.cell_deg - 90 + rng.random(c.size) * b.cell_deg
            keep = borders.locate(y, x) == iso3
            got_lat, got_lon = np.append(got_lat, y[keep]), np.append(got_lon, x[keep])
        codes.append(np.full(per, iso3, dtype=object))
        lats.append(got_lat[:per])
        lons.append(got_lon[:per])
    order = rng.permutation(per * len(SPEED_COUNTRIES))[:n]
    return (np.concatenate(codes)[order], np.concatenate(lats)[order], np.concatenate(lons)[order])


def speed(n: int) -> None:
    codes, lat, lon = random_points(n)
    wrong = np.random.default_rng(1).random(n) < 0.01
    codes = codes.copy()
    codes[wrong] = np.roll(codes[wrong], 1)  # another of the 60 countries, mostly far away
    lat[:1000] = np.nan  # a few missing coordinates
    for label, fn in (
        ("locate", lambda: borders.locate(lat, lon)),
        ("check_in_country", lambda: borders.check_in_country(codes, lat, lon)),
    ):
        best = min(_timed(fn) for _ in range(3))
        print(f"{label}: {n:,} points in {len(SPEED_COUNTRIES)} countries: {best:.2f}s")
    res = borders.check_in_country(codes, lat, lon)
    print(f"  not ok: {int((~res.ok).sum()):,} (named wrongly: {int(wrong.sum()):,})")


def _timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=1_000_000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    source = borders.data_source()  # loads borders.npz
    print(f"data: {source}\nload borders.npz: {time.perf_counter() - t0:.2f}s")
    accuracy()
    speed(args.points)


if __name__ == "__main__":
    main()
