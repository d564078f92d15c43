"""What every table check is: a rule across columns, declared under `rules:` in a schema.

A check is a subclass of `TableCheck` in its own module of this package, with
`check = "<name>"`. Like a column kind, it declares its options as dataclass fields, refuses
columns of the wrong kind when the schema loads (`check_references`), may derive columns
while the table is prepared (`stage`), and compiles to `Rule`s (`rules`). Every check takes
`when` (the rows it applies to), `severity`, `message` and `hint`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl

from toolkit.schema import options as opt
from toolkit.schema.kinds import Column, RuleContext
from toolkit.schema.options import OptionError, Severity, option
from toolkit.schema.rules import Rule
from toolkit.schema.stages import prepare_columns


@dataclass(frozen=True)
class Condition:
    """The rows a rule applies to: `{column: status, in: [occurred]}` (trimmed text), or an
    expression over typed values (`"status = 'occurred' AND fatalities > 0"`)."""

    column: str | None = None
    values: tuple[str, ...] = ()
    expression: str | None = None

    def columns(self) -> tuple[str, ...]:
        if self.expression is not None:
            return tuple(sql_columns(self.expression))
        return (self.column,) if self.column else ()

    def expr(self, columns: Mapping[str, Column]) -> pl.Expr:
        if self.expression is not None:
            return over_typed(self.expression, columns).fill_null(False)
        assert self.column is not None
        return columns[self.column].value.is_in(list(self.values)).fill_null(False)

    def words(self) -> str:
        if self.expression is not None:
            return f"when {self.expression}"
        return f"when {self.column} is {' or '.join(self.values)}"


def read_condition(value: Any) -> Condition:
    if isinstance(value, str):
        sql_columns(value)  # refuses what polars cannot parse
        return Condition(expression=value)
    if not isinstance(value, dict) or set(value) != {"column", "in"}:
        raise OptionError(
            "must be {column: NAME, in: [VALUES]} or an expression such as \"status = 'occurred'\""
        )
    return Condition(column=str(value["column"]), values=opt.text_list(value["in"]))


def sql_columns(expression: str) -> list[str]:
    """The columns a SQL expression reads (polars' SQL dialect), in order of appearance."""
    try:
        expr = pl.sql_expr(expression)
    except Exception as exc:  # polars raises several error types for a bad expression
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise OptionError(f"is not an expression polars can read ({first})") from exc
    return list(dict.fromkeys(expr.meta.root_names()))


def over_typed(expression: str, columns: Mapping[str, Column]) -> pl.Expr:
    """A SQL expression evaluated over the typed values of the columns it names.

    The expression sees each column as its kind's typed value (a number, a Date, a count's
    best figure, trimmed text) under the column's own name, in one vectorised call.
    """
    names = sql_columns(expression)
    compiled = pl.sql_expr(expression)

    def run(batch: pl.Series) -> pl.Series:
        return batch.struct.unnest().select(compiled.alias("result")).to_series()

    typed = pl.struct([columns[n].typed().alias(n) for n in names])
    return typed.map_batches(run, return_dtype=pl.Boolean)


def check_expression(expression: str, columns: Mapping[str, Column], what: str) -> None:
    """Refuse an expression naming unknown columns or not giving true/false, at load time."""
    names = sql_columns(expression)
    unknown = [n for n in names if n not in columns]
    if unknown:
        raise OptionError(
            f"{what} refers to column {unknown[0]!r}, which the schema does not declare"
        )
    empty = pl.DataFrame({n: [] for n in names}, schema=dict.fromkeys(names, pl.String))
    try:
        typed = prepare_columns(empty, [columns[n] for n in names]).select(
            columns[n].typed().alias(n) for n in names
        )
        dtype = typed.select(pl.sql_expr(expression)).to_series().dtype
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise OptionError(f"{what} cannot be evaluated over the typed columns ({first})") from exc
    if dtype != pl.Boolean:
        raise OptionError(f"{what} must be true or false for each row, but gives {dtype}")


@dataclass(frozen=True, kw_only=True)
class TableCheck:
    """A declared rule across columns."""

    check: ClassVar[str] = ""
    registry: ClassVar[dict[str, type[TableCheck]]] = {}

    id: str
    when: Condition | None = option(read_condition)
    message: str | None = option(opt.description)
    hint: str | None = option(opt.description)
    severity: Severity = option(opt.severity, "error")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("check"):
            TableCheck.registry[cls.check] = cls

    def __post_init__(self) -> None:
        self.check_options()

    def check_options(self) -> None:
        """Refuse a missing or unusable option (raise OptionError)."""
        for f in dataclasses.fields(self):
            if f.metadata.get("required") and getattr(self, f.name) in (None, ()):
                raise OptionError(f"check {self.check} needs {f.name}")

    def referenced(self) -> tuple[str, ...]:
        """Every column the check reads (its own options' columns, then the condition's)."""
        return self.when.columns() if self.when else ()

    def check_references(self, columns: Mapping[str, Column]) -> None:
        """Refuse columns the schema does not declare, or of a kind the check cannot use."""
        for name in self.referenced():
            if name not in columns:
                raise OptionError(f"refers to column {name!r}, which the schema does not declare")
        if self.when and self.when.expression is not None:
            check_expression(self.when.expression, columns, "when")

    def applies(self, columns: Mapping[str, Column]) -> pl.Expr:
        """True for the rows the check applies to."""
        return pl.lit(True) if self.when is None else self.when.expr(columns)

    def stage(self, columns: Mapping[str, Column]) -> dict[str, pl.Expr]:
        """Columns derived while the table is prepared (stage 2, beside the parsers)."""
        return {}

    def rules(self, context: RuleContext) -> list[Rule]:
        raise NotImplementedError

    def words(self) -> str:
        """The rule in words, for the codebook."""
        raise NotImplementedError

    def described(self) -> str:
        """`words()` with the condition and severity."""
        text = self.words()
        if self.when:
            text += f", {self.when.words()}"
        if self.severity == "warning":
            text += " (warning)"
        return text

    def field(self, name: str) -> pl.Expr:
        return pl.col(self._field_name(name))

    def _field_name(self, name: str) -> str:
        return f"__{self.id}.{name}"

    def rule(
        self, context: RuleContext, column: str, ok: pl.Expr, message: str, **extra: Any
    ) -> Rule:
        """The check's rule on `column`: passes where the check does not apply."""
        applies = self.applies(context.columns)
        hint = extra.pop("hint", None)
        return Rule(
            self.id,
            column,
            self.severity,
            ~applies | ok,
            self.message or message,
            hint=self.hint if self.hint is not None else hint,
            **extra,
        )


def required(read: opt.Reader, default: Any = None) -> Any:
    """An option the check cannot do without."""
    return dataclasses.field(default=default, metadata={"read": read, "required": True})
