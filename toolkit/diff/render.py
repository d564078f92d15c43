"""Render a TableDiff for people (text, markdown), scripts (json) and GitHub (annotations).

Values come from the table and can hold anything: newlines, `::` workflow commands, terminal
escapes, Markdown. Every value is shown on one line with control and invisible characters
written as backslash escapes (`\\x1b`, `\\n`, `\\u200b`), quoted, and cut at VALUE_LIMIT
characters; in Markdown it sits in a code span, where nothing is interpreted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

from toolkit.diff.model import Key, Position, TableDiff
from toolkit.report import Finding
from toolkit.report.render import _escape_data, _escape_property, _where

VALUE_LIMIT = 200  # characters of a value shown (the JSON has them whole)
MESSAGE_LIMIT = 500  # characters of a finding's message or hint shown
ANNOTATIONS_PER_SEVERITY = 10  # GitHub shows at most 10 error and 10 warning annotations a step

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(ch: str, quoted: bool) -> str:
    if quoted and ch in '\\"':
        return "\\" + ch
    if ch.isprintable():
        return ch
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )


def visible(text: str, limit: int = MESSAGE_LIMIT, *, quoted: bool = False) -> str:
    """`text` on one line: control and invisible characters as backslash escapes, at most
    `limit` characters of it (the rest counted). `quoted` also escapes `\\` and `"`."""
    cut = len(text) - limit
    if cut > 0:
        text = text[:limit]
    if not text.isprintable() or (quoted and ("\\" in text or '"' in text)):
        text = "".join(_escape_char(ch, quoted) for ch in text)
    return text + (f"… ({cut} more characters)" if cut > 0 else "")


def value_text(value: str | None) -> str:
    """A cell for people: `"2,500"` (quoted, escaped, bounded) or `(empty)`."""
    return "(empty)" if value is None else '"' + visible(value, VALUE_LIMIT, quoted=True) + '"'


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
                    f"  {_where(f, name)}: {f.severity}: {visible(f.message)} [{visible(f.rule)}]"
                )
                if f.hint:
                    lines.append(f"      hint: {visible(f.hint)}")
    unlisted = _unlisted(diff)
    if unlisted:
        lines.extend(["", *unlisted])
    return "\n".join(lines) + "\n"


_C1_AND_DEL = re.compile("[\x7f-\x9f]")


def render_json(diff: TableDiff) -> str:
    """One JSON object (TableDiff.to_dict); values whole, every control character escaped."""
    text = json.dumps(diff.to_dict(), ensure_ascii=False, indent=2)
    # json escapes C0 controls; DEL and C1 controls (a terminal may act on them) too:
    return _C1_AND_DEL.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _code(text: str) -> str:
    """`text` (already one line) as a Markdown code span: nothing inside is interpreted."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render_markdown(diff: TableDiff) -> str:
    """The same change list as Markdown (a job summary, a pull-request comment)."""
    i, f, r = diff.introduced_count, diff.fixed_count, diff.remaining_count
    verdict = _verdict(diff)
    head, _, rest = verdict.partition(" — ")
    out = [
        f"### Table diff: {_code(visible(diff.old))} → {_code(visible(diff.new))}",
        "",
        f"**{head}** — {rest}.",
        "",
        f"Key {', '.join(_code(visible(k)) for k in diff.key)}; "
        f"{diff.rows_old} → {diff.rows_new} rows; schema {_code(visible(diff.schema))}.",
        "",
        "| rows | count |",
        "|---|---:|",
        f"| added | {len(diff.added)} |",
        f"| removed | {len(diff.removed)} |",
        f"| changed | {len(diff.changed)} |",
        f"| reformatted | {len(diff.reformatted)} |",
        f"| unchanged | {diff.unchanged} |",
        "",
        "| findings | errors | warnings |",
        "|---|---:|---:|",
        f"| introduced | {i.errors} | {i.warnings} |",
        f"| fixed | {f.errors} | {f.warnings} |",
        f"| remaining | {r.errors} | {r.warnings} |",
    ]

    def key(k: Key) -> str:
        return _code(key_text(diff, k))

    def section(title: str, items: Iterable[str]) -> None:
        body = list(items)
        if body:
            out.extend(["", f"#### {title} ({len(body)})", ""] + [f"- {item}" for item in body])

    section("Added rows", (key(k) for k in diff.added))
    section("Removed rows", (key(k) for k in diff.removed))
    if diff.changed:
        out.extend(["", f"#### Changed rows ({len(diff.changed)})", ""])
        for row in diff.changed:
            at = _at(visible(diff.new), diff.new_sheet, Position(row.row, row.line))
            out.append(f"- {key(row.key)} at {_code(at)}")
            for cell in row.cells:
                out.append(
                    f"  - {_code(visible(cell.column))}: {_code(value_text(cell.old))} → "
                    f"{_code(value_text(cell.new))}"
                )
    section("Reformatted rows, same values", (key(k) for k in diff.reformatted))
    for label, name, sheet, found in (
        ("OLD", diff.old, diff.old_sheet, diff.duplicate_keys_old),
        ("NEW", diff.new, diff.new_sheet, diff.duplicate_keys_new),
    ):
        section(
            f"Keys held by several rows of {label}, not matched",
            (
                f"{key(d.key)}: "
                + ", ".join(_code(_at(visible(name), sheet, p)) for p in d.positions)
                for d in found
            ),
        )
    for label, name, sheet, blank in (
        ("OLD", diff.old, diff.old_sheet, diff.missing_keys_old),
        ("NEW", diff.new, diff.new_sheet, diff.missing_keys_new),
    ):
        section(
            f"Rows of {label} without a key, not matched",
            (_code(_at(visible(name), sheet, p)) for p in blank),
        )
    for title, name, listed in (
        ("Introduced findings", diff.new, diff.introduced),
        ("Fixed findings", diff.old, diff.fixed),
    ):
        section(
            title,
            (
                f"**{finding.severity}** {_code(visible(finding.rule))} at "
                f"{_code(_where(finding, visible(name)))}: {_code(visible(finding.message))}"
                + (f" — hint: {_code(visible(finding.hint))}" if finding.hint else "")
                for finding in listed
            ),
        )
    unlisted = _unlisted(diff)
    if unlisted:
        out.extend(["", *unlisted])
    return "\n".join(out) + "\n"


def _spread(findings: Iterable[Finding], limit: int) -> list[Finding]:
    """At most `limit` findings: the first of each rule and column, then the second, …"""
    seen: dict[tuple[str, str | None], int] = {}
    ranked = []
    for order, f in enumerate(findings):
        nth = seen.get((f.rule, f.column), 0)
        seen[(f.rule, f.column)] = nth + 1
        ranked.append((nth, order, f))
    return [f for _, _, f in sorted(ranked, key=lambda t: t[:2])[:limit]]


def render_github(diff: TableDiff, file: str | None = None) -> str:
    """Workflow commands: the findings the change introduces, on NEW's lines, then a notice.

    At most ANNOTATIONS_PER_SEVERITY errors and as many warnings are annotated (GitHub drops
    the rest silently), one per rule and column before any repeats; the notice gives the
    totals. `file` is the path annotations point at (default: NEW as named).
    """
    file = diff.new if file is None else file
    out = []
    shown = {"error": 0, "warning": 0}
    for severity in ("error", "warning"):
        for f in _spread(
            (x for x in diff.introduced if x.severity == severity), ANNOTATIONS_PER_SEVERITY
        ):
            props = [f"file={_escape_property(visible(file))}"]
            if f.line is not None and diff.new_sheet is None:
                props.append(f"line={f.line}")
            title = f.rule + (f" [{f.column}]" if f.column else "")
            props.append(f"title={_escape_property(visible(title))}")
            where = f"{f.cell}: " if f.cell else ""
            message = where + f.message + (f" — {f.hint}" if f.hint else "")
            out.append(f"::{severity} {','.join(props)}::{_escape_data(visible(message))}")
            shown[severity] += 1
    i = diff.introduced_count
    summary = (
        f"{visible(diff.old)} → {visible(diff.new)}: {_counts_line(diff)}; "
        f"findings: {_findings_line(diff)}; {_verdict(diff)}"
    )
    hidden = i.total - shown["error"] - shown["warning"]
    if hidden:
        summary += (
            f"; {hidden} introduced findings not annotated "
            f"({shown['error']} of {_plural(i.errors, 'error')} and {shown['warning']} of "
            f"{_plural(i.warnings, 'warning')} shown): run toolkit diff without --format github "
            "to list them"
        )
    out.append(f"::notice title=toolkit diff::{_escape_data(summary)}")
    return "\n".join(out) + "\n"


FORMATS: dict[str, Callable[[TableDiff], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "github": render_github,
}


def render_diff(diff: TableDiff, fmt: str = "text") -> str:
    """Render `diff` in one of FORMATS."""
    return FORMATS[fmt](diff)
