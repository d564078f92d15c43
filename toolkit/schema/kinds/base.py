"""What every column kind is: a declared column that knows its text, rules and outputs.

A kind is a subclass of `Column` in its own module of this package, with `kind = "<name>"`.
It declares its options as dataclass fields (`option(reader)`), and says, over whole columns
as polars expressions:

- `parse()`: the typed fields it reads from the trimmed text (stage 2 of `prepare`);
- `kind_rules()`: the rules it brings, on top of the ones every column gets (`common_rules`);
- `canonical()`: its text in the clean CSV;
- `outputs()`: its columns in the Parquet file (name, values, description, source column);
- `cell()`: what its workbook cells hold (text, or a number, date or time);
- `interval()` / `number()` / `typed()`: its values for the table checks that order, add or
  compute over columns (None: the kind does not take part, and a check naming it is refused);
- `facts()`: what the codebook says about it.

Derived columns are named by `field()` and nobody outside the kind reads them by name.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

import polars as pl

from toolkit.schema import options as opt
from toolkit.schema.options import OptionError, Severity, option
from toolkit.schema.profile import Detection, Profile
from toolkit.schema.rules import Rule

_CONTROL_SINGLE_LINE = r"[\x00-\x1f\x7f-\x9f\u2028\u2029]"
# multi-line text may hold line feeds, carriage returns and tabs
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]"
_BREAKS = r"[\t\n\r\u2028\u2029\x85]"
_INVISIBLE = r"[\u00a0\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
# one screen for everything the hygiene rules look for: control and invisible characters,
# leading or trailing whitespace
_SUSPECT = rf"{_CONTROL_SINGLE_LINE}|{_INVISIBLE}|^\s|\s$"

ROW = "__row"  # the row number column of a prepared frame (see toolkit.loading)


@dataclass(frozen=True)
class Output:
    """One column a kind adds to the Parquet file."""

    name: str
    values: pl.Expr
    description: str
    source: str  # the schema column it comes from
    canonical: bool = False  # the values are the column's canonical text (the CSV's)


@dataclass(frozen=True)
class RuleContext:
    """What rules may depend on besides their own column."""

    today: date
    columns: Mapping[str, Column]


def _required(value: Any) -> bool | str:
    if value not in (True, False, "warning"):
        raise OptionError("must be true, false or warning")
    return value  # type: ignore[no-any-return]


@dataclass(frozen=True, kw_only=True)
class Column:
    """A declared column: the options every kind has, and the defaults of every behaviour."""

    kind: ClassVar[str] = ""
    summary: ClassVar[str] = ""  # what it accepts, in words (codebook, hints)
    # `toolkit init` asks the kinds in this order whether a column is theirs (lower first)
    detect_rank: ClassVar[int] = 500
    # workbook: the column is formatted as text, so what an editor types stays as typed
    text_cells: ClassVar[bool] = True
    registry: ClassVar[dict[str, type[Column]]] = {}

    name: str
    required: bool | str = option(_required, False)
    unique: bool = option(opt.flag, False)
    pattern: str | None = option(opt.regex)
    pattern_hint: str | None = option(opt.description)
    max_length: int | None = option(opt.positive_int)
    description: str = option(opt.description, "")
    severity: Severity = option(opt.severity, "error")
    missing_values: tuple[str, ...] = option(opt.missing_values, ())

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("kind"):
            Column.registry[cls.kind] = cls

    def __post_init__(self) -> None:
        self.check_options()

    def check_options(self) -> None:
        """Refuse combinations of options that cannot work (raise OptionError): by default,
        a minimum above the maximum."""
        low, high = getattr(self, "min", None), getattr(self, "max", None)
        if low is not None and high is not None and low > high:
            raise OptionError(f"min ({_bound_text(low)}) is greater than max ({_bound_text(high)})")

    def check_references(self, columns: Mapping[str, Column]) -> None:
        """Refuse options naming other columns that do not exist or are of the wrong kind."""

    @property
    def required_severity(self) -> Severity:
        """Severity of a missing value: `required: warning` only warns."""
        return "warning" if self.required == "warning" else "error"

    # --- derived columns ----------------------------------------------------------------

    def field(self, name: str) -> pl.Expr:
        """A derived column of this column (its trimmed text, a parsed field)."""
        return pl.col(self._field_name(name))

    def _field_name(self, name: str) -> str:
        return f"__{self.name}.{name}"

    @property
    def raw(self) -> pl.Expr:
        """The text as read."""
        return pl.col(self.name)

    @property
    def value(self) -> pl.Expr:
        """The trimmed text; blank and declared missing values count as missing."""
        return self.field("value")

    def screen_stage(self) -> dict[str, pl.Expr]:
        """Stage 0: flag values with control or invisible characters or surrounding space."""
        return {self._field_name("suspect"): self.raw.str.contains(_SUSPECT).fill_null(False)}

    def value_stage(self) -> dict[str, pl.Expr]:
        """Stage 1: the trimmed text, with missing-value markers as nulls."""
        raw, suspect = self.raw, self.field("suspect")
        # only values the screen flagged can have surrounding whitespace or be blank
        stripped = pl.when(suspect).then(raw).str.strip_chars()
        value: pl.Expr = (
            pl.when(suspect)
            .then(pl.when(stripped.str.len_bytes() > 0).then(stripped))
            .when(raw.str.len_bytes() > 0)
            .then(raw)
        )
        if self.missing_values:
            value = pl.when(value.is_in(list(self.missing_values))).then(None).otherwise(value)
        return {self._field_name("value"): value}

    def parse_stage(self, columns: Mapping[str, Column]) -> dict[str, pl.Expr]:
        """Stage 2: the typed fields `parse` reads from the trimmed text (a kind whose
        values depend on another column's reads that column's trimmed text too)."""
        return {self._field_name(k): v for k, v in self.parse().items()}

    def parse(self) -> dict[str, pl.Expr]:
        """The typed fields of the kind, as expressions over `value`."""
        return {}

    # --- rules --------------------------------------------------------------------------

    def rules(self, context: RuleContext) -> list[Rule]:
        """Every rule the column brings."""
        return self.common_rules() + self.kind_rules(context)

    def kind_rules(self, context: RuleContext) -> list[Rule]:
        """The rules of the kind itself."""
        return []

    def parse_rule(self, rule_id: str, parsed_ok: pl.Expr, what: str, hint: str | None) -> Rule:
        """A present value that does not parse: `'{value}' is not <what>`."""
        return Rule(
            rule_id,
            self.name,
            self.severity,
            (self.value.is_null() | parsed_ok).fill_null(False),
            f"'{{value}}' is not {what}",
            hint=hint,
        )

    def range_rules(
        self, rule_id: str, low: pl.Expr, high: pl.Expr, minimum: Any, maximum: Any
    ) -> list[Rule]:
        """A minimum and a maximum, each its own finding with its own message."""
        rules = []
        if minimum is not None:
            rules.append(
                Rule(
                    rule_id,
                    self.name,
                    self.severity,
                    (low >= minimum).fill_null(True),
                    f"'{{value}}' is below the minimum {_bound_text(minimum)}",
                    hint=f"{self.name} must be at least {_bound_text(minimum)}",
                    variant="min",
                )
            )
        if maximum is not None:
            rules.append(
                Rule(
                    rule_id,
                    self.name,
                    self.severity,
                    (high <= maximum).fill_null(True),
                    f"'{{value}}' is above the maximum {_bound_text(maximum)}",
                    hint=f"{self.name} must be at most {_bound_text(maximum)}",
                    variant="max",
                )
            )
        return rules

    def common_rules(self) -> list[Rule]:
        """Rules every column gets: required, unique, pattern, length, and invisible damage."""
        n, sev = self.name, self.severity
        v = self.value
        present = v.is_not_null()
        rules = []
        if self.required:
            rules.append(
                Rule(
                    "value.required",
                    n,
                    self.required_severity,
                    present,
                    f"{n} is required but empty",
                    hint=self.description or None,
                )
            )
        if self.unique:
            rules.append(
                Rule(
                    "value.unique",
                    n,
                    sev,
                    (~present | ~duplicated(v)).fill_null(True),
                    f"{n} '{{value}}' appears {{copies}} times (first in row {{first}})",
                    hint=f"each {n} must be unique",
                    fields={"copies": pl.len().over(v), "first": pl.col(ROW).min().over(v)},
                )
            )
        if self.pattern:
            rules.append(
                Rule(
                    "value.pattern",
                    n,
                    sev,
                    (~present | v.str.contains(self.pattern)).fill_null(False),
                    f"'{{value}}' does not match the pattern of {n}",
                    hint=self.pattern_hint or f"expected {self.pattern}",
                )
            )
        if self.max_length:
            rules.append(
                Rule(
                    "value.too_long",
                    n,
                    sev,
                    (v.str.len_chars() <= self.max_length).fill_null(True),
                    f"{n} is {{length}} characters long; the limit is {self.max_length}",
                    hint="shorten it"
                    + (
                        " (an Excel cell holds 32,767 characters)"
                        if self.max_length == 32767
                        else ""
                    ),
                    fields={"length": v.str.len_chars()},
                )
            )
        return rules + self.hygiene_rules()

    def hygiene_rules(self) -> list[Rule]:
        """Control characters, invisible characters and surrounding spaces."""
        n, sev = self.name, self.severity
        present = self.value.is_not_null()
        # the specific patterns only run on the few values the one-pass screen flagged
        raw = pl.when(self.field("suspect")).then(self.raw)
        return [
            Rule(
                "text.control_characters",
                n,
                sev,
                (~raw.str.contains(self.control_characters())).fill_null(True),
                f"{n} contains control characters{self.control_words()}",
                hint="{control_hint}",
                fields={"control_hint": self.control_hint(raw)},
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

    def control_characters(self) -> str:
        """The characters `text.control_characters` refuses (a regex class)."""
        return _CONTROL_SINGLE_LINE

    def control_words(self) -> str:
        return " or line breaks"

    def control_hint(self, raw: pl.Expr) -> pl.Expr:
        """The hint for a value with control characters: line breaks are their own case."""
        retype = "retype the value; control characters usually come from copy and paste"
        return (
            pl.when(raw.str.replace_all(_BREAKS, "").str.contains(self.control_characters()))
            .then(pl.lit(retype))
            .otherwise(pl.lit(self.line_break_hint()))
        )

    def line_break_hint(self) -> str:
        return f"{self.name} is one line: remove the line breaks and tabs"

    # --- outputs ------------------------------------------------------------------------

    def canonical(self) -> pl.Expr:
        """The clean-CSV text of the column."""
        return self.value

    def outputs(self) -> list[Output]:
        """The column's Parquet columns: by default its canonical text."""
        return [Output(self.name, self.canonical(), self.description, self.name, canonical=True)]

    def cell(self) -> pl.Expr:
        """What the workbook cell holds: text by default (String), or a typed value."""
        return self.canonical()

    def choices(self) -> tuple[str, ...]:
        """The values a workbook dropdown offers (none by default)."""
        return ()

    # --- values for table checks ----------------------------------------------------------

    def interval(self) -> tuple[pl.Expr, pl.Expr] | None:
        """The least and greatest value a cell can mean, for ordering checks (None: unordered)."""
        return None

    def number(self) -> pl.Expr | None:
        """The cell as a number for arithmetic checks (None: not a number kind)."""
        return None

    def typed(self) -> pl.Expr:
        """The cell as a typed value, for expressions (`when`, `expression`)."""
        return self.value

    def ordering(self) -> str | None:
        """What the interval's values are (`number`, `date`, `time`); checks compare like with like."""
        return None

    # --- inference --------------------------------------------------------------------

    @classmethod
    def detect(cls, profile: Profile) -> Detection | None:
        """Whether every value of the profiled column is of this kind (`toolkit init`)."""
        return None

    # --- the codebook -------------------------------------------------------------------

    def accepts(self) -> str:
        """What the column accepts, in words, with its declared forms (for the codebook)."""
        return self.summary

    def facts(self) -> dict[str, Any]:
        """What the codebook says about the column, in schema-file terms (None: not set)."""
        facts: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "required": "warning"
            if self.required == "warning"
            else ("yes" if self.required else "no"),
            "description": self.description,
            "accepts": self.accepts(),
        }
        for f in dataclasses.fields(self):
            if "read" not in f.metadata or f.name in ("required", "description"):
                continue
            value = getattr(self, f.name)
            if value in (None, (), False, "") or (f.name == "severity" and value == "error"):
                continue
            facts[f.name] = _fact(value)
        return facts


def _fact(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_fact(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _bound_text(bound: Any) -> str:
    return bound.isoformat() if hasattr(bound, "isoformat") else str(bound)


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


def duplicated(v: pl.Expr) -> pl.Expr:
    """True for every value that appears more than once (nulls included)."""
    return v.map_batches(_duplicated_series, return_dtype=pl.Boolean)


def per_value(
    columns: list[pl.Expr], lookup: Callable[..., Any], dtype: pl.DataType | type[pl.DataType]
) -> pl.Expr:
    """`lookup(*values)` for each distinct combination of the columns' values, mapped back.

    For look-ups that only Python can do (a country name, a subdivision of a country):
    they run once per distinct value, and a table repeats its places a lot. A row with a
    null in any column gets null.
    """

    def run(batch: pl.Series) -> pl.Series:
        frame = batch.struct.unnest()
        keys = frame.columns
        distinct = frame.drop_nulls().unique(maintain_order=True)
        mapped = pl.Series("__mapped", [lookup(*row) for row in distinct.iter_rows()], dtype=dtype)
        table = distinct.with_columns(mapped)
        return frame.join(table, on=keys, how="left", maintain_order="left").get_column("__mapped")

    names = [f"__arg{i}" for i in range(len(columns))]
    return pl.struct([c.alias(n) for c, n in zip(columns, names, strict=True)]).map_batches(
        run, return_dtype=dtype
    )


def matches(values: pl.Series, pattern: str) -> pl.Series:
    """Which of `values` contain a match of `pattern`."""
    return values.str.contains(pattern)


def through(values: pl.Series, expr: Callable[[pl.Expr], pl.Expr]) -> pl.Series:
    """`expr` applied to `values` (a Series) as a polars expression."""
    return values.to_frame("v").select(expr(pl.col("v"))).to_series()


def rows(n: int) -> str:
    """`1 value`, `1,848 values`."""
    return f"{n:,} value" + ("" if n == 1 else "s")
