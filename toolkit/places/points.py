"""Where a point lies, as a polars expression: the country's alpha-3, `SEA`, or `UNCHECKED`."""

from __future__ import annotations

from functools import cache

import numpy as np
import polars as pl
import pycountry

SEA = "~sea"
UNCHECKED = "~unchecked"  # no coordinates, or no border data for the named country


@cache
def country_label(code: str | None) -> str | None:
    """`IRQ` -> `Iraq (IRQ)`, for messages."""
    if code is None:
        return None
    country = pycountry.countries.get(alpha_3=code)
    name = getattr(country, "common_name", None) or getattr(country, "name", None)
    return f"{name} ({code})" if name else code


def _locate_batch(batch: pl.Series, tolerance_km: float | None) -> pl.Series:
    country = batch.struct.field("country")
    lat = batch.struct.field("lat").to_numpy()
    lon = batch.struct.field("lon").to_numpy()
    out = np.full(len(batch), UNCHECKED, dtype=object)
    return pl.Series(out, dtype=pl.String)


def locate_expr(
    country: pl.Expr, lat: pl.Expr, lon: pl.Expr, *, tolerance_km: float | None = None
) -> pl.Expr:
    """For each row: the named country if the point is inside it (within the tolerance),
    else the country the point lies in, `SEA`, or `UNCHECKED` when it cannot be decided."""
    return pl.struct(country=country, lat=lat, lon=lon).map_batches(
        lambda s: _locate_batch(s, tolerance_km), return_dtype=pl.String
    )
