"""Compare two versions of a table: match rows on a key, compare cells, match findings.

All of it is joins and column comparisons in polars; Python touches only what is listed
(changed cells, duplicate keys, the findings shown).
"""

from __future__ import annotations

from collections import Counter
from functools import reduce

import polars as pl

from toolkit.diff import adapter
from toolkit.diff.adapter import Version
from toolkit.diff.model import (
    CellChange,
    ChangedRow,
    DuplicateKey,
    Key,
    Position,
    TableDiff,
    Tally,
)
from toolkit.errors import InputError
from toolkit.loading import LINE, ROW, Table
from toolkit.report import Finding
from toolkit.schema import CompiledSchema, Schema
from toolkit.validation import DEFAULT_MAX_FINDINGS

_OCCURRENCE = "__occurrence"
_INDEX = "__index"
_RANK = "__rank"


def _keys(key: list[str]) -> list[str]:
    return [f"__key.{i}" for i in range(len(key))]


def _value(canonical: pl.Expr, raw: pl.Expr) -> pl.Expr:
    """What a cell is compared as: its canonical value, or (when the value does not parse and
    so has none) the trimmed text as typed; blank is null."""
    trimmed = raw.str.strip_chars()
    return pl.coalesce(canonical, pl.when(trimmed.str.len_bytes() > 0).then(trimmed))


def _choose_key(compiled: CompiledSchema, key: list[str] | tuple[str, ...] | None) -> list[str]:
    names = adapter.column_names(compiled)
    label = adapter.schema_label(compiled)
    if key:
        chosen = list(dict.fromkeys(key))
        unknown = [k for k in chosen if k not in names]
        if unknown:
            raise InputError(
                f"key column {unknown[0]!r} is not in schema {label} "
                f"(its columns: {', '.join(names)})"
            )
        return chosen
    unique = adapter.unique_columns(compiled)
    if not unique:
        raise InputError(
            f"schema {label} declares no unique column to match rows on; name one with --key"
        )
    return unique[:1]


def _ids(version: Version, key: list[str]) -> pl.DataFrame:
    """Every row's key values (`__key.0`, …), `__row`, `__line` and `__index` (its position in
    `version.frame`): narrow, so filters and joins do not carry the cells along."""
    frame = version.frame
    values = version.key.select(
        _value(pl.col(name), pl.lit(frame.get_column(name))).alias(k)
        for name, k in zip(key, _keys(key), strict=True)
    )
    return values.with_columns(
        frame.get_column(ROW),
        frame.get_column(LINE),
        pl.int_range(pl.len(), dtype=pl.UInt32).alias(_INDEX),
    )


def _check_key(table: Table, key: list[str]) -> None:
    for name in key:
        if name not in table.columns:
            raise InputError(f"{table.path}: has no column {name!r} to match rows on (the key)")


def _key_tuples(frame: pl.DataFrame, keys: list[str]) -> list[Key]:
    return list(frame.select(keys).iter_rows())


def _duplicates(ids: pl.DataFrame, keys: list[str]) -> tuple[DuplicateKey, ...]:
    # Equal neighbours among the sorted 64-bit hashes find the candidates fast; their text
    # decides among those few (a hash can collide, a key cannot).
    key = pl.struct(keys) if len(keys) > 1 else pl.col(keys[0])
    hashes = ids.select(key.hash()).to_series()
    ordered = hashes.sort()
    repeated = ordered.filter(ordered == ordered.shift(1))
    if repeated.is_empty():
        return ()
    candidates = ids.select(*keys, ROW, LINE).filter(hashes.is_in(repeated.unique().implode()))
    groups = (
        candidates.filter(key.is_duplicated())
        .group_by(keys, maintain_order=True)
        .agg(pl.col(ROW), pl.col(LINE))
    )
    return tuple(
        DuplicateKey(
            tuple(row[:-2]),
            tuple(Position(r, line) for r, line in zip(row[-2], row[-1], strict=True)),
        )
        for row in groups.iter_rows()
    )


def _prefixed(ids: pl.DataFrame, side: str, keys: list[str]) -> pl.DataFrame:
    """`ids` with `{side}.` before the row, line and position, for a join of two versions."""
    return ids.rename({c: f"{side}.{c}" for c in (ROW, LINE, _INDEX)})


def _retyped(
    old: pl.DataFrame, new: pl.DataFrame, pairs: pl.DataFrame, names: tuple[str, ...]
) -> pl.DataFrame:
    """The matched pairs whose cells are not typed alike (one column at a time, so only one
    gathered column per version is held at once)."""
    # In OLD's order both gathers run mostly forward, and over one chunk each: a gather
    # across the reader's many chunks, in random order, is an order of magnitude slower.
    # A few columns at a time: polars compares them in parallel, memory holds only those.
    pairs = pairs.sort(f"old.{_INDEX}")
    at_old, at_new = pairs.get_column(f"old.{_INDEX}"), pairs.get_column(f"new.{_INDEX}")
    differs = pl.repeat(False, pairs.height, dtype=pl.Boolean, eager=True)
    for start in range(0, len(names), 4):
        batch = names[start : start + 4]
        differs = (
            differs
            | pl.select(
                pl.any_horizontal(
                    ~pl.lit(old.get_column(c).rechunk())
                    .gather(at_old)
                    .eq_missing(pl.lit(new.get_column(c).rechunk()).gather(at_new))
                    for c in batch
                )
            ).to_series()
        )
    return pairs.filter(differs)


def _compared(version: Version, rows: pl.Series, side: str, names: tuple[str, ...]) -> pl.DataFrame:
    """For `rows`: `{side}.__row`, each cell as typed (`{side}.{column}`) and its compared
    value (`{side}={column}`)."""
    canonical = version.canonical(rows)
    typed = version.frame.lazy().filter(pl.col(ROW).is_in(rows.implode())).collect()
    return typed.join(canonical, on=ROW, how="left", suffix="=canonical").select(
        pl.col(ROW).alias(f"{side}.{ROW}"),
        *(pl.col(c).alias(f"{side}.{c}") for c in names),
        *(_value(pl.col(f"{c}=canonical"), pl.col(c)).alias(f"{side}={c}") for c in names),
    )


def _changed(
    rows: pl.DataFrame, differs: dict[str, pl.Expr], names: tuple[str, ...], keys: list[str]
) -> tuple[ChangedRow, ...]:
    """The changed rows (in NEW's order) with their differing cells, as typed."""
    cells = pl.concat(
        [
            rows.filter(differs[c]).select(
                pl.col(f"new.{ROW}").alias("row"),
                pl.lit(i, pl.UInt32).alias("__position"),
                pl.col(f"old.{c}").alias("old"),
                pl.col(f"new.{c}").alias("new"),
            )
            for i, c in enumerate(names)
        ]
    ).sort("row", "__position")
    by_row: dict[int, list[CellChange]] = {}
    for row, position, old_value, new_value in cells.iter_rows():
        by_row.setdefault(row, []).append(CellChange(names[position], old_value, new_value))
    return tuple(
        ChangedRow(tuple(values[:-2]), values[-2], values[-1], tuple(by_row[values[-2]]))
        for values in rows.select(*keys, f"new.{ROW}", f"new.{LINE}").iter_rows()
    )


def _findings(version: Version, ids: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Row findings with the key of their row and their occurrence among equal findings."""
    rows = version.findings.get_column("row").unique()
    of_rows = ids.filter(pl.col(ROW).is_in(rows.implode())).select(pl.col(ROW).alias("row"), *keys)
    return (
        version.findings.join(of_rows, on="row", how="left")
        .sort("row", maintain_order=True)
        .with_columns(pl.int_range(pl.len()).over(["rule", "column", *keys]).alias(_OCCURRENCE))
    )


def _listed(
    version: Version, found: pl.DataFrame, names: tuple[str, ...], limit: int | None
) -> list[Finding]:
    """The first `limit` of `found` as Findings (errors first, then by row and column)."""
    position = {name: i for i, name in enumerate(names)}
    ordered = found.with_columns(
        pl.col("column").replace_strict(position, default=-1, return_dtype=pl.Int64).alias(_RANK)
    ).sort(
        [pl.col("severity") != "error", "row", _RANK, "rule"],
        maintain_order=True,
    )
    if limit is not None:
        ordered = ordered.head(limit)
    columns = ("severity", "rule", "column", "row", "line", "cell", "value", "message", "hint")
    return [Finding(*values) for values in ordered.select(columns).iter_rows()]


def _tally(frame: pl.DataFrame, header: list[Finding]) -> Tally:
    errors = frame.filter(pl.col("severity") == "error").height
    return Tally(
        errors + sum(f.severity == "error" for f in header),
        frame.height - errors + sum(f.severity != "error" for f in header),
    )


def _beyond(
    these: tuple[Finding, ...], those: tuple[Finding, ...]
) -> tuple[list[Finding], list[Finding]]:
    """Header findings of `these` that `those` lacks (same rule and column, counted), and the
    rest of `these`."""
    budget = Counter((f.rule, f.column) for f in those)
    extra, common = [], []
    for f in these:
        if budget[(f.rule, f.column)]:
            budget[(f.rule, f.column)] -= 1
            common.append(f)
        else:
            extra.append(f)
    return extra, common


def diff_tables(
    old: Table,
    new: Table,
    schema: Schema | CompiledSchema | None = None,
    *,
    key: list[str] | tuple[str, ...] | None = None,
    max_findings: int | None = DEFAULT_MAX_FINDINGS,
    strict: bool = False,
) -> TableDiff:
    """Compare two versions of a table by key: rows added, removed, changed, reformatted,
    and the findings the change introduces, fixes or leaves.

    `key` names the columns rows are matched on (default: the schema's unique column).

    Example:
        d = diff_tables(load_table("before.csv"), load_table("events.csv"))
        d.added                   # keys of the rows NEW adds: (("iq-2024-015",),)
        d.introduced_count.errors  # errors NEW has that OLD did not
        d.passed                   # the merge gate: no error introduced
    """
    compiled = adapter.compiled_schema(schema)
    key = _choose_key(compiled, key)
    keys = _keys(key)
    names = adapter.column_names(compiled)
    _check_key(old, key)
    _check_key(new, key)
    before = adapter.validate_version(old, compiled, key)
    after = adapter.validate_version(new, compiled, key)
    old_ids, new_ids = _ids(before, key), _ids(after, key)

    def split(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        missing = pl.any_horizontal(pl.col(k).is_null() for k in keys)
        blank = frame.filter(missing).select(ROW, LINE)
        return blank, frame if blank.is_empty() else frame.filter(~missing)

    old_missing, old_present = split(old_ids)
    new_missing, new_present = split(new_ids)
    dup_old, dup_new = _duplicates(old_present, keys), _duplicates(new_present, keys)
    if dup_old or dup_new:
        taken = pl.DataFrame([d.key for d in dup_old + dup_new], schema=keys, orient="row").unique()
        old_present = old_present.join(taken, on=keys, how="anti")
        new_present = new_present.join(taken, on=keys, how="anti")

    joined = _prefixed(old_present, "old", keys).join(
        _prefixed(new_present, "new", keys), on=keys, how="full", coalesce=True
    )
    in_old, in_new = pl.col(f"old.{ROW}").is_not_null(), pl.col(f"new.{ROW}").is_not_null()
    pairs = joined.filter(in_old & in_new)
    added = joined.filter(~in_old).sort(f"new.{ROW}")
    removed = joined.filter(~in_new).sort(f"old.{ROW}")
    # Identical text means identical canonical values (each is a function of its cell), so
    # canonical values are computed only for the rows typed differently.
    retyped = _retyped(before.frame, after.frame, pairs, names)
    compared = (
        retyped.select(*keys, f"old.{ROW}", f"new.{ROW}", f"new.{LINE}")
        .join(_compared(before, retyped.get_column(f"old.{ROW}"), "old", names), on=f"old.{ROW}")
        .join(_compared(after, retyped.get_column(f"new.{ROW}"), "new", names), on=f"new.{ROW}")
    )
    differs = {c: ~pl.col(f"old={c}").eq_missing(pl.col(f"new={c}")) for c in names}
    compared = compared.with_columns(
        reduce(lambda a, b: a | b, differs.values()).alias("__changed")
    ).sort(f"new.{ROW}")
    changed = _changed(compared.filter("__changed"), differs, names, keys)

    old_found, new_found = _findings(before, old_ids, keys), _findings(after, new_ids, keys)
    ident = ["rule", "column", *keys, _OCCURRENCE]
    introduced = new_found.join(old_found, on=ident, how="anti", nulls_equal=True)
    fixed = old_found.join(new_found, on=ident, how="anti", nulls_equal=True)
    header_introduced, header_remaining = _beyond(after.header, before.header)
    header_fixed, _ = _beyond(before.header, after.header)
    remaining = new_found.join(old_found, on=ident, how="semi", nulls_equal=True)

    def listing(found: pl.DataFrame, version: Version, header: list[Finding]) -> list[Finding]:
        head = header if max_findings is None else header[:max_findings]
        left = None if max_findings is None else max_findings - len(head)
        return head + _listed(version, found, names, left)

    return TableDiff(
        old=str(old.path),
        new=str(new.path),
        schema=adapter.schema_label(compiled),
        key=tuple(key),
        rows_old=old.rows,
        rows_new=new.rows,
        added=tuple(_key_tuples(added, keys)),
        removed=tuple(_key_tuples(removed, keys)),
        changed=changed,
        reformatted=tuple(_key_tuples(compared.filter(~pl.col("__changed")), keys)),
        unchanged=pairs.height - compared.height,
        duplicate_keys_old=dup_old,
        duplicate_keys_new=dup_new,
        missing_keys_old=tuple(
            Position(r, x) for r, x in old_missing.select(ROW, LINE).iter_rows()
        ),
        missing_keys_new=tuple(
            Position(r, x) for r, x in new_missing.select(ROW, LINE).iter_rows()
        ),
        introduced=tuple(listing(introduced, after, header_introduced)),
        fixed=tuple(listing(fixed, before, header_fixed)),
        introduced_count=_tally(introduced, header_introduced),
        fixed_count=_tally(fixed, header_fixed),
        remaining_count=_tally(remaining, header_remaining),
        strict=strict,
        old_sheet=old.sheet,
        new_sheet=new.sheet,
        max_findings=max_findings,
    )
