"""The declarative schema format: read a YAML file, check it, and hold it as plain values.

The format is documented in schemas/README.md. Anything the toolkit cannot check is refused
here, with the file and the problem named, before any data is read.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import polars as pl
import yaml

from toolkit.errors import SchemaDefinitionError
from toolkit.schema.yaml_source import load_yaml

Severity = Literal["error", "warning"]

KINDS = (
    "text",
    "integer",
    "number",
    "date",
    "fuzzy_date",
    "fuzzy_count",
    "vocabulary",
    "country",
    "subdivision",
    "latitude",
    "longitude",
    "url",
)
TABLE_CHECKS = ("together", "requires", "not_after", "point_in_country")

_COLUMN_KEYS = {
    "name",
    "kind",
    "required",
    "unique",
    "values",
    "min",
    "max",
    "pattern",
    "pattern_hint",
    "max_length",
    "description",
    "severity",
    "country",
    "not_future",
    "multiline",
}
_RULE_KEYS = {
    "id",
    "check",
    "columns",
    "column",
    "other",
    "when",
    "country",
    "latitude",
    "longitude",
    "message",
    "hint",
    "severity",
    "tolerance_km",
}
_RULE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a schema, as declared."""

    name: str
    kind: str
    required: bool = False
    required_severity: Severity = "error"
    unique: bool = False
    values: tuple[str, ...] = ()
    min: Any = None
    max: Any = None
    pattern: str | None = None
    pattern_hint: str | None = None
    max_length: int | None = None
    description: str = ""
    severity: Severity = "error"
    country: str | None = None
    not_future: bool = False
    multiline: bool = False


@dataclass(frozen=True)
class Condition:
    """`when: {column: status, in: [occurred]}`: the rule applies to these rows only."""

    column: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class TableRuleSpec:
    """A rule across columns (`rules:` in the schema file)."""

    id: str
    check: str
    columns: tuple[str, ...] = ()
    column: str | None = None
    other: str | None = None
    when: Condition | None = None
    country: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    message: str | None = None
    hint: str | None = None
    severity: Severity = "error"
    tolerance_km: float | None = None


@dataclass(frozen=True)
class Schema:
    """A whole schema: named, versioned, its columns in order and its table rules."""

    name: str
    version: str
    columns: tuple[ColumnSpec, ...]
    rules: tuple[TableRuleSpec, ...] = ()
    title: str = ""
    description: str = ""
    extra_columns: Severity | Literal["ignore"] = "error"
    source: str = ""
    sha256: str = ""
    _by_name: dict[str, ColumnSpec] = field(default_factory=dict, repr=False, compare=False)

    def column(self, name: str) -> ColumnSpec:
        """The column called `name`."""
        return self._by_name[name]

    @property
    def names(self) -> tuple[str, ...]:
        """Column names in schema order."""
        return tuple(c.name for c in self.columns)


def _fail(source: str, where: str, problem: str) -> SchemaDefinitionError:
    return SchemaDefinitionError(f"schema {source}: {where}: {problem}")


def _severity(source: str, where: str, value: Any) -> Severity:
    if value not in ("error", "warning"):
        raise _fail(source, where, f"severity must be 'error' or 'warning', not {value!r}")
    return value  # type: ignore[no-any-return]


def _regex_problem(pattern: object) -> str | None:
    """Why polars cannot run `pattern` (it has no look-around or back-references), or None."""
    if not isinstance(pattern, str):
        return "it must be text"
    try:
        pl.select(pl.lit("x").str.contains(pattern))
    except pl.exceptions.PolarsError as exc:
        lines = [x.strip() for x in str(exc).splitlines()]
        reason = [x.removeprefix("error: ") for x in lines if x.startswith("error: ")]
        return (reason or lines or ["invalid"])[0]
    return None


def _column(source: str, index: int, raw: Any) -> ColumnSpec:
    where = f"columns[{index}]"
    if not isinstance(raw, dict):
        raise _fail(source, where, "each column must be a mapping with at least name and kind")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip() or name.startswith("__"):
        raise _fail(source, where, "a column needs a name (text, not starting with '__')")
    where = f"column {name!r}"
    unknown = set(raw) - _COLUMN_KEYS
    if unknown:
        raise _fail(source, where, f"unknown key(s) {', '.join(sorted(unknown))}")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise _fail(source, where, f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    required = raw.get("required", False)
    if required not in (True, False, "warning"):
        raise _fail(source, where, "required must be true, false or warning")
    values = raw.get("values", [])
    if kind == "vocabulary" and (not isinstance(values, list) or not values):
        raise _fail(source, where, "a vocabulary column needs a non-empty list of values")
    if not isinstance(values, list) or not all(isinstance(v, str | int | float) for v in values):
        raise _fail(source, where, "values must be a list of plain values")
    pattern = raw.get("pattern")
    if pattern is not None:
        problem = _regex_problem(pattern)
        if problem:
            raise _fail(source, where, f"pattern is not a usable regular expression ({problem})")
    max_length = raw.get("max_length")
    if max_length is not None and (not isinstance(max_length, int) or max_length < 1):
        raise _fail(source, where, "max_length must be a positive integer")
    bounds: dict[str, Any] = {}
    for key in ("min", "max"):
        bound = raw.get(key)
        if bound is None:
            continue
        if kind in ("date", "fuzzy_date"):
            try:
                bounds[key] = date.fromisoformat(str(bound))
            except ValueError as exc:
                raise _fail(source, where, f"{key} must be an ISO date, got {bound!r}") from exc
        elif kind in ("integer", "number", "latitude", "longitude", "fuzzy_count"):
            if not isinstance(bound, int | float) or isinstance(bound, bool):
                raise _fail(source, where, f"{key} must be a number, got {bound!r}")
            bounds[key] = bound
        else:
            raise _fail(source, where, f"{key} does not apply to kind {kind}")
    if kind == "subdivision" and not isinstance(raw.get("country"), str | type(None)):
        raise _fail(source, where, "country must name the column holding the country code")
    return ColumnSpec(
        name=name,
        kind=kind,
        required=required is not False,
        required_severity="warning" if required == "warning" else "error",
        unique=bool(raw.get("unique", False)),
        values=tuple(str(v) for v in values),
        min=bounds.get("min"),
        max=bounds.get("max"),
        pattern=pattern,
        pattern_hint=raw.get("pattern_hint"),
        max_length=max_length,
        description=" ".join(str(raw.get("description", "")).split()),
        severity=_severity(source, where, raw.get("severity", "error")),
        country=raw.get("country"),
        not_future=bool(raw.get("not_future", False)),
        multiline=bool(raw.get("multiline", False)),
    )


def _rule(source: str, index: int, raw: Any, names: set[str]) -> TableRuleSpec:
    where = f"rules[{index}]"
    if not isinstance(raw, dict):
        raise _fail(source, where, "each rule must be a mapping with id and check")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise _fail(
            source, where, f"id must be a dotted name like 'date.after_source', got {rule_id!r}"
        )
    where = f"rule {rule_id!r}"
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise _fail(source, where, f"unknown key(s) {', '.join(sorted(unknown))}")
    check = raw.get("check")
    if check not in TABLE_CHECKS:
        raise _fail(source, where, f"check must be one of {', '.join(TABLE_CHECKS)}; got {check!r}")
    columns = raw.get("columns", [])
    if not isinstance(columns, list):
        raise _fail(source, where, "columns must be a list of column names")
    when = raw.get("when")
    condition = None
    if when is not None:
        if not isinstance(when, dict) or set(when) != {"column", "in"}:
            raise _fail(source, where, "when must be {column: NAME, in: [VALUES]}")
        condition = Condition(str(when["column"]), tuple(str(v) for v in when["in"]))
    spec = TableRuleSpec(
        id=rule_id,
        check=check,
        columns=tuple(columns),
        column=raw.get("column"),
        other=raw.get("other"),
        when=condition,
        country=raw.get("country"),
        latitude=raw.get("latitude"),
        longitude=raw.get("longitude"),
        message=raw.get("message"),
        hint=raw.get("hint"),
        severity=_severity(source, where, raw.get("severity", "error")),
        tolerance_km=raw.get("tolerance_km"),
    )
    needed = {
        "together": ("columns",),
        "requires": ("columns", "when"),
        "not_after": ("column", "other"),
        "point_in_country": ("country", "latitude", "longitude"),
    }[check]
    for key in needed:
        if not getattr(spec, key):
            raise _fail(source, where, f"check {check} needs {key}")
    referenced = [
        *spec.columns,
        spec.column,
        spec.other,
        spec.country,
        spec.latitude,
        spec.longitude,
    ]
    if condition:
        referenced.append(condition.column)
    for ref in referenced:
        if ref is not None and ref not in names:
            raise _fail(
                source, where, f"refers to column {ref!r}, which the schema does not declare"
            )
    return spec


def parse_schema(text: str, source: str = "<string>") -> Schema:
    """Build a Schema from YAML text; `source` names the file in error messages."""
    try:
        raw = load_yaml(text, source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "YAML"
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise _fail(source, where, str(problem)) from exc
    if not isinstance(raw, dict):
        raise _fail(source, "top level", "expected a mapping with name, version and columns")
    unknown = set(raw) - {
        "name",
        "version",
        "title",
        "description",
        "columns",
        "rules",
        "extra_columns",
    }
    if unknown:
        raise _fail(source, "top level", f"unknown key(s) {', '.join(sorted(unknown))}")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise _fail(source, "top level", "the schema needs a name")
    columns_raw = raw.get("columns")
    if not isinstance(columns_raw, list) or not columns_raw:
        raise _fail(source, "top level", "the schema needs a non-empty list of columns")
    columns = tuple(_column(source, i, c) for i, c in enumerate(columns_raw))
    names = [c.name for c in columns]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise _fail(source, "columns", f"declared more than once: {', '.join(dupes)}")
    by_name = {c.name: c for c in columns}
    for c in columns:
        if c.kind == "subdivision" and c.country and c.country not in by_name:
            raise _fail(
                source, f"column {c.name!r}", f"country refers to unknown column {c.country!r}"
            )
    rules_raw = raw.get("rules") or []
    if not isinstance(rules_raw, list):
        raise _fail(source, "rules", "rules must be a list")
    rules = tuple(_rule(source, i, r, set(names)) for i, r in enumerate(rules_raw))
    extra = raw.get("extra_columns", "error")
    if extra not in ("error", "warning", "ignore"):
        raise _fail(source, "extra_columns", "must be error, warning or ignore")
    return Schema(
        name=name,
        version=str(raw.get("version", "0")),
        columns=columns,
        rules=rules,
        title=str(raw.get("title", "")),
        description=" ".join(str(raw.get("description", "")).split()),
        extra_columns=extra,
        source=source,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        _by_name=by_name,
    )


def load_schema(path: str | Path | None = None) -> Schema:
    """Load a schema file, or the built-in events schema when `path` is None."""
    if path is None:
        text = resources.files("toolkit.schemas").joinpath("events.yaml").read_text("utf-8")
        return parse_schema(text, "events.yaml (built-in)")
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError as exc:
        raise SchemaDefinitionError(f"schema {path}: no such file") from exc
    except IsADirectoryError as exc:
        raise SchemaDefinitionError(f"schema {path}: is a directory") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaDefinitionError(f"schema {path}: cannot be read ({exc})") from exc
    return parse_schema(text, str(path))
