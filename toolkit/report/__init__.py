"""Findings, reports and their renderers (text, json, github, junit, markdown).

`visible` is the one way a name or value is shown to a person or a CI log.
"""

from toolkit.report.github import choose_annotations, render_annotations
from toolkit.report.markdown import LineLinks, MarkdownSummary, render_markdown
from toolkit.report.model import Finding, Report, RuleCount
from toolkit.report.render import FORMATS, render
from toolkit.report.safe import visible, visible_path

__all__ = [
    "FORMATS",
    "Finding",
    "LineLinks",
    "MarkdownSummary",
    "Report",
    "RuleCount",
    "choose_annotations",
    "render",
    "render_annotations",
    "render_markdown",
    "visible",
    "visible_path",
]
