"""Run a compiled schema over a loaded table and turn every failure into a finding.

The only place (with schema/) that touches pandera. Pandera runs each check over the whole
column and hands back its boolean output; counts come from those outputs (exact), while
messages are built for at most `max_findings` rows per rule, so memory stays bounded
however many rows fail.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

import pandera.errors
import polars as pl

from toolkit.loading import DATE_CELLS, FIELDS, LINE, ROW, Table
from toolkit.report.model import Finding, Report, RuleCount
from toolkit.schema import CompiledSchema, Rule, Schema, compile_schema, load_schema
from toolkit.schema.rules import fill_template

DEFAULT_MAX_FINDINGS = 500
_MESSAGE, _HINT, _VALUE = "__message", "__hint", "__value"


@dataclass(frozen=True)
class Failure:
    """The rows one rule failed on, as a boolean mask over the table's rows."""

    rule: Rule
    mask: pl.Series

    @property
    def count(self) -> int:
        return int(self.mask.sum())


@dataclass(frozen=True)
class Validation:
    """Everything a validation run produced: the report, and what export needs."""

    report: Report
    table: Table
    compiled: CompiledSchema
    frame: pl.DataFrame
    failures: tuple[Failure, ...]
    table_errors: int

    def error_mask(self) -> pl.Series:
        """True for every row with at least one error finding."""
        mask = pl.Series([False] * self.frame.height, dtype=pl.Boolean)
        for failure in self.failures:
            if failure.rule.severity == "error":
                mask = mask | failure.mask
        return mask

    def listing(self, limit: int | None = None) -> pl.DataFrame:
        """Every row-level finding (at most `limit` per rule) as a frame, in row order."""
        parts = [
            _messages(self, failure, limit).select(
                pl.lit(failure.rule.severity).alias("severity"),
                pl.lit(failure.rule.id).alias("rule"),
                pl.lit(failure.rule.column or None, pl.String).alias("column"),
                pl.col(ROW).alias("row"),
                pl.col(LINE).alias("line"),
                pl.col(_MESSAGE).alias("message"),
                pl.col(_HINT).alias("hint"),
            )
            for failure in self.failures
            if failure.count
        ]
        if not parts:
            return pl.DataFrame(
                schema={
                    "severity": pl.String,
                    "rule": pl.String,
                    "column": pl.String,
                    "row": pl.UInt32,
                    "line": pl.UInt32,
                    "message": pl.String,
                    "hint": pl.String,
                }
            )
        return pl.concat(parts).sort("row", maintain_order=True)

    def reasons(self, mask: pl.Series) -> pl.DataFrame:
        """`row` and the joined error messages of every row in `mask` (for rejected rows)."""
        parts = [
            _messages(self, failure, limit=None).select(
                ROW,
                pl.concat_str(
                    [pl.lit(f"{failure.rule.id} [{failure.rule.column}]: "), _MESSAGE]
                ).alias("reason"),
            )
            for failure in self.failures
            if failure.rule.severity == "error" and failure.count
        ]
        if not parts:
            return pl.DataFrame(schema={ROW: pl.UInt32, "reasons": pl.String})
        rows = self.frame.filter(mask).select(ROW)
        joined = (
            pl.concat(parts)
            .group_by(ROW, maintain_order=True)
            .agg(pl.col("reason").str.join("; ").alias("reasons"))
        )
        return rows.join(joined, on=ROW, how="left")


def _messages(validation: Validation, failure: Failure, limit: int | None) -> pl.DataFrame:
    """Rows, values, messages and hints for the rows `failure` lists (at most `limit`)."""
    rule = failure.rule
    frame = validation.frame
    names = set(frame.columns) | set(rule.fields)
    # Fields are computed over the failing rows only: row-local fields do not care, and the
    # window fields of value.unique (copies, first row) see every copy, since all copies fail.
    lf = frame.lazy().filter(failure.mask)
    if rule.fields:
        lf = lf.with_columns(**rule.fields)
    if limit is not None:
        lf = lf.head(limit)
    value = pl.col(rule.column) if rule.column in frame.columns else pl.lit(None, pl.String)
    out = lf.select(
        ROW,
        LINE,
        value.cast(pl.String).alias(_VALUE),
        fill_template(rule.message, rule.column, names).alias(_MESSAGE),
        (
            fill_template(rule.hint, rule.column, names) if rule.hint else pl.lit(None, pl.String)
        ).alias(_HINT),
        *(
            pl.col(c).alias(f"__arg{i}")
            if c in frame.columns
            else pl.lit(None, pl.String).alias(f"__arg{i}")
            for i, c in enumerate(rule.suggest_from)
        ),
    ).collect()
    if rule.suggest is not None and out.height:
        args = [_VALUE, *(f"__arg{i}" for i in range(len(rule.suggest_from)))]
        distinct = out.select(args).unique()
        suggest = rule.suggest
        hints = [
            suggest(*(row[a] if row[a] is not None else "" for a in args))
            if row[_VALUE] is not None
            else None
            for row in distinct.iter_rows(named=True)
        ]
        distinct = distinct.with_columns(pl.Series("__suggested", hints, dtype=pl.String))
        out = out.join(distinct, on=args, how="left", nulls_equal=True, maintain_order="left")
        out = out.with_columns(pl.coalesce("__suggested", _HINT).alias(_HINT)).drop("__suggested")
    return out


def _structure_findings(table: Table, schema: Schema) -> tuple[list[Finding], set[str]]:
    """Findings about the header: missing, repeated, blank, padded or unknown columns."""
    findings: list[Finding] = []
    header_line = table.header_line
    present = set(table.columns)
    seen: dict[str, int] = {}
    for i, raw in enumerate(table.header):
        name = raw.strip()

        def add(
            severity: str,
            rule: str,
            message: str,
            hint: str | None,
            column: str | None = name,
            i: int = i,
            raw: str = raw,
        ) -> None:
            findings.append(
                Finding(
                    severity,
                    rule,
                    column or None,
                    None,
                    header_line,
                    table.cell(table.columns[i], header_line),
                    raw,
                    message,
                    hint,
                )
            )

        if not name:
            has_data = table.frame.get_column(table.columns[i]).drop_nulls().len() > 0
            add(
                "error" if has_data else "warning",
                "structure.blank_header",
                f"column {i + 1} has no name" + (" but holds data" if has_data else ""),
                "name the column or delete it",
                column=None,
            )
            continue
        if name in seen:
            add(
                "error",
                "structure.duplicate_column",
                f"column '{name}' appears twice in the header "
                f"(columns {seen[name] + 1} and {i + 1})",
                "delete or rename one of them",
            )
            continue
        seen[name] = i
        if raw != name:
            add(
                "warning",
                "structure.header_whitespace",
                f"header '{raw}' has leading or trailing spaces",
                "remove the spaces from the header",
            )
        if name not in schema.names and schema.extra_columns != "ignore":
            close = difflib.get_close_matches(name, schema.names, n=1, cutoff=0.6)
            add(
                schema.extra_columns,
                "structure.unknown_column",
                f"column '{name}' is not in schema {schema.name}",
                f"did you mean '{close[0]}'?" if close else "remove it or add it to the schema",
            )
    missing = {c.name for c in schema.columns if c.name not in present}
    for spec in schema.columns:
        if spec.name in missing and spec.required:
            close = difflib.get_close_matches(
                spec.name, [h.strip() for h in table.header], n=1, cutoff=0.6
            )
            findings.append(
                Finding(
                    "error",
                    "structure.missing_column",
                    spec.name,
                    None,
                    header_line,
                    None,
                    None,
                    f"required column '{spec.name}' is missing",
                    f"is '{close[0]}' meant to be '{spec.name}'?"
                    if close
                    else f"add a column named '{spec.name}'",
                )
            )
    return findings, missing


def _ragged_rule(width: int) -> Rule:
    return Rule(
        "structure.ragged",
        "",
        "error",
        pl.col(FIELDS) == width,
        f"the record has {{{FIELDS}}} fields; the header has {width}",
        hint="check for a missing or extra delimiter (quote fields that contain commas)",
    )


def _run_pandera(compiled: CompiledSchema, frame: pl.DataFrame) -> list[tuple[Rule, pl.Series]]:
    try:
        compiled.pandera.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        out = []
        for err in exc.schema_errors:
            check = err.check
            key = getattr(check, "name", None)
            rule = compiled.rules.get(key) if isinstance(key, str) else None
            if rule is None or err.check_output is None:
                raise RuntimeError(f"unexpected schema failure: {err}") from exc
            output = err.check_output.get_column(err.check_output.columns[-1])
            out.append((rule, ~output.fill_null(True)))
        return out
    return []


def run_validation(
    table: Table,
    schema: Schema | CompiledSchema | None = None,
    *,
    max_findings: int | None = DEFAULT_MAX_FINDINGS,
    strict: bool = False,
    today: date | None = None,
) -> Validation:
    """Validate `table` and keep what export needs (masks, prepared frame)."""
    if isinstance(schema, CompiledSchema):
        compiled = schema
    else:
        compiled = compile_schema(schema or load_schema(), today=today)
    spec = compiled.schema
    structure, missing = _structure_findings(table, spec)
    base = table.frame.select(
        ROW,
        LINE,
        FIELDS,
        DATE_CELLS,
        *(pl.col(c) if c not in missing else pl.lit(None, pl.String).alias(c) for c in spec.names),
    )
    frame = compiled.prepare(base)
    masks = _run_pandera(compiled, frame)
    masks.append((_ragged_rule(len(table.header)), frame.get_column(FIELDS) != len(table.header)))
    failures = tuple(
        Failure(rule, mask)
        for rule, mask in masks
        if rule.column not in missing and not any(c in missing for c in rule.suggest_from)
    )
    validation = Validation(
        report=Report(
            table=str(table.path),
            rows=table.rows,
            schema=f"{spec.name} {spec.version}",
            findings=(),
            counts=(),
        ),
        table=table,
        compiled=compiled,
        frame=frame,
        failures=failures,
        table_errors=sum(1 for f in structure if f.severity == "error"),
    )
    order = {name: i for i, name in enumerate(spec.names)}
    listed: list[Finding] = list(structure)
    counts: list[RuleCount] = [RuleCount(f.rule, f.column, f.severity, 1) for f in structure]
    for failure in failures:
        count = failure.count
        if not count:
            continue
        rule = failure.rule
        counts.append(RuleCount(rule.id, rule.column or None, rule.severity, count))
        limit = None if max_findings is None else max(max_findings - len(structure), 0)
        if limit == 0:
            continue
        rows = _messages(validation, failure, limit)
        for row, line, value, message, hint in rows.select(
            ROW, LINE, _VALUE, _MESSAGE, _HINT
        ).iter_rows():
            cell = table.cell(rule.column, line)
            listed.append(
                Finding(
                    rule.severity,
                    rule.id,
                    rule.column or None,
                    row,
                    line,
                    cell,
                    value,
                    message,
                    hint,
                )
            )
    listed.sort(key=lambda f: (f.row or 0, order.get(f.column or "", -1), f.rule))
    if max_findings is not None:
        listed = listed[:max_findings]
    counts.sort(key=lambda c: (c.severity != "error", order.get(c.column or "", -1), c.rule))
    report = Report(
        table=str(table.path),
        rows=table.rows,
        schema=f"{spec.name} {spec.version}",
        findings=tuple(listed),
        counts=tuple(counts),
        strict=strict,
        sheet=table.sheet,
        max_findings=max_findings,
    )
    return Validation(report, table, compiled, frame, failures, validation.table_errors)


def validate_table(
    table: Table,
    schema: Schema | CompiledSchema | None = None,
    *,
    max_findings: int | None = DEFAULT_MAX_FINDINGS,
    strict: bool = False,
    today: date | None = None,
) -> Report:
    """Validate a loaded table against a schema (the built-in events schema by default).

    Example:
        >>> report = validate_table(load_table("fixtures/events.csv"))
        >>> report.valid, report.errors
        (True, 0)
    """
    return run_validation(
        table, schema, max_findings=max_findings, strict=strict, today=today
    ).report
