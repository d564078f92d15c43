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
from toolkit.report import Finding
from toolkit.schema import CompiledSchema, Schema, compile_schema, load_schema
from toolkit.validation import run_validation


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
    table lacks the column); `key` the canonical text of the key columns, row-aligned with
    `frame`; `findings` every row-level finding (severity, rule, column, row, line, cell,
    value, message, hint); `header` the findings about the header (row None). The validation's prepared
    frame is not kept: it is about as large as the table again, and a diff holds two.
    """

    table: Table
    frame: pl.DataFrame
    key: pl.DataFrame
    findings: pl.DataFrame
    header: tuple[Finding, ...]
    compiled: CompiledSchema

    def canonical(self, rows: pl.Series) -> pl.DataFrame:
        """`__row` and the canonical text of every schema column, for the rows numbered `rows`.

        Canonical text is a function of each cell alone, so preparing only these rows gives
        the values the whole table would.
        """
        frame = self.table.frame
        subset = replace(self.table, frame=frame.filter(pl.col(ROW).is_in(rows.implode())))
        validation = run_validation(subset, self.compiled, max_findings=0)
        return pl.concat(
            [validation.frame.select(ROW), clean_text(validation.frame, self.compiled.schema)],
            how="horizontal",
        )


def validate_version(table: Table, compiled: CompiledSchema, key: list[str]) -> Version:
    """Validate `table` and keep what a comparison needs, with the canonical `key` columns."""
    # Header findings are listed before row findings and number at most two per header
    # entry plus one per schema column; this bound lists all of them while messages for
    # row findings (which `findings` provides as a frame) are built for few rows only.
    bound = 2 * len(table.header) + len(compiled.schema.columns) + 1
    validation = run_validation(table, compiled, max_findings=bound)
    schema = compiled.schema
    # A schema narrowed to the key: the whole table's clean text would compose every column
    # (about 1.5 s per million rows) to read one.
    key_only = replace(schema, columns=tuple(c for c in schema.columns if c.name in key))
    return Version(
        table=table,
        # lazily: an eager select on the wide prepared frame costs most of a second per 1M rows
        frame=validation.frame.lazy().select(ROW, LINE, *column_names(compiled)).collect(),
        key=clean_text(validation.frame, key_only),
        findings=validation.findings(None).filter(pl.col("row").is_not_null()),
        header=tuple(f for f in validation.report.findings if f.row is None),
        compiled=compiled,
    )
