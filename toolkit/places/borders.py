"""Point-in-country checks, offline, from country polygons shipped in `data/borders.npz`.

The polygons are OpenStreetMap country borders (with territorial waters) taken from the
timezone polygons of `timezonefinder-data`, simplified to ~110 m and cut on a 1-degree grid
(see `data/README.md` and `data/build_borders.py`). A point in a grid cell that lies wholly in
one country is answered by an array lookup; a point in a cell with a border or coast in it is
tested against the few clipped pieces of that cell with shapely's vectorised `intersects_xy`.

Disputed areas (`data/disputed-areas.json`: Western Sahara, Crimea, the Golan Heights, Abyei,
Kosovo, Kashmir...) name the countries that claim them: a point in one lies in the country that
holds it (`locate`), and passes `check_in_country` for each claimant. Only the few points that
fail the plain test are tested against them.

All functions take whole columns (numpy arrays); there is no Python loop over rows.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import polars as pl
import shapely

DATA_FILE = Path(__file__).with_name("data") / "borders.npz"
DISPUTED_FILE = DATA_FILE.with_name("disputed-areas.json")

# Default tolerance for `check_in_country`, in km. Lower bound: the stored lines deviate from
# OSM by <= ~0.11 km (simplification), and event coordinates are often gazetteer points that sit
# in a border river or just over the line (3 UCDP events in the Central African Republic are
# 0.3-0.5 km inside Sudan in full-resolution OSM; Bangui's point is in the Ubangi). Upper bound:
# a place named for the wrong neighbour must still be caught, and twin border towns are often only
# a few km apart (Al-Bukamal, SYR, passes as IRQ only from ~8 km). 2 km covers the first with 4x
# margin and stays well under the second. Coasts need no extra allowance: the polygons include
# territorial waters.
DEFAULT_TOLERANCE_KM = 2.0

_CIRCLE_STEPS = 24
_KM_PER_DEG_LAT = 110.574
_KM_PER_DEG_LON_EQ = 111.320


class _Borders(NamedTuple):
    iso3: np.ndarray  # (n_countries,) str
    code_index: dict[str, int]
    names: np.ndarray  # iso3 plus a trailing None, indexed by country index (-1 -> None)
    grid: np.ndarray  # (n_cells,) int16: -1 sea, -2 mixed, k = wholly in country k
    cell_deg: float
    nrow: int
    ncol: int
    pieces: np.ndarray  # (n_pieces,) prepared MultiPolygons, sorted by cell
    piece_country: np.ndarray  # (n_pieces,) int16
    cell_start: np.ndarray  # (n_cells + 1,) first piece of each cell
    tree: shapely.STRtree  # over pieces + whole cells, for the tolerance test
    tree_country: np.ndarray  # country index of each tree item
    source: str


class DisputedArea(NamedTuple):
    """An area two or more countries claim."""

    name: str
    claimants: tuple[str, ...]  # alpha-3 codes


class _Disputed(NamedTuple):
    areas: tuple[DisputedArea, ...]
    geoms: np.ndarray  # prepared (Multi)Polygons, one per area
    tree: shapely.STRtree
    claims: np.ndarray  # (n_areas, n_countries + 1) bool: country k claims area a


class BorderCheck(NamedTuple):
    """Result of `check_in_country`, one entry per row in every array."""

    ok: np.ndarray  # bool: inside the named country (within tolerance), or not checked
    checked: np.ndarray  # bool: False where a coordinate is missing or the country unknown
    found: np.ndarray  # int: index into `country_codes()` of that country, -1 for sea/missing
    # int: for a point that fails, the index into `disputed_areas()` of the disputed area it
    # lies in; -1 elsewhere
    area: np.ndarray

    @property
    def located(self) -> np.ndarray:
        """Object array: ISO3 of the country containing each point, None for sea or missing."""
        return _load().names[self.found]


@cache
def _load() -> _Borders:
    z = np.load(DATA_FILE)
    quant = float(z["quant"])
    coords = np.cumsum(z["delta"].astype(np.int64), axis=0) / quant
    pieces = shapely.from_ragged_array(
        shapely.GeometryType.MULTIPOLYGON,
        coords,
        (z["ring_offsets"], z["poly_offsets"], z["geom_offsets"]),
    )
    piece_cell = z["piece_cell"].astype(np.int64)
    piece_country = z["piece_country"]
    order = np.argsort(piece_cell, kind="stable")
    pieces, piece_cell, piece_country = pieces[order], piece_cell[order], piece_country[order]
    shapely.prepare(pieces)
    cell_deg = float(z["cell_deg"])
    ncol, nrow = round(360 / cell_deg), round(180 / cell_deg)
    grid = z["grid"]
    cell_start = np.searchsorted(piece_cell, np.arange(grid.size + 1)).astype(np.int64)
    whole = np.flatnonzero(grid >= 0)
    col, row = whole // nrow, whole % nrow
    boxes = shapely.box(
        col * cell_deg - 180,
        row * cell_deg - 90,
        (col + 1) * cell_deg - 180,
        (row + 1) * cell_deg - 90,
    )
    tree_items = np.concatenate([pieces, boxes])
    tree_country = np.concatenate([piece_country, grid[whole]]).astype(np.int64)
    iso3 = z["iso3"].astype(object)
    return _Borders(
        iso3=iso3,
        code_index={str(c): i for i, c in enumerate(iso3)},
        names=np.array([*iso3.tolist(), None], dtype=object),
        grid=grid,
        cell_deg=cell_deg,
        nrow=nrow,
        ncol=ncol,
        pieces=pieces,
        piece_country=piece_country,
        cell_start=cell_start,
        tree=shapely.STRtree(tree_items),
        tree_country=tree_country,
        source=str(z["source"]),
    )


@cache
def _disputed_features() -> tuple[dict, ...]:
    return tuple(json.loads(DISPUTED_FILE.read_text("utf-8"))["features"])


@cache
def disputed_areas() -> tuple[DisputedArea, ...]:
    """The disputed areas of the border data, in the order `BorderCheck.area` indexes."""
    return tuple(
        DisputedArea(f["properties"]["name"], tuple(f["properties"]["claimants"]))
        for f in _disputed_features()
    )


@cache
def _load_disputed() -> _Disputed:
    b = _load()
    features = _disputed_features()
    areas = disputed_areas()
    geoms = np.array(
        [shapely.from_geojson(json.dumps(f["geometry"])) for f in features], dtype=object
    )
    shapely.prepare(geoms)
    claims = np.zeros((len(areas), b.iso3.size + 1), dtype=bool)
    for a, area in enumerate(areas):
        for code in area.claimants:
            if code in b.code_index:
                claims[a, b.code_index[code]] = True
    return _Disputed(areas, geoms, shapely.STRtree(geoms), claims)


def _area_pairs(lat: np.ndarray, lon: np.ndarray, km: float) -> tuple[np.ndarray, np.ndarray]:
    """(point, area) index pairs: the disputed areas within ~km of each point."""
    d = _load_disputed()
    shapes = _discs(lat, lon, km) if km > 0 else shapely.points(lon, lat)
    pt, area = d.tree.query(shapes, predicate="intersects")
    return pt, area


def data_source() -> str:
    """Where the polygons come from (package, version, licence, simplification)."""
    return _load().source


def known_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes that have a polygon."""
    return frozenset(_load().code_index)


def is_known(iso3: np.ndarray | list[str] | str) -> np.ndarray | bool:
    """Whether a polygon exists for each code (a scalar in, a scalar out)."""
    index = _load().code_index
    if isinstance(iso3, str):
        return iso3 in index
    return np.fromiter((c in index for c in iso3), dtype=bool, count=len(iso3))


def _as_float(a: object) -> np.ndarray:
    """Float64 array with None -> NaN."""
    arr = np.asarray(a)
    if arr.dtype == object:
        arr = np.array([np.nan if v is None else v for v in arr.tolist()], dtype=np.float64)
    return arr.astype(np.float64, copy=False).ravel()


def _locate_index(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Country index containing each point; -1 for sea, invalid or missing coordinates."""
    b = _load()
    n = lat.size
    out = np.full(n, -1, dtype=np.int64)
    valid = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    idx = np.flatnonzero(valid)
    if idx.size == 0:
        return out
    x, y = lon[idx], lat[idx]
    col = np.minimum(((x + 180) / b.cell_deg).astype(np.int64), b.ncol - 1)
    row = np.minimum(((y + 90) / b.cell_deg).astype(np.int64), b.nrow - 1)
    cell = col * b.nrow + row
    g = b.grid[cell].astype(np.int64)
    res = np.where(g >= 0, g, -1)
    mixed = np.flatnonzero(g == -2)
    if mixed.size:
        mcell = cell[mixed]
        start = b.cell_start[mcell]
        count = b.cell_start[mcell + 1] - start
        pt = np.repeat(mixed, count)  # one pair per (point, candidate piece)
        first = np.repeat(np.cumsum(count) - count, count)
        piece = np.repeat(start, count) + (np.arange(pt.size) - first)
        # intersects, not contains: a point on a cell edge lies on its pieces' boundary
        hit = shapely.intersects_xy(b.pieces[piece], x[pt], y[pt])
        # where pieces overlap (slivers in the source), the lowest piece index wins
        best = np.full(idx.size, b.pieces.size, dtype=np.int64)
        np.minimum.at(best, pt[hit], piece[hit])
        got = best < b.pieces.size
        res[got] = b.piece_country[best[got]]
    out[idx] = res
    return out


def locate(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """ISO3 of the country containing each point (object array); None for sea or no coordinate.

    Territorial waters count as the country. (0, 0) is in the Gulf of Guinea, so it is sea.
    """
    lat_a, lon_a = _as_float(lat), _as_float(lon)
    if lat_a.shape != lon_a.shape:
        raise ValueError("lat and lon must have the same length")
    k = _locate_index(lat_a, lon_a)
    return _load().names[k]


def _discs(lat: np.ndarray, lon: np.ndarray, km: float) -> np.ndarray:
    """A 24-sided polygon of radius ~km around each point."""
    t = np.linspace(0, 2 * np.pi, _CIRCLE_STEPS + 1)
    dlat = km / _KM_PER_DEG_LAT
    dlon = km / (_KM_PER_DEG_LON_EQ * np.maximum(np.cos(np.radians(lat)), 1e-3))
    xs = lon[:, None] + np.cos(t)[None, :] * dlon[:, None]
    ys = lat[:, None] + np.sin(t)[None, :] * dlat
    return shapely.polygons(np.stack([xs, ys], axis=-1))


def _near(country: np.ndarray, lat: np.ndarray, lon: np.ndarray, km: float) -> np.ndarray:
    """True where the claimed country index lies within ~km of the point.

    The disc is a 24-sided polygon built in degrees with longitude scaled by cos(latitude),
    good to a few percent of `km` away from the poles.
    """
    b = _load()
    disc_i, item_i = b.tree.query(_discs(lat, lon, km), predicate="intersects")
    match = b.tree_country[item_i] == country[disc_i]
    out = np.zeros(lat.size, dtype=bool)
    out[disc_i[match]] = True
    return out


def check_in_country(
    country_iso3: np.ndarray | list[str | None] | pl.Series,
    lat: np.ndarray,
    lon: np.ndarray,
    tolerance_km: float = DEFAULT_TOLERANCE_KM,
) -> BorderCheck:
    """Whether each point lies in the named country, allowing `tolerance_km` over its border.

    A point in a disputed area passes for each of its claimants (`disputed_areas`), within the
    same tolerance. Rows with a missing (None/NaN) coordinate, or a country without a polygon
    (see `is_known`), are not checked and count as ok. `located` names the country actually
    containing the point (None for sea), for every row with coordinates; `area` the disputed
    area a failing point lies in.
    """
    b = _load()
    lat_a, lon_a = _as_float(lat), _as_float(lon)
    if isinstance(country_iso3, pl.Series):
        codes = country_iso3.cast(pl.String)
    else:
        raw = np.asarray(country_iso3, dtype=object).ravel()
        codes = pl.Series([c if isinstance(c, str) else None for c in raw], dtype=pl.String)
    if not (codes.len() == lat_a.size == lon_a.size):
        raise ValueError("country_iso3, lat and lon must have the same length")
    # one hash lookup per row in polars, not a Python dict lookup per row
    claimed = (
        codes.replace_strict(
            list(b.code_index), list(b.code_index.values()), default=-1, return_dtype=pl.Int64
        )
        .fill_null(-1)
        .to_numpy()
    )
    has_xy = np.isfinite(lat_a) & np.isfinite(lon_a)
    checked = has_xy & (claimed >= 0)
    found = _locate_index(lat_a, lon_a)
    ok = ~checked | (found == claimed)
    in_range = (np.abs(lat_a) <= 90) & (np.abs(lon_a) <= 180)
    miss = np.flatnonzero(~ok & in_range)
    if miss.size and tolerance_km > 0:
        ok[miss] = _near(claimed[miss], lat_a[miss], lon_a[miss], tolerance_km)
    area = np.full(lat_a.size, -1, dtype=np.int64)
    miss = np.flatnonzero(~ok & in_range)
    if miss.size:
        claims = _load_disputed().claims
        pt, near_area = _area_pairs(lat_a[miss], lon_a[miss], tolerance_km)
        ok[miss[pt[claims[near_area, claimed[miss][pt]]]]] = True
        miss = np.flatnonzero(~ok & in_range)
        pt, inside = _area_pairs(lat_a[miss], lon_a[miss], 0.0)
        area[miss[pt]] = inside  # one area per point: the areas do not overlap
    return BorderCheck(ok=ok, checked=checked, found=found, area=area)


def country_codes() -> pl.Series:
    """The ISO3 codes `BorderCheck.found` indexes, as a polars Series."""
    return pl.Series("iso3", _load().iso3.tolist(), dtype=pl.String)
