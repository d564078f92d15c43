"""`kind: latitude` and `kind: longitude` — decimal degrees (WGS 84)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import polars as pl

from toolkit.loading import number_text
from toolkit.schema import options as opt
from toolkit.schema.kinds.base import RuleContext, rows, through
from toolkit.schema.kinds.number import parse_number
from toolkit.schema.kinds.scalar import Scalar
from toolkit.schema.options import option
from toolkit.schema.profile import Detection, Profile
from toolkit.schema.rules import Rule


@dataclass(frozen=True, kw_only=True)
class _Coordinate(Scalar):
    limit: ClassVar[int] = 0
    names: ClassVar[tuple[str, ...]] = ()  # column names that say what the column is
    family = "number"
    detect_rank = 10

    @classmethod
    def detect(cls, profile: Profile) -> Detection | None:
        if profile.lowered_name() not in cls.names or profile.distinct == 0:
            return None
        degrees = through(profile.values, parse_number)
        if degrees.null_count() or float(degrees.abs().max()) > cls.limit:  # type: ignore[arg-type]
            return None
        why = f"{rows(profile.present)}, all {cls.kind}s in decimal degrees"
        return Detection(cls.kind, why)

    min: int | float | None = option(opt.number)
    max: int | float | None = option(opt.number)

    def parse(self) -> dict[str, pl.Expr]:
        return {"parsed": parse_number(self.value)}

    @property
    def degrees(self) -> pl.Expr:
        """The coordinate in decimal degrees (null when missing or not a number)."""
        return self.parsed

    def degrees_from_text(self) -> pl.Expr:
        """The same, parsed from the trimmed text rather than read from the parse stage."""
        return parse_number(self.value)

    def kind_rules(self, context: RuleContext) -> list[Rule]:
        d = self.degrees
        return [
            self.parse_rule(
                "coordinates.invalid",
                d.is_not_null(),
                "a coordinate in decimal degrees",
                "write a plain number such as 33.3152",
            ),
            Rule(
                "coordinates.range",
                self.name,
                self.severity,
                (d.abs() <= self.limit).fill_null(True),
                f"{self.kind} '{{value}}' is outside -{self.limit}..{self.limit}",
                hint="are latitude and longitude swapped?" if self.kind == "latitude" else None,
            ),
            *self.bounds_rules("value.range"),
        ]

    def canonical(self) -> pl.Expr:
        return number_text(self.degrees)


@dataclass(frozen=True, kw_only=True)
class LatitudeColumn(_Coordinate):
    """Latitude in decimal degrees, -90..90."""

    kind = "latitude"
    summary = "decimal degrees, -90..90"
    limit = 90
    names = ("lat", "latitude", "lat_dd", "y")


@dataclass(frozen=True, kw_only=True)
class LongitudeColumn(_Coordinate):
    """Longitude in decimal degrees, -180..180."""

    kind = "longitude"
    summary = "decimal degrees, -180..180"
    limit = 180
    names = ("lon", "long", "lng", "longitude", "lon_dd", "x")
