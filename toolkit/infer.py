"""Infer a starting schema from a table (`toolkit init`): profiles, kinds, then validation.

Every value is read, not a sample: each column's distinct values are profiled once with
polars, and the kinds are asked in turn (`Column.detect`, most specific first) whether all of
them are theirs. Rules across columns are proposed from what the columns are (coordinates
with a country, names like low/best/high or start/end), and kept only when the table itself
passes them; one that some rows break is written as a commented-out suggestion with its
count. The result is the documented YAML format with a comment on each column saying why.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from toolkit.errors import InputError
from toolkit.loading import Table
from toolkit.schema.kinds import KINDS, Column
from toolkit.schema.profile import MISSING_MARKERS, Detection, Profile

SAMPLE = 200  # distinct values a kind must accept before it is asked about all of them
_ID_NAME = re.compile(r"(?:^|_)(?:u?id|key)$")
_ID_TEXT = r"^[A-Za-z0-9._-]+$"
_BREAKS = r"[\n\r\t]"
# column names that pair up in order: (suffixes or prefixes of one family, in order)
_ORDERED_NAMES = (
    ("low", "best", "high"),
    ("min", "max"),
    ("start", "end"),
    ("from", "to"),
    ("begin", "end"),
    ("first", "last"),
)


@dataclass(frozen=True)
class InferredColumn:
    """One column of the inferred schema, with why it is what it is."""

    name: str
    detection: Detection
    required: bool = False
    unique: bool = False
    pattern: str | None = None
    missing_values: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def options(self) -> dict[str, Any]:
        """The column's schema-file keys, in the order they are written."""
        out: dict[str, Any] = {"name": self.name, "kind": self.detection.kind}
        if self.required:
            out["required"] = True
        if self.unique:
            out["unique"] = True
        if self.pattern:
            out["pattern"] = self.pattern
        options = dict(self.detection.options)
        missing = list(dict.fromkeys([*options.pop("missing_values", []), *self.missing_values]))
        out.update(options)
        if missing:
            out["missing_values"] = missing
        return out


@dataclass(frozen=True)
class InferredRule:
    """A rule across columns: kept (the table passes it) or suggested (some rows break it)."""

    options: dict[str, Any]
    why: str
    kept: bool = True


@dataclass(frozen=True)
class InferredSchema:
    """What `toolkit init` found: the columns and rules, ready to write as YAML."""

    name: str
    source: str
    rows: int
    columns: tuple[InferredColumn, ...]
    rules: tuple[InferredRule, ...] = field(default=())

    def to_yaml(self) -> str:
        """The schema file: the documented format, a comment on every column and rule."""
        from toolkit.safe import visible

        kinds = sorted({c.detection.kind for c in self.columns})
        lines = [
            f"# A starting schema for {visible(self.source, 200)}, inferred by `toolkit init` "
            f"from all {self.rows:,} rows.",
            f"# {len(self.columns)} columns ({', '.join(kinds)}). Check each kind, add "
            "descriptions, bounds and the rules your desk keeps;",
            "# the format: schemas/README.md of the toolkit, or `toolkit describe --schema THIS`.",
            f"name: {_scalar(self.name)}",
            'version: "1"',
            "columns:",
        ]
        for column in self.columns:
            for note in (column.detection.why, *column.notes):
                lines.append(f"  # {visible(note, 300)}")
            lines += _mapping(column.options(), "  - ", "    ")
        if self.rules:
            lines.append("rules:")
        for rule in self.rules:
            lines.append(f"  # {visible(rule.why, 300)}")
            block = _mapping(rule.options, "  - ", "    ")
            lines += block if rule.kept else [("  # " + line[2:]) for line in block]
        return "\n".join(lines) + "\n"


# --- YAML text ------------------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\- ]*$")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "none", "y", "n", "~"}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and not text.endswith(" ") and text.lower() not in _YAML_WORDS:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    # characters a reader could not see or a YAML parser reads as line breaks are escaped
    return "".join(
        c if c.isprintable() else (f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}")
        for c in quoted
    )


def _mapping(options: Mapping[str, Any], first: str, rest: str) -> list[str]:
    lines = []
    for i, (key, value) in enumerate(options.items()):
        lead = first if i == 0 else rest
        if isinstance(value, list | tuple):
            flow = "[" + ", ".join(_scalar(v) for v in value) + "]"
            if len(flow) <= 80:
                lines.append(f"{lead}{key}: {flow}")
            else:
                lines.append(f"{lead}{key}:")
                lines += [f"{rest}  - {_scalar(v)}" for v in value]
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return lines


# --- profiling --------------------------------------------------------------------------------


def _trimmed(frame: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    return (
        frame.lazy()
        .select(
            pl.when(pl.col(c).str.strip_chars().str.len_bytes() > 0)
            .then(pl.col(c).str.strip_chars())
            .alias(c)
            for c in columns
        )
        .collect()
    )


def _profile(name: str, column: pl.Series, raw: pl.Series, rows: int) -> Profile:
    counts = column.drop_nulls().value_counts(sort=True, name="__n")
    values, n = counts.get_column(name), counts.get_column("__n")
    is_marker = values.is_in(list(MISSING_MARKERS))
    markers: tuple[str, ...] = ()
    if is_marker.any() and not is_marker.all():
        markers = tuple(values.filter(is_marker).to_list())
        values, n = values.filter(~is_marker), n.filter(~is_marker)
    order = pl.DataFrame({"v": values, "n": n}).sort(["n", "v"], descending=[True, False])
    return Profile(
        name=name,
        rows=rows,
        present=int(order["n"].sum()),
        values=order["v"],
        counts=order["n"],
        markers=markers,
        multiline=bool(raw.str.contains(_BREAKS).any()),
    )


def _detect(kinds: list[type[Column]], profile: Profile) -> Detection | None:
    sample = replace(
        profile, values=profile.values.head(SAMPLE), counts=profile.counts.head(SAMPLE)
    )
    for cls in kinds:
        if profile.distinct > SAMPLE and cls.detect(sample) is None:
            continue
        found = cls.detect(profile)
        if found is not None:
            return found
    return None


def _text(profile: Profile) -> Detection:
    options = {"multiline": True} if profile.multiline else {}
    if profile.present == 0:
        return Detection("text", "no values: kept as text")
    return Detection(
        "text", f"{profile.present:,} values, {profile.distinct:,} distinct: text", options
    )


def _single_country(trimmed: pl.DataFrame, lat: str, lon: str) -> str | None:
    """The country nearly every point lies in (a single-country table), if there is one."""
    from toolkit.places.borders import locate

    points = (
        trimmed.select(
            pl.col(lat).cast(pl.Float64, strict=False), pl.col(lon).cast(pl.Float64, strict=False)
        )
        .drop_nulls()
        .unique()
    )
    if points.height == 0:
        return None
    found = pl.Series(locate(points[lat].to_numpy(), points[lon].to_numpy()), dtype=pl.String)
    counts = found.drop_nulls().value_counts(sort=True)
    if counts.height == 0:
        return None
    top, n = counts.row(0)
    return str(top) if n >= 0.99 * found.drop_nulls().len() else None


def infer_schema(table: Table, *, name: str | None = None) -> InferredSchema:
    """A starting schema for `table`: every column's kind from all its values, and the rules
    across columns the table keeps.

    Example:
        >>> inferred = infer_schema(load_table("fixtures/events.csv"))
        >>> [c.detection.kind for c in inferred.columns][:3]
        ['text', 'fuzzy_date', 'vocabulary']
    """
    header = [h.strip() for h in table.header]
    if (
        any(not h for h in header)
        or len(set(header)) != len(header)
        or table.columns != tuple(header)
    ):
        raise InputError(
            f"{table.path}: the header has blank, repeated or reserved ('__…') names; "
            "name every column once before inferring a schema"
        )
    columns = table.columns
    trimmed = _trimmed(table.frame, columns)
    profiles = {
        c: _profile(c, trimmed.get_column(c), table.frame.get_column(c), table.rows)
        for c in columns
    }
    ranked = sorted(KINDS.values(), key=lambda k: k.detect_rank)
    first = [k for k in ranked if k.kind != "subdivision"]
    found: dict[str, Detection] = {c: _detect(first, p) or _text(p) for c, p in profiles.items()}
    lat = next((c for c, d in found.items() if d.kind == "latitude"), None)
    lon = next((c for c, d in found.items() if d.kind == "longitude"), None)
    country_column = next((c for c, d in found.items() if d.kind == "country"), None)
    country = None
    if lat and lon and country_column is None:
        country = _single_country(trimmed, lat, lon)
    subdivision = KINDS["subdivision"]
    for c, profile in profiles.items():
        if found[c].kind in ("text", "vocabulary") and not profile.multiline:
            context = replace(profile, others=found, table=trimmed.select, country=country)
            match = _detect([subdivision], context)
            if match is not None:
                found[c] = match
    inferred = tuple(_column(c, profiles[c], found[c]) for c in columns)
    stem = name or re.sub(r"[^a-z0-9]+", "-", table.path.stem.lower()).strip("-") or "table"
    schema = InferredSchema(stem, table.path.name, table.rows, inferred)
    rules = _rules(schema, lat, lon, country_column or country)
    return _checked(table, InferredSchema(stem, table.path.name, table.rows, inferred, rules))


def _column(name: str, profile: Profile, detection: Detection) -> InferredColumn:
    markers = profile.share(profile.values.is_in(detection.options.get("missing_values", [])))
    required = profile.rows > 0 and profile.present - markers == profile.rows
    id_like = bool(_ID_NAME.search(name.lower()))
    unique = id_like and profile.present > 0 and profile.distinct == profile.present
    notes = []
    if profile.markers:
        notes.append(f"{', '.join(repr(m) for m in profile.markers)} taken as 'missing'")
    repeats = profile.share(profile.counts > 1)
    if id_like and not unique and 0 < repeats <= 0.05 * profile.present:
        # a few repeats in an id column look like duplicated rows; many are a shared code
        notes.append(f"not unique: {repeats:,} rows share a value with another row")
    pattern = None
    if detection.kind == "text" and profile.present and not profile.multiline:
        shapes = profile.values.str.replace_all(r"\d", "9").unique()
        if shapes.len() == 1 and shapes[0].count("9") and not shapes[0].strip("9"):
            pattern = rf"^\d{{{len(shapes[0])}}}$"  # digits of one length: a code
        elif shapes.len() == 1 and "9" in shapes[0] and profile.distinct > 1:
            literal = re.sub(r"([.^$*+?{}\[\]\\|()])", r"\\\1", shapes[0])
            pattern = "^" + re.sub(r"9+", lambda m: rf"\d{{{len(m.group())}}}", literal) + "$"
        elif id_like and profile.values.str.contains(_ID_TEXT).all():
            pattern = _ID_TEXT
    return InferredColumn(
        name,
        detection,
        required=required,
        unique=unique,
        pattern=pattern,
        missing_values=profile.markers,
        notes=tuple(notes),
    )


def _ordered_groups(names: list[str]) -> list[tuple[str, ...]]:
    """Columns whose names say they are in order: low/best/high, x_start/x_end, min_x/max_x."""
    groups = []
    lowered = {n.lower(): n for n in names}
    for family in _ORDERED_NAMES:
        if all(f in lowered for f in family):
            groups.append(tuple(lowered[f] for f in family))
        stems = {n.rsplit("_", 1)[0] for n in lowered if n.endswith(f"_{family[0]}")}
        stems |= {n.split("_", 1)[1] for n in lowered if n.startswith(f"{family[0]}_")}
        for stem in sorted(stems):
            for pattern in ("{stem}_{word}", "{word}_{stem}"):
                group = [pattern.format(stem=stem, word=w) for w in family]
                present = [lowered[g] for g in group if g in lowered]
                if len(present) >= 2:
                    groups.append(tuple(present))
    return list(dict.fromkeys(groups))


def _rules(
    schema: InferredSchema, lat: str | None, lon: str | None, country: str | None
) -> tuple[InferredRule, ...]:
    rules = []
    names = {c.name for c in schema.columns}
    if lat and lon:
        rules.append(
            InferredRule(
                {"id": "coordinates.pair", "check": "together", "columns": [lat, lon]},
                f"{lat} and {lon} are given together (or both left empty)",
            )
        )
        if country:
            rules.append(
                InferredRule(
                    {
                        "id": "location.outside_country",
                        "check": "point_in_country",
                        "country": country,
                        "latitude": lat,
                        "longitude": lon,
                    },
                    f"each point lies in its country ({country})"
                    if country not in names
                    else f"each point lies in the row's country (column {country})",
                )
            )
    comparable = {"integer", "number", "fuzzy_count", "date", "datetime", "fuzzy_date", "time"}
    kinds = {c.name: c.detection.kind for c in schema.columns}
    for group in _ordered_groups([c.name for c in schema.columns]):
        if all(kinds[g] in comparable for g in group):
            rid = "order." + re.sub(r"[^a-z0-9]+", "_", "_".join(group).lower()).strip("_")
            rules.append(
                InferredRule(
                    {"id": rid, "check": "order", "columns": list(group)},
                    f"{' ≤ '.join(group)} in every row",
                )
            )
    return tuple(rules)


def _checked(table: Table, schema: InferredSchema) -> InferredSchema:
    """The schema with every rule the table breaks turned into a suggestion (and a note on
    every column whose own checks find something, so the comment says what to expect)."""
    from toolkit.schema.model import parse_schema
    from toolkit.validation import run_validation

    parsed = parse_schema(schema.to_yaml(), f"inferred from {table.path.name}")
    report = run_validation(table, parsed, max_findings=0).report
    broken: dict[str, int] = {}
    for count in report.counts:
        broken[count.rule] = broken.get(count.rule, 0) + count.count
    rules = []
    for rule in schema.rules:
        n = broken.get(rule.options["id"], 0)
        if n:
            rid = rule.options["id"]
            why = (
                f"{rule.why.replace(' in every row', '')}: holds on {table.rows - n:,} of "
                f"{table.rows:,} rows; uncomment to find the {n:,} that break it"
            )
            rules.append(InferredRule(rule.options, why, kept=False))
            del broken[rid]
        else:
            rules.append(rule)
    by_column: dict[str, list[str]] = {}
    for count in report.counts:
        if count.rule in broken and count.column and count.severity == "error":
            by_column.setdefault(count.column, []).append(f"{count.rule} ({count.count:,})")
    columns = tuple(
        InferredColumn(
            c.name,
            c.detection,
            c.required,
            c.unique,
            c.pattern,
            c.missing_values,
            c.notes
            + (
                (f"validate finds {', '.join(by_column[c.name])} here",)
                if c.name in by_column
                else ()
            ),
        )
        for c in schema.columns
    )
    return InferredSchema(schema.name, schema.source, schema.rows, columns, tuple(rules))
