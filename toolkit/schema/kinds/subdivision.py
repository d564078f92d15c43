"""`kind: subdivision` — ISO 3166-2 codes (IQ-AN) or names (Anbar, Colorado, Ouaka province),
checked against the row's country (a country column, or one country for the whole table)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from toolkit.places import codes
from toolkit.places.points import country_labels
from toolkit.schema import options as opt
from toolkit.schema.kinds.base import Column, Output, RuleContext, per_value, rows
from toolkit.schema.options import OptionError, option
from toolkit.schema.profile import Detection, Profile
from toolkit.schema.rules import Rule

MAX_DETECT_NAMES = 5_000  # more distinct values than this are not looked up as names


def country_of(
    reference: str | None, columns: Mapping[str, Column], *, parsed: bool = True
) -> pl.Expr | None:
    """The alpha-3 code a `country:` option names: a country column's, or a fixed country.

    `parsed=False` computes it from the column's trimmed text, for use while parsing.
    """
    from toolkit.schema.kinds.country import CountryColumn

    if reference is None:
        return None
    column = columns.get(reference)
    if isinstance(column, CountryColumn):
        return column.iso3 if parsed else column.iso3_from(column.value)
    code = fixed_country(reference)
    return pl.lit(code, pl.String) if code else None


def fixed_country(reference: str) -> str | None:
    """The alpha-3 code of a country named in a schema file (`USA`, `US`, `United States`)."""
    return codes.country_code(reference, frozenset(codes.COUNTRY_FORMS))


def check_country_reference(
    reference: str | None, columns: Mapping[str, Column], key: str = "country"
) -> None:
    """A `country:` option names a column of kind country, or a country."""
    from toolkit.schema.kinds.country import CountryColumn

    if reference is None:
        return
    column = columns.get(reference)
    if column is not None and not isinstance(column, CountryColumn):
        raise OptionError(
            f"{key} names column {reference!r}, which is of kind {column.kind}, not country"
        )
    if column is None and fixed_country(reference) is None:
        raise OptionError(
            f"{key} refers to unknown column {reference!r} (nor is it a country code or name)"
        )


@dataclass(frozen=True, kw_only=True)
class SubdivisionColumn(Column):
    """A first-level subdivision. `country` names the column holding the row's country, or
    one country for a single-country table (`country: USA`); `forms` is `code` (IQ-AN, the
    default) and/or `name` (Anbar). With names, Parquet gets `<name>_code` beside the text."""

    kind = "subdivision"
    summary = "an ISO 3166-2 subdivision code (IQ-AN) unless the column accepts names"

    country: str | None = option(opt.column_name)
    forms: tuple[str, ...] = option(opt.some_of("code", "name"), ("code",))

    detect_rank = 95

    @classmethod
    def detect(cls, profile: Profile) -> Detection | None:
        values = profile.values
        if profile.distinct == 0 or profile.distinct > MAX_DETECT_NAMES:
            return None
        is_code = values.is_in(codes.subdivision_table()["code"].implode())
        column = next((n for n, d in profile.others.items() if d.kind == "country"), None)
        if is_code.all():
            options = {"country": column} if column else {}
            return Detection(cls.kind, f"{rows(profile.present)}, all ISO 3166-2 codes", options)
        both = frozenset({"code", "name"})
        if column is not None and profile.table is not None:
            forms = frozenset(profile.others[column].options.get("forms", ["alpha3"]))
            pairs = profile.table([profile.name, column]).drop_nulls(profile.name).unique()
            country = {c: codes.country_code(c, forms) for c in pairs[column].unique().drop_nulls()}
            found = [codes.subdivision_code(v, country.get(c), both) for v, c in pairs.iter_rows()]
            where, reference = "of the row's country", column
        elif profile.country is not None:
            found = [codes.subdivision_code(v, profile.country, both) for v in values.to_list()]
            where, reference = f"of {profile.country}", profile.country
        else:
            return None
        if not all(found):
            return None
        written = ["code", "name"] if is_code.any() else ["name"]
        example = profile.examples(~is_code)[0]
        why = f"{rows(profile.present)}, all subdivision names {where} (like {example})"
        return Detection(cls.kind, why, {"country": reference, "forms": written})

    def accepts(self) -> str:
        words = {"code": "an ISO 3166-2 code", "name": "a name"}
        forms = " or ".join(words[f] for f in self.forms)
        of = f" of the row's country ({self.country})" if self.country else ""
        return f"a first-level subdivision{of}, as {forms}"

    @property
    def codes_only(self) -> bool:
        return self.forms == ("code",)

    def check_references(self, columns: Mapping[str, Column]) -> None:
        if "name" in self.forms and self.country is None:
            raise OptionError("a subdivision given by name needs country (a column or a country)")
        check_country_reference(self.country, columns)

    def parse_stage(self, columns: Mapping[str, Column]) -> dict[str, pl.Expr]:
        if self.codes_only:
            return {}
        # a name is looked up among the subdivisions of the row's country
        country = country_of(self.country, columns, parsed=False)
        assert country is not None
        forms = frozenset(self.forms)
        code = per_value(
            [self.value, country], lambda v, c: codes.subdivision_code(v, c, forms), pl.String
        )
        return {self._field_name("code"): code}

    def kind_rules(self, context: RuleContext) -> list[Rule]:
        n, sev, v = self.name, self.severity, self.value
        present = v.is_not_null()
        if self.codes_only:
            ok = ~present | codes.is_subdivision(v)
            message = "'{value}' is not an ISO 3166-2 subdivision code"
        else:
            ok = ~present | self.field("code").is_not_null()
            message = (
                "'{value}' is not a subdivision of {named}"
                if "code" not in self.forms
                else "'{value}' is not an ISO 3166-2 code or a subdivision of {named}"
            )
        country = country_of(self.country, context.columns)
        named = {"named": country_labels(country)} if country is not None else {}
        rules = [
            Rule(
                "subdivision.unknown",
                n,
                sev,
                ok.fill_null(False),
                message,
                suggest=lambda value, country: codes.subdivision_hint(
                    value, country or None, frozenset(self.forms)
                ),
                suggest_from=(country if country is not None else pl.lit(None, pl.String),),
                fields=named,
            )
        ]
        if country is not None and self.codes_only:
            owner = codes.subdivision_country(v)
            rules.append(
                Rule(
                    "subdivision.wrong_country",
                    n,
                    sev,
                    (owner.is_null() | country.is_null() | (owner == country)).fill_null(True),
                    "'{value}' is a subdivision of {owner}, not of {named}",
                    hint=f"fix {n} or {self.country}",
                    fields={"owner": country_labels(owner), "named": country_labels(country)},
                )
            )
        return rules

    def outputs(self) -> list[Output]:
        text = Output(self.name, self.canonical(), self.description, self.name, canonical=True)
        if self.codes_only:
            return [text]
        return [
            text,
            Output(
                f"{self.name}_code",
                self.field("code"),
                f"ISO 3166-2 code of {self.name}",
                self.name,
            ),
        ]
