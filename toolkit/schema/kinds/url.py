"""`kind: url` — a web address."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.schema.kinds.base import Column, RuleContext, rows
from toolkit.schema.profile import Detection, Profile
from toolkit.schema.rules import Rule

_URL = r"^https?://[^\s/?#@]+\.[^\s/?#@]+(?::\d+)?(?:[/?#]\S*)?$"


@dataclass(frozen=True, kw_only=True)
class UrlColumn(Column):
    """An http:// or https:// address with a host."""

    kind = "url"
    summary = "http:// or https:// address with a host"

    detect_rank = 80

    @classmethod
    def detect(cls, profile: Profile) -> Detection | None:
        if profile.distinct == 0 or not profile.values.str.contains(_URL).all():
            return None
        return Detection(cls.kind, f"{rows(profile.present)}, all web addresses")

    def kind_rules(self, context: RuleContext) -> list[Rule]:
        v = self.value
        return [
            Rule(
                "url.invalid",
                self.name,
                self.severity,
                (v.is_null() | v.str.contains(_URL)).fill_null(False),
                "'{value}' is not a web address",
                hint="use a full http:// or https:// address",
            )
        ]
