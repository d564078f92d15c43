"""The codebook of a schema for readers: Markdown for a README or wiki, JSON for tools.

The facts come from `toolkit.schema.codebook`, which the workbook's Codebook sheet uses too.
"""

from __future__ import annotations

import json

from toolkit.report.markdown import md_code, md_text
from toolkit.schema import Schema
from toolkit.schema.codebook import HEADINGS, codebook_dict, column_entries, rule_entries

_LONG = 10_000  # a description is shown whole, up to this many characters


def render_codebook_markdown(schema: Schema) -> str:
    """The schema's columns and rules as Markdown tables, with its title and description."""
    title = f"{schema.name} {schema.version}" + (f" — {schema.title}" if schema.title else "")
    lines = [f"# {md_text(title)}", ""]
    if schema.description:
        lines += [md_text(schema.description, limit=_LONG), ""]
    if schema.missing_values:
        markers = ", ".join(md_code(v) for v in schema.missing_values)
        lines += [f"Missing values in every column: {markers}.", ""]
    lines += ["## Columns", "", "| " + " | ".join(HEADINGS) + " |"]
    lines.append("|" + "---|" * len(HEADINGS))
    for entry in column_entries(schema):
        cells = list(entry.cells())
        shown = [md_code(cells[0]), md_text(cells[1])]
        shown += [md_text(c, limit=_LONG) for c in cells[2:7]]
        shown += [
            md_code(cells[7]) if cells[7] else "",
            md_text(cells[8]),
            md_text(cells[9], limit=_LONG),
        ]
        lines.append("| " + " | ".join(shown) + " |")
    rules = rule_entries(schema)
    if rules:
        lines += ["", "## Rules across columns", "", "| rule | in words |", "|---|---|"]
        lines += [
            f"| {md_code(rule_id)} | {md_text(words, limit=_LONG)} |" for rule_id, words in rules
        ]
    return "\n".join(lines) + "\n"


def render_codebook_json(schema: Schema) -> str:
    """The codebook as one JSON object (columns with their facts in schema-file terms)."""
    return json.dumps(codebook_dict(schema), ensure_ascii=False, indent=2) + "\n"
