"""`kind: country` — ISO 3166-1 alpha-3 codes, or the other `forms` a table writes countries in."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from toolkit.places import codes
from toolkit.schema import options as opt
from toolkit.schema.kinds.base import Column, Output, RuleContext, per_value, rows
from toolkit.schema.options import option
from toolkit.schema.profile import Detection, Profile
from toolkit.schema.rules import Rule

# a column with more distinct values than this is not checked for country names
MAX_DETECT_NAMES = 2_000

_FORM_WORDS = {
    "alpha3": "an ISO 3166-1 alpha-3 code",
    "alpha2": "an ISO 3166-1 alpha-2 code",
    "numeric": "an ISO 3166-1 numeric code",
    "name": "a country name",
}


@dataclass(frozen=True, kw_only=True)
class CountryColumn(Column):
    """A country. `forms` lists what the column may hold: `alpha3` (IRQ, the default),
    `alpha2` (IQ), `numeric` (368), `name` (Iraq, Central African Republic, Côte d'Ivoire).
    When it accepts more than alpha-3, Parquet gets `<name>_iso3` beside the text."""

    kind = "country"
    summary = "a country: ISO 3166-1 alpha-3 (IRQ) unless the column accepts other forms"

    forms: tuple[str, ...] = option(opt.some_of("alpha3", "alpha2", "numeric", "name"), ("alpha3",))

    detect_rank = 90

    @classmethod
    def detect(cls, profile: Profile) -> Detection | None:
        values = profile.values
        if profile.distinct == 0 or profile.distinct > MAX_DETECT_NAMES:
            return None
        alpha3 = values.is_in(sorted(codes.country_codes()))
        if alpha3.all():
            return Detection(cls.kind, f"{rows(profile.present)}, all ISO 3166-1 alpha-3 codes")
        names_only = frozenset({"name"})
        named = pl.Series([codes.country_code(v, names_only) is not None for v in values.to_list()])
        if not (named | alpha3).all():
            alpha2 = frozenset({"alpha2"})
            hinted = "country" in profile.lowered_name()
            if hinted and all(codes.country_code(v, alpha2) for v in values.to_list()):
                return Detection(
                    cls.kind,
                    f"{rows(profile.present)}, all ISO 3166-1 alpha-2 codes",
                    {"forms": ["alpha2"]},
                )
            return None
        forms = ["name", "alpha3"] if alpha3.any() else ["name"]
        why = f"{rows(profile.present)}, all country names" + (
            " or alpha-3 codes" if alpha3.any() else ""
        )
        return Detection(
            cls.kind, why + f" ({', '.join(profile.examples(named, 2))})", {"forms": forms}
        )

    def accepts(self) -> str:
        return "a country as " + " or ".join(_FORM_WORDS[f] for f in self.forms)

    @property
    def codes_only(self) -> bool:
        return self.forms == ("alpha3",)

    def iso3_from(self, value: pl.Expr) -> pl.Expr:
        """The alpha-3 code of each value (null when it is not a country in these forms)."""
        if self.codes_only:
            return pl.when(codes.is_country(value)).then(value)
        forms = frozenset(self.forms)
        return per_value([value], lambda v: codes.country_code(v, forms), pl.String)

    def parse(self) -> dict[str, pl.Expr]:
        return {} if self.codes_only else {"iso3": self.iso3_from(self.value)}

    @property
    def iso3(self) -> pl.Expr:
        """The row's alpha-3 code, for checks that need the country (null: none or unknown)."""
        return self.iso3_from(self.value) if self.codes_only else self.field("iso3")

    def kind_rules(self, context: RuleContext) -> list[Rule]:
        v = self.value
        if self.codes_only:
            ok = v.is_null() | codes.is_country(v)
            message = "'{value}' is not an ISO 3166-1 alpha-3 country code"
        else:
            ok = v.is_null() | self.field("iso3").is_not_null()
            words = " or ".join(_FORM_WORDS[f] for f in self.forms)
            message = f"'{{value}}' is not {words}"
        return [
            Rule(
                "country.unknown",
                self.name,
                self.severity,
                ok.fill_null(False),
                message,
                suggest=lambda value: codes.country_hint(value, frozenset(self.forms)),
            )
        ]

    def outputs(self) -> list[Output]:
        text = Output(self.name, self.canonical(), self.description, self.name, canonical=True)
        if self.codes_only:
            return [text]
        return [
            text,
            Output(
                f"{self.name}_iso3",
                self.field("iso3"),
                f"ISO 3166-1 alpha-3 code of {self.name}",
                self.name,
            ),
        ]
