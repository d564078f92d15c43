"""Places: ISO 3166 codes and subdivisions (pycountry), country borders, and hints."""

from toolkit.places.codes import (
    country_hint,
    is_country,
    is_subdivision,
    subdivision_country,
    subdivision_hint,
)

__all__ = [
    "country_hint",
    "is_country",
    "is_subdivision",
    "subdivision_country",
    "subdivision_hint",
]
