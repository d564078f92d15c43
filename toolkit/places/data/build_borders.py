"""Build `borders.npz` (country polygons for `toolkit.places.borders`). Run by hand, not at runtime.

Source: the timezone polygons of `timezonefinder-data` (timezone-boundary-builder, built from
OpenStreetMap; ODbL 1.0), each zone mapped to its country with IANA `zone.tab` from the `tzdata`
package, unioned per country, simplified (Douglas-Peucker, 0.001 degree ~ 110 m) and cut on a
1-degree grid: a cell wholly inside one country is stored as that country's index in `grid`;
a cell with a border or coast in it keeps the clipped pieces of each country touching it.

    pip install "timezonefinder==9.0.0" "timezonefinder-data==3.2026.3.post1" "tzdata==2026.6"
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


def country_geometries() -> dict[str, shapely.Geometry]:
    from timezonefinder import TimezoneFinder

    tf = TimezoneFinder()
    z2c = zone_countries()
    per: dict[str, list[shapely.Polygon]] = {}
    for zone in tf.timezone_names:
        iso3 = z2c.get(zone)
        if iso3 is None:
            if not zone.startswith("Etc/"):
                print("no country for zone", zone, file=sys.stderr)
            continue
        for poly in tf.get_geometry(tz_name=zone, coords_as_pairs=True):
            per.setdefault(iso3, []).append(shapely.Polygon(poly[0], poly[1:]))
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
        f"zone.tab; simplified {SIMPLIFY_DEG} deg; grid {CELL_DEG} deg"
    )
    out = Path(__file__).with_name("borders.npz")
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
