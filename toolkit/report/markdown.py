"""Markdown for GitHub's job summary, GitLab, pull-request comments and people.

A summary is built block by block in a `MarkdownSummary` that keeps it under a byte budget
(GitHub accepts 1 MiB per step and shows nothing of a larger one): a table stops at the
first row that would not fit and says how many rows it left out. Every name and value goes
through `md_text`, so a cell cannot end its row (`|`), open a link, a code span or HTML, or
break the line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from toolkit.report.model import Finding, Report, RuleCount
from toolkit.safe import MESSAGE_LIMIT, PATH_LIMIT, visible

STEP_SUMMARY_LIMIT = 1 << 20  # bytes GitHub accepts in one step's summary
SUMMARY_BUDGET = 512 << 10  # what one summary may take, well under that limit
_NOTE_ROOM = 2 << 10  # kept free for the notes that say what was left out

# Characters with a meaning inside a line of GitHub Markdown: escapes, code spans, emphasis,
# links, table cells, strikethrough, math; `<`, `>` and `&` (HTML, autolinks, entities)
# become entities.
_MARKDOWN = re.compile(r"[\\`*_\[\]|~$<>&]")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def md_text(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """`text` as Markdown showing exactly `visible(text, limit)`: one line, nothing it holds
    read as Markdown or HTML.

    Example:
        >>> md_text("a|b <script> `x`")
        'a\\\\|b &lt;script&gt; \\\\`x\\\\`'
    """
    return _MARKDOWN.sub(_markdown_escape, visible(text, limit))


def _markdown_escape(match: re.Match[str]) -> str:
    char, text, at = match.group(), match.string, match.start()
    # An `_` between two letters or digits (`event_id`) never starts or ends emphasis.
    if char == "_" and 0 < at < len(text) - 1 and text[at - 1].isalnum() and text[at + 1].isalnum():
        return char
    return _ENTITIES.get(char, "\\" + char)


def md_code(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """`text` as a code span for a table cell (a name, a rule id), or as `md_text` when it
    holds a backtick, which no code span can hold safely."""
    shown = visible(text, limit)
    if not shown or "`" in shown:
        return md_text(text, limit)
    return "`" + shown.replace("|", "\\|") + "`"


_SERVER = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]+)?")
_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_SHA = re.compile(r"[0-9a-fA-F]{7,64}")


@dataclass(frozen=True)
class LineLinks:
    """Links to a file's lines on GitHub: `{server}/{repository}/blob/{sha}/{path}#L{line}`.

    `path` is the table's path relative to `root` (the checkout: `GITHUB_WORKSPACE`, else the
    directory the command runs in); a table outside it gets no link.
    """

    server: str
    repository: str
    sha: str
    root: Path
    cwd: Path

    @classmethod
    def from_env(cls, env: Mapping[str, str], cwd: str | Path | None = None) -> LineLinks | None:
        """Links from GitHub's `GITHUB_SERVER_URL`, `GITHUB_REPOSITORY` and `GITHUB_SHA`
        (None unless all three are set and well-formed)."""
        server = env.get("GITHUB_SERVER_URL", "").rstrip("/")
        repository = env.get("GITHUB_REPOSITORY", "")
        sha = env.get("GITHUB_SHA", "")
        if not (
            _SERVER.fullmatch(server) and _REPOSITORY.fullmatch(repository) and _SHA.fullmatch(sha)
        ):
            return None
        here = Path(cwd) if cwd is not None else Path.cwd()
        root = Path(env["GITHUB_WORKSPACE"]) if env.get("GITHUB_WORKSPACE") else here
        return cls(server, repository, sha, root, here)

    def url(self, table: str, line: int | None = None) -> str | None:
        """The address of `table` (at `line`), or None when it lies outside the checkout."""
        path = Path(os.path.normpath(self.cwd / table))
        try:
            relative = path.relative_to(os.path.normpath(self.root))
        except ValueError:
            return None
        if not relative.parts:
            return None
        address = quote(os.fsencode(relative.as_posix()), safe="/")
        anchor = f"#L{line}" if line is not None else ""
        return f"{self.server}/{self.repository}/blob/{self.sha}/{address}{anchor}"


class MarkdownSummary:
    """Markdown blocks under a byte budget (UTF-8); once a block is cut, later ones are left out."""

    def __init__(self, budget: int = SUMMARY_BUDGET) -> None:
        self.budget = budget
        self.blocks: list[str] = []
        self.used = 0
        self.full = False

    def _fits(self, text: str, extra: int = 0) -> bool:
        return self.used + len(text.encode("utf-8")) + extra <= self.budget - _NOTE_ROOM

    def _put(self, text: str) -> None:
        self.blocks.append(text)
        self.used += len(text.encode("utf-8")) + 2

    def add(self, markdown: str) -> bool:
        """Add one block (a heading, a paragraph: Markdown the caller made safe, e.g. with
        `md_text`); False, and the summary is full, when it does not fit."""
        if self.full or not self._fits(markdown):
            self.full = True
            return False
        self._put(markdown)
        return True

    def note(self, markdown: str) -> None:
        """An italic line saying what was left out (uses the room kept for notes)."""
        self._put(f"_{markdown}_")

    def table(
        self, header: Sequence[str], rows: Iterable[Sequence[str]], *, heading: str | None = None
    ) -> int:
        """A table of Markdown cells (made safe by the caller), preceded by `heading` when
        given; rows are taken from `rows` while they fit (the rest are never made). Returns
        how many were written; nothing at all is written when not even one row fits."""
        lines = [
            "| " + " | ".join(header) + " |",
            "|" + "|".join(" --- " for _ in header) + "|",
        ]
        if heading is not None:
            lines.insert(0, heading + "\n")
        size = len("\n".join(lines).encode("utf-8"))
        written = 0
        for row in rows:
            line = "| " + " | ".join(row) + " |"
            if self.full or not self._fits(line, size + 1):
                self.full = True
                break
            lines.append(line)
            size += len(line.encode("utf-8")) + 1
            written += 1
        if written:
            self._put("\n".join(lines))
        return written

    def text(self) -> str:
        """The summary: blocks separated by blank lines, ending in a newline."""
        return "\n\n".join(self.blocks) + "\n" if self.blocks else ""


def _kib(size: int) -> str:
    return f"{size // 1024:,} KiB"


def md_where(
    finding: Finding, table: str, links: LineLinks | None = None, sheet: str | None = None
) -> str:
    """The finding's place as a Markdown cell: the line (linked when `links` can), the
    workbook cell, or the data row."""
    if finding.cell:
        return md_text(finding.cell)
    if finding.line is not None:
        url = links.url(table, finding.line) if links is not None and sheet is None else None
        return f"[{finding.line}]({url})" if url else str(finding.line)
    if finding.row is not None:
        return f"row {finding.row}"
    return ""


def add_counts(summary: MarkdownSummary, counts: Sequence[RuleCount]) -> None:
    """The table of exact counts per rule and column."""
    written = summary.table(
        ["Rule", "Column", "Severity", "Count"],
        ([md_code(c.rule), md_code(c.column or ""), c.severity, str(c.count)] for c in counts),
    )
    left = len(counts) - written
    if left:
        summary.note(
            f"… {left} more rules and columns not shown: the summary is capped at "
            f"{_kib(summary.budget)}; `--format json` has them all"
        )


def add_findings(
    summary: MarkdownSummary,
    findings: Sequence[Finding],
    *,
    table: str,
    sheet: str | None = None,
    links: LineLinks | None = None,
    total: int | None = None,
    heading: str | None = None,
    read_more: str = "raise `--max-findings` or read `--format json`",
) -> None:
    """The findings as a table, in the order given; `total` (default: how many are given)
    lets the note count findings that were never listed."""
    written = summary.table(
        ["Where", "Severity", "Rule", "Column", "Message", "Hint"],
        (
            [
                md_where(f, table, links, sheet),
                f.severity,
                md_code(f.rule),
                md_code(f.column or ""),
                md_text(f.message),
                md_text(f.hint or ""),
            ]
            for f in findings
        ),
        heading=heading,
    )
    left = (len(findings) if total is None else total) - written
    if left > 0:
        capped = (
            f" (the summary is capped at {_kib(summary.budget)})" if written < len(findings) else ""
        )
        summary.note(f"… {left} more findings not listed{capped}: {read_more}")


def render_markdown(
    report: Report, *, links: LineLinks | None = None, budget: int = SUMMARY_BUDGET
) -> str:
    """The validate report as Markdown: the verdict, counts per rule, then the findings."""
    summary = MarkdownSummary(budget)
    mark, verdict = ("✅", "valid") if report.valid else ("❌", "INVALID")
    url = links.url(report.table) if links is not None else None
    name = md_text(report.table, PATH_LIMIT)
    summary.add(f"## {mark} {f'[{name}]({url})' if url else name}: {verdict}")
    summary.add(
        f"{report.errors} errors, {report.warnings} warnings in {report.rows} rows "
        f"(schema {md_text(report.schema)}{', strict' if report.strict else ''})"
    )
    add_counts(summary, report.counts)
    add_findings(
        summary,
        report.findings,
        table=report.table,
        sheet=report.sheet,
        links=links,
        total=report.errors + report.warnings,
    )
    return summary.text()
