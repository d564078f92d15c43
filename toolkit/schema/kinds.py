"""Column kinds: how text becomes typed values, which rules a kind brings, how it exports.

Derived columns are named `__<column>.<field>` and computed once, in stages, as polars
expressions over whole columns. Checks, reports and exports all read them, so a value is
parsed by one parser only.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from datetime import date

import polars as pl

from toolkit.fuzzy import canonical_count, parse_count, parse_fuzzy_date, parse_iso_date
from toolkit.loading import DATE_CELLS, DATE_CELLS_SEPARATOR, ROW, number_text
from toolkit.places import codes
from toolkit.places.points import country_labels
from toolkit.schema.model import ColumnSpec, Schema
from toolkit.schema.rules import Rule

_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_CONTROL_SINGLE_LINE = r"[\x00-\x1f\x7f]"
_INVISIBLE = r"[\u00a0\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
# one screen for everything the hygiene rules look for: control and invisible characters,
# leading or trailing whitespace
_SUSPECT = rf"{_CONTROL_SINGLE_LINE}|{_INVISIBLE}|^\s|\s$"
_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"
_INTEGER = r"^[+-]?\d+$"
_URL = r"^https?://[^\s/?#@]+\.[^\s/?#@]+(?::\d+)?(?:[/?#]\S*)?$"

DATE_FORMS = "2024-03-22, 2025-09, 2026, 2024-03-22/2024-03-24, ../2025-09, 2025-09/.., with ~ ? %"
COUNT_FORMS = "143, ~2500, 143+, <=50, 100-999 (2,500 is fine)"


def derived(column: str, name: str) -> str:
    """Name of a derived column."""
    return f"__{column}.{name}"


def value_of(column: str) -> pl.Expr:
    """The trimmed text of a column; blank counts as missing."""
    return pl.col(derived(column, "value"))


def _normalise(raw: pl.Expr, suspect: pl.Expr) -> pl.Expr:
    # only values the screen flagged can have surrounding whitespace or be blank
    stripped = pl.when(suspect).then(raw).str.strip_chars()
    return (
        pl.when(suspect)
        .then(pl.when(stripped.str.len_bytes() > 0).then(stripped))
        .when(raw.str.len_bytes() > 0)
        .then(raw)
    )


def _typed_value(spec: ColumnSpec) -> dict[str, pl.Expr]:
    """Stage 2: parse the trimmed text into the kind's typed fields."""
    v = value_of(spec.name)
    n = spec.name
    if spec.kind in ("number", "latitude", "longitude"):
        number = pl.when(v.str.contains(_NUMBER)).then(v.cast(pl.Float64, strict=False))
        return {derived(n, "number"): number}
    if spec.kind == "integer":
        return {
            derived(n, "integer"): pl.when(v.str.contains(_INTEGER)).then(
                v.cast(pl.Int64, strict=False)
            )
        }
    if spec.kind == "date":
        return {derived(n, "date"): parse_iso_date(v)}
    if spec.kind == "fuzzy_date":
        return {derived(n, "parsed"): parse_fuzzy_date(v)}
    if spec.kind == "fuzzy_count":
        return {derived(n, "parsed"): parse_count(v)}
    return {}


def _closest(values: tuple[str, ...]) -> Callable[[str], str | None]:
    lowered = {v.lower(): v for v in values}

    def suggest(value: str) -> str | None:
        text = value.strip()
        if text.lower() in lowered:
            return f"did you mean {lowered[text.lower()]!r}? values are case-sensitive"
        match = difflib.get_close_matches(text.lower(), list(lowered), n=1, cutoff=0.6)
        if match:
            return f"did you mean {lowered[match[0]]!r}? allowed: {', '.join(values)}"
        return f"allowed: {', '.join(values)}"

    return suggest


def _range_rules(spec: ColumnSpec, rule_id: str, lows: pl.Expr, highs: pl.Expr) -> list[Rule]:
    rules = []
    if spec.min is not None:
        rules.append(
            Rule(
                rule_id,
                spec.name,
                spec.severity,
                (lows >= spec.min).fill_null(True),
                f"'{{value}}' is below the minimum {spec.min}",
                hint=f"{spec.name} must be at least {spec.min}",
            )
        )
    if spec.max is not None:
        rules.append(
            Rule(
                rule_id,
                spec.name,
                spec.severity,
                (highs <= spec.max).fill_null(True),
                f"'{{value}}' is above the maximum {spec.max}",
                hint=f"{spec.name} must be at most {spec.max}",
            )
        )
    return rules


def _parse_rule(spec: ColumnSpec, rule_id: str, parsed_ok: pl.Expr, what: str, hint: str) -> Rule:
    present = value_of(spec.name).is_not_null()
    return Rule(
        rule_id,
        spec.name,
        spec.severity,
        (~present | parsed_ok).fill_null(False),
        f"'{{value}}' is not {what}",
        hint=hint,
    )


def _kind_rules(spec: ColumnSpec, schema: Schema, today: date) -> list[Rule]:
    n, sev = spec.name, spec.severity
    v = value_of(n)
    present = v.is_not_null()
    kind = spec.kind
    if kind in ("number", "latitude", "longitude", "integer"):
        field = "integer" if kind == "integer" else "number"
        parsed = pl.col(derived(n, field))
        what = {"integer": "a whole number", "number": "a number"}.get(
            kind, "a coordinate in decimal degrees"
        )
        rule_id = {"integer": "integer.invalid", "number": "number.invalid"}.get(
            kind, "coordinates.invalid"
        )
        rules = [
            _parse_rule(
                spec, rule_id, parsed.is_not_null(), what, "write a plain number such as 33.3152"
            )
        ]
        if kind in ("latitude", "longitude"):
            limit = 90 if kind == "latitude" else 180
            rules.append(
                Rule(
                    "coordinates.range",
                    n,
                    sev,
                    (parsed.abs() <= limit).fill_null(True),
                    f"{kind} '{{value}}' is outside -{limit}..{limit}",
                    hint="are latitude and longitude swapped?" if kind == "latitude" else None,
                )
            )
        return rules + _range_rules(spec, "value.range", parsed, parsed)
    if kind == "date":
        parsed = pl.col(derived(n, "date"))
        rules = [
            _parse_rule(
                spec,
                "date.invalid",
                parsed.is_not_null(),
                "a date (YYYY-MM-DD)",
                "write the date as YYYY-MM-DD, e.g. 2024-09-06",
            )
        ]
        if spec.not_future:
            rules.append(
                Rule(
                    "date.future",
                    n,
                    sev,
                    (parsed <= today).fill_null(True),
                    f"'{{value}}' is in the future (today is {today.isoformat()})",
                    hint="a report cannot be dated after today; check the year",
                )
            )
        return rules + _range_rules(spec, "date.range", parsed, parsed)
    if kind == "fuzzy_date":
        parsed = pl.col(derived(n, "parsed"))
        start, end = parsed.struct.field("start"), parsed.struct.field("end")
        return [
            _parse_rule(
                spec,
                "date.invalid",
                parsed.struct.field("ok"),
                "a date in the accepted forms",
                f"accepted forms: {DATE_FORMS}",
            ),
            Rule(
                "date.order",
                n,
                sev,
                (start <= end).fill_null(True),
                "'{value}' ends before it starts",
                hint="write the earlier date first: START/END",
            ),
            # an open end is checked through the other one: ../1850 is before a 1900 minimum
            *_range_rules(spec, "date.range", pl.coalesce(start, end), pl.coalesce(end, start)),
            Rule(
                "date.excel_date_cell",
                n,
                "warning",
                ~pl.col(DATE_CELLS)
                .str.split(DATE_CELLS_SEPARATOR)
                .list.contains(pl.lit(n))
                .fill_null(False),
                "the cell is an Excel date, read as the day '{value}'",
                hint="if the source gives a month (2025-09) or a year, format the cell as text and type it again",
            ),
        ]
    if kind == "fuzzy_count":
        parsed = pl.col(derived(n, "parsed"))
        low, best, high = (parsed.struct.field(f) for f in ("low", "best", "high"))
        order = (
            (low <= best).fill_null(True)
            & (best <= high).fill_null(True)
            & (low <= high).fill_null(True)
        )
        return [
            _parse_rule(
                spec,
                "count.invalid",
                parsed.struct.field("ok"),
                "a count in the accepted forms",
                f"accepted forms: {COUNT_FORMS}; counts cannot be negative",
            ),
            Rule(
                "count.order",
                n,
                sev,
                order,
                "'{value}': low, best and high are out of order",
                hint="write the smaller number first: LOW-HIGH",
            ),
            *_range_rules(
                spec, "count.range", pl.coalesce(low, best, high), pl.coalesce(high, best, low)
            ),
        ]
    if kind == "vocabulary":
        return [
            Rule(
                "value.vocabulary",
                n,
                sev,
                (~present | v.is_in(list(spec.values))).fill_null(False),
                f"'{{value}}' is not an allowed {n}",
                suggest=_closest(spec.values),
            )
        ]
    if kind == "country":
        return [
            Rule(
                "country.unknown",
                n,
                sev,
                (~present | codes.is_country(v)).fill_null(False),
                "'{value}' is not an ISO 3166-1 alpha-3 country code",
                suggest=codes.country_hint,
            )
        ]
    if kind == "subdivision":
        rules = [
            Rule(
                "subdivision.unknown",
                n,
                sev,
                (~present | codes.is_subdivision(v)).fill_null(False),
                "'{value}' is not an ISO 3166-2 subdivision code",
                suggest=codes.subdivision_hint,
                suggest_from=(spec.country,) if spec.country else ("__none__",),
            )
        ]
        if spec.country:
            owner = codes.subdivision_country(v)
            country = value_of(spec.country)
            rules.append(
                Rule(
                    "subdivision.wrong_country",
                    n,
                    sev,
                    (owner.is_null() | ~codes.is_country(country) | (owner == country)).fill_null(
                        True
                    ),
                    "'{value}' is a subdivision of {owner}, not of {named}",
                    hint=f"fix {n} or {spec.country}",
                    fields={"owner": country_labels(owner), "named": country_labels(country)},
                )
            )
        return rules
    if kind == "url":
        return [
            Rule(
                "url.invalid",
                n,
                sev,
                (~present | v.str.contains(_URL)).fill_null(False),
                "'{value}' is not a web address",
                hint="use a full http:// or https:// address",
            )
        ]
    return []


def _duplicated_series(text: pl.Series) -> pl.Series:
    """`text.is_duplicated()`, comparing text only where the 64-bit hashes repeat.

    Sorting a million hashes finds the repeats in 0.03 s; hashing the text itself for
    `is_duplicated` takes 0.18 s. Rows whose hash repeats are then compared exactly.
    """
    hashes = text.hash()
    ordered = hashes.sort()
    repeated = ordered.filter(ordered == ordered.shift(1))
    out = pl.repeat(False, text.len(), dtype=pl.Boolean, eager=True).rename(text.name)
    if repeated.len() == 0:
        return out
    candidates = hashes.is_in(repeated.implode()).arg_true()
    return out.scatter(candidates, text.gather(candidates).is_duplicated())


def _duplicated(v: pl.Expr) -> pl.Expr:
    return v.map_batches(_duplicated_series, return_dtype=pl.Boolean)


def _text_rules(spec: ColumnSpec) -> list[Rule]:
    """Rules every column gets: required, unique, pattern, length, and invisible damage."""
    n, sev = spec.name, spec.severity
    raw, v = pl.col(n), value_of(n)
    present = v.is_not_null()
    rules = []
    if spec.required:
        rules.append(
            Rule(
                "value.required",
                n,
                spec.required_severity,
                present,
                f"{n} is required but empty",
                hint=spec.description or None,
            )
        )
    if spec.unique:
        rules.append(
            Rule(
                "value.unique",
                n,
                sev,
                (~present | ~_duplicated(v)).fill_null(True),
                f"{n} '{{value}}' appears {{copies}} times (first in row {{first}})",
                hint=f"each {n} must be unique",
                fields={"copies": pl.len().over(v), "first": pl.col(ROW).min().over(v)},
            )
        )
    if spec.pattern:
        rules.append(
            Rule(
                "value.pattern",
                n,
                sev,
                (~present | v.str.contains(spec.pattern)).fill_null(False),
                f"'{{value}}' does not match the pattern of {n}",
                hint=spec.pattern_hint or f"expected {spec.pattern}",
            )
        )
    if spec.max_length:
        rules.append(
            Rule(
                "value.too_long",
                n,
                sev,
                (v.str.len_chars() <= spec.max_length).fill_null(True),
                f"{n} is {{length}} characters long; the limit is {spec.max_length}",
                hint="shorten it"
                + (" (an Excel cell holds 32,767 characters)" if spec.max_length == 32767 else ""),
                fields={"length": v.str.len_chars()},
            )
        )
    control = _CONTROL if spec.multiline else _CONTROL_SINGLE_LINE
    # the specific patterns only run on the few values the one-pass screen flagged
    raw = pl.when(pl.col(derived(n, "suspect"))).then(pl.col(n))
    rules += [
        Rule(
            "text.control_characters",
            n,
            sev,
            (~raw.str.contains(control)).fill_null(True),
            f"{n} contains control characters{'' if spec.multiline else ' or line breaks'}",
            hint="retype the value; control characters usually come from copy and paste",
        ),
        Rule(
            "text.invisible_characters",
            n,
            "warning",
            (~raw.str.contains(_INVISIBLE)).fill_null(True),
            f"{n} contains invisible characters (non-breaking space, zero-width or direction marks)",
            hint="retype the value; the characters are kept as they are",
        ),
        Rule(
            "text.whitespace",
            n,
            "warning",
            (raw.is_null() | (raw == raw.str.strip_chars(" \t")) | ~present).fill_null(True),
            f"{n} has leading or trailing spaces",
            hint="exports trim them",
        ),
    ]
    return rules


def column_rules(spec: ColumnSpec, schema: Schema, today: date) -> list[Rule]:
    """Every rule a declared column brings."""
    return _text_rules(spec) + _kind_rules(spec, schema, today)


def screen_stage(spec: ColumnSpec) -> dict[str, pl.Expr]:
    """Stage 0: flag values with control or invisible characters or surrounding whitespace."""
    return {
        derived(spec.name, "suspect"): pl.col(spec.name).str.contains(_SUSPECT).fill_null(False)
    }


def value_stage(spec: ColumnSpec) -> dict[str, pl.Expr]:
    """Stage 1: the trimmed text of the column; blank counts as missing."""
    return {
        derived(spec.name, "value"): _normalise(
            pl.col(spec.name), pl.col(derived(spec.name, "suspect"))
        )
    }


def parse_stage(spec: ColumnSpec) -> dict[str, pl.Expr]:
    """Stage 2: typed fields parsed from the trimmed text."""
    return _typed_value(spec)


def canonical(spec: ColumnSpec) -> pl.Expr:
    """The clean-CSV text of a column: trimmed, ISO dates, counts without separators."""
    n = spec.name
    if spec.kind == "date":
        return pl.col(derived(n, "date")).dt.to_string("%Y-%m-%d").alias(n)
    if spec.kind == "fuzzy_count":
        return canonical_count(pl.col(derived(n, "parsed"))).alias(n)
    if spec.kind == "integer":
        return pl.col(derived(n, "integer")).cast(pl.String).alias(n)
    if spec.kind in ("number", "latitude", "longitude"):
        return number_text(pl.col(derived(n, "number"))).alias(n)
    return value_of(n).alias(n)


def typed(spec: ColumnSpec, text: pl.Expr | None = None) -> list[pl.Expr]:
    """Analysis columns for Parquet: real types, fuzzy values expanded beside their text.

    `text`, when given, is the column's canonical text already computed (for the CSV).
    """
    n = spec.name
    if spec.kind in ("number", "latitude", "longitude"):
        return [pl.col(derived(n, "number")).alias(n)]
    if spec.kind == "integer":
        return [pl.col(derived(n, "integer")).alias(n)]
    if spec.kind == "date":
        return [pl.col(derived(n, "date")).alias(n)]
    if spec.kind == "vocabulary":
        return [value_of(n).cast(pl.Enum(list(spec.values))).alias(n)]
    if spec.kind == "fuzzy_date":
        p = pl.col(derived(n, "parsed"))
        return [
            value_of(n).alias(n),
            p.struct.field("start").alias(f"{n}_start"),
            p.struct.field("end").alias(f"{n}_end"),
            p.struct.field("precision")
            .cast(pl.Enum(["day", "month", "year"]))
            .alias(f"{n}_precision"),
            p.struct.field("approximate").alias(f"{n}_approximate"),
            p.struct.field("uncertain").alias(f"{n}_uncertain"),
        ]
    if spec.kind == "fuzzy_count":
        p = pl.col(derived(n, "parsed"))
        return [
            (canonical_count(p) if text is None else text).alias(n),
            *(p.struct.field(f).alias(f"{n}_{f}") for f in ("low", "best", "high")),
            p.struct.field("qualifier")
            .cast(pl.Enum(["exact", "approximate", "at_least", "at_most", "range"]))
            .alias(f"{n}_qualifier"),
        ]
    return [value_of(n).alias(n)]
