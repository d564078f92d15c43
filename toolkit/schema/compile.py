"""Compile a Schema into derived-column stages and a pandera polars DataFrameSchema.

Every rule becomes a registered pandera Check built from its polars expression; pandera runs
them all lazily (every failure in one run) on an eager, prepared frame. The stages come from
the columns' kinds and the table checks: 0 screens the text, 1 trims it (and turns missing
markers into nulls), 2 parses it and locates points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandera.polars as pa
import polars as pl

from toolkit.schema.kinds import RuleContext
from toolkit.schema.model import Schema
from toolkit.schema.rules import Rule
from toolkit.schema.stages import Stages, run, stages

OK = "ok"


@dataclass(frozen=True)
class CompiledSchema:
    """What validation runs: stages that derive typed columns, then the pandera schema."""

    schema: Schema
    stages: Stages
    rules: dict[str, Rule]
    pandera: pa.DataFrameSchema

    def prepare(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Add the derived columns (trimmed text, parsed values, locations) to `frame`."""
        return run(frame, self.stages)


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
    context = RuleContext(today=today or date.today(), columns=schema.by_name)
    rules: dict[str, Rule] = {}
    column_checks: dict[str, list[pa.Check]] = {c.name: [] for c in schema.columns}
    compiled = [rule for column in schema.columns for rule in column.rules(context)]
    compiled += [rule for check in schema.rules for rule in check.rules(context)]
    for rule in compiled:
        rules[rule.key] = rule
        # a cross-column rule still reports one column: as that column's check, pandera
        # keeps only that column of the failing rows (a frame check copies whole rows
        # into Python objects: 0.25 s for a thousand failures)
        column_checks[rule.column].append(_check(rule))
    columns = {
        name: pa.Column(pl.String, nullable=True, coerce=False, checks=checks)
        for name, checks in column_checks.items()
    }
    return CompiledSchema(
        schema=schema,
        stages=stages(schema.columns, schema.rules, schema.by_name),
        rules=rules,
        pandera=pa.DataFrameSchema(columns, name=schema.name, strict=False),
    )
