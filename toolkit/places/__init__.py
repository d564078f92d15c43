"""Places: ISO 3166 codes, names and subdivisions, country borders, and hints."""

from toolkit.places.codes import (
    COUNTRY_FORMS,
    SUBDIVISION_FORMS,
    country_code,
    country_hint,
    country_label,
    country_name,
    is_country,
    is_subdivision,
    subdivision_code,
    subdivision_country,
    subdivision_hint,
)

__all__ = [
    "COUNTRY_FORMS",
    "SUBDIVISION_FORMS",
    "country_code",
    "country_hint",
    "country_label",
    "country_name",
    "is_country",
    "is_subdivision",
    "subdivision_code",
    "subdivision_country",
    "subdivision_hint",
]
