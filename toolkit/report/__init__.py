"""Findings, reports and their renderers (text, json, github, junit)."""

from toolkit.report.model import Finding, Report, RuleCount
from toolkit.report.render import FORMATS, render

__all__ = ["FORMATS", "Finding", "Report", "RuleCount", "render"]
