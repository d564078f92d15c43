"""Findings, reports and their renderers (text, json, github, junit, markdown).

Every name and value they show goes through `toolkit.safe.visible`.
"""

from toolkit.report.github import choose_annotations, render_annotations
from toolkit.report.markdown import LineLinks, MarkdownSummary, render_markdown
from toolkit.report.model import Finding, Report, RuleCount
from toolkit.report.render import FORMATS, render

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
]
