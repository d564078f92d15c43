"""How a table is prepared for its rules: derived columns added in stages.

Stage 0 screens the text (control and invisible characters, surrounding space), 1 trims it
and turns missing markers into nulls, 2 parses it into typed fields and locates points. Each
column kind and table check supplies its part; this module only orders and runs them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

import polars as pl

from toolkit.schema.kinds import Column

Stages = tuple[dict[str, pl.Expr], ...]


class Staged(Protocol):
    """What a table check offers the stages: columns it derives while the table is prepared."""

    def stage(self, columns: Mapping[str, Column]) -> dict[str, pl.Expr]: ...


def stages(
    columns: Iterable[Column],
    checks: Iterable[Staged] = (),
    by_name: Mapping[str, Column] | None = None,
) -> Stages:
    """The stages that derive every column of `columns` and `checks` need."""
    columns = list(columns)
    by_name = {c.name: c for c in columns} if by_name is None else by_name
    parse: dict[str, pl.Expr] = {}
    for column in columns:
        parse.update(column.parse_stage(by_name))
    for check in checks:
        parse.update(check.stage(by_name))
    return (
        {k: v for c in columns for k, v in c.screen_stage().items()},
        {k: v for c in columns for k, v in c.value_stage().items()},
        parse,
    )


def run(frame: pl.DataFrame, prepared: Stages) -> pl.DataFrame:
    """`frame` with the derived columns of `prepared` added."""
    lazy = frame.lazy()  # lazy, so shared sub-expressions (regex captures) run once
    for stage in prepared:
        if stage:
            lazy = lazy.with_columns(**stage)
    return lazy.collect()


def prepare_columns(frame: pl.DataFrame, columns: Iterable[Column]) -> pl.DataFrame:
    """`frame` with the derived columns of `columns` only (for checking an expression)."""
    return run(frame, stages(columns))
