"""Where a point lies, as a polars expression: the country's alpha-3, `SEA`, or `UNCHECKED`."""

from __future__ import annotations

from functools import cache

import numpy as np
import polars as pl

from toolkit.places import borders
from toolkit.places.codes import country_codes, country_label

SEA = "~sea"
UNCHECKED = "~unchecked"  # no coordinates, or no border data for the named country


__all__ = ["SEA", "UNCHECKED", "country_label", "country_labels", "locate_expr"]


@cache
def _labels() -> tuple[list[str], list[str | None]]:
    codes = sorted(country_codes())
    return codes, [country_label(c) for c in codes]


def country_labels(code: pl.Expr) -> pl.Expr:
    """`IRQ` -> `Iraq (IRQ)` over a whole column; unknown codes stay as they are."""
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
        }
    )
    codes = borders.country_codes()
    located = pl.col("found").replace_strict(
        range(codes.len()), codes, default=None, return_dtype=pl.String
    )
    return frame.select(
        pl.when(~pl.col("checked"))
        .then(pl.lit(UNCHECKED))
        .when(pl.col("ok"))
        .then(pl.col("country"))
        .otherwise(located.fill_null(SEA))
    ).to_series()


def locate_expr(
    country: pl.Expr, lat: pl.Expr, lon: pl.Expr, *, tolerance_km: float | None = None
) -> pl.Expr:
    """For each row: the named country if the point is inside it (within the tolerance),
    else the country the point lies in, `SEA`, or `UNCHECKED` when it cannot be decided."""
    return pl.struct(country=country, lat=lat, lon=lon).map_batches(
        lambda s: _locate_batch(s, tolerance_km), return_dtype=pl.String
    )
