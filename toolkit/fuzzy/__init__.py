"""Domain value types parsed from text with polars expressions: fuzzy dates and counts.

The same expressions decide what is valid (checks) and what is exported (expanded columns),
so there is exactly one parser per format.
"""

from toolkit.fuzzy.counts import (
    COUNT_FIELDS,
    COUNT_FORMS,
    COUNT_LIMIT,
    canonical_count,
    count_hint,
    count_problem,
    parse_count,
)
from toolkit.fuzzy.dates import DATE_FIELDS, parse_fuzzy_date, parse_iso_date

__all__ = [
    "COUNT_FIELDS",
    "COUNT_FORMS",
    "COUNT_LIMIT",
    "DATE_FIELDS",
    "canonical_count",
    "count_hint",
    "count_problem",
    "parse_count",
    "parse_fuzzy_date",
    "parse_iso_date",
]
