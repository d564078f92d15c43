"""Compile a Schema into derived-column stages and a pandera polars DataFrameSchema.

Every rule becomes a registered pandera Check built from its polars expression; column
rules sit on their Column, cross-column rules on the DataFrameSchema. Pandera runs them all
lazily (every failure in one run) on an eager, prepared frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandera.polars as pa
import polars as pl

from toolkit.schema import kinds
from toolkit.schema.model import Schema
from toolkit.schema.rules import Rule
from toolkit.schema.table_rules import location_stage, table_rules

OK = "ok"


@dataclass(frozen=True)
class CompiledSchema:
    """What validation runs: stages that derive typed columns, then the pandera schema."""

    schema: Schema
    stages: tuple[dict[str, pl.Expr], ...]
    rules: dict[str, Rule]
    pandera: pa.DataFrameSchema

    def prepare(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Add the derived columns (trimmed text, parsed values, locations) to `frame`."""
        lazy = frame.lazy()  # lazy, so shared sub-expressions (regex captures) run once
        for stage in self.stages:
            if stage:
                lazy = lazy.with_columns(**stage)
        return lazy.collect()


def _check(rule: Rule) -> pa.Check:
    ok = rule.ok.fill_null(True).alias(OK)
    return pa.Check(
        lambda data: data.lazyframe.select(ok),
        name=rule.key,
        error=rule.key,
        ignore_na=False,
    )


def compile_schema(schema: Schema, *, today: date | None = None) -> CompiledSchema:
    """Compile `schema`; `today` fixes the date for 'not in the future' rules (tests)."""
    today = today or date.today()
    rules: dict[str, Rule] = {}
    column_checks: dict[str, list[pa.Check]] = {c.name: [] for c in schema.columns}
    frame_checks: list[pa.Check] = []
    for spec in schema.columns:
        for rule in kinds.column_rules(spec, schema, today):
            rules[rule.key] = rule
            column_checks[spec.name].append(_check(rule))
    for table_spec in schema.rules:
        for rule in table_rules(table_spec, schema):
            rules[rule.key] = rule
            # a cross-column rule still reports one column: as that column's check, pandera
            # keeps only that column of the failing rows (a frame check copies whole rows
            # into Python objects: 0.25 s for a thousand failures)
            target = column_checks.get(rule.column) if rule.column else None
            (frame_checks if target is None else target).append(_check(rule))
    columns = {
        name: pa.Column(pl.String, nullable=True, coerce=False, checks=checks)
        for name, checks in column_checks.items()
    }
    stages = (
        {k: v for spec in schema.columns for k, v in kinds.screen_stage(spec).items()},
        {k: v for spec in schema.columns for k, v in kinds.value_stage(spec).items()},
        {
            **{k: v for spec in schema.columns for k, v in kinds.parse_stage(spec).items()},
            **location_stage(schema),
        },
    )
    return CompiledSchema(
        schema=schema,
        stages=stages,
        rules=rules,
        pandera=pa.DataFrameSchema(columns, checks=frame_checks, name=schema.name, strict=False),
    )
