"""Build `borders.npz` (country polygons for `toolkit.places.borders`). Run by hand, not at runtime.

Source: the timezone polygons of `timezonefinder-data` (timezone-boundary-builder, built from
OpenStreetMap; ODbL 1.0), each zone mapped to its country with IANA `zone.tab` from the `tzdata`
package, unioned per country, simplified (Douglas-Peucker, 0.001 degree ~ 110 m) and cut on a
1-degree grid: a cell wholly inside one country is stored as that country's index in `grid`;
a cell with a border or coast in it keeps the clipped pieces of each country touching it.

A few zone polygons cover more than one country (see `SPLIT_ZONES`); those are split by country
with Natural Earth 1:10m admin-0 polygons (public domain), as shipped in the PyPI package
`geo-intel-offline` 1.5.0. All other lines stay OSM's.

    pip install "timezonefinder==9.0.0" "timezonefinder-data==3.2026.3.post1" "tzdata==2026.6" \
        "geo-intel-offline==1.5.0" shapely numpy pycountry
    python toolkit/places/data/build_borders.py            # writes borders.npz beside this file

Coordinates are stored as int32 deltas on a 1e-5 degree (~1 m) grid.
"""

from __future__ import annotations

import importlib.metadata as md
import importlib.resources
import sys
from pathlib import Path

import numpy as np
import pycountry
import shapely

SIMPLIFY_DEG = 0.001
CELL_DEG = 1.0
QUANT = 100_000  # coordinates stored in units of 1e-5 degree

# Zone polygons that straddle countries, found by comparing the zone -> zone.tab country mapping
# with Natural Earth on a 0.1-degree grid (see data/README.md): zone -> the countries it covers.
# - Asia/Bangkok also covers northern Vietnam (Ha Noi, Hai Phong; tzdb puts it on Bangkok time
#   history). zone1970.tab: TH,CX,KH,LA,VN. Its polygon parts are each in one country.
# - Asia/Jerusalem also covers most of the West Bank (Area C); Palestine's own zones (Asia/Hebron,
#   Asia/Gaza) cover only the rest. zone1970.tab lists IL only, zone.tab lists PS for the others.
SPLIT_ZONES = {
    "Asia/Bangkok": ("THA", "CXR", "KHM", "LAO", "VNM"),
    "Asia/Jerusalem": ("ISR", "PSE"),
}
# A polygon part of a split zone goes wholly to one country when Natural Earth puts at least this
# share of its land in that country; otherwise it is cut along Natural Earth's lines.
WHOLE_PART_SHARE = 0.98
# Sea and slivers of a cut part (land Natural Earth gives to no candidate) go to the nearest
# candidate, by growing the candidates' polygons in these steps (degrees).
GROW_STEPS_DEG = (0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 3.0)


def zone_countries() -> dict[str, str]:
    """IANA zone name -> ISO 3166-1 alpha-3, from tzdata's zone.tab (one country per zone)."""
    to3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    text = importlib.resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text("utf-8")
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            cc, _coords, zone = line.split("\t")[:3]
            out[zone] = to3[cc]
    return out


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygonal part of a geometry, as one MultiPolygon."""
    parts = []
    for p in shapely.get_parts(shapely.make_valid(geom)):
        if isinstance(p, shapely.Polygon):
            parts.append(p)
        elif isinstance(p, shapely.MultiPolygon | shapely.GeometryCollection):
            parts.extend(q for q in shapely.get_parts(p) if isinstance(q, shapely.Polygon))
    return shapely.multipolygons(parts)


def natural_earth(wanted: set[str]) -> dict[str, shapely.Geometry]:
    """Natural Earth 1:10m admin-0 polygons of the wanted ISO3 codes, from geo-intel-offline."""
    import gzip
    import json

    data = importlib.resources.files("geo_intel_offline").joinpath("data")
    polys = json.loads(gzip.decompress(data.joinpath("polygons.json.gz").read_bytes()))
    meta = json.loads(gzip.decompress(data.joinpath("metadata.json.gz").read_bytes()))
    out: dict[str, list[shapely.Geometry]] = {}
    for key, p in polys.items():
        iso3 = (meta.get(key) or {}).get("iso3")
        if iso3 not in wanted:
            continue
        rings = p.get("exteriors") or [p["exterior"]]  # stored as (lat, lon)
        g = shapely.union_all(
            [
                shapely.make_valid(shapely.Polygon([(c[1], c[0]) for c in r]))
                for r in rings
                if len(r) >= 3
            ]
        )
        holes = [
            shapely.Polygon([(c[1], c[0]) for c in h]) for h in p.get("holes") or [] if len(h) >= 3
        ]
        if holes and not p.get("multi"):
            g = shapely.difference(g, shapely.union_all(shapely.make_valid(np.array(holes))))
        out.setdefault(iso3, []).append(g)
    return {k: polygonal(shapely.union_all(v)) for k, v in out.items()}


def split_zone(zone: str, polys: list[shapely.Polygon], ne: dict[str, shapely.Geometry]):
    """Yield (iso3, polygon) for the parts of a zone polygon that straddles countries."""
    cands = [c for c in SPLIT_ZONES[zone] if c in ne]
    for part in polys:
        part = polygonal(part)
        pad = shapely.buffer(shapely.envelope(part), max(GROW_STEPS_DEG))
        local = {c: shapely.intersection(ne[c], pad) for c in cands}
        land = {c: shapely.area(shapely.intersection(part, g)) for c, g in local.items()}
        total = sum(land.values())
        if total == 0:  # no land (a small island Natural Earth lacks): nearest candidate
            best = min(cands, key=lambda c: shapely.distance(part, ne[c]))
            print(f"{zone}: part without land -> {best}", file=sys.stderr)
            yield best, part
            continue
        best = max(land, key=land.get)
        if land[best] >= WHOLE_PART_SHARE * total:
            print(f"{zone}: part of {part.area:.3f} deg2 -> {best}", file=sys.stderr)
            yield best, part
            continue
        shares = {c: round(v / total, 3) for c, v in land.items() if v}
        print(
            f"{zone}: part of {part.area:.3f} deg2 cut by Natural Earth {shares}", file=sys.stderr
        )
        rest = part
        got: dict[str, list[shapely.Geometry]] = {c: [] for c in cands}
        for step in (0.0, *GROW_STEPS_DEG):
            for c in cands:
                if shapely.is_empty(rest) or shapely.is_empty(local[c]):
                    continue
                zone_c = local[c] if step == 0 else shapely.buffer(local[c], step)
                piece = shapely.intersection(rest, zone_c)
                if shapely.area(piece) > 0:
                    got[c].append(piece)
                    rest = shapely.difference(rest, zone_c)
        if shapely.area(rest) > 0:
            got[best].append(rest)
        for c, pieces in got.items():
            if pieces:
                yield c, polygonal(shapely.union_all(pieces))


def country_geometries() -> dict[str, shapely.Geometry]:
    from timezonefinder import TimezoneFinder

    tf = TimezoneFinder()
    z2c = zone_countries()
    ne = natural_earth({c for cs in SPLIT_ZONES.values() for c in cs})
    per: dict[str, list[shapely.Polygon]] = {}
    for zone in tf.timezone_names:
        iso3 = z2c.get(zone)
        if iso3 is None:
            if not zone.startswith("Etc/"):
                print("no country for zone", zone, file=sys.stderr)
            continue
        polys = [
            shapely.Polygon(poly[0], poly[1:])
            for poly in tf.get_geometry(tz_name=zone, coords_as_pairs=True)
        ]
        if zone in SPLIT_ZONES:
            for c, g in split_zone(zone, polys, ne):
                per.setdefault(c, []).extend(shapely.get_parts(g))
        else:
            per.setdefault(iso3, []).extend(polys)
    out = {}
    for iso3, polys in sorted(per.items()):
        full = shapely.union_all(shapely.make_valid(np.array(polys, dtype=object)))
        out[iso3] = polygonal(shapely.simplify(full, SIMPLIFY_DEG, preserve_topology=True))
    return out


def cut_on_grid(iso3: list[str], geoms: list[shapely.Geometry]):
    ncol, nrow = int(360 / CELL_DEG), int(180 / CELL_DEG)
    ci, ri = np.meshgrid(np.arange(ncol), np.arange(nrow), indexing="ij")
    ci, ri = ci.ravel(), ri.ravel()  # cell id = col * nrow + row
    boxes = shapely.box(
        ci * CELL_DEG - 180, ri * CELL_DEG - 90, (ci + 1) * CELL_DEG - 180, (ri + 1) * CELL_DEG - 90
    )
    parts, owner = [], []
    for k, g in enumerate(geoms):
        p = shapely.get_parts(g)
        parts.extend(p)
        owner.extend([k] * len(p))
    parts_a = np.array(parts, dtype=object)
    owner_a = np.array(owner)
    tree = shapely.STRtree(parts_a)
    cell_idx, part_idx = tree.query(boxes, predicate="intersects")
    pieces = shapely.intersection(parts_a[part_idx], boxes[cell_idx])
    area = shapely.area(pieces)
    keep = area > 0
    cell_idx, part_idx, pieces = cell_idx[keep], part_idx[keep], pieces[keep]
    country = owner_a[part_idx]
    # group pieces by (cell, country)
    key = cell_idx.astype(np.int64) * 1000 + country
    order = np.argsort(key, kind="stable")
    key, cell_idx, country, pieces = key[order], cell_idx[order], country[order], pieces[order]
    _, start = np.unique(key, return_index=True)
    grouped = [
        polygonal(shapely.union_all(pieces[s:e]))
        for s, e in zip(start, [*start[1:], len(key)], strict=True)
    ]
    g_cell, g_country = cell_idx[start], country[start]
    g_area = shapely.area(np.array(grouped, dtype=object))
    cell_area = shapely.area(boxes[g_cell])
    n_in_cell = np.bincount(g_cell, minlength=len(boxes))
    full = (n_in_cell[g_cell] == 1) & (g_area >= cell_area * (1 - 1e-9))
    grid = np.full(len(boxes), -1, dtype=np.int16)  # -1 sea, -2 mixed, k country k
    grid[g_cell] = -2
    grid[g_cell[full]] = g_country[full]
    mixed = ~full
    return grid, g_cell[mixed], g_country[mixed], np.array(grouped, dtype=object)[mixed]


def main() -> None:
    countries = country_geometries()
    iso3 = sorted(countries)
    grid, piece_cell, piece_country, pieces = cut_on_grid(iso3, [countries[k] for k in iso3])
    _typ, coords, (ring_off, poly_off, geom_off) = shapely.to_ragged_array(pieces)
    q = np.round(coords * QUANT).astype(np.int64)
    delta = np.diff(q, axis=0, prepend=np.zeros((1, 2), np.int64)).astype(np.int32)
    source = (
        f"timezonefinder-data {md.version('timezonefinder-data')} "
        f"(timezone-boundary-builder, OpenStreetMap, ODbL 1.0); tzdata {md.version('tzdata')} "
        f"zone.tab; zones {', '.join(SPLIT_ZONES)} split by Natural Earth 10m admin-0 "
        f"(public domain, via geo-intel-offline {md.version('geo-intel-offline')}); "
        f"simplified {SIMPLIFY_DEG} deg; grid {CELL_DEG} deg"
    )
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("borders.npz")
    np.savez_compressed(
        out,
        iso3=np.array(iso3, dtype="U3"),
        grid=grid,
        cell_deg=np.float64(CELL_DEG),
        quant=np.int64(QUANT),
        delta=delta,
        ring_offsets=ring_off.astype(np.int32),
        poly_offsets=poly_off.astype(np.int32),
        geom_offsets=geom_off.astype(np.int32),
        piece_cell=piece_cell.astype(np.int32),
        piece_country=piece_country.astype(np.int16),
        source=np.array(source),
    )
    print(
        f"{out}: {len(iso3)} countries, {int((grid >= 0).sum())} whole cells, "
        f"{len(pieces)} pieces, {len(coords)} vertices, {out.stat().st_size / 1e6:.2f} MB"
    )
    print(source)


if __name__ == "__main__":
    main()
