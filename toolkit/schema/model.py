"""The declarative schema format: read a YAML file, check it, and hold it as plain values.

The format is documented in schemas/README.md. Columns become instances of their kind's class
(`toolkit.schema.kinds`), rules of their check's class (`toolkit.schema.checks`); each reads
and checks its own options. Anything the toolkit cannot check is refused here, with the file
and the problem named, before any data is read.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from toolkit.errors import SchemaDefinitionError
from toolkit.schema import options as opt
from toolkit.schema.checks import CHECKS, TableCheck
from toolkit.schema.kinds import KINDS, Column
from toolkit.schema.options import OptionError, Severity, option_names, read_options
from toolkit.schema.yaml_source import load_yaml

_TOP_KEYS = {
    "name",
    "version",
    "title",
    "description",
    "columns",
    "rules",
    "extra_columns",
    "missing_values",
}
_RULE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@dataclass(frozen=True)
class Schema:
    """A whole schema: named, versioned, its columns in order and its table checks."""

    name: str
    version: str
    columns: tuple[Column, ...]
    rules: tuple[TableCheck, ...] = ()
    title: str = ""
    description: str = ""
    extra_columns: Severity | Literal["ignore"] = "error"
    missing_values: tuple[str, ...] = ()
    source: str = ""
    sha256: str = ""
    _by_name: dict[str, Column] = field(default_factory=dict, repr=False, compare=False)

    def column(self, name: str) -> Column:
        """The column called `name`."""
        return self._by_name[name]

    @property
    def names(self) -> tuple[str, ...]:
        """Column names in schema order."""
        return tuple(c.name for c in self.columns)

    @property
    def by_name(self) -> dict[str, Column]:
        """Columns by name."""
        return dict(self._by_name)

    def unique_columns(self) -> tuple[str, ...]:
        """Columns declared `unique` (the natural keys of a row)."""
        return tuple(c.name for c in self.columns if c.unique)


def _fail(source: str, where: str, problem: str) -> SchemaDefinitionError:
    return SchemaDefinitionError(f"schema {source}: {where}: {problem}")


def _column(source: str, index: int, raw: Any, missing: tuple[str, ...]) -> Column:
    where = f"columns[{index}]"
    if not isinstance(raw, dict):
        raise _fail(source, where, "each column must be a mapping with at least name and kind")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip() or name.startswith("__"):
        raise _fail(source, where, "a column needs a name (text, not starting with '__')")
    where = f"column {name!r}"
    kind = raw.get("kind")
    cls = KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise _fail(source, where, f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    keys = set(option_names(cls)) | {"name", "kind"}
    elsewhere = sorted(
        k for k in set(raw) - keys if any(k in option_names(c) for c in KINDS.values())
    )
    if elsewhere:
        raise _fail(source, where, f"{', '.join(elsewhere)} does not apply to kind {kind}")
    try:
        options = read_options(cls, raw, skip=("name", "kind"))
        if "missing_values" not in options and missing:
            options["missing_values"] = missing
        return cls(name=name, **options)
    except OptionError as exc:
        raise _fail(source, where, str(exc)) from exc


def _rule(source: str, index: int, raw: Any) -> TableCheck:
    where = f"rules[{index}]"
    if not isinstance(raw, dict):
        raise _fail(source, where, "each rule must be a mapping with id and check")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise _fail(
            source, where, f"id must be a dotted name like 'date.after_source', got {rule_id!r}"
        )
    where = f"rule {rule_id!r}"
    check = raw.get("check")
    cls = CHECKS.get(check) if isinstance(check, str) else None
    if cls is None:
        raise _fail(source, where, f"check must be one of {', '.join(CHECKS)}; got {check!r}")
    try:
        return cls(id=rule_id, **read_options(cls, raw, skip=("id", "check")))
    except OptionError as exc:
        raise _fail(source, where, str(exc)) from exc


def parse_schema(text: str, source: str = "<string>") -> Schema:
    """Build a Schema from YAML text; `source` names the file in error messages."""
    raw = load_yaml(text, source)
    if not isinstance(raw, dict):
        raise _fail(source, "top level", "expected a mapping with name, version and columns")
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise _fail(source, "top level", f"unknown key(s) {', '.join(sorted(unknown))}")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise _fail(source, "top level", "the schema needs a name")
    try:
        missing = opt.missing_values(raw.get("missing_values", []))
    except OptionError as exc:
        raise _fail(source, "missing_values", str(exc).removeprefix("must ")) from exc
    columns_raw = raw.get("columns")
    if not isinstance(columns_raw, list) or not columns_raw:
        raise _fail(source, "top level", "the schema needs a non-empty list of columns")
    columns = tuple(_column(source, i, c, missing) for i, c in enumerate(columns_raw))
    names = [c.name for c in columns]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise _fail(source, "columns", f"declared more than once: {', '.join(dupes)}")
    by_name = {c.name: c for c in columns}
    for c in columns:
        try:
            c.check_references(by_name)
        except OptionError as exc:
            raise _fail(source, f"column {c.name!r}", str(exc)) from exc
    rules_raw = raw.get("rules") or []
    if not isinstance(rules_raw, list):
        raise _fail(source, "rules", "rules must be a list")
    rules = tuple(_rule(source, i, r) for i, r in enumerate(rules_raw))
    for rule in rules:
        try:
            rule.check_references(by_name)
        except OptionError as exc:
            raise _fail(source, f"rule {rule.id!r}", str(exc)) from exc
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
        missing_values=missing,
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
