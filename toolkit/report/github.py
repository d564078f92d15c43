"""GitHub Actions workflow commands: a few useful annotations, then one notice.

GitHub shows at most 10 error and 10 warning annotations per step and drops the rest
without a word, so the toolkit picks which ones a reviewer sees: most important first
(the caller's tiers: a diff puts the errors a change introduces first), and within a tier one
per rule and column before any repeats. The notice says how many findings are not annotated
and where to read them.

Every value goes through `visible` before GitHub's own escaping: the runner reads each line
of stdout *and* stderr, so a newline or a `##[` inside a name would be a command of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from toolkit.report.model import Finding, Report
from toolkit.safe import MESSAGE_LIMIT, PATH_LIMIT, VALUE_LIMIT, visible

ANNOTATIONS_PER_SEVERITY = 10  # what GitHub shows per step for each of error and warning
READ_MORE = "see the job summary or --format json"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def choose_annotations(
    *tiers: Iterable[Finding], limit: int | Mapping[str, int] = ANNOTATIONS_PER_SEVERITY
) -> list[Finding]:
    """At most `limit` errors and `limit` warnings (or `limit[severity]` of each), tier by
    tier: the first tier first.

    Within a tier the findings are taken round-robin over their (rule, column): the first of
    each, then the second of each, and so on; the chosen ones keep the tier's order.
    """
    left = {"error": limit, "warning": limit} if isinstance(limit, int) else dict(limit)
    chosen: list[Finding] = []
    for tier in tiers:
        findings = list(tier)
        groups: dict[tuple[str, str, str | None], list[int]] = {}
        for i, f in enumerate(findings):
            groups.setdefault((f.severity, f.rule, f.column), []).append(i)
        picked: list[int] = []
        depth = 0
        while any(n > 0 for n in left.values()) and any(depth < len(g) for g in groups.values()):
            for (severity, _, _), indexes in groups.items():
                if depth < len(indexes) and left.get(severity, 0) > 0:
                    picked.append(indexes[depth])
                    left[severity] -= 1
            depth += 1
        chosen.extend(findings[i] for i in sorted(picked))
    return chosen


def annotation(finding: Finding, table: str, *, sheet: str | None = None) -> str:
    """One `::error`/`::warning` command placing `finding` on `table`'s line.

    A workbook (`sheet` given) has no line numbers GitHub could show, so the cell goes in
    the message instead.
    """
    props = [f"file={_property(visible(table, PATH_LIMIT))}"]
    if finding.line is not None and sheet is None:
        props.append(f"line={finding.line}")
    title = visible(finding.rule) + (f" [{visible(finding.column)}]" if finding.column else "")
    props.append(f"title={_property(title)}")
    where = f"{visible(finding.cell)}: " if finding.cell else ""
    message = where + visible(finding.message, MESSAGE_LIMIT)
    if finding.hint:
        message += f" — {visible(finding.hint, MESSAGE_LIMIT)}"
    return f"::{finding.severity} {','.join(props)}::{_data(message)}"


def notice(title: str, message: str) -> str:
    """One `::notice` command."""
    return (
        f"::notice title={_property(visible(title, VALUE_LIMIT))}::"
        f"{_data(visible(message, MESSAGE_LIMIT))}"
    )


def render_annotations(
    chosen: Sequence[Finding],
    *,
    table: str,
    title: str,
    summary: str,
    total: int,
    sheet: str | None = None,
    read_more: str = READ_MORE,
) -> str:
    """An annotation for each of `chosen` (see `choose_annotations`), then one notice:
    `summary` and, when `total` findings are more than `chosen`, how many more and where to
    read them (`read_more`).

    Example (errors a change introduces first, as `toolkit diff` wants):
        chosen = choose_annotations(introduced_errors, introduced_warnings)
        render_annotations(chosen, table="events.csv", title="toolkit diff",
                           summary="events.csv: 2 errors introduced, 3 fixed", total=5)
    """
    lines = [annotation(f, table, sheet=sheet) for f in chosen]
    more = total - len(chosen)
    text = summary
    if more > 0:
        text += (
            f"; {more} more findings not annotated (GitHub shows {ANNOTATIONS_PER_SEVERITY} "
            f"errors and {ANNOTATIONS_PER_SEVERITY} warnings per step): {read_more}"
        )
    lines.append(notice(title, text))
    return "\n".join(lines) + "\n"


def render_github(report: Report, chosen: Sequence[Finding] | None = None) -> str:
    """Workflow commands for a validate report: annotations on the table's lines (`chosen`,
    by default `choose_annotations(report.findings)`), then a notice with the totals."""
    return render_annotations(
        choose_annotations(report.findings) if chosen is None else chosen,
        table=report.table,
        title="toolkit validate",
        summary=(
            f"{report.table}: {report.errors} errors, {report.warnings} warnings "
            f"in {report.rows} rows"
        ),
        total=report.errors + report.warnings,
        sheet=report.sheet,
    )
