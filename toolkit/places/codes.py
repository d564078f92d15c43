"""ISO 3166-1 alpha-3 countries and ISO 3166-2 subdivisions, from pycountry's bundled data.

Checks are `is_in` lookups over whole columns. Hints (what the editor probably meant) are
computed only for the few failing rows, by the report.
"""

from __future__ import annotations

import difflib
import unicodedata
from functools import cache

import polars as pl
import pycountry


@cache
def country_codes() -> frozenset[str]:
    """Current ISO 3166-1 alpha-3 codes."""
    return frozenset(c.alpha_3 for c in pycountry.countries)


@cache
def _alpha2_to_alpha3() -> dict[str, str]:
    return {c.alpha_2: c.alpha_3 for c in pycountry.countries}


@cache
def subdivision_table() -> pl.DataFrame:
    """Every ISO 3166-2 subdivision code with the alpha-3 code of its country."""
    to3 = _alpha2_to_alpha3()
    codes = [(s.code, to3.get(s.country_code, "")) for s in pycountry.subdivisions]
    return pl.DataFrame(codes, schema={"code": pl.String, "country": pl.String}, orient="row")


def is_country(code: pl.Expr) -> pl.Expr:
    """True where the text is a current ISO 3166-1 alpha-3 code (case-sensitive)."""
    return code.is_in(sorted(country_codes()))


def is_subdivision(code: pl.Expr) -> pl.Expr:
    """True where the text is an ISO 3166-2 subdivision code."""
    return code.is_in(subdivision_table()["code"].implode())


def subdivision_country(code: pl.Expr) -> pl.Expr:
    """The alpha-3 code of the country a subdivision code belongs to (null if unknown)."""
    table = subdivision_table()
    return code.replace_strict(
        table["code"], table["country"], default=None, return_dtype=pl.String
    )


_ARTICLES = {"al", "el", "ad", "as", "an", "ar", "at", "az", "ash", "ath", "adh"}

# English names that differ from the ISO 3166-2 (local, transliterated) names pycountry has.
_SUBDIVISION_ALIASES = {
    "RUS": {
        "moscow oblast": "RU-MOS",
        "moscow region": "RU-MOS",
        "moscow": "RU-MOW",
        "saint petersburg": "RU-SPE",
        "st petersburg": "RU-SPE",
        "chechnya": "RU-CE",
    },
    "IRQ": {
        "nineveh": "IQ-NI",
        "erbil": "IQ-AR",
        "irbil": "IQ-AR",
        "kirkuk": "IQ-KI",
        "sulaymaniyah": "IQ-SU",
        "basra": "IQ-BA",
        "salahuddin": "IQ-SD",
        "diyala": "IQ-DI",
    },
    "SYR": {
        "aleppo": "SY-HL",
        "damascus": "SY-DI",
        "rif dimashq": "SY-RD",
        "homs": "SY-HI",
        "hama": "SY-HM",
        "latakia": "SY-LA",
        "idlib": "SY-ID",
        "raqqa": "SY-RA",
        "deir ez zor": "SY-DY",
        "deir ezzor": "SY-DY",
        "hasakah": "SY-HA",
        "daraa": "SY-DR",
    },
}


def _fold(text: str) -> str:
    """Compare names without case, accents, punctuation or an 'al-' prefix."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = "".join(ch if ch.isalnum() else " " for ch in text.lower())
    words = [w for w in text.split() if w not in {"the", "of"}]
    if words and words[0] in _ARTICLES and len(words) > 1:
        words = words[1:]
    return " ".join(words)


_COUNTRY_ALIASES = {
    "russia": "RUS",
    "syria": "SYR",
    "iran": "IRN",
    "uk": "GBR",
    "britain": "GBR",
    "great britain": "GBR",
    "us": "USA",
    "usa": "USA",
    "america": "USA",
    "united states": "USA",
    "south korea": "KOR",
    "north korea": "PRK",
    "laos": "LAO",
    "vietnam": "VNM",
    "ivory coast": "CIV",
    "turkey": "TUR",
    "czech republic": "CZE",
    "palestine": "PSE",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "tanzania": "TZA",
    "moldova": "MDA",
    "democratic republic congo": "COD",
    "dr congo": "COD",
    "drc": "COD",
}


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                names.setdefault(_fold(value), c.alpha_3)
        names.setdefault(c.alpha_2.lower(), c.alpha_3)
    names.update(_COUNTRY_ALIASES)
    return names


def _ascii_lookalikes(text: str) -> str:
    """Map Cyrillic and Greek capitals that look like Latin ones (homoglyphs) to Latin."""
    table = str.maketrans("АВЕКМНОРСТХІЈЅУ", "ABEKMHOPCTXIJSY")
    greek = str.maketrans("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX")
    return text.translate(table).translate(greek)


def country_hint(value: str) -> str | None:
    """Suggest the alpha-3 code for a mistyped country: `Iraq` -> `did you mean IRQ?`."""
    text = value.strip()
    codes = country_codes()
    if text.upper() in codes:
        return f"did you mean {text.upper()}? codes are upper case"
    latin = _ascii_lookalikes(text)
    if latin != text and latin.upper() in codes:
        return f"did you mean {latin.upper()}? the value contains non-Latin look-alike letters"
    if text.upper() in _alpha2_to_alpha3():
        return f"did you mean {_alpha2_to_alpha3()[text.upper()]}? use alpha-3, not alpha-2"
    names = _country_names()
    folded = _fold(text)
    if folded in names:
        return f"did you mean {names[folded]}?"
    close = difflib.get_close_matches(folded, list(names), n=1, cutoff=0.85)
    if close:
        return f"did you mean {names[close[0]]}?"
    if len(text) == 3 and text.isalpha():
        # one letter off: prefer codes sharing the first two letters (IRK -> IRQ, not VIR)
        same_start = [c for c in sorted(codes) if c[:2] == text.upper()[:2]]
        close = difflib.get_close_matches(text.upper(), same_start, n=1, cutoff=0.6)
        if close:
            return f"not an ISO 3166-1 alpha-3 code; did you mean {close[0]}?"
    return "use an ISO 3166-1 alpha-3 code such as IRQ, SYR, RUS or USA"


@cache
def _subdivision_names(country: str) -> dict[str, str]:
    alpha2 = {v: k for k, v in _alpha2_to_alpha3().items()}.get(country)
    names: dict[str, str] = {}
    if alpha2 is None:
        return names
    for s in pycountry.subdivisions.get(country_code=alpha2) or []:
        folded = _fold(s.name)
        names.setdefault(folded, s.code)
        for suffix in (" province", " governorate", " oblast", " region", " state"):
            if folded.endswith(suffix):
                names.setdefault(folded[: -len(suffix)], s.code)
    names.update(_SUBDIVISION_ALIASES.get(country, {}))
    return names


def subdivision_hint(value: str, country: str | None) -> str | None:
    """Suggest the ISO 3166-2 code for an admin1 typed as a name or belonging elsewhere."""
    text = value.strip()
    table = subdivision_table()
    latin = _ascii_lookalikes(text)
    if latin != text and table.filter(pl.col("code") == latin.upper()).height:
        return f"did you mean {latin.upper()}? the value contains non-Latin look-alike letters"
    owner = table.filter(pl.col("code") == text.upper())["country"]
    if owner.len():
        if text != text.upper():
            return f"did you mean {text.upper()}? codes are upper case"
        if country and owner[0] != country:
            return f"{text.upper()} is a subdivision of {owner[0]}, not {country}"
    if country:
        names = _subdivision_names(country)
        folded = _fold(text)
        stem = folded
        for suffix in (" province", " governorate", " oblast", " region", " state"):
            stem = stem.removesuffix(suffix)
        for candidate in (
            folded,
            stem,
            *(stem + x for x in (" province", " governorate", " oblast")),
        ):
            if candidate in names:
                return f"did you mean {names[candidate]}?"
        close = difflib.get_close_matches(folded, list(names), n=1, cutoff=0.8)
        if close:
            return f"did you mean {names[close[0]]}?"
        alpha2 = {v: k for k, v in _alpha2_to_alpha3().items()}.get(country, "XX")
        return f"use an ISO 3166-2 code of {country}, like {alpha2}-…"
    return "use an ISO 3166-2 subdivision code such as IQ-AN"


# --- resolution in a column's accepted forms ------------------------------------------

COUNTRY_FORMS = ("alpha3", "alpha2", "numeric", "name")
SUBDIVISION_FORMS = ("code", "name")


@cache
def _numeric_to_alpha3() -> dict[str, str]:
    return {c.numeric: c.alpha_3 for c in pycountry.countries}


@cache
def _names_only() -> dict[str, str]:
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                names.setdefault(_fold(value), c.alpha_3)
    for alias, code in _COUNTRY_ALIASES.items():
        names.setdefault(alias, code)
    return names


@cache
def country_code(value: str, forms: frozenset[str]) -> str | None:
    """The alpha-3 code `value` denotes in one of `forms` (alpha3, alpha2, numeric, name)."""
    text = value.strip()
    if "alpha3" in forms and text in country_codes():
        return text
    if "alpha2" in forms and text in _alpha2_to_alpha3():
        return _alpha2_to_alpha3()[text]
    if "numeric" in forms and text.isdigit() and len(text) <= 3:
        return _numeric_to_alpha3().get(text.zfill(3))
    if "name" in forms:
        return _names_only().get(_fold(text))
    return None


@cache
def subdivision_code(value: str, country: str | None, forms: frozenset[str]) -> str | None:
    """The ISO 3166-2 code `value` denotes (a code, or a name of a subdivision of `country`)."""
    text = value.strip()
    table = subdivision_table()
    if "code" in forms and table.filter(pl.col("code") == text).height:
        return text
    if "name" in forms and country:
        names = _subdivision_names(country)
        folded = _fold(text)
        stem = folded
        for suffix in (" province", " prefecture", " governorate", " oblast", " region", " state"):
            stem = stem.removesuffix(suffix)
        for candidate in (folded, stem):
            if candidate in names:
                return names[candidate]
    return None
