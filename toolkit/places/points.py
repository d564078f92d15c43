"""Where a point lies, as a polars expression: the country's alpha-3, `SEA`, or `UNCHECKED`."""

from __future__ import annotations

from functools import cache

import numpy as np
import polars as pl

from toolkit.places import borders
from toolkit.places.codes import country_codes, country_label, country_name

SEA = "~sea"
UNCHECKED = "~unchecked"  # no coordinates, or no border data for the named country


__all__ = [
    "SEA",
    "UNCHECKED",
    "area_label",
    "area_token",
    "country_label",
    "country_labels",
    "locate_expr",
]


def area_token(code: str, area: int) -> str:
    """What `locate_expr` gives for a failing point in a disputed area: `ESH~0`."""
    return f"{code}~{area}"


def area_label(code: str, area: borders.DisputedArea) -> str:
    """`Western Sahara (ESH; disputed: claimed by MAR)`, `Ukraine (UKR; Crimea, disputed:
    claimed by RUS)`: the country a point lies in, the area, and its other claimants."""
    name = country_name(code) or code
    others = [c for c in area.claimants if c != code]
    where = "" if area.name == name else f"{area.name}, "
    return f"{name} ({code}; {where}disputed: claimed by {' and '.join(others)})"


@cache
def _labels() -> tuple[list[str], list[str | None]]:
    codes = sorted(country_codes())
    keys: list[str] = list(codes)
    labels: list[str | None] = [country_label(c) for c in codes]
    for k, area in enumerate(borders.disputed_areas()):
        for code in codes:
            keys.append(area_token(code, k))
            labels.append(area_label(code, area))
    return keys, labels


def country_labels(code: pl.Expr) -> pl.Expr:
    """`IRQ` -> `Iraq (IRQ)` over a whole column (and `ESH~0`, a point in a disputed area, ->
    `Western Sahara (ESH; disputed: claimed by MAR)`); other text stays as it is."""
    codes, labels = _labels()
    return code.replace_strict(codes, labels, default=code, return_dtype=pl.String)


def _locate_batch(batch: pl.Series, tolerance_km: float | None) -> pl.Series:
    country = batch.struct.field("country")
    lat = batch.struct.field("lat").cast(pl.Float64).fill_null(np.nan).to_numpy()
    lon = batch.struct.field("lon").cast(pl.Float64).fill_null(np.nan).to_numpy()
    in_range = (np.abs(lat) <= 90) & (np.abs(lon) <= 180)  # out of range: coordinates.range says so
    lat = np.where(in_range, lat, np.nan)
    lon = np.where(in_range, lon, np.nan)
    tolerance = borders.DEFAULT_TOLERANCE_KM if tolerance_km is None else tolerance_km
    result = borders.check_in_country(country, lat, lon, tolerance_km=tolerance)
    frame = pl.DataFrame(
        {
            "country": country,
            "checked": result.checked,
            "ok": result.ok,
            "found": result.found,
            "area": result.area,
        }
    )
    codes = borders.country_codes()
    located = pl.col("found").replace_strict(
        range(codes.len()), codes, default=None, return_dtype=pl.String
    )
    in_area = pl.concat_str(located, pl.lit("~"), pl.col("area").cast(pl.String))
    return frame.select(
        pl.when(~pl.col("checked"))
        .then(pl.lit(UNCHECKED))
        .when(pl.col("ok"))
        .then(pl.col("country"))
        .when(pl.col("area") >= 0)
        .then(in_area.fill_null(SEA))
        .otherwise(located.fill_null(SEA))
    ).to_series()


def locate_expr(
    country: pl.Expr, lat: pl.Expr, lon: pl.Expr, *, tolerance_km: float | None = None
) -> pl.Expr:
    """For each row: the named country if the point is inside it (within the tolerance),
    else the country the point lies in (`ESH~0` in a disputed area: see `area_token`), `SEA`,
    or `UNCHECKED` when it cannot be decided."""
    return pl.struct(country=country, lat=lat, lon=lon).map_batches(
        lambda s: _locate_batch(s, tolerance_km), return_dtype=pl.String
    )
