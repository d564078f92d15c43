"""Run a compiled schema over a loaded table and turn every failure into a finding.

The only place (with schema/) that touches pandera. Pandera runs each check over the whole
column and hands back its boolean output; counts come from those outputs (exact), while
messages are built for at most `max_findings` rows per rule, so memory stays bounded
however many rows fail.

Findings are made in one place, `Validation.findings`: a frame with one row per finding.
The report's findings, the workbook's Issues sheet and the rejected rows' reasons are views
of it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from datetime import date

import pandera.errors
import polars as pl

from toolkit.loading import DATE_CELLS, FIELDS, LINE, ROW, Table
from toolkit.loading.table import column_letter
from toolkit.report.model import Finding, Report, RuleCount
from toolkit.schema import CompiledSchema, Rule, Schema, compile_schema, load_schema
from toolkit.schema.rules import fill_template, shown

DEFAULT_MAX_FINDINGS = 500
_MESSAGE, _HINT, _VALUE = "__message", "__hint", "__value"
FINDING_COLUMNS = {
    "severity": pl.String,
    "rule": pl.String,
    "column": pl.String,
    "row": pl.UInt32,
    "line": pl.UInt32,
    "cell": pl.String,
    "value": pl.String,
    "message": pl.String,
    "hint": pl.String,
}


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
    structure: tuple[Finding, ...] = ()
    _cache: dict[int | None, pl.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    @property
    def table_errors(self) -> int:
        """Errors in the header: without a trustworthy header no row can be exported."""
        return sum(1 for f in self.structure if f.severity == "error")

    def error_mask(self) -> pl.Series:
        """True for every row with at least one error finding."""
        mask = pl.Series([False] * self.frame.height, dtype=pl.Boolean)
        for failure in self.failures:
            if failure.rule.severity == "error":
                mask = mask | failure.mask
        return mask

    def findings(self, limit: int | None = None) -> pl.DataFrame:
        """Every finding (at most `limit` per rule; None: all) as a frame in report order.

        Header findings come first (`row` null), then row findings by row, column (schema
        order) and rule. Columns: FINDING_COLUMNS.
        """
        if limit not in self._cache:
            parts = [_structure_frame(self.structure)]
            parts += [
                _finding_rows(self, failure, limit) for failure in self.failures if failure.count
            ]
            order = {name: i for i, name in enumerate(self.compiled.schema.names)}
            self._cache[limit] = (
                pl.concat(parts)
                .with_columns(
                    __order=pl.col("column").replace_strict(
                        order, default=-1, return_dtype=pl.Int64
                    )
                )
                .sort([pl.col("row").fill_null(0), "__order", "rule"], maintain_order=True)
                .drop("__order")
            )
        return self._cache[limit]

    def reasons(self, mask: pl.Series) -> pl.DataFrame:
        """`row` and the joined error messages of every row in `mask` (for rejected rows)."""
        errors = (
            self.findings()
            .filter((pl.col("severity") == "error") & pl.col("row").is_not_null())
            .group_by("row", maintain_order=True)
            .agg(
                pl.concat_str(
                    [
                        pl.col("rule"),
                        # a finding about the whole record (ragged) names no column
                        pl.concat_str([pl.lit(" ["), pl.col("column"), pl.lit("]")]).fill_null(""),
                        pl.lit(": "),
                        pl.col("message"),
                    ]
                )
                .str.join("; ")
                .alias("reasons")
            )
            .rename({"row": ROW})
        )
        rows = self.frame.filter(mask).select(ROW)
        return rows.join(errors, on=ROW, how="left", maintain_order="left")


def _structure_frame(findings: tuple[Finding, ...]) -> pl.DataFrame:
    return pl.DataFrame(
        [f.to_dict() for f in findings] if findings else None,
        schema=FINDING_COLUMNS,
        orient="row",
    )


def _finding_rows(validation: Validation, failure: Failure, limit: int | None) -> pl.DataFrame:
    """The findings of one failed rule (at most `limit` rows), in FINDING_COLUMNS."""
    rule = failure.rule
    table = validation.table
    out = _messages(validation, failure, limit)
    if table.sheet is not None and rule.column in table.columns:
        letter = column_letter(table.columns.index(rule.column) + table.first_column)
        cell = pl.concat_str([pl.lit(f"{table.sheet}!{letter}"), pl.col(LINE).cast(pl.String)])
    else:
        cell = pl.lit(None, pl.String)
    return out.select(
        pl.lit(rule.severity).alias("severity"),
        pl.lit(rule.id).alias("rule"),
        pl.lit(rule.column or None, pl.String).alias("column"),
        pl.col(ROW).alias("row"),
        pl.col(LINE).alias("line"),
        cell.alias("cell"),
        shown(pl.col(_VALUE)).alias("value"),
        pl.col(_MESSAGE).alias("message"),
        pl.col(_HINT).alias("hint"),
    )


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
        *(expr.cast(pl.String).alias(f"__arg{i}") for i, expr in enumerate(rule.suggest_from)),
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


# Header names are paired with schema columns only when this close (difflib's ratio): `state`
# and `status` (0.73) are different words; `evnt_id` and `event_id` (0.93) are a typo.
CLOSE_NAMES = 0.8


def _foreign(table: Table, schema: Schema) -> Finding | None:
    """One finding for a table that is not the schema's at all (most of its header unknown)."""
    names = [h.strip() for h in table.header if h.strip()]
    known = [n for n in names if n in schema.names]
    if not names or len(known) * 2 >= len(names) or len(known) * 2 >= len(schema.names):
        return None
    stem = table.path.stem or "table"
    matched = f" ({', '.join(known)})" if known else ""
    return Finding(
        "error",
        "structure.schema_mismatch",
        None,
        None,
        table.header_line,
        table.cell(table.columns[0], table.header_line),
        None,
        f"only {len(known)} of the table's {len(names)} columns {'is' if len(known) == 1 else 'are'} "
        f"in schema {schema.name}{matched}: this is another table",
        f"start its own schema with `toolkit init {table.path.name} -o {stem}.yaml`, "
        f"then validate with --schema {stem}.yaml",
    )


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
            close = difflib.get_close_matches(name, schema.names, n=1, cutoff=CLOSE_NAMES)
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
                spec.name, [h.strip() for h in table.header], n=1, cutoff=CLOSE_NAMES
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
    foreign = _foreign(table, spec)
    if foreign is not None:
        # the header says this is not the schema's table: its rows are not checked, and the
        # one finding is not buried under every unknown and missing column
        structure, missing = [foreign], set(spec.names)
    base = table.frame.select(
        ROW,
        LINE,
        FIELDS,
        DATE_CELLS,
        *(pl.col(c) if c not in missing else pl.lit(None, pl.String).alias(c) for c in spec.names),
    )
    frame = compiled.prepare(base)
    masks = [] if foreign is not None else _run_pandera(compiled, frame)
    masks.append((_ragged_rule(len(table.header)), frame.get_column(FIELDS) != len(table.header)))
    failures = tuple(Failure(rule, mask) for rule, mask in masks if rule.column not in missing)
    validation = Validation(
        report=Report(str(table.path), table.rows, f"{spec.name} {spec.version}", (), ()),
        table=table,
        compiled=compiled,
        frame=frame,
        failures=failures,
        structure=tuple(structure),
    )
    order = {name: i for i, name in enumerate(spec.names)}
    counts: list[RuleCount] = [RuleCount(f.rule, f.column, f.severity, 1) for f in structure]
    counts += [
        RuleCount(f.rule.id, f.rule.column or None, f.rule.severity, f.count)
        for f in failures
        if f.count
    ]
    counts.sort(key=lambda c: (c.severity != "error", order.get(c.column or "", -1), c.rule))
    per_rule = None if max_findings is None else max(max_findings - len(structure), 0)
    listed = validation.findings(per_rule)
    if max_findings is not None:
        listed = listed.head(max_findings)
    report = Report(
        table=str(table.path),
        rows=table.rows,
        schema=f"{spec.name} {spec.version}",
        findings=tuple(Finding(*row) for row in listed.iter_rows()),
        counts=tuple(counts),
        strict=strict,
        sheet=table.sheet,
        max_findings=max_findings,
    )
    return replace(validation, report=report)


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
