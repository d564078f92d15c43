"""Countries (ISO 3166-1) and subdivisions (ISO 3166-2): codes, names, and hints.

Codes and names come from maintained data, not from lists kept here:
- pycountry (the iso-codes project): current countries with their alpha-2, alpha-3 and numeric
  codes, name, official and common name; withdrawn countries (ISO 3166-3); subdivisions.
- country_converter (`country_data.tsv`, read directly, so pandas is never imported): each
  country's short and official name and its regular expression for the ways the world writes
  it (`Burma`, `Ivory Coast`, `Congo, Dem. Rep.`, `U.K.`).

`XKX` (Kosovo) is accepted beside the ISO codes: a user-assigned code (ISO 3166-1 leaves
XA-XZ to users), not ISO's, but the one the European Union, the IMF, the World Bank and many
event data sets use. It has no numeric code.

Recognition (`country_code`, `subdivision_code`) is exact: a value denotes one place or none.
No edit-distance guessing happens there; that belongs to the hints (`country_hint`,
`subdivision_hint`), computed only for values that were not recognised. All lookups are cached:
callers ask once per distinct value.

The column-wide checks (`is_country`, `is_subdivision`, `subdivision_country`) are polars
`is_in`/`replace_strict` expressions over whole columns.
"""

from __future__ import annotations

import csv
import difflib
import importlib.util
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import polars as pl
import pycountry

COUNTRY_FORMS = frozenset({"alpha3", "alpha2", "numeric", "name"})
SUBDIVISION_FORMS = frozenset({"code", "name"})
_ALPHA3 = frozenset({"alpha3"})
_CODE = frozenset({"code"})

# Kosovo: user-assigned code elements, as the EU, IMF and World Bank use them; its names come
# from country_converter's row for XKX.
KOSOVO = "XKX"
_KOSOVO_ALPHA2 = "XK"

# Withdrawn codes whose ISO 3166-3 alpha-4 code ends in HH or XX ("divided"): pycountry does not
# carry what replaced them, so the successors are those ISO 3166-3 lists for each.
_DIVIDED_INTO = {
    "ANT": ("CUW", "SXM", "BES"),  # ANHH, 2010: Curaçao, Sint Maarten, Bonaire/St Eustatius/Saba
    "CSK": ("CZE", "SVK"),  # CSHH, 1993
    "SCG": ("SRB", "MNE"),  # CSXX, 2006
    # SUHH, 1992 (Belarus and Ukraine had codes of their own)
    "SUN": (
        "RUS",
        "ARM",
        "AZE",
        "EST",
        "GEO",
        "KAZ",
        "KGZ",
        "LVA",
        "LTU",
        "MDA",
        "TJK",
        "TKM",
        "UZB",
    ),
    "ATF": ("ATF", "ATA"),  # FQHH, 1979: French Southern Territories and Antarctica
    "GEL": ("KIR", "TUV"),  # GEHH, 1979
    "NTZ": ("SAU", "IRQ"),  # NTHH, 1993
    "PCI": ("FSM", "MHL", "MNP", "PLW"),  # PCHH, 1986
}

# Words the World Bank and others abbreviate inside country names ("Congo, Dem. Rep.",
# "Micronesia, Fed. Sts.", "Lao PDR", "Venezuela, RB", "Hong Kong SAR, China"). A name is
# recognised only if each of its words is a word of some country name (see `_name_words`).
_ACRONYM = re.compile(
    r"^(?:[A-Z]\.?){2,5}$"
)  # UAE, U.K., DPRK: country_converter's patterns decide
_ABBREVIATIONS = frozenset({"rep", "dem", "fed", "sts", "pdr", "rb", "sar", "is", "isl", "u", "s"})

# Subdivisions whose current names the ISO 3166-2 list in pycountry does not carry: three
# prefectures of the Central African Republic renamed after their ISO names were set (the
# names UCDP GED and the country's own administration use).
_SUBDIVISION_RENAMED = {
    "CAF": {
        "Kémo": "CF-KG",  # ISO: Kémo-Gribingui
        "Nana-Grébizi": "CF-KB",  # ISO: Gribingui (economic prefecture)
        "Sangha-Mbaéré": "CF-SE",  # ISO: Sangha (economic prefecture)
    },
}

# Generic English words for a first-level division that may follow or precede a name
# ("Ouaka province", "Province of Ouaka") even where ISO calls that level otherwise; the
# subdivision types pycountry gives for the country itself are tolerated too.
_TYPE_WORDS = frozenset({"province", "prefecture", "governorate", "region", "state", "department"})
_ARABIC_ARTICLES = frozenset({"al", "el", "ad", "as", "an", "ar", "at", "az", "ash", "ath", "adh"})


# --- text -------------------------------------------------------------------------------------


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_APOSTROPHES = str.maketrans("", "", "'’‘`ʼʻ´")
_DROPPED_WORDS = frozenset({"the", "of", "and"})
_SAINT = {"st": "saint", "ste": "sainte"}


def fold(text: str) -> str:
    """A name for comparison: no case, accents, apostrophes, punctuation, `the`/`of`/`and`.

    `CÔTE D'IVOIRE` and `cote d'ivoire` fold alike (so do typographic apostrophes); `St. Lucia` and `Saint Lucia` too.
    """
    text = _strip_accents(text).casefold().translate(_APOSTROPHES)
    words = "".join(ch if ch.isalnum() else " " for ch in text).split()
    return " ".join(_SAINT.get(w, w) for w in words if w not in _DROPPED_WORDS)


def _inverted(name: str) -> str:
    """`Korea, Republic of` -> `Republic of Korea` (ISO's sorted form to the spoken one)."""
    head, sep, tail = name.partition(", ")
    return f"{tail} {head}" if sep and "," not in tail else name


def _ascii_lookalikes(text: str) -> str:
    """Map Cyrillic and Greek capitals that look like Latin ones (homoglyphs) to Latin."""
    table = str.maketrans("АВЕКМНОРСТХІЈЅУ", "ABEKMHOPCTXIJSY")
    greek = str.maketrans("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX")
    return text.translate(table).translate(greek)


# --- countries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    """One current country: its codes and the name shown in messages."""

    alpha3: str
    alpha2: str
    numeric: str | None  # three digits; None for XKX
    name: str  # common name where pycountry has one (`Syria`), else its name


@cache
def _converter_rows() -> tuple[dict[str, str], ...]:
    """country_converter's table, read from its data file without importing the package."""
    spec = importlib.util.find_spec("country_converter")
    if spec is None or spec.origin is None:  # a declared dependency; only a broken install
        raise ModuleNotFoundError("country_converter is not installed")
    path = Path(spec.origin).with_name("country_data.tsv")
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh, delimiter="\t"))


@cache
def countries() -> dict[str, Country]:
    """Every current country by alpha-3: pycountry's, plus Kosovo (XKX)."""
    out = {
        c.alpha_3: Country(
            c.alpha_3, c.alpha_2, c.numeric, getattr(c, "common_name", None) or c.name
        )
        for c in pycountry.countries
    }
    kosovo = next(r for r in _converter_rows() if r["ISO3"] == KOSOVO)
    out[KOSOVO] = Country(KOSOVO, _KOSOVO_ALPHA2, None, kosovo["name_short"])
    return out


@cache
def country_codes() -> frozenset[str]:
    """Current alpha-3 codes (ISO 3166-1, and XKX)."""
    return frozenset(countries())


@cache
def _by_alpha2() -> dict[str, str]:
    return {c.alpha2: c.alpha3 for c in countries().values()}


@cache
def _by_numeric() -> dict[str, str]:
    return {c.numeric: c.alpha3 for c in countries().values() if c.numeric}


@cache
def _names() -> dict[str, str]:
    """Folded name -> alpha-3, from pycountry's and country_converter's names.

    pycountry's names (name, official, common, and `Korea, Republic of` turned round) come
    first; a country_converter name that folds like another country's is left out. None do
    today (pinned by a test), so the rule only guards future data.
    """
    out: dict[str, str] = {}

    def add(name: str | None, code: str) -> None:
        if name:
            for variant in {name, _inverted(name)}:
                out.setdefault(fold(variant), code)

    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            add(getattr(c, attr, None), c.alpha_3)
    current = country_codes()
    for row in _converter_rows():
        if row["ISO3"] in current:
            add(row["name_short"], row["ISO3"])
            add(row["name_official"], row["ISO3"])
    out.pop("", None)
    return out


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """country_converter's regular expression of each current country."""
    current = country_codes()
    return tuple(
        (re.compile(row["regex"], re.IGNORECASE), row["ISO3"])
        for row in _converter_rows()
        if row["ISO3"] in current and not row["obsolete"]
    )


@cache
def _name_words() -> frozenset[str]:
    """Every word of every country name, in pycountry, country_converter's names and its
    patterns (`kinshasa`, `burma`, `ivory`), with the World Bank's abbreviations."""
    words: set[str] = set(_ABBREVIATIONS)
    for name in _names():
        words.update(name.split())
    for row in _converter_rows():
        words.update(fold(row["name_short"]).split())
        literal = re.sub(r"\\[A-Za-z]", " ", row["regex"])  # \b, \s, \w are not letters
        words.update(w.casefold() for w in re.findall(r"[A-Za-z]{3,}", literal))
    for h in pycountry.historic_countries:
        words.update(fold(h.name).split())
    return frozenset(words)


@lru_cache(maxsize=65536)
def _is_name_word(word: str) -> bool:
    """Whether a folded word belongs to country names: a word of one, a single letter (`N.
    Korea`), or a word a pattern matches whole (`Turkey`, `Rumania`), not just its start
    (`Iraqi`, `Iraqx`)."""
    return (
        len(word) == 1
        or word in _name_words()
        or any(pattern.fullmatch(word) for pattern, _ in _patterns())
    )


def _pattern_matches(text: str) -> list[str]:
    plain = _strip_accents(text).translate(str.maketrans("’‘`", "'''"))
    return sorted({code for pattern, code in _patterns() if pattern.search(plain)})


@lru_cache(maxsize=65536)
def _name_code(value: str) -> str | None:
    folded = fold(value)
    if not folded:
        return None
    exact = _names().get(folded)
    if exact:
        return exact
    if not _ACRONYM.match(value) and not all(_is_name_word(w) for w in folded.split()):
        return None  # "Baghdad, Iraq": a place in a country, not a country's name
    divided = _withdrawn().get(folded)
    if divided and len(divided[1]) > 1:
        return None  # "Czechoslovakia": ISO 3166-3 says it was divided (CZE, SVK)
    matches = _pattern_matches(value)
    return matches[0] if len(matches) == 1 else None


@lru_cache(maxsize=65536)
def country_code(value: str, forms: frozenset[str] = _ALPHA3) -> str | None:
    """The alpha-3 code a value denotes in one of `forms`, or None.

    `forms` is a subset of {"alpha3", "alpha2", "numeric", "name"}. Codes are matched exactly:
    alpha codes in upper case (`IRQ`, `IQ`), numeric codes as ISO writes them, three digits
    (`368`, `004`; `4` is not accepted: a lost leading zero is what a spreadsheet does to a
    code, and the hint says so). Names are matched without regard to case, accents or
    punctuation: pycountry's and country_converter's names (`Central African Republic`,
    `Côte d'Ivoire`, `Russia`, `Korea, Rep.`), or any text that country_converter's patterns
    give to exactly one country and whose every word belongs to country names (`Burma`,
    `Ivory Coast`, `Congo, Dem. Rep.`, `U.S.`); `Baghdad, Iraq` is not a country's name.

    >>> country_code("Burma", frozenset({"name"}))
    'MMR'
    """
    if "alpha3" in forms and value in countries():
        return value
    if "alpha2" in forms and value in _by_alpha2():
        return _by_alpha2()[value]
    if "numeric" in forms and value in _by_numeric():
        return _by_numeric()[value]
    if "name" in forms:
        return _name_code(value)
    return None


def country_name(code: str) -> str | None:
    """The name of a current country (`SYR` -> `Syria`), or None."""
    country = countries().get(code)
    return country.name if country else None


@cache
def country_label(code: str | None) -> str | None:
    """`IRQ` -> `Iraq (IRQ)`, for messages; other text stays as it is."""
    if code is None:
        return None
    name = country_name(code)
    return f"{name} ({code})" if name else code


# --- country hints ----------------------------------------------------------------------------

_FORM_ORDER = ("alpha3", "alpha2", "numeric", "name")
_FORM_LABEL = {"alpha3": "alpha-3", "alpha2": "alpha-2", "numeric": "numeric", "name": "a name"}


def _written(code: str, forms: frozenset[str]) -> str:
    """A country as the column accepts it: the first of alpha-3, alpha-2, numeric, name."""
    c = countries()[code]
    for form in _FORM_ORDER:
        if form in forms:
            value = {"alpha3": c.alpha3, "alpha2": c.alpha2, "numeric": c.numeric}.get(form)
            if form == "name":
                return c.name
            if value:
                return value
    return c.alpha3


def _either(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def _form_of(value: str) -> str | None:
    """The code form a value is written in, if it is a current code in any form."""
    if value in countries():
        return "alpha3"
    if value in _by_alpha2():
        return "alpha2"
    if value in _by_numeric():
        return "numeric"
    return None


def _any_code(value: str) -> str | None:
    return country_code(value, COUNTRY_FORMS)


def _successors(h: object, seen: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Current alpha-3 codes that replaced a withdrawn country (ISO 3166-3)."""
    alpha3 = getattr(h, "alpha_3")  # noqa: B009 - pycountry records have dynamic fields
    if alpha3 in _DIVIDED_INTO:
        return tuple(s for s in _DIVIDED_INTO[alpha3] if s in countries())
    # the last two letters of the alpha-4 code are the new alpha-2 code (YUCS -> CS, itself
    # withdrawn in its turn: Serbia and Montenegro -> SRB, MNE)
    for alpha2 in (getattr(h, "alpha_4")[2:], getattr(h, "alpha_2")):  # noqa: B009
        if alpha2 in _by_alpha2():
            return (_by_alpha2()[alpha2],)
        later = [
            g for g in pycountry.historic_countries
            if g.alpha_2 == alpha2 and g.alpha_3 not in seen | {alpha3}
        ]  # fmt: skip
        if later:
            return _successors(later[-1], seen | {alpha3})
    return ()


@cache
def _withdrawn() -> dict[str, tuple[str, tuple[str, ...], str]]:
    """Withdrawn codes and folded names (ISO 3166-3) -> (alpha-3, successors, year)."""
    out: dict[str, tuple[str, tuple[str, ...], str]] = {}
    for h in pycountry.historic_countries:
        successors = _successors(h)
        if not successors:
            continue
        entry = (f"{h.alpha_3} ({h.name.partition(', ')[0]})", successors, h.withdrawal_date[:4])
        keys = [h.alpha_3, h.alpha_2, getattr(h, "numeric", None)]
        for key in [k for k in keys if k and not _form_of(k)]:
            out.setdefault(key, entry)
        # `Yugoslavia, (Socialist) Federal Republic of`: the whole name, turned round, and
        # the part before the comma
        for name in (h.name, _inverted(h.name), h.name.partition(", ")[0]):
            out.setdefault(fold(name), entry)
    return out


@cache
def _withdrawn_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """country_converter's patterns of withdrawn countries (`USSR|soviet`)."""
    withdrawn = _withdrawn()
    return tuple(
        (re.compile(row["regex"], re.IGNORECASE), row["ISO3"])
        for row in _converter_rows()
        if row["obsolete"] and row["ISO3"] in withdrawn
    )


def _withdrawn_entry(text: str) -> tuple[str, tuple[str, ...], str] | None:
    table = _withdrawn()
    entry = table.get(text.upper()) or table.get(fold(text))
    if entry is None:
        plain = _strip_accents(text)
        hits = {code for pattern, code in _withdrawn_patterns() if pattern.search(plain)}
        if len(hits) == 1:
            entry = table[hits.pop()]
    return entry


def _one_letter_off(text: str) -> list[str]:
    """Alpha-3 codes that differ from a 3-letter value in its last letter only (IRK -> IRL,
    IRN, IRQ). Other letters are not guessed: KSA (Saudi Arabia) is not a typo of KNA or USA."""
    up = text.upper()
    return [code for code in sorted(countries()) if code[:2] == up[:2] and code != up]


@lru_cache(maxsize=65536)
def country_hint(value: str, forms: frozenset[str] = _ALPHA3) -> str | None:
    """What the editor probably meant by a country the column does not accept.

    `Iraq` -> `did you mean IRQ?`; `IQ` -> `did you mean IRQ? use alpha-3, not alpha-2`;
    `ANT` -> the codes that replaced it (ISO 3166-3). The suggestion is written in the form the
    column accepts. Values the column accepts get None.
    """
    text = value.strip()
    if country_code(text, forms):
        return None if text == value else "remove the spaces around the value"
    # a code or name in a form the column does not take
    form = _form_of(text)
    code = _any_code(text)
    if code:
        wanted = _written(code, forms)
        if form is None:
            return f"did you mean {wanted}?"
        accepted = " or ".join(_FORM_LABEL[f] for f in _FORM_ORDER if f in forms)
        return f"did you mean {wanted}? use {accepted}, not {_FORM_LABEL[form]}"
    upper = text.upper()
    if upper != text and _form_of(upper):
        code = _any_code(upper)
        assert code
        return f"did you mean {_written(code, forms)}? codes are upper case"
    latin = _ascii_lookalikes(text)
    if latin != text and _any_code(latin.upper()):
        code = _any_code(latin.upper())
        assert code
        return (
            f"did you mean {_written(code, forms)}? the value contains non-Latin look-alike letters"
        )
    if "numeric" in forms and text.isdigit() and len(text) < 3 and text.zfill(3) in _by_numeric():
        code = _by_numeric()[text.zfill(3)]
        return f"did you mean {_written(code, forms)}? numeric codes have three digits"
    # a withdrawn code or name (ISO 3166-3); for a name, country_converter's patterns of current
    # countries go first, so a renamed country gets its new code ("Burma": MMR), a divided one
    # its successors ("Czechoslovakia": CZE, SVK)
    matches = _pattern_matches(text)
    withdrawn = _withdrawn_entry(text)
    if withdrawn and (len(withdrawn[1]) > 1 or not matches or upper in _withdrawn()):
        old, successors, year = withdrawn
        now = _either(_written(s, forms) for s in successors)
        return f"{old} was withdrawn from ISO 3166-1 in {year}; use {now}"
    # the names country_converter's patterns recognise inside longer text
    if len(matches) == 1:
        return f"did you mean {_written(matches[0], forms)}?"
    if 1 < len(matches) <= 3:
        return f"did you mean {_either(_written(m, forms) for m in matches)}?"
    folded = fold(text)
    close = difflib.get_close_matches(folded, list(_names()), n=2, cutoff=0.85)
    codes = sorted({_names()[c] for c in close})
    if len(codes) == 1:
        return f"did you mean {_written(codes[0], forms)}?"
    if len(text) == 3 and text.isalpha():
        near = _one_letter_off(text)
        if 1 <= len(near) <= 3:
            return f"not an ISO 3166-1 alpha-3 code; did you mean {_either(near)}?"
    return _country_fallback(forms)


def _country_fallback(forms: frozenset[str]) -> str:
    if forms == {"name"}:
        return "use a country's name, such as Iraq, Syria, Russia or United States"
    form = next(f for f in _FORM_ORDER if f in forms)
    example = {"alpha3": "IRQ, SYR, RUS or USA", "alpha2": "IQ, SY, RU or US"}.get(
        form, "368, 760, 643 or 840"
    )
    return f"use an ISO 3166-1 {_FORM_LABEL[form]} code such as {example}"


# --- subdivisions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Subdivision:
    """One ISO 3166-2 subdivision."""

    code: str
    country: str  # alpha-3
    name: str
    type: str


@cache
def subdivisions() -> dict[str, Subdivision]:
    """Every ISO 3166-2 subdivision by code."""
    to3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    return {
        s.code: Subdivision(s.code, to3.get(s.country_code, ""), s.name, s.type)
        for s in pycountry.subdivisions
    }


@cache
def subdivision_table() -> pl.DataFrame:
    """Every ISO 3166-2 subdivision code with the alpha-3 code of its country."""
    rows = [(s.code, s.country) for s in subdivisions().values()]
    return pl.DataFrame(rows, schema={"code": pl.String, "country": pl.String}, orient="row")


def is_country(code: pl.Expr) -> pl.Expr:
    """True where the text is a current alpha-3 code (ISO 3166-1 or XKX; case-sensitive)."""
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


def _without_article(words: list[str]) -> str:
    if len(words) > 1 and words[0] in _ARABIC_ARTICLES:
        words = words[1:]
    return " ".join(words)


def _fold_subdivision(text: str) -> str:
    """`fold`, and without a leading Arabic article: `Al Anbar` and `Anbar` fold alike."""
    return _without_article(fold(text.replace("-", " ")).split())


def _subdivision_variants(name: str) -> set[str]:
    """`Haute-Sangha / Mambéré-Kadéï` names two; `Bashkortostan, Respublika` is turned round."""
    out: set[str] = set()
    for part in name.split(" / "):
        out.update((part, _inverted(part)))
        head, sep, _tail = part.partition(", ")
        if sep:
            out.add(head)  # `Bashkortostan`: the name without ISO's type word after it
    return out


@cache
def _type_words(country: str) -> frozenset[str]:
    words = set(_TYPE_WORDS)
    for s in _subdivisions_of(country):
        words.update(fold(s.type).split())
    return frozenset(words)


@cache
def _subdivisions_of(country: str) -> tuple[Subdivision, ...]:
    return tuple(s for s in subdivisions().values() if s.country == country)


@cache
def _subdivision_names(country: str | None) -> dict[str, str | None]:
    """Folded name -> code within a country (all countries for None); None where ambiguous."""
    subs = subdivisions().values() if country is None else _subdivisions_of(country)
    found: dict[str, set[str]] = {}
    for s in subs:
        for variant in _subdivision_variants(s.name):
            found.setdefault(_fold_subdivision(variant), set()).add(s.code)
    renamed = (
        _SUBDIVISION_RENAMED.items()
        if country is None
        else [(country, _SUBDIVISION_RENAMED.get(country, {}))]
    )
    for _c, table in renamed:
        for name, code in table.items():
            found.setdefault(_fold_subdivision(name), set()).add(code)
    found.pop("", None)
    return {k: next(iter(v)) if len(v) == 1 else None for k, v in found.items()}


def _without_type_word(folded: str, country: str | None) -> list[str]:
    """The name with a leading or trailing type word taken off (`ouaka province` -> `ouaka`)."""
    words = folded.split()
    if len(words) < 2:
        return []
    types = _type_words(country) if country else _TYPE_WORDS
    out = []
    if words[-1] in types:
        out.append(" ".join(words[:-1]))
    if words[0] in types:
        out.append(" ".join(words[1:]))
    return out


@lru_cache(maxsize=65536)
def _subdivision_by_name(value: str, country: str | None) -> str | None:
    names = _subdivision_names(country)
    folded = _fold_subdivision(value)
    if folded in names:
        return names[folded]
    for stem in _without_type_word(folded, country):
        stem = _without_article(stem.split())  # "Governorate of Al Anbar"
        if stem in names:
            return names[stem]
    return None


@lru_cache(maxsize=65536)
def subdivision_code(
    value: str, country: str | None = None, forms: frozenset[str] = _CODE
) -> str | None:
    """The ISO 3166-2 code a value denotes, or None.

    `forms` is a subset of {"code", "name"}. A code is matched exactly (`IQ-AN`), whichever
    country it belongs to (whether it belongs to `country` is another finding). A name is
    matched within `country` (an alpha-3 code; for None, only a name no two subdivisions in
    the world share), without regard to case, accents, punctuation, a leading `Al`, or a type
    word before or after it: `Colorado` (USA) -> US-CO; `Ouaka`, `Ouaka province`, `Ouaka
    Prefecture` (CAF) -> CF-UK; `Anbar`, `Al Anbar` (IRQ) -> IQ-AN.
    """
    if "code" in forms and value in subdivisions():
        return value
    if "name" in forms:
        return _subdivision_by_name(value, country)
    return None


@lru_cache(maxsize=65536)
def subdivision_hint(value: str, country: str | None, forms: frozenset[str] = _CODE) -> str | None:
    """What the editor probably meant by a subdivision the column does not accept.

    `Anbar` (IRQ) -> `did you mean IQ-AN?`; `SY-RA` (IRQ) -> `SY-RA is a subdivision of SYR,
    not IRQ`. Suggestions are written as the column accepts them (codes, else names).
    """
    text = value.strip()
    country = country or None
    as_code = "code" in forms

    def written(code: str) -> str:
        return code if as_code else subdivisions()[code].name

    table = subdivisions()
    latin = _ascii_lookalikes(text).upper()
    if latin != text.upper() and latin in table:
        return f"did you mean {written(latin)}? the value contains non-Latin look-alike letters"
    upper = text.upper()
    if upper in table:
        owner = table[upper].country
        if upper != text:
            return f"did you mean {written(upper)}? codes are upper case"
        if country and owner != country:
            return f"{upper} is a subdivision of {owner}, not {country}"
        if not as_code:
            return f"did you mean {written(upper)}? use the subdivision's name"
    if country:
        code = _subdivision_by_name(text, country)
        if code:
            return f"did you mean {written(code)}?"
        names = {k: v for k, v in _subdivision_names(country).items() if v}
        folded = _fold_subdivision(text)
        for candidate in (folded, *_without_type_word(folded, country)):
            close = difflib.get_close_matches(candidate, list(names), n=1, cutoff=0.8)
            if close:
                return f"did you mean {written(names[close[0]])}?"
        if country in countries():
            alpha2 = countries()[country].alpha2
            if as_code:
                return f"use an ISO 3166-2 code of {country}, like {alpha2}-…"
            return f"use the name of a subdivision of {country_label(country)}"
        return f"use an ISO 3166-2 code of {country}, like XX-…"
    code = _subdivision_by_name(text, None) if "name" not in forms else None
    if code:
        return f"did you mean {code}?"
    return "use an ISO 3166-2 subdivision code such as IQ-AN"
