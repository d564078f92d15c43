"""Render a TableDiff for people (text, markdown), scripts (json) and GitHub (annotations).

Values come from the table and can hold anything: newlines, `::` workflow commands, terminal
escapes, Markdown. Every value is shown on one line with control and invisible characters
written as backslash escapes (`\\x1b`, `\\n`, `\\u200b`), quoted, and cut at VALUE_LIMIT
characters; in Markdown it sits in a code span, where nothing is interpreted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from toolkit.diff.model import Key, Position, TableDiff
from toolkit.report.github import choose_annotations, render_annotations
from toolkit.report.markdown import (
    SUMMARY_BUDGET,
    LineLinks,
    MarkdownSummary,
    add_findings,
    md_code,
    md_text,
)
from toolkit.report.render import place
from toolkit.safe import VALUE_LIMIT, json_visible, visible


def value_text(value: str | None) -> str:
    """A cell for people: `"2,500"` (quoted, escaped, bounded) or `(empty)`."""
    return "(empty)" if value is None else '"' + visible(value, VALUE_LIMIT) + '"'


def key_text(diff: TableDiff, key: Key) -> str:
    """A row's key for people: the value, or `column=value, …` for a key of several columns."""
    if len(diff.key) == 1:
        return visible(key[0], VALUE_LIMIT)
    return ", ".join(
        f"{visible(name, VALUE_LIMIT)}={value_text(value)}"
        for name, value in zip(diff.key, key, strict=True)
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _at(name: str, sheet: str | None, position: Position) -> str:
    """Where a record is: `events.csv:4`, `events.xlsx sheet events row 5`, `x.parquet row 3`."""
    if position.line is None:
        return f"{name} row {position.row}"
    if sheet is not None:
        return f"{name} sheet {sheet} row {position.line}"
    return f"{name}:{position.line}"


def _verdict(diff: TableDiff) -> str:
    n = diff.introduced_count
    if diff.passed:
        tolerated = f" ({_plural(n.warnings, 'warning')} allowed)" if n.warnings else ""
        return f"pass — the change introduces no error{tolerated}"
    what = (
        _plural(n.errors, "error") if n.errors else _plural(n.warnings, "warning") + " (--strict)"
    )
    return f"FAIL — the change introduces {what}"


def _counts_line(diff: TableDiff) -> str:
    return (
        f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed, "
        f"{len(diff.reformatted)} reformatted, {diff.unchanged} unchanged"
    )


def _findings_line(diff: TableDiff) -> str:
    i, f, r = diff.introduced_count, diff.fixed_count, diff.remaining_count
    return (
        f"{i.total} introduced ({_plural(i.errors, 'error')}, {_plural(i.warnings, 'warning')}), "
        f"{f.total} fixed ({_plural(f.errors, 'error')}, {_plural(f.warnings, 'warning')}), "
        f"{r.total} remaining"
    )


def _unlisted(diff: TableDiff) -> list[str]:
    out = []
    for label, listed, tally in (
        ("introduced", diff.introduced, diff.introduced_count),
        ("fixed", diff.fixed, diff.fixed_count),
    ):
        if len(listed) < tally.total:
            out.append(
                f"… {tally.total - len(listed)} more {label} findings not listed "
                "(raise --max-findings to see them)"
            )
    return out


def render_text(diff: TableDiff) -> str:
    """A readable change list: summary, verdict, then every row and finding that changed."""
    old, new = visible(diff.old), visible(diff.new)
    key = ", ".join(visible(k) for k in diff.key)
    lines = [
        f"{old} → {new}: {_counts_line(diff)} "
        f"(key {key}; {diff.rows_old} → {diff.rows_new} rows, schema {visible(diff.schema)})",
        f"findings: {_findings_line(diff)}",
        f"verdict: {_verdict(diff)}",
    ]

    def section(title: str, items: Iterable[str]) -> None:
        body = list(items)
        if body:
            lines.extend(["", f"{title} ({len(body)}):"] + [f"  {item}" for item in body])

    section("added", (key_text(diff, k) for k in diff.added))
    section("removed", (key_text(diff, k) for k in diff.removed))
    if diff.changed:
        lines.extend(["", f"changed ({len(diff.changed)}):"])
        for row in diff.changed:
            at = _at(new, diff.new_sheet, Position(row.row, row.line))
            lines.append(f"  {key_text(diff, row.key)} ({at})")
            for cell in row.cells:
                lines.append(
                    f"    {visible(cell.column)}: {value_text(cell.old)} → {value_text(cell.new)}"
                )
    section("reformatted, same values", (key_text(diff, k) for k in diff.reformatted))
    for name, sheet, found in (
        (old, diff.old_sheet, diff.duplicate_keys_old),
        (new, diff.new_sheet, diff.duplicate_keys_new),
    ):
        section(
            f"keys held by several rows of {name}, not matched",
            (
                f"{key_text(diff, d.key)}: " + ", ".join(_at(name, sheet, p) for p in d.positions)
                for d in found
            ),
        )
    for name, sheet, blank in (
        (old, diff.old_sheet, diff.missing_keys_old),
        (new, diff.new_sheet, diff.missing_keys_new),
    ):
        section(f"rows of {name} without a key, not matched", (_at(name, sheet, p) for p in blank))
    for title, name, listed in (
        ("introduced", new, diff.introduced),
        ("fixed", old, diff.fixed),
    ):
        if listed:
            lines.extend(["", f"{title}:"])
            for f in listed:
                lines.append(
                    f"  {place(f, name)}: {f.severity}: {visible(f.message)} [{visible(f.rule)}]"
                )
                if f.hint:
                    lines.append(f"      hint: {visible(f.hint)}")
    unlisted = _unlisted(diff)
    if unlisted:
        lines.extend(["", *unlisted])
    return "\n".join(lines) + "\n"


def render_json(diff: TableDiff) -> str:
    """One JSON object (TableDiff.to_dict); values whole, every control character escaped."""
    return json_visible(json.dumps(diff.to_dict(), ensure_ascii=False, indent=2)) + "\n"


def render_markdown(
    diff: TableDiff, *, links: LineLinks | None = None, budget: int = SUMMARY_BUDGET
) -> str:
    """The same change list as Markdown (a job summary, a pull-request comment), kept under
    `budget` bytes: what does not fit is counted, not cut mid-line."""
    i, f, r = diff.introduced_count, diff.fixed_count, diff.remaining_count
    head, _, rest = _verdict(diff).partition(" — ")
    summary = MarkdownSummary(budget)
    summary.add(f"### Table diff: {md_code(diff.old)} → {md_code(diff.new)}")
    summary.add(f"**{head}** — {md_text(rest)}.")
    summary.add(
        f"Key {', '.join(md_code(k) for k in diff.key)}; "
        f"{diff.rows_old} → {diff.rows_new} rows; schema {md_code(diff.schema)}."
    )
    summary.table(
        ["rows", "count"],
        [
            ["added", str(len(diff.added))],
            ["removed", str(len(diff.removed))],
            ["changed", str(len(diff.changed))],
            ["reformatted", str(len(diff.reformatted))],
            ["unchanged", str(diff.unchanged)],
        ],
    )
    summary.table(
        ["findings", "errors", "warnings"],
        [
            ["introduced", str(i.errors), str(i.warnings)],
            ["fixed", str(f.errors), str(f.warnings)],
            ["remaining", str(r.errors), str(r.warnings)],
        ],
    )
    add_findings(
        summary,
        diff.introduced,
        table=diff.new,
        sheet=diff.new_sheet,
        links=links,
        total=i.total,
        heading="#### Introduced findings",
    )
    if diff.fixed:
        add_findings(
            summary,
            diff.fixed,
            table=diff.old,
            sheet=diff.old_sheet,
            total=f.total,
            heading="#### Fixed findings",
        )

    def key(k: Key) -> str:
        return md_code(key_text(diff, k))

    def section(title: str, items: Iterable[str]) -> None:
        body = list(items)
        if body and summary.add(f"#### {title} ({len(body)})"):
            shown = 0
            for item in body:
                if not summary.add(f"- {item}"):
                    break
                shown += 1
            if shown < len(body):
                summary.note(f"… {len(body) - shown} more not listed: `--format json` has them all")

    if diff.changed:
        lines = []
        for row in diff.changed:
            at = _at(diff.new, diff.new_sheet, Position(row.row, row.line))
            cells = "; ".join(
                f"{md_code(cell.column)}: {md_code(value_text(cell.old))} → "
                f"{md_code(value_text(cell.new))}"
                for cell in row.cells
            )
            lines.append(f"{key(row.key)} at {md_code(at)}: {cells}")
        section("Changed rows", lines)
    section("Added rows", (key(k) for k in diff.added))
    section("Removed rows", (key(k) for k in diff.removed))
    section("Reformatted rows, same values", (key(k) for k in diff.reformatted))
    for label, name, sheet, found in (
        ("OLD", diff.old, diff.old_sheet, diff.duplicate_keys_old),
        ("NEW", diff.new, diff.new_sheet, diff.duplicate_keys_new),
    ):
        section(
            f"Keys held by several rows of {label}, not matched",
            (
                f"{key(d.key)}: " + ", ".join(md_code(_at(name, sheet, p)) for p in d.positions)
                for d in found
            ),
        )
    for label, name, sheet, blank in (
        ("OLD", diff.old, diff.old_sheet, diff.missing_keys_old),
        ("NEW", diff.new, diff.new_sheet, diff.missing_keys_new),
    ):
        section(
            f"Rows of {label} without a key, not matched",
            (md_code(_at(name, sheet, p)) for p in blank),
        )
    return summary.text()


def render_github(diff: TableDiff, file: str | None = None) -> str:
    """Workflow commands: the findings the change introduces, on NEW's lines, then a notice.

    Errors first, then warnings, one per rule and column before any repeats, at most as many
    as GitHub shows (`toolkit.report.github`); the notice gives the totals. `file` is the
    path annotations point at (default: NEW as named).
    """
    chosen = choose_annotations(
        (x for x in diff.introduced if x.severity == "error"),
        (x for x in diff.introduced if x.severity == "warning"),
    )
    summary = (
        f"{diff.old} → {diff.new}: {_counts_line(diff)}; "
        f"findings: {_findings_line(diff)}; {_verdict(diff)}"
    )
    return render_annotations(
        chosen,
        table=diff.new if file is None else file,
        title="toolkit diff",
        summary=summary,
        total=diff.introduced_count.total,
        sheet=diff.new_sheet,
        read_more="the job summary or toolkit diff --format json lists them",
    )


FORMATS: dict[str, Callable[[TableDiff], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "github": render_github,
}


def render_diff(diff: TableDiff, fmt: str = "text") -> str:
    """Render `diff` in one of FORMATS."""
    return FORMATS[fmt](diff)
