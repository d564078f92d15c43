"""The one place `diff` reaches into validation and canonical text.

Everything the comparison needs from the rest of the toolkit passes through these few
functions, so a change to how schemas, validation or canonical values work is re-pointed
here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

from toolkit.export.frames import clean_text
from toolkit.loading import LINE, ROW, Table
from toolkit.report import Finding, Report
from toolkit.schema import CompiledSchema, Schema, compile_schema, load_schema
from toolkit.validation import Validation, run_validation


def compiled_schema(schema: Schema | CompiledSchema | None) -> CompiledSchema:
    """`schema` compiled (the built-in events schema when None)."""
    if isinstance(schema, CompiledSchema):
        return schema
    return compile_schema(schema if schema is not None else load_schema())


def column_names(compiled: CompiledSchema) -> tuple[str, ...]:
    """The schema's columns, in schema order: what a diff compares."""
    return compiled.schema.names


def unique_columns(compiled: CompiledSchema) -> list[str]:
    """The columns the schema declares unique (candidates for the default key)."""
    return [c.name for c in compiled.schema.columns if c.unique]


def schema_label(compiled: CompiledSchema) -> str:
    """`events 1.0`: how reports name the schema."""
    return f"{compiled.schema.name} {compiled.schema.version}"


@dataclass(frozen=True)
class Version:
    """One validated version of a table, as the comparison sees it.

    `frame` holds `__row`, `__line` and every schema column as typed (null where the
    table lacks the column); `findings` every row-level finding (severity, rule, column,
    row, line, message, hint); `header` the findings about the header (row None).
    """

    table: Table
    report: Report
    frame: pl.DataFrame
    findings: pl.DataFrame
    header: tuple[Finding, ...]
    _validation: Validation

    def canonical(self, mask: pl.Series | None = None) -> pl.DataFrame:
        """Canonical text of every schema column for the rows in `mask` (all rows if None)."""
        prepared = self._validation.frame
        return clean_text(prepared if mask is None else prepared.filter(mask), self._schema)

    def canonical_of(self, columns: list[str]) -> pl.DataFrame:
        """Canonical text of some schema columns for every row (the key, on a whole table)."""
        specs = tuple(c for c in self._schema.columns if c.name in columns)
        return clean_text(self._validation.frame, replace(self._schema, columns=specs))

    @property
    def _schema(self) -> Schema:
        return self._validation.compiled.schema


def validate_version(table: Table, compiled: CompiledSchema) -> Version:
    """Validate `table` and keep what a comparison needs."""
    # Header findings are listed before row findings and number at most two per header
    # entry plus one per schema column; this bound lists all of them while messages for
    # row findings (which `listing` provides as a frame) are built for few rows only.
    bound = 2 * len(table.header) + len(compiled.schema.columns) + 1
    validation = run_validation(table, compiled, max_findings=bound)
    names = column_names(compiled)
    return Version(
        table=table,
        report=validation.report,
        frame=validation.frame.select(ROW, LINE, *names),
        findings=validation.listing(limit=None),
        header=tuple(f for f in validation.report.findings if f.row is None),
        _validation=validation,
    )
