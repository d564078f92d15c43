"""Publish a validated table: clean CSV, Parquet, the editors' workbook, and a manifest.

Nothing is lost: every input row lands in the clean outputs or in `<stem>.rejected.csv` with
its reasons, and the workbook, the editors' copy, holds them all. Nothing is half-written: an output directory holds one export set, whole, described
by its `manifest.json`. All files are staged and committed together under the directory's
lock (`toolkit.export.atomic`), and the commit removes the outputs of the previous set that
the new one does not write: a stale `<stem>.rejected.csv` after a clean export, the Parquet
file and workbook after `--to csv`, another table's outputs that the manifest it replaces
lists (unless they changed since).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from toolkit.errors import ExportError
from toolkit.export.atomic import LOCK_TIMEOUT, Staging, plain_name
from toolkit.export.dialects import DIALECTS, write_csv
from toolkit.export.frames import analysis, clean_text
from toolkit.export.parquet import write_parquet
from toolkit.loading import EXTRA, FIELDS, LINE, ROW, Table
from toolkit.loading.table import column_letter, file_sha256
from toolkit.report import Report
from toolkit.schema import CompiledSchema, Schema
from toolkit.validation import DEFAULT_MAX_FINDINGS, Validation, run_validation
from toolkit.version import __version__

if TYPE_CHECKING:
    from toolkit.export.xlsx import Issue

FORMATS = ("csv", "parquet", "xlsx")
_OUTPUT_SUFFIXES = tuple(f".{ext}" for ext in FORMATS)  # `.rejected.csv` included
MAX_ISSUES_IN_WORKBOOK = 10_000


@dataclass(frozen=True)
class ExportResult:
    """What an export did: the validation report, and what was written where."""

    report: Report
    written: tuple[Path, ...] = ()
    exported_rows: int = 0
    rejected_rows: int = 0
    refused: str | None = None  # why nothing was written, when nothing was
    manifest: dict[str, object] = field(default_factory=dict)
    removed: tuple[Path, ...] = ()  # outputs of the previous set that this one does not write

    @property
    def ok(self) -> bool:
        """Whether the outputs were written."""
        return self.refused is None


def _issues(validation: Validation, sheet: str) -> list[Issue]:
    """The findings the workbook lists (a view of `Validation.findings`), each at its cell of
    the data sheet, which holds every input row in input order.

    Places come from a join on the row number, so only the listed findings are touched,
    however many rows the table has. A header finding of a schema column points at its
    header cell.
    """
    from toolkit.export.xlsx import Issue

    letters = {
        name: column_letter(i + 1) for i, name in enumerate(validation.compiled.schema.names)
    }
    listing = (
        validation.findings(MAX_ISSUES_IN_WORKBOOK)
        .head(MAX_ISSUES_IN_WORKBOOK)
        .select("severity", "rule", "column", "row", "line", "message", "hint")
    )
    # the row numbers as a Series: an eager select on the wide prepared frame costs 300 MB
    # at a million rows
    at = pl.DataFrame({"row": validation.frame.get_column(ROW)}).with_row_index("position")
    placed = listing.join(at, on="row", how="left", maintain_order="left")
    issues = []
    for severity, rule, column, row, line, message, hint, position in placed.iter_rows():
        letter = letters.get(column or "")
        if position is None:  # the header
            cell = f"{letter}1" if letter else None
            where = f"{sheet}!{cell}" if cell else f"{validation.table.path.name} header"
        else:
            cell = f"{letter or 'A'}{position + 2}"
            where = f"{sheet}!{cell}"
        issues.append(
            Issue(severity, rule, column, row, line, message, hint, where, cell, position)
        )
    return issues


def _highlights(validation: Validation) -> dict[str, pl.Series]:
    """Per column, each row's highlight in the workbook: 2 where an error rule failed, 1 a
    warning. From the rules' failure masks, so every problem cell is highlighted however
    many findings the Issues sheet lists; a finding of no column marks the first."""
    from toolkit.export.xlsx import ERROR, WARNING

    names = validation.compiled.schema.names
    levels: dict[str, pl.Series] = {}
    for failure in validation.failures:
        if not failure.count:
            continue
        column = failure.rule.column if failure.rule.column in names else names[0]
        level = ERROR if failure.rule.severity == "error" else WARNING
        mark = failure.mask.cast(pl.UInt8) * level
        if column in levels:
            mark = pl.select(pl.max_horizontal(levels[column], mark)).to_series()
        levels[column] = mark
    return levels


def _rejected_frame(validation: Validation, mask: pl.Series) -> pl.DataFrame:
    """The rejected rows: row, line and reasons, then every field of the record as read.

    A record with more fields than the header keeps them all: the ones past the header fill
    columns named after their position (`field_20`, `field_21`), empty for the other rows.
    When any rejected record is ragged, a `fields` column (after `line`) gives each record's
    own field count: a short record's missing cells are written empty, and `fields` tells
    them from empty cells that were typed (a 16-field record reads as its first 16 cells).
    """
    table = validation.table
    reasons = validation.reasons(mask)
    original = table.frame.filter(mask)
    labels = [h if h.strip() else f"column_{i + 1}" for i, h in enumerate(table.header)]
    seen: dict[str, int] = {}
    unique_labels = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique_labels.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    width = len(table.header)
    extra = pl.Series(EXTRA, [], dtype=pl.List(pl.String))
    if table.extra is not None:
        extra = (
            original.select(ROW)
            .join(table.extra, on=ROW, how="left", maintain_order="left")
            .get_column(EXTRA)
        )
    longest = int(extra.list.len().fill_null(0).to_numpy().max(initial=0))
    ragged = bool((original.get_column(FIELDS) != width).any())
    taken = list(unique_labels)
    extra_labels = []
    for position in range(width + 1, width + longest + 1):
        extra_labels.append(_free_name(f"field_{position}", taken))
        taken.append(extra_labels[-1])
    row, line, count, why = (_free_name(n, taken) for n in ("row", "line", "fields", "reasons"))
    data = original.select(
        pl.col(ROW).alias(row),
        pl.col(LINE).alias(line),
        pl.col(FIELDS).alias(count),
        *(pl.col(c).alias(label) for c, label in zip(table.columns, unique_labels, strict=True)),
    )
    if longest:
        data = data.with_columns(
            extra.list.get(i, null_on_oob=True).alias(name) for i, name in enumerate(extra_labels)
        )
    leading = [row, line, count] if ragged else [row, line]
    return data.with_columns(reasons.get_column("reasons").alias(why)).select(
        *leading, why, *unique_labels, *extra_labels
    )


def _free_name(name: str, taken: list[str]) -> str:
    """`row`, or `_row`, `__row`… when the table has a column of that name already."""
    while name in taken:
        name = f"_{name}"
    return name


def export_table(
    table: Table,
    out_dir: str | Path,
    schema: Schema | CompiledSchema | None = None,
    *,
    formats: tuple[str, ...] = FORMATS,
    quarantine: bool = False,
    max_findings: int | None = DEFAULT_MAX_FINDINGS,
    lock_timeout: float = LOCK_TIMEOUT,
    on_wait: Callable[[Path], None] | None = None,
    csv_dialect: str = "exact",
) -> ExportResult:
    """Validate `table`, then write `<stem>.csv|.parquet|.xlsx` and `manifest.json` to `out_dir`.

    With errors and no `quarantine`, nothing is written. With `quarantine`, rows with errors go
    to `<stem>.rejected.csv` with their reasons and the others are exported. The new set
    replaces the directory's previous one in one commit. Another export into `out_dir` runs
    first: this one waits up to `lock_timeout` seconds for it (calling `on_wait(out_dir)` once
    when it starts waiting), then fails with an `ExportError`.

    The workbook holds every input row, rows with errors included (highlighted), for editors
    to fix the table in. `csv_dialect="excel"` writes the CSV files for spreadsheet users
    (byte-order mark, CRLF, formula-looking text neutralised; `toolkit.export.dialects`);
    the default `"exact"` writes them for programs.

    Example:
        >>> result = export_table(load_table("fixtures/events.csv"), "out")
        >>> result.exported_rows, result.rejected_rows
        (14, 0)
    """
    if csv_dialect not in DIALECTS:
        raise ExportError(f"unknown CSV dialect {csv_dialect!r}; choose from {', '.join(DIALECTS)}")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ExportError(
            f"unknown export format(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}"
        )
    out = Path(out_dir)
    stem = table.path.stem
    names = [f"{stem}.{ext}" for ext in formats] + [f"{stem}.rejected.csv", "manifest.json"]
    if any((out / name).resolve() == table.path.resolve() for name in names):
        raise ExportError(
            f"{table.path}: exporting to {out} would overwrite the input; choose another --out"
        )
    # SHA-256 runs outside the GIL: the input is hashed while it is validated, each output
    # while the next one is written
    hasher = ThreadPoolExecutor(max_workers=1)
    try:
        input_hash = hasher.submit(lambda: table.sha256)
        staging = Staging(out, lock_timeout=lock_timeout, on_wait=on_wait)
        return _export(
            table,
            staging,
            schema,
            formats,
            quarantine,
            max_findings,
            hasher,
            input_hash,
            csv_dialect,
        )
    finally:
        hasher.shutdown(cancel_futures=True)  # after a failure, the files left to hash are gone


def _retired(out: Path, stem: str, table: Table) -> list[str]:
    """The outputs of the directory's previous set, which the new set replaces.

    Every output of this stem; and each file the previous manifest lists (another table's
    outputs) that still holds the bytes it recorded: a file changed since is no longer the
    toolkit's to remove. The input itself is never among them, whatever its name.
    """
    names = [f"{stem}.{ext}" for ext in FORMATS] + [f"{stem}.rejected.csv"]
    try:
        listed = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
        listed = dict(listed)
    except (OSError, ValueError, KeyError, TypeError):
        listed = {}  # no manifest, or not one the toolkit wrote
    for name, entry in listed.items():
        if (
            isinstance(name, str)
            and name.endswith(_OUTPUT_SUFFIXES)
            and plain_name(name)
            and name not in names
            and isinstance(entry, dict)
            and (out / name).is_file()
            and file_sha256(out / name) == entry.get("sha256")
        ):
            names.append(name)
    source = table.path.resolve()
    return [name for name in names if plain_name(name) and (out / name).resolve() != source]


def _export(
    table: Table,
    staging: Staging,
    schema: Schema | CompiledSchema | None,
    formats: tuple[str, ...],
    quarantine: bool,
    max_findings: int | None,
    hasher: ThreadPoolExecutor,
    input_hash: Future[str],
    csv_dialect: str,
) -> ExportResult:
    stem = table.path.stem
    validation = run_validation(table, schema, max_findings=max_findings)
    report = validation.report
    if validation.table_errors:
        return ExportResult(
            report, refused="the table's structure is broken (see the header findings)"
        )
    mask = validation.error_mask()
    rejected = int(mask.sum())
    if rejected and not quarantine:
        return ExportResult(
            report,
            rejected_rows=rejected,
            refused=f"{rejected} rows have errors (use --quarantine to export the others)",
        )
    spec = validation.compiled.schema
    # the clean rows, for the CSV and Parquet files (a copy of the prepared frame: not made
    # for a workbook alone, which holds every row)
    kept = (
        validation.frame.filter(~mask)
        if rejected and ("csv" in formats or "parquet" in formats)
        else validation.frame
    )
    exported = validation.frame.height - rejected
    values = None
    if "xlsx" in formats:  # openpyxl loads only when a workbook is asked for
        from toolkit.export.xlsx import cell_values, check_limits, fit_cells

        # the editors' copy of the whole table: rows with errors too, to fix them in place
        values = cell_values(validation.frame, spec)
        check_limits(values, validation.frame.get_column(ROW), mask if rejected else None)
        if rejected:
            values = fit_cells(values, f"{stem}.rejected.csv")
    metadata = {
        "toolkit.version": __version__,
        "schema.name": spec.name,
        "schema.version": spec.version,
        "schema.sha256": spec.sha256,
        "input.name": table.path.name,
        "input.sha256": input_hash.result(),
    }
    outputs: dict[str, tuple[int, Future[str]]] = {}  # rows, and the file's hash to come

    def done(name: str, rows: int, path: Path) -> None:
        outputs[name] = (rows, hasher.submit(file_sha256, path))

    clean = None
    with staging:
        if "csv" in formats:
            path = staging.path(f"{stem}.csv")
            clean = clean_text(kept, spec)
            write_csv(clean, path, csv_dialect, _text_like(spec))
            done(f"{stem}.csv", kept.height, path)
        if "parquet" in formats:
            path = staging.path(f"{stem}.parquet")
            write_parquet(analysis(kept, spec, clean), spec, path, metadata)
            done(f"{stem}.parquet", kept.height, path)
        if values is not None:
            from toolkit.export.xlsx import write_xlsx

            path = staging.path(f"{stem}.xlsx")
            issues = []
            if report.warnings or rejected or quarantine:
                issues = _issues(validation, spec.name[:31])
            write_xlsx(values, spec, path, issues=issues, levels=_highlights(validation))
            done(f"{stem}.xlsx", values.height, path)
        if quarantine:
            path = staging.path(f"{stem}.rejected.csv")
            rejected_rows = _rejected_frame(validation, mask)
            write_csv(rejected_rows, path, csv_dialect, _rejected_text_like(rejected_rows, spec))
            done(f"{stem}.rejected.csv", rejected, path)
        manifest: dict[str, object] = {
            "toolkit_version": __version__,
            "input": {
                "path": str(table.path),
                "sha256": table.sha256,
                "format": table.format,
                "sheet": table.sheet,
                "rows": table.rows,
            },
            "schema": {
                "name": spec.name,
                "version": spec.version,
                "source": spec.source,
                "sha256": spec.sha256,
            },
            "rows": {"input": table.rows, "exported": exported, "rejected": rejected},
            "findings": {"errors": report.errors, "warnings": report.warnings},
            "outputs": {
                name: {"rows": rows, "sha256": digest.result()}
                for name, (rows, digest) in outputs.items()
            },
        }
        path = staging.path("manifest.json")
        path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written, removed = staging.commit(retire=_retired(staging.directory, stem, table))
    return ExportResult(
        report, tuple(written), exported, rejected, manifest=manifest, removed=tuple(removed)
    )


def _text_like(schema: Schema) -> set[str]:
    """The schema's columns of text (`Column.text_cells`), for the spreadsheet CSV."""
    return {c.name for c in schema.columns if c.text_cells}


def _rejected_text_like(rejected: pl.DataFrame, schema: Schema) -> set[str]:
    """The rejected file's columns of text: all but the schema's number and date columns."""
    typed = {c.name for c in schema.columns if not c.text_cells}
    return {name for name in rejected.columns if name not in typed}
